#!/bin/sh
# readers.sh - every door into the cache (SPEC "Import"): saved HTML pages,
# RSS and Atom feeds and newsboat caches give clean articles with the right
# titles, dates, outlets and authors, each once, through the whole product
# (what `show --format json` gives).
. "$KABAR_SRCDIR/tests/lib.sh"

data=$KABAR_SRCDIR/tests/data/readers
d=$tmp/in
mkdir -p "$d"
cp "$data/harian-selat.rss" "$data/pacific-wire.atom" "$data/feri-nusa-bahari-terbakar.html" "$d/"

# id_of TITLE-ERE : the id of the one listed article whose title matches
id_of() {
	kb list --format json 2>/dev/null | jq -r --arg re "$1" '[.[] | select(.title | test($re))] |
		if length == 1 then .[0].id else "none-or-many:\(length)" end'
}
# field ID JQ : a field of show --format json
field() {
	kb show "$1" --format json 2>/dev/null | jq -r "$2"
}
count() {
	kb list --format json 2>/dev/null | jq length
}

# ---- a directory of a page, an RSS feed and an Atom feed --------------------------

run import "$d"
is_rc 0 "a directory of a page, an RSS and an Atom feed imports"
like "$(cat "$err")" '^5 imported, 0 updated, 1 unchanged, 0 failed' \
	"the feed item whose page was imported first is the same article"
is "$(count)" 5 "five articles: three RSS items (one with its page), two Atom entries"

fire=$(id_of '^Feri Nusa Bahari Terbakar')
body=$(field "$fire" .body)
like "$body" 'Seluruh 212 penumpang dan 18 awak kapal' "the page's full text, not the feed's teaser"
like "$body" '^Makassar – Kapal feri Nusa Bahari terbakar' "the dateline keeps its city, loses the outlet"
unlike "$body" 'Baca juga|Pelabuhan Baru Makassar Mulai' "no read-more link in the body"
unlike "$body" 'Berita Terkait|Harga Tiket|Bagikan|cookie|Komentar|komentar|Beranda|Dapatkan berita|hak cipta|Editor' \
	"no navigation, related links, share buttons, comments, newsletter, footer or cookie banner"
is "$(field "$fire" .source)" "Harian Selat" "the page's outlet (og:site_name)"
is "$(field "$fire" .published)" "2024-11-29T07:45:00+08:00" "the page's date (article:published_time)"
is "$(field "$fire" .url)" "https://harian-selat.example/2024/11/29/feri-nusa-bahari-terbakar" \
	"the canonical URL"
is "$(field "$fire" '[.bylines[] | "\(.role)=\(.name)"] | sort | join(",")')" \
	"author=Rina Hapsari,editor=Galih Pratama" "the author from the page, the editor from its byline"
like "$(field "$fire" '[.entities[] | select(.type == "person") | .name] | join(",")')" \
	'Yusuf Latuconsina' "a person named in the page's text is found"

crew=$(id_of '^Syahbandar Makassar Periksa')
body=$(field "$crew" .body)
like "$body" 'Darmawan Siregar, memeriksa nakhoda' "content:encoded is the body of an RSS item"
like "$body" 'Komite Nasional Keselamatan Transportasi pekan depan\.$' "the item's last paragraph is kept"
unlike "$body" 'Baca juga|Ikuti kami|<p>|<strong>' "no read-more link, no promo, no markup"
is "$(field "$crew" .published)" "2024-11-30T10:15:00+08:00" "pubDate with its time zone"
is "$(field "$crew" .source)" "Harian Selat" "the feed's title is the outlet"
is "$(field "$crew" '[.bylines[] | select(.role == "author") | .name] | join(",")')" \
	"Galih Pratama" "dc:creator is the author"
is "$(field "$crew" .url)" "https://harian-selat.example/2024/11/30/syahbandar-periksa-awak" "the item's link"

sched=$(id_of '^Jadwal Feri Makassar')
is "$(field "$sched" .title)" "Jadwal Feri Makassar–Labuan Bajo Kembali Normal" "character references in titles"
is "$(field "$sched" .body)" \
	"Operator pelayaran memulihkan jadwal keberangkatan setelah pemeriksaan kapal selesai." \
	"escaped HTML in a description becomes text"

