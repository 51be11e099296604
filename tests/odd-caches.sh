#!/bin/sh
# odd-caches.sh - caches kabar cannot simply use: each gets one clear line
# naming the file (or a read-only mode), a non-zero exit where nothing can
# be done, and nothing already there changed.  A directory as --db, a file
# that is not SQLite, an SQLite database that is not a kabar cache, a
# corrupt cache, a cache from a newer kabar, caches of every earlier schema
# (migrated in one transaction), a read-only cache file and directory (the
# reader says so when you mark), a full disk (a file-size limit with
# SIGXFSZ ignored), and a newsboat cache that newsboat holds open.
. "$KABAR_SRCDIR/tests/lib.sh"

for tool in sqlite3 python3 jq; do
	if ! command -v $tool >/dev/null 2>&1; then
		skip "$tool is needed to look inside the caches"
		done_testing
	fi
done
sample=$KABAR_SRCDIR/assets/sample
data=$KABAR_SRCDIR/tests/data

# sum FILE... : one digest of the files' bytes (what "left as it is" means)
sum() {
	cat "$@" | sha256sum | cut -c1-16
}

# one_line DESC ERE : the last run failed with one line on stderr matching ERE
one_line() {
	if [ "$rc" != 0 ] && [ "$(nlines "$err")" = 1 ] && grep -Eq -- "$2" "$err"; then
		pass "$1"
	else
		fail "$1" "exit status $rc; stderr:" "$(head -n 5 "$err")" "expected one line matching: $2"
	fi
}

# a cache of the sample corpus, made once and copied
run --db "$tmp/sample.db" import -q "$sample"
is_rc 0 "a cache of the sample corpus"
sqlite3 "$tmp/sample.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
n_sample=$(sqlite3 "$tmp/sample.db" 'SELECT count(*) FROM article')

# ---- a directory, not SQLite, not kabar's, corrupt, newer -----------------------

mkdir "$tmp/dir.db"
run --db "$tmp/dir.db" list
one_line "--db a directory: refused" "^kabar: $tmp/dir.db: is a directory"
is "$(ls -A "$tmp/dir.db")" "" "and nothing is written into it"

printf 'notes, not a cache\n%.0s' $(seq 1 200) >"$tmp/notes.db"
before=$(sum "$tmp/notes.db")
run --db "$tmp/notes.db" import -q "$sample"
one_line "a file that is not SQLite: refused" "^kabar: $tmp/notes.db: not an SQLite database"
is "$(sum "$tmp/notes.db")" "$before" "and left as it is"

sqlite3 "$tmp/other.db" "CREATE TABLE rss_item (id INTEGER PRIMARY KEY, title TEXT);
	INSERT INTO rss_item (title) VALUES ('someone else''s data')"
before=$(sum "$tmp/other.db")
run --db "$tmp/other.db" import -q "$sample"
one_line "an SQLite database that is not a kabar cache: refused" \
	"^kabar: $tmp/other.db: an SQLite database, but not a kabar cache"
is "$(sum "$tmp/other.db")" "$before" "and left as it is"

# corrupt: the schema page (page 1 after its 100-byte header) overwritten
cp "$tmp/sample.db" "$tmp/corrupt.db"
printf 'garbage%.0s' $(seq 1 400) | dd of="$tmp/corrupt.db" bs=1 seek=100 conv=notrunc 2>/dev/null
before=$(sum "$tmp/corrupt.db")
run --db "$tmp/corrupt.db" list
one_line "a corrupt cache: list refused" "^kabar: $tmp/corrupt.db: .*(malformed|not a database)"
run --db "$tmp/corrupt.db" import -q "$sample"
one_line "a corrupt cache: import refused" "^kabar: $tmp/corrupt.db: .*(malformed|not a database)"
is "$(sum "$tmp/corrupt.db")" "$before" "and the corrupt file is left as it is"

cp "$tmp/sample.db" "$tmp/newer.db"
sqlite3 "$tmp/newer.db" 'PRAGMA user_version = 99'
before=$(sum "$tmp/newer.db")
mode=$(sqlite3 "$tmp/newer.db" 'PRAGMA journal_mode')
run --db "$tmp/newer.db" import -q "$sample"
one_line "a cache from a newer kabar: refused with both versions" \
	"^kabar: $tmp/newer.db: cache schema 99 is from a newer kabar; kabar [0-9.]+ reads schemas up to [0-9]+"
is "$(sqlite3 "$tmp/newer.db" 'PRAGMA user_version')" 99 "and never downgraded"
is "$(sum "$tmp/newer.db")" "$before" "nor changed at all (journal mode $mode kept)"

# ---- every earlier schema -------------------------------------------------------

