#!/bin/sh
# concurrent.sh - many at once: the reader open on a cache (in tmux,
# marking articles read) while an import, a second import of the same
# files and an update (against the loopback server, tests/http-server.py
# on 127.0.0.1) write to it.  No "database is locked" reaches anyone as a
# failure, nothing is imported twice (the articles and entities are those
# of the same imports run one after the other), and every mark the reader
# made is in the cache.
. "$KABAR_SRCDIR/tests/lib.sh"

for tool in sqlite3 python3 jq tmux; do
	if ! command -v $tool >/dev/null 2>&1; then
		skip "$tool is needed for the concurrency test"
		done_testing
	fi
done

sample=$KABAR_SRCDIR/assets/sample
# under valgrind, a tenth: an update whose import waits minutes for the
# others would see its other fetches time out (60 s)
items=1500 feed_items=300
[ -z "${KABAR_WRAPPER:-}" ] || items=150 feed_items=30
python3 "$KABAR_SRCDIR/tests/make-corpus.py" "$tmp/files" 3 $items 21 >/dev/null || exit 1
# the served feeds are other channels than the files' feeds: the same guid
# in the same channel through two doors is one article, and which door
# came first would decide its text
python3 "$KABAR_SRCDIR/tests/make-corpus.py" "$tmp/feeds" 2 $feed_items 22 berita >/dev/null || exit 1

root=$tmp/www
mkdir -p "$root"
sock=kabar-conc-$$
tm() {
	tmux -L "$sock" -f /dev/null "$@"
}
unset TMUX TMUX_PANE NO_COLOR
trap 'tm kill-server >/dev/null 2>&1; kill_servers; chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
if ! http_server "$root"; then
	skip "$http_error"
	done_testing
fi
for f in "$tmp"/feeds/berita-*.rss; do
	sed "s|@BASE@|$base|g" "$f" >"$root/$(basename "$f")"
done

# prepare DB : the sample corpus and the subscriptions
prepare() {
	kb --db "$1" import -q "$sample" >/dev/null 2>&1
	for f in "$root"/berita-*.rss; do
		kb --db "$1" feed add "$base/$(basename "$f")" --full-text no >/dev/null 2>&1
	done
}

# what DB holds, whatever order the writers took turns in (ids differ)
contents() {
	kb --db "$1" list --format json | jq -c 'map({title, source, origin, published}) | sort_by(.origin, .title)'
	kb --db "$1" entities --format json | jq -c 'map({type, name, articles}) | sort_by(.type, .name)'
}

# the reference: the same imports and update, one after the other
prepare "$tmp/ref.db"
kb --db "$tmp/ref.db" import -q "$tmp/files" >/dev/null 2>&1
kb --db "$tmp/ref.db" update -q >/dev/null 2>&1
ref=$(contents "$tmp/ref.db" | sha256sum)
n_ref=$(sqlite3 "$tmp/ref.db" 'SELECT count(*) FROM article')

# ---- all at once --------------------------------------------------------------------

db=$tmp/c.db
prepare "$db"
tm new-session -d -x 120 -y 30 -s r \
	"${KABAR_WRAPPER:-} '$KABAR' --db '$db' 2>'$tmp/tui.err'; echo \$? >'$tmp/tui.rc'; sleep 60"
# status RE : waits (bounded) until the reader's status line matches RE
# and is not $prev (the selection's position changes with each mark)
status() {
	_i=0
	while [ $_i -lt 300 ]; do
		tm capture-pane -p -t r | tail -n 1 >"$tmp/status"
		grep -Eq -- "$1" "$tmp/status" && [ "$(cat "$tmp/status")" != "${prev:-}" ] && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	return 1
}
status '.' || true
i=0
while ! tm capture-pane -p -t r | grep -q Belitung && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done

for w in import1 import2 update; do
	case $w in
	update) ${KABAR_WRAPPER:-} "$KABAR" --db "$db" update -q >"$tmp/$w.out" 2>"$tmp/$w.err" & ;;
	*) ${KABAR_WRAPPER:-} "$KABAR" --db "$db" import -q "$tmp/files" >"$tmp/$w.out" 2>"$tmp/$w.err" & ;;
	esac
	echo $! >"$tmp/$w.pid"
done

# running WRITER : whether that writer is still at work
running() {
	kill -0 "$(cat "$tmp/$1.pid")" 2>/dev/null
}
# while they write: mark articles read, each further down the list
marks=0 unmarks=0 during=0 said= prev=
while [ $((marks + unmarks)) -lt 40 ] && { running import1 || running import2 || running update; }; do
	tm send-keys -t r j
	tm send-keys -t r N
	if status 'marked|busy|could not|locked|read-only'; then
		said="$said$(sed 's/  */ /g' "$tmp/status")|"
		# at the end of the list, j stays and N takes the mark back
		if grep -Eq 'marked not read' "$tmp/status"; then
			unmarks=$((unmarks + 1))
		elif grep -Eq 'marked read' "$tmp/status"; then
			marks=$((marks + 1))
			{ running import1 || running import2 || running update; } && during=$((during + 1))
		fi
	fi
	prev=$(cat "$tmp/status")
done
diag "the reader said: $said"

for w in import1 import2 update; do
	wait "$(cat "$tmp/$w.pid")"
	rc=$?
	is_rc 0 "$w, beside the others and the reader: succeeded"
	is "$(grep -ci 'locked\|busy' "$tmp/$w.err")" 0 "$w: no \"database is locked\""
	[ ! -s "$tmp/$w.err" ] || diag "$w said:" "$(head -n 5 "$tmp/$w.err")"
done

if [ "$during" -ge 1 ]; then
	pass "the reader marked $during articles read while they wrote ($marks in all)"
else
	fail "the reader marked no article while they wrote" "said: $said"
fi
unlike "$said" "could not|locked" "and never said it could not"
tm send-keys -t r q
i=0
while [ ! -s "$tmp/tui.rc" ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
is "$(cat "$tmp/tui.rc" 2>/dev/null)" 0 "the reader quits cleanly"
is "$(cat "$tmp/tui.err" 2>/dev/null)" "" "with no mark left unwritten"
is "$(sqlite3 "$db" 'SELECT count(*) FROM article WHERE read_at IS NOT NULL')" \
	"$((marks - unmarks))" "every mark is in the cache ($marks read, $unmarks taken back)"

is "$(sqlite3 "$db" 'SELECT count(*) FROM article')" "$n_ref" "nothing imported twice ($n_ref articles)"
is "$(contents "$db" | sha256sum)" "$ref" "the articles and entities of the same writes one after another"
is "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok "integrity_check"
is "$(sqlite3 "$db" "INSERT INTO article_fts(article_fts, rank) VALUES ('integrity-check', 1)" 2>&1)" "" \
	"the full-text index is whole"
is "$(sqlite3 "$db" "SELECT value = (SELECT count(*) FROM article) FROM counter WHERE name = 'articles'")" 1 \
	"the kept count is count(*)"
is "$(sqlite3 "$db" 'SELECT count(*) FROM event_pending')" 0 "every article is linked into events"

done_testing