atom1=$(id_of '^Ferry fire off Makassar')
like "$(field "$atom1" .body)" 'Seven people were treated for smoke inhalation' "Atom xhtml content"
is "$(field "$atom1" .published)" "2024-11-29T03:20:00Z" "Atom published before updated"
is "$(field "$atom1" .source)" "Pacific Wire" "the Atom feed's title is the outlet"
is "$(field "$atom1" '[.bylines[] | select(.role == "author") | .name] | join(",")')" \
	"Helen Marsh" "the entry's author"
atom2=$(id_of '^Port inspectors')
is "$(field "$atom2" .title)" "Port inspectors question ferry crew & engineers" "an Atom html title"
is "$(field "$atom2" .published)" "2024-11-30T11:40:00+08:00" "Atom updated when there is no published"
is "$(field "$atom2" '[.bylines[] | select(.role == "author") | .name] | join(",")')" \
	"Pacific Wire Desk" "an entry without an author has the feed's"
like "$(field "$atom2" .body)" '^Harbour officials in Makassar questioned' "an Atom summary is the body"

kb list --format json >"$tmp/list-1.json" 2>/dev/null
run import "$d"
is_rc 0 "importing the same directory again succeeds"
like "$(cat "$err")" '^0 imported, 0 updated, 6 unchanged, 0 failed' "and changes nothing"
kb list --format json >"$tmp/list-2.json" 2>/dev/null
check "the list is the same" cmp "$tmp/list-1.json" "$tmp/list-2.json"

# ---- the other order: the teaser first, then its page replaces it in place ----------

export KABAR_DB=$tmp/order.db
run import "$d/harian-selat.rss"
is_rc 0 "the feed alone imports"
teaser=$(id_of '^Feri Nusa Bahari Terbakar')
like "$(field "$teaser" .body)" 'Seluruh penumpang berhasil dievakuasi…$' "a teaser item stays a short article"
run import "$d/feri-nusa-bahari-terbakar.html"
like "$(cat "$err")" '^0 imported, 1 updated, 0 unchanged' "its saved page updates it"
is "$(id_of '^Feri Nusa Bahari Terbakar')" "$teaser" "in place: the same id"
like "$(field "$teaser" .body)" 'Seluruh 212 penumpang dan 18 awak kapal' "with the page's full text"
run import "$d/harian-selat.rss" "$d/feri-nusa-bahari-terbakar.html"
like "$(cat "$err")" '^0 imported, 0 updated, 4 unchanged' "both again change nothing"
like "$(field "$teaser" .body)" 'Seluruh 212 penumpang dan 18 awak kapal' "the teaser never comes back"

# ---- a newsboat cache of the same feed ------------------------------------------

if command -v newsboat >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1; then
	nb=$tmp/newsboat
	mkdir -p "$nb"
	printf '"exec:cat %s"\n' "$d/harian-selat.rss" >"$nb/urls"
	printf 'max-items 0\n' >"$nb/config"
	HOME=$nb newsboat -u "$nb/urls" -c "$nb/cache.db" -C "$nb/config" -x reload >/dev/null 2>&1
	is "$(sqlite3 "$nb/cache.db" 'SELECT count(*) FROM rss_item')" 3 "newsboat made a cache of the feed"
	# read in newsboat: the second item
	sqlite3 "$nb/cache.db" "UPDATE rss_item SET unread = 0 WHERE title LIKE 'Syahbandar%'"
	before=$(md5sum <"$nb/cache.db")
	export KABAR_DB=$tmp/kabar.db
	run import "$nb/cache.db"
	is_rc 0 "the newsboat cache imports"
	like "$(cat "$err")" '^0 imported, 0 updated, 3 unchanged' \
		"its items are the feed's articles, not new ones"
	is "$(count)" 5 "still five articles"
	is "$(md5sum <"$nb/cache.db")" "$before" "the newsboat cache is never changed"
	is "$(sqlite3 "$KABAR_DB" "SELECT group_concat(read_at IS NOT NULL) FROM (SELECT read_at FROM article WHERE id = $crew)")" \
		1 "what was read in newsboat is read in kabar"
	is "$(sqlite3 "$KABAR_DB" "SELECT read_at IS NOT NULL FROM article WHERE id = $sched")" \
		0 "what was unread stays unread"

	# a cache on its own: the same articles as the feed gives
	export KABAR_DB=$tmp/nb-only.db
	run import --format newsboat "$nb/cache.db"
	is_rc 0 "a newsboat cache into an empty kabar cache"
	like "$(cat "$err")" '^3 imported' "every item becomes an article"
	id=$(id_of '^Syahbandar Makassar Periksa')
	is "$(field "$id" .source)" "Harian Selat" "the feed's title is the outlet"
	is "$(field "$id" .published)" "2024-11-30T02:15:00Z" "newsboat's Unix time, in UTC"
	like "$(field "$id" .body)" 'Darmawan Siregar, memeriksa nakhoda' "the item's HTML content as text"
	unlike "$(field "$id" .body)" 'Baca juga|<p>' "cleaned like a feed's item"
	is "$(field "$id" '[.bylines[] | select(.role == "author") | .name] | join(",")')" \
		"Galih Pratama" "the item's author"
	run import "$nb/cache.db"
	like "$(cat "$err")" '^0 imported, 0 updated, 3 unchanged' "importing it again changes nothing"
	run import "$KABAR_DB"
	is_rc 1 "a kabar cache is not a newsboat cache"
	like "$(cat "$err")" "nb-only.db: an SQLite database, but not a newsboat cache" "and says so"