current=$(sqlite3 "$tmp/sample.db" 'PRAGMA user_version')
for v in 1 2 3 4 5; do
	cp "$data/cache-v$v.db" "$tmp/v$v.db"
	chmod u+w "$tmp/v$v.db"
	run --db "$tmp/v$v.db" list --format json
	is_rc 0 "a schema-$v cache opens"
	is "$(jq length "$out")" 3 "schema $v: its three articles are listed"
	is "$(sqlite3 "$tmp/v$v.db" 'PRAGMA user_version')" "$current" "schema $v: migrated to $current"
	is "$(sqlite3 "$tmp/v$v.db" 'PRAGMA integrity_check')" ok "schema $v: integrity_check"
	run --db "$tmp/v$v.db" search Belitung --format json
	is "$(jq length "$out")" 3 "schema $v: the old articles are found by search"
done
# one transaction: a step that fails leaves the cache at its old schema, whole
cp "$data/cache-v1.db" "$tmp/v1-fails.db"
chmod u+w "$tmp/v1-fails.db"
sqlite3 "$tmp/v1-fails.db" 'CREATE TABLE feed (x)' # migration 4 makes a table "feed"
before=$(sum "$tmp/v1-fails.db")
run --db "$tmp/v1-fails.db" list
one_line "a migration that fails: one line" "^kabar: $tmp/v1-fails.db: migration from schema 1 to $current failed at 4"
is "$(sqlite3 "$tmp/v1-fails.db" 'PRAGMA user_version')" 1 "and the cache stays at schema 1"
is "$(sqlite3 "$tmp/v1-fails.db" "SELECT count(*) FROM sqlite_master WHERE name = 'entity'")" 0 \
	"with nothing of the steps that went well (schema 2's tables rolled back)"

# ---- read-only file and directory ----------------------------------------------

# as root, chmod stops no one: kabar runs as nobody, who owns nothing here
as_reader=
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		as_reader="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		as_reader=none
	fi
fi
kb_ro() {
	$as_reader ${KABAR_WRAPPER:-} "$KABAR" "$@"
}
if [ "$as_reader" = none ]; then
	skip "read-only caches: running as root without setpriv"
else
	mkdir -p "$tmp/ro-file" "$tmp/ro-dir"
	chmod 755 "$tmp" "$tmp/ro-file" "$tmp/ro-dir"
	cp "$tmp/sample.db" "$tmp/ro-file/c.db"
	cp "$tmp/sample.db" "$tmp/ro-dir/c.db"
	chmod 444 "$tmp/ro-file/c.db"
	chmod 644 "$tmp/ro-dir/c.db"
	chmod 555 "$tmp/ro-dir"
	for where in file dir; do
		db=$tmp/ro-$where/c.db
		before=$(sum "$db")
		kb_ro --db "$db" list --format json >"$out" 2>"$err"
		rc=$?
		is_rc 0 "read-only $where: list works"
		is "$(jq length "$out")" "$n_sample" "read-only $where: every article is listed"
		kb_ro --db "$db" import -q "$sample/01-belitung-summit-id.txt" >"$out" 2>"$err"
		rc=$?
		one_line "read-only $where: import says so in one line" "^kabar: $db: cannot write the cache: the cache is read-only"
		is "$(sum "$db")" "$before" "read-only $where: the cache is unchanged"
	done
	chmod 755 "$tmp/ro-dir"
	# the reader marks: the status line says the cache is read-only
	if command -v tmux >/dev/null 2>&1; then
		sock=kabar-odd-$$
		tm() {
			tmux -L "$sock" -f /dev/null "$@"
		}
		unset TMUX TMUX_PANE
		trap 'tm kill-server >/dev/null 2>&1; chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
		tm new-session -d -x 100 -y 30 -s ro \
			"$as_reader ${KABAR_WRAPPER:-} '$KABAR' --db '$tmp/ro-file/c.db'; sleep 60"
		i=0
		while ! tm capture-pane -p -t ro | grep -q Belitung && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		tm send-keys -t ro N
		i=0
		while ! tm capture-pane -p -t ro | tail -n 1 | grep -q 'read-only' && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		status=$(tm capture-pane -p -t ro | tail -n 1)
		like "$status" "read-only" "the reader on a read-only cache: N says it is read-only"
		tm send-keys -t ro q
		tm kill-server >/dev/null 2>&1
		is "$(sqlite3 "$tmp/ro-file/c.db" 'SELECT count(*) FROM article WHERE read_at IS NOT NULL')" 0 \
			"and nothing was marked"
	else
		skip "the reader on a read-only cache: tmux is missing"
	fi
fi

# ---- a full disk: a file-size limit, SIGXFSZ ignored --------------------------------

