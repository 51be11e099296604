#!/bin/sh
# bounds.sh - hostile input costs bounded memory and time: a gibibyte of
# one line (a pipe, a sparse file, a feed), a 10 MB title, an article of
# 100,000 capitalised words, HTML nested 100,000 deep, XML entity
# expansion ("billion laughs") and external entities in feeds and OPML, a
# gzip bomb and an endless body over HTTP (tests/http-server.py on
# 127.0.0.1), and a feed of 20,000 items (a million: tests/bounds-slow.sh).
# Big inputs are made here, streamed, never stored in the tree.  Peak
# memory is read with /usr/bin/time -f %M, outside the sanitizer builds
# (their shadow memory says nothing of kabar's); under valgrind the big
# inputs are skipped and only the small hostile documents run.
. "$KABAR_SRCDIR/tests/lib.sh"

if ! command -v jq >/dev/null 2>&1 || ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP jq and sqlite3 are needed"
	exit 0
fi
valgrind=${KABAR_VALGRIND:-0}
measure=yes
if [ ! -x /usr/bin/time ] || [ "$valgrind" = 1 ] || LC_ALL=C grep -q __asan_init "$KABAR"; then
	measure=no
fi

# rss_run LIMIT-MB DESC ARGS... : runs kabar ARGS (stdin as given) with
# $out, $err and $rc as run does, then checks its peak RSS
rss_run() {
	limit=$1 desc=$2
	shift 2
	if [ "$measure" = yes ]; then
		/usr/bin/time -f %M -o "$tmp/rss" "$KABAR" "$@" >"$out" 2>"$err"
		rc=$?
		kbytes=$(tail -n 1 "$tmp/rss")
		if [ "$kbytes" -le $((limit * 1024)) ]; then
			pass "$desc: peak RSS $((kbytes / 1024)) MB <= $limit MB"
		else
			fail "$desc: peak RSS $((kbytes / 1024)) MB > $limit MB"
		fi
	else
		kb "$@" >"$out" 2>"$err"
		rc=$?
	fi
}

# stored FIELD : every article's FIELD (title, body, source), one a line
stored() {
	for id in $(kb list --format json | jq -r '.[].id'); do
		kb show "$id" --format json | jq -r --arg f "$1" '.[$f] // ""'
	done
}

# from CMD... : starts CMD writing into a pipe that the next rss_run
# reads as standard input (<"$fifo"); a pipe would run rss_run in a
# subshell, and its results would be lost
fifo=$tmp/fifo
from() {
	rm -f "$fifo"
	mkfifo "$fifo"
	("$@" >"$fifo" 2>/dev/null &)
}

# ones N : N bytes of 'a', streamed
ones() {
	head -c "$1" /dev/zero | tr '\0' a
}

GiB=1073741824