else
	skip "newsboat or sqlite3 is not installed: no newsboat cache to import"
fi

# ---- feeds that repeat themselves ------------------------------------------------

export KABAR_DB=$tmp/repeats.db
# every item links to the home page; one guid comes twice with other text
cat >"$tmp/home.rss" <<'EOF'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Kabar Pesisir</title><link>https://pesisir.example/</link>
<item><title>Nelayan Pangkep melaut lagi</title><link>https://pesisir.example/</link><guid>101</guid>
<description>Nelayan di Pangkep kembali melaut setelah cuaca membaik.</description></item>
<item><title>Harga ikan turun di Paotere</title><link>https://pesisir.example/</link><guid>102</guid>
<description>Harga ikan di pelelangan Paotere turun sepuluh persen.</description></item>
<item><title>Harga ikan turun di Paotere</title><link>https://pesisir.example/</link><guid>102</guid>
<description>Harga ikan di pelelangan Paotere turun dua belas persen, kata pedagang.</description></item>
</channel></rss>
EOF
run import "$tmp/home.rss"
is_rc 0 "a feed whose items all link to the home page imports"
is "$(count)" 2 "items with their own guids are their own articles; a repeated guid is one"
like "$(field "$(id_of '^Harga ikan')" .body)" 'sepuluh persen' "a repeated item keeps its first copy (feeds list the newest first)"
run import "$tmp/home.rss"
like "$(cat "$err")" '^0 imported, 0 updated, 3 unchanged' "importing it again changes nothing"

# ---- bad and malformed input -------------------------------------------------------

export KABAR_DB=$tmp/bad.db
head -c 2150 "$d/harian-selat.rss" >"$d/truncated.rss" # cut inside the third item
run import "$d/truncated.rss"
is_rc 1 "a truncated feed fails"
err_lines 2 "one line for it, then the summary"
like "$(head -n 1 "$err")" '^kabar: .*truncated.rss: ' "the line names the file"
like "$(cat "$err")" '^2 imported' "every item before the cut is kept"

printf '<html><head><title>Beranda</title></head><body><nav><a href="/a">Nasional</a> <a href="/b">Ekonomi</a> <a href="/c">Olahraga</a></nav><footer>© 2024</footer></body></html>\n' >"$tmp/nav.html"
run import "$tmp/nav.html"
is_rc 1 "a page with no article text fails"
like "$(head -n 1 "$err")" '^kabar: .*nav.html: .*no article' "and says why"
is "$(count)" 2 "nothing is stored for it"

cp "$d/harian-selat.rss" "$tmp/feed.txt"
export KABAR_DB=$tmp/formats.db
run import --format rss "$tmp/feed.txt"
like "$(cat "$err")" '^3 imported' "--format rss reads a feed whatever its name"
run import --format html - <"$d/feri-nusa-bahari-terbakar.html"
like "$(cat "$err")" '^0 imported, 1 updated' "--format html from standard input: the item's page"

done_testing