python3 "$KABAR_SRCDIR/tests/make-corpus.py" "$tmp/big" 4 1000 3 >/dev/null || exit 1
# limited LIMIT CMD... : runs CMD unable to write a file past LIMIT bytes
limited() {
	python3 -c '
import os, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
os.execvp(sys.argv[2], sys.argv[2:])' "$@"
}
cp "$tmp/sample.db" "$tmp/full.db"
# batches of 200 articles, so that some commit before the limit
KABAR_IMPORT_BATCH=200 limited 3000000 ${KABAR_WRAPPER:-} "$KABAR" --db "$tmp/full.db" import "$tmp/big" \
	>"$out" 2>"$err"
rc=$?
is_rc 1 "full disk: the import fails"
is "$(grep -c 'cannot write the cache' "$err")" 1 "full disk: one line says so"
like "$(head -n 1 "$err")" "^kabar: $tmp/full.db: cannot write the cache: .*(disk I/O error|full).*the import stopped here" \
	"full disk: naming the cache and the reason"
is "$(nlines "$err")" 2 "full disk: that line and the summary, nothing for each later article"
said=$(sed -n 's/^\([0-9]*\) imported.*/\1/p' "$err")
stored=$(sqlite3 "$tmp/full.db" 'SELECT count(*) FROM article')
is "$((said + n_sample))" "$stored" "full disk: the summary counts only what was stored ($said)"
is "$(sqlite3 "$tmp/full.db" 'PRAGMA integrity_check')" ok "full disk: the cache is intact"
is "$(sqlite3 "$tmp/full.db" "SELECT count(*) FROM article WHERE origin LIKE '$sample/%'")" "$n_sample" \
	"full disk: nothing stored before is lost"
run --db "$tmp/full.db" import -q "$tmp/big"
is_rc 0 "with room again, the import runs to the end"
cp "$tmp/sample.db" "$tmp/room.db"
kb --db "$tmp/room.db" import -q "$tmp/big"
for what in list entities events; do
	is "$(kb --db "$tmp/full.db" $what --format json | sha256sum)" \
		"$(kb --db "$tmp/room.db" $what --format json | sha256sum)" \
		"and its $what are those of an import that had room"
done

# ---- a newsboat cache that newsboat holds open ----------------------------------

nb=$tmp/newsboat.db
sqlite3 "$nb" "CREATE TABLE rss_feed (rssurl TEXT PRIMARY KEY, url TEXT, title TEXT);
	CREATE TABLE rss_item (id INTEGER PRIMARY KEY, guid TEXT, title TEXT, author TEXT,
	 url TEXT, feedurl TEXT, pubDate INTEGER, content TEXT, unread INTEGER, deleted INTEGER DEFAULT 0);
	INSERT INTO rss_feed VALUES ('http://127.0.0.1:9/f.rss', 'http://127.0.0.1:9/', 'Warta Pelabuhan');
	INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread) VALUES
	 ('g1', 'Dermaga baru dibuka di Ambon', '', 'http://127.0.0.1:9/1', 'http://127.0.0.1:9/f.rss',
	  1717200000, '<p>Dermaga baru di Ambon dibuka oleh Wali Kota Ambon pada Senin pagi setelah dua tahun dibangun.</p>', 1),
	 ('g2', 'Kapal cepat kembali berlayar', '', 'http://127.0.0.1:9/2', 'http://127.0.0.1:9/f.rss',
	  1717300000, '<p>Kapal cepat rute Ambon-Banda kembali berlayar setelah cuaca membaik, kata syahbandar.</p>', 0);"
before_nb=$(sum "$nb")
# held open with a write transaction in progress (as newsboat during a
# reload): readers still read
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE rss_feed SET title = title")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
db.execute("ROLLBACK")' "$nb" "$tmp/held" 20 &
holder=$!
i=0
while [ ! -e "$tmp/held" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
cp "$tmp/sample.db" "$tmp/nb1.db"
run --db "$tmp/nb1.db" import -q "$nb"
is_rc 0 "a newsboat cache held open in a write transaction: imported"
is "$(sqlite3 "$tmp/nb1.db" 'SELECT count(*) FROM article')" "$((n_sample + 2))" "both its items"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
rm -f "$tmp/held"
# locked exclusively the whole time: one line, the kabar cache unchanged
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
db.execute("ROLLBACK")' "$nb" "$tmp/held" 30 &
holder=$!
i=0
while [ ! -e "$tmp/held" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
cp "$tmp/sample.db" "$tmp/nb2.db"
before=$(sum "$tmp/nb2.db")
run --db "$tmp/nb2.db" import "$nb"
is_rc 1 "a newsboat cache locked by newsboat: the import fails"
like "$(head -n 1 "$err")" "^kabar: $nb: .*locked" "with one line naming it"
is "$(sqlite3 "$tmp/nb2.db" 'SELECT count(*) FROM article')" "$n_sample" "and the kabar cache holds what it held"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
is "$(sum "$nb")" "$before_nb" "the newsboat cache is never changed"

done_testing