if [ "$valgrind" != 1 ]; then
	# ---- a gibibyte of one line ------------------------------------------------
	export KABAR_DB=$tmp/line.db
	from ones $GiB
	rss_run 64 "1 GiB of one line on standard input" import - <"$fifo"
	is_rc 1 "1 GiB of one line on standard input is refused"
	like "$(cat "$err")" '^kabar: -: too large \(more than the limit of 8 MiB\)$' \
		"...as too large, naming the limit"
	truncate -s $GiB "$tmp/sparse.txt"
	rss_run 64 "a 1 GiB file" import "$tmp/sparse.txt"
	is_rc 1 "a 1 GiB file is refused"
	like "$(cat "$err")" 'sparse\.txt: too large \(1024\.0 MiB; the limit is 8 MiB\)' \
		"...by its size, before it is read"
	rm -f "$tmp/sparse.txt"
	long_feed() {
		printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Satu baris</title>'
		printf '<item><title>Sebelum</title><link>http://x.example/0</link><description>Pendek.</description></item>'
		printf '<item><title>Panjang</title><link>http://x.example/1</link><description>'
		ones $GiB
		printf '</description></item></channel></rss>'
	}
	from long_feed
	rss_run 96 "a feed with 1 GiB of one line, streamed" import - <"$fifo"
	is_rc 1 "a feed's gibibyte text node costs its item"
	like "$(cat "$err")" 'huge text node; 1 items? kept, 1 lost' "...and says so"
	is "$(stored title)" "Sebelum" "the item before it is kept"
	check "the cache is sound after it" sqlite3 "$KABAR_DB" "PRAGMA integrity_check"

	# ---- a 10 MB title ------------------------------------------------------------
	export KABAR_DB=$tmp/title.db
	{ printf 'Title: '; head -c 7000000 /dev/zero | tr '\0' T; printf '\n\nKapal tiba pagi ini.\n'; } >"$tmp/title.txt"
	rss_run 128 "a 7 MB title in a text file" import "$tmp/title.txt"
	is_rc 0 "a text file with a 7 MB title imports"
	t=$(kb list --format json | jq -r '.[0].title')
	is "$(printf '%s' "$t" | wc -c | tr -d ' ')" 4096 "its title is cut to 4096 bytes"
	like "$t" '^TTTT.*T…$' "...ending in an ellipsis"
	like "$(stored body)" 'Kapal tiba pagi ini' "the body is kept"
	rm -f "$tmp/title.txt"
	export KABAR_DB=$tmp/ftitle.db
	long_titles() {
		printf '<?xml version="1.0"?><rss version="2.0"><channel><title>'
		head -c 10000000 /dev/zero | tr '\0' S
		printf '</title><item><title>'
		head -c 9000000 /dev/zero | tr '\0' T
		printf '</title><link>http://x.example/1</link><description>Isi.</description></item></channel></rss>'
	}
	from long_titles
	rss_run 96 "a feed with 10 MB titles" import - <"$fifo"
	is_rc 0 "a feed with 10 MB titles imports"
	is "$(stored title | wc -c | tr -d ' ')" 4097 "the item's title is at most 4096 bytes"
	is "$(stored source | wc -c | tr -d ' ')" 4097 "the feed's title is at most 4096 bytes"

	# ---- 100,000 capitalised words --------------------------------------------------
	export KABAR_DB=$tmp/caps.db
	awk 'BEGIN { srand(7); split("ka ba ri su to no ma de wi lu pe ga", s, " ");
		print "Title: Banyak Nama"; print "";
		for (i = 0; i < 100000; i++) {
			w = ""; for (j = 0; j < 3; j++) w = w s[int(rand() * 12) + 1];
			printf "%s%s", toupper(substr(w, 1, 1)) substr(w, 2), (i % 20 == 19) ? ".\n" : " ";
		} }' >"$tmp/caps.txt"
	rss_run 128 "100,000 different capitalised words" import "$tmp/caps.txt"
	is_rc 0 "an article of 100,000 capitalised words imports"
	n=$(kb entities --format json | jq length)
	[ "$n" -gt 0 ] && pass "its names are found ($n entities)" || fail "its names are found" "$n"
	awk 'BEGIN { print "Title: Satu Nama"; print "";
		for (i = 0; i < 25000; i++) print "Budi Santoso Wirawan Hadi." }' >"$tmp/same.txt"
	export KABAR_DB=$tmp/same.db
	rss_run 128 "one name written 25,000 times" import "$tmp/same.txt"
	is_rc 0 "an article of one name written 25,000 times imports"
	is "$(kb entities --type person --format json | jq -r '.[].name')" "Budi Santoso Wirawan Hadi" \
		"...and holds that one person"
	rm -f "$tmp/caps.txt" "$tmp/same.txt"
fi

# ---- HTML nested 100,000 deep -------------------------------------------------------
export KABAR_DB=$tmp/deep.db
depth=100000
[ "$valgrind" = 1 ] && depth=3000
awk -v d=$depth 'BEGIN {
	printf "<html><head><title>Dalam Sekali</title></head><body><article>";
	printf "<p>Kapal feri tiba di Makassar pagi ini, kata Rina Hapsari kepada wartawan di dermaga.</p>";
	printf "<p>Penumpang turun dengan selamat setelah perjalanan panjang dari Surabaya.</p>";
	for (i = 0; i < d; i++) printf "<div>"; printf "<p>Di dasar.</p>";
	for (i = 0; i < d; i++) printf "</div>"; print "</article></body></html>" }' >"$tmp/deep.html"
rss_run 96 "a page nested $depth deep" import "$tmp/deep.html"
is_rc 0 "a page nested $depth deep imports"
like "$(stored body)" 'Kapal feri tiba di Makassar' "...with the text above the nesting"
# no title, 250 deep: under libxml2's limit of 256, so all of it is read
awk 'BEGIN { printf "<html><body><article><p>Teks di atas yang cukup panjang untuk artikel ini, kata Rina Hapsari kepada wartawan.</p>";
	for (i = 0; i < 250; i++) printf "<div>"; printf "<p>Teks di bawah yang juga cukup panjang untuk dibaca orang banyak.</p>";
	for (i = 0; i < 250; i++) printf "</div>"; print "</article></body></html>" }' >"$tmp/untitled.html"
export KABAR_DB=$tmp/untitled.db
run import "$tmp/untitled.html"
is_rc 0 "a page without a title, nested 250 deep, imports"
is "$(stored title)" "Teks di atas yang cukup panjang untuk artikel ini, kata Rina Hapsari" \
	"...named by its first twelve words"
like "$(stored body)" 'Teks di bawah' "...with the text at the bottom"
export KABAR_DB=$tmp/deep.db
awk -v d=$depth 'BEGIN { printf "<html><body>"; for (i = 0; i < d; i++) printf "<div><span>";
	print "<p>Hanya di dasar.</p></body></html>" }' >"$tmp/deeper.html"
rss_run 96 "a page that is only nesting" import "$tmp/deeper.html"
is_rc 1 "a page that is only nesting is refused"
like "$(cat "$err")" 'deeper\.html: ' "...with a message naming it"

# ---- entity expansion and external entities -------------------------------------------
http_server "$tmp" --log "$tmp/requests.log" || diag "$http_error"

lol_dtd() { # the DOCTYPE of a billion laughs, for root element $1
	printf '<?xml version="1.0"?>\n<!DOCTYPE %s [\n<!ENTITY l0 "lol">\n' "$1"
	for i in 1 2 3 4 5 6 7 8 9; do
		j=$((i - 1))
		printf '<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">\n' $i $j $j $j $j $j $j $j $j $j $j
	done
	printf ']>\n'
}
export KABAR_DB=$tmp/lol.db
{
	lol_dtd rss
	printf '<rss version="2.0"><channel><title>Tawa &l9;</title><item><title>Satu &l9;</title>'
	printf '<link>http://x.example/1</link><description>Isi &l9; &l5;.</description></item></channel></rss>\n'
} >"$tmp/lol.rss"
rss_run 64 "a billion laughs in a feed" import "$tmp/lol.rss"
like "$rc" '^[01]$' "a billion laughs is an ordinary failure or success, not a crash ($rc)"
unlike "$(stored title; stored body; stored source)" 'lollol' "no entity is expanded"
like "$(cat "$err")" 'lol\.rss: not an RSS or Atom feed \(.*[Ee]ntity' \
	"...refused, naming the file and the entities"

{
	lol_dtd opml
	printf '<opml version="2.0"><head><title>x</title></head><body>'
	printf '<outline text="A &l9;" title="T &l9;" xmlUrl="http://a.example/feed"/></body></opml>\n'
} >"$tmp/lol.opml"
rss_run 64 "a billion laughs in OPML" feed import "$tmp/lol.opml"
unlike "$(kb feed list --format json | jq -r '.[].title // ""')" 'lollol' \
	"no entity in an OPML title is expanded"

echo 'SECRET-FROM-DISK' >"$tmp/secret.txt"
printf '<!ENTITY leak SYSTEM "file://%s/secret.txt">\n' "$tmp" >"$tmp/evil.dtd"
export KABAR_DB=$tmp/xxe.db
cat >"$tmp/xxe.rss" <<EOF
<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "$base/evil.dtd" [
<!ENTITY xxe SYSTEM "file://$tmp/secret.txt">
<!ENTITY % remote SYSTEM "$base/remote.dtd">
%remote;
]>
<rss version="2.0"><channel><title>Bocor &xxe;</title>
<item><title>Judul &xxe; &leak;</title><link>http://x.example/2</link><description>Isi &xxe; berita.</description></item>
</channel></rss>
EOF
kb import "$tmp/xxe.rss" >"$out" 2>"$err"
unlike "$(stored title; stored body; stored source)" 'SECRET' "no external entity is read from disk"
cat >"$tmp/xxe.opml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE opml SYSTEM "$base/evil.dtd" [
<!ENTITY xxe SYSTEM "file://$tmp/secret.txt">
]>
<opml version="2.0"><head><title>x</title></head><body>
<outline text="Bocor &xxe;" xmlUrl="http://b.example/feed"/></body></opml>
EOF
kb feed import "$tmp/xxe.opml" >"$out" 2>"$err"
unlike "$(kb feed list --format json | jq -r '.[].title // ""')" 'SECRET' \
	"no external entity in OPML is read from disk"
if [ -n "$base" ]; then
	is "$(grep -c 'dtd' "$tmp/requests.log")" 0 "no DTD or entity is fetched over the network"
fi

# ---- a gzip bomb and an endless body over HTTP ----------------------------------------
if [ -n "$base" ] && [ "$valgrind" != 1 ]; then
	export KABAR_DB=$tmp/bomb.db
	# 96 MiB that gzip makes about 100 KB of
	{
		printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Bom</title><item><title>Bom</title><description>'
		head -c 100663296 /dev/zero | tr '\0' ' '
		printf '</description></item></channel></rss>'
	} >"$tmp/bomb.xml"
	kb feed add "$base/gzip/bomb.xml" >/dev/null 2>&1
	kb feed add "$base/big/268435456" >/dev/null 2>&1
	rss_run 160 "a gzip bomb and a 256 MiB body" update
	rm -f "$tmp/bomb.xml"
	is_rc 1 "the update fails for both feeds"
	is "$(grep -c "/gzip/bomb.xml: larger than 32 MiB$\|/big/268435456: larger than 32 MiB$" "$err")" 2 \
		"both are refused as larger than 32 MiB"
	like "$(grep -c 'GET /gzip/bomb.xml' "$tmp/requests.log")" '^[1-9]' "the bomb was served"
	is "$(kb list --format json | jq length)" 0 "nothing of them is stored"
fi

# ---- a feed of many items ----------------------------------------------------------------
if [ "$valgrind" != 1 ]; then
	items() {
		awk -v n="$1" 'BEGIN {
			printf "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Banyak</title>";
			for (i = 0; i < n; i++)
				printf "<item><title>Butir %d</title><link>http://x.example/%d</link><description>Isi butir %d.</description></item>\n", i, i, i;
			print "</channel></rss>" }'
	}
	export KABAR_DB=$tmp/items.db
	from items 20000
	rss_run 64 "a feed of 20,000 items, streamed" import - <"$fifo"
	is_rc 0 "a feed of 20,000 items imports"
	is "$(sqlite3 "$KABAR_DB" 'SELECT count(*) FROM article')" 20000 "...every one of them"
fi

done_testing
