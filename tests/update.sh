#!/bin/sh
# update.sh - subscriptions and `kabar update` against the loopback test
# server (tests/http-server.py on 127.0.0.1, never another address): feed
# add/list/remove, urls files and OPML, conditional GET, pages of teasers,
# every kind of failure, a proxy, TLS that does not verify, and two updates
# at once.
. "$KABAR_SRCDIR/tests/lib.sh"

if ! command -v python3 >/dev/null 2>&1 || ! command -v jq >/dev/null 2>&1; then
	skip "python3 and jq are needed for the loopback HTTP server tests"
	done_testing
fi

data=$KABAR_SRCDIR/tests/data/update
root=$tmp/www
mkdir -p "$root/pages"
log=$tmp/requests.log
if ! http_server "$root" --log "$log"; then
	skip "$http_error"
	done_testing
fi
for f in harian.rss en.rss wire.atom koi8r.xml pages/dermaga-tanjung-lemo.html \
	pages/storm-harbour-road.html; do
	sed "s|@BASE@|$base|g" "$data/$f" >"$root/$f"
done

# log_since N : the request log after its first N lines
log_since() {
	tail -n +"$(($1 + 1))" "$log"
}
# id_of TITLE-ERE : the id of the one listed article whose title matches
id_of() {
	kb list --format json 2>/dev/null | jq -r --arg re "$1" '[.[] | select(.title | test($re))] |
		if length == 1 then .[0].id else "none-or-many:\(length)" end'
}
body_of() {
	kb show "$1" --format json 2>/dev/null | jq -r .body
}
count() {
	kb list --format json 2>/dev/null | jq length
}
feeds() {
	kb feed list --format json 2>/dev/null
}

# ---- feed add / list / remove ------------------------------------------------------

run feed add "$base/harian.rss" --tag berita --tag daerah
is_rc 0 "feed add"
run feed add "$base/en.rss" --tag english --full-text no
is_rc 0 "feed add --full-text no"
run feed add "$base/harian.rss" --tag pesisir
is "$rc:$(cat "$out")" "0:updated 1 $base/harian.rss" "adding a feed again adds its tags"
run feed add "ftp://127.0.0.1/feed.xml"
is_rc 2 "only http(s) URLs are feeds"
run feed add "$base/status/410" --tag gone
is_rc 0 "a third feed"
is "$(feeds | jq -c '[.[] | [.id, .tags, .full_text, .status, .items]]')" \
	'[[1,["berita","daerah","pesisir"],false,null,0],[2,["english"],false,null,0],[3,["gone"],false,null,0]]' \
	"feed list --format json: ids, tags, full-text flag, never fetched"
run feed remove 3
is_rc 0 "feed remove ID"
run feed remove "$base/nowhere.rss"
is_rc 1 "removing a feed that is not there fails"
like "$(cat "$err")" "nowhere.rss: no such feed" "and says so"
is "$(feeds | jq length)" 2 "two feeds left"
run feed list --format tsv
is "$(head -n 1 "$out")" \
	"$(printf 'id\turl\ttitle\ttags\titems\tlast_fetch\tstatus\tinterval\tnext_due')" \
	"feed list --format tsv has a header"
run feed add "$base/en.rss" --every 2h
is "$(feeds | jq -c '[.[] | .interval]')" '[1800,7200]' "--every 2h sets the interval; 30 min unless told"
run feed list
like "$(grep en.rss "$out")" 'every 2h ' "feed list shows it as given"
for bad in 5s 0 2w abc 31d; do
	run feed add "$base/en.rss" --every "$bad"
	is_rc 2 "--every $bad is refused"
done
like "$(cat "$err")" "between 1m and 30d" "saying what is allowed"

# ---- newsboat's urls file --------------------------------------------------------

cat >"$tmp/urls" <<EOF
# newsboat urls
$base/redirect-301/koi8r.xml rusia "~Severny Vestnik"
$base/redirect/3/gzip/wire.atom "english" "~Harbour Wire"
exec:~/bin/scrape-lampost "~Lampost"
filter:~/bin/clean:$base/en.rss
"query:Belum dibaca:unread = \"yes\""
$base/en.rss more
EOF
run feed import "$tmp/urls"
is_rc 0 "feed import of a urls file"
is "$(grep -c 'not supported' "$err")" 3 "exec:, filter: and query lines: one line each"
like "$(cat "$err")" "urls:4: exec: feeds are not supported" "naming the file and line"
like "$(tail -n 1 "$err")" '^2 added, 1 already subscribed, 3 skipped' "the summary"
is "$(feeds | jq -c '[.[] | [.title, .tags]]')" \
	'[[null,["berita","daerah","pesisir"]],[null,["english","more"]],["Severny Vestnik",["rusia"]],["Harbour Wire",["english"]]]' \
	"titles from ~Title tokens, tags merged"

# ---- OPML both ways --------------------------------------------------------------

run feed export
is_rc 0 "feed export"
cp "$out" "$tmp/feeds.opml"
like "$(cat "$tmp/feeds.opml")" '<opml version="2.0"' "OPML 2.0"
like "$(grep en.rss "$tmp/feeds.opml")" 'kabar:fullText="false" kabar:updateInterval="7200"' \
	"with kabar's own attributes for full text and the interval"
kb feed add "$base/redirect/3/gzip/wire.atom" --full-text yes >/dev/null
run feed export
cp "$out" "$tmp/feeds.opml"
KABAR_DB=$tmp/other.db kb feed import "$tmp/feeds.opml" >/dev/null 2>&1
is "$(KABAR_DB=$tmp/other.db kb feed list --format json |
	jq -c '[.[] | [.url, .title, .tags, .full_text, .interval]]')" \
	"$(feeds | jq -c '[.[] | [.url, .title, .tags, .full_text, .interval]]')" \
	"export then import gives the same feeds, full text and intervals too"
is "$(feeds | jq -c '[.[] | select(.full_text) | .url]')" "[\"$base/redirect/3/gzip/wire.atom\"]" \
	"(one of them full text)"
kb feed add "$base/redirect/3/gzip/wire.atom" --full-text no >/dev/null
cat >"$tmp/nested.opml" <<EOF
<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
<outline text="Berita"><outline text="Daerah">
<outline type="rss" text="Kabar Teluk" xmlUrl="$base/harian.rss"/></outline></outline>
</body></opml>
EOF
KABAR_DB=$tmp/nested.db kb feed import "$tmp/nested.opml" >/dev/null 2>&1
is "$(KABAR_DB=$tmp/nested.db kb feed list --format json | jq -c '.[0] | [.title, .tags]')" \
	'["Kabar Teluk",["Berita","Daerah"]]' "nested outlines are tags"

# ---- the first update: items, and the pages of teasers ------------------------------

mark=$(nlines "$log")
run update --format json
is_rc 0 "the first update"
cp "$out" "$tmp/first.json"
is "$(jq -c '[.feeds[] | [.status, .new, .pages]]' "$tmp/first.json")" \
	'[["ok",3,1],["ok",1,1],["ok",1,0],["ok",1,0]]' \
	"per feed: new items and pages fetched (the 404 page and long items are not counted)"
is "$(count)" 6 "six articles: one a feed item"
dermaga=$(id_of '^Dermaga Baru Tanjung Lemo')
like "$(body_of "$dermaga")" 'Dermaga sepanjang 120 meter' "a teaser's body is its page's full text"
unlike "$(body_of "$dermaga")" 'Berita Terkait|Hak cipta|Beranda' "without the page's boilerplate"
is "$(kb show "$dermaga" --format json | jq -r .origin)" "$base/harian.rss" \
	"the same article, still from its feed"
storm=$(id_of '^Storm Closes Harbour Road')
like "$(body_of "$storm")" 'Margaret Okafor said sea water' "the English teaser got its page too"
nelayan=$(id_of '^Nelayan Pulau Kerapu')
is "$(body_of "$nelayan")" \
	"Para nelayan di Pulau Kerapu mengeluhkan harga solar yang naik sejak awal bulan ini." \
	"an item whose page is a 404 keeps its teaser"
like "$(cat "$err")" "status/404: HTTP 404" "the failed page is one line"
like "$(log_since "$mark")" 'GET /pages/dermaga-tanjung-lemo.html ' "the teaser's page was fetched"
unlike "$(log_since "$mark")" 'festival-pantai-sirih|winter-timetable' "long items' pages are not"
koi=$(id_of 'Северска')
like "$(body_of "$koi")" 'начальника порта Ивана Петрова' "a KOI8-R feed that does not say so"
like "$(log_since "$mark")" 'GET /redirect-301/koi8r.xml .* 301' "a 301 followed"
like "$(log_since "$mark")" 'GET /gzip/wire.atom .* 200' "a chain of 302s to a gzip feed"
wire=$(id_of '^Ferry Operators Agree')
like "$(body_of "$wire")" 'Ruth Lindqvist' "the gzip feed's item"
is "$(feeds | jq -c '[.[] | [.status, .items, (.last_fetch != null), (.next_due != null)]]')" \
	'[["ok",3,true,true],["ok",1,true,true],["ok",1,true,true],["ok",1,true,true]]' \
	"feed list: status, items, last fetch and next due"
is "$(kb list --feed 1 --format json | jq -c '[.[].origin] | unique')" "[\"$base/harian.rss\"]" \
	"list --feed ID: the articles that came through it"
is "$(kb list --feed "$base/harian.rss" --format json | jq length)" 3 "list --feed URL: all three"
kb list --feed 9999 >/dev/null 2>"$tmp/nofeed.err"
like "$(cat "$tmp/nofeed.err")" "--feed: 9999: no such feed" "list --feed that is not there says so"
sqlite3 "$KABAR_DB" "UPDATE article SET read_at = '2026-01-01T00:00:00Z' WHERE id = $dermaga"
is "$(kb list --feed 1 --unread --format json | jq length)" 2 "list --unread: the one read left"
sqlite3 "$KABAR_DB" "UPDATE article SET read_at = NULL"
outlet=$(kb show "$storm" --format json | jq -r .source)
is "$(kb list --outlet "$outlet" --format json | jq -c '[.[].id] | sort')" \
	"$(kb list --format json | jq -c --arg o "$outlet" '[.[] | select(.source == $o) | .id] | sort')" \
	"list --outlet NAME: the articles of that source"
before=$(kb list --format json | jq -c 'sort_by(.id)')
bodies=$(for id in $(kb list --format json | jq -r '.[].id'); do body_of "$id" | cksum; done)

# ---- the second update: only 304s ---------------------------------------------------

run update
is_rc 0 "an update with nothing due"
like "$(cat "$err")" '^0 feeds' "fetches nothing"
mark=$(nlines "$log")
run update --format json 1 2 3 4
is_rc 0 "the second update, naming the feeds"
is "$(jq -c '[.feeds[] | [.status, .new, .updated, .pages]]' "$out")" \
	'[["not modified",0,0,0],["not modified",0,0,0],["not modified",0,0,0],["not modified",0,0,0]]' \
	"every feed: not modified"
is "$(log_since "$mark" | grep -v ' 30[12]$' | grep -vc ' inm=yes .* 304$')" 0 \
	"only conditional requests answered 304 (and redirects)"
is "$(log_since "$mark" | grep -c ' 304$')" 4 "one 304 per feed"
is "$(kb list --format json | jq -c 'sort_by(.id)')" "$before" "the articles are unchanged"
is "$(for id in $(kb list --format json | jq -r '.[].id'); do body_of "$id" | cksum; done)" \
	"$bodies" "and so are their bodies"
is "$(feeds | jq -c '[.[] | .status]')" \
	'["not modified","not modified","not modified","not modified"]' "feed list says not modified"

# ---- when the next fetch is due: the interval, and what servers ask ----------------------

# seconds from the last fetch to the next due, per feed
gaps() {
	sqlite3 "$1" "SELECT CAST(round((julianday(next_due) - julianday(last_fetch)) * 86400)
		AS INTEGER) FROM feed ORDER BY id" | tr '\n' ' '
}
due_db=$tmp/due.db
KABAR_DB=$due_db kb feed add "$base/koi8r.xml" --every 1h >/dev/null
KABAR_DB=$due_db kb feed add "$base/max-age/7200/en.rss" --every 30m >/dev/null
KABAR_DB=$due_db kb feed add "$base/max-age/999999/wire.atom" --every 30m >/dev/null
KABAR_DB=$due_db kb feed add "$base/retry-after/600" --every 1m >/dev/null
KABAR_DB=$due_db kb feed add "$base/max-age/60/harian.rss" --every 1h >/dev/null
KABAR_DB=$due_db run update
is_rc 1 "an update where the server is busy (503)"
is "$(gaps "$due_db")" "3600 7200 86400 600 3600 " \
	"next due: the interval, or longer when max-age or Retry-After asks, at most a day"
KABAR_DB=$due_db run update
like "$(cat "$err")" '^0 feeds' "none is due right after"
KABAR_DB=$due_db kb feed add "$base/koi8r.xml" --every 2h >/dev/null
is "$(gaps "$due_db" | cut -d' ' -f1)" 7200 "a new interval counts from the last fetch"
mark=$(nlines "$log")
KABAR_DB=$due_db run update --all
like "$(cat "$err")" '^5 feeds' "update --all fetches every feed, due or not"
is "$(log_since "$mark" | grep -c ' inm=yes .* 304$')" 4 "with conditional requests"

# ---- failures: one line each, the others go on -----------------------------------------

for u in status/404 status/500 loop stall/20 big/3000000 pages/storm-harbour-road.html \
	redirect-file; do
	kb feed add "$base/$u" >/dev/null 2>&1
done
ids=$(feeds | jq -r '[.[] | select(.url | test("status|loop|stall|big|pages|redirect-file")) | .id] | join(" ")')
KABAR_HTTP_TIMEOUT_MS=1500 KABAR_HTTP_MAX_BYTES=1000000 run update --format json $ids 1
is_rc 1 "an update where feeds fail exits 1"
is "$(grep -c '^kabar: update: ' "$err")" 7 "one stderr line per failed feed"
for u in status/404 status/500 loop stall/20 big/3000000 pages/storm-harbour-road.html \
	redirect-file; do
	is "$(grep -c "$base/$u: " "$err")" 1 "the line names $u"
done
is "$(jq -c '[.feeds[] | .status]' "$out")" \
	'["failed","failed","failed","failed","failed","failed","failed","not modified"]' \
	"the feed that works is still done"
is "$(jq -r '[.feeds[] | select(.error == null)] | length' "$out")" 1 "errors in the JSON"
like "$(feeds | jq -r '.[] | select(.url | test("status/404")) | .status')" '404' \
	"feed list keeps the last error"
like "$(feeds | jq -r '.[] | select(.url | test("stall")) | .status')" '.' \
	"and the timeout's"
is "$(count)" 6 "nothing new stored"

# ---- progress to a file descriptor ---------------------------------------------------

kb feed remove $ids >/dev/null 2>&1
KABAR_PROGRESS_FD=3 kb update 1 2 3 4 3>"$tmp/progress" >/dev/null 2>&1
is "$(grep -Evc '^feeds [0-9]+/4 items [0-9]+ bytes [0-9]+ errors [0-9]+$' "$tmp/progress")" 0 \
	"KABAR_PROGRESS_FD: 'feeds D/T items I bytes B errors E' lines"
is "$(nlines "$tmp/progress")" 4 "one line per feed"
like "$(tail -n 1 "$tmp/progress")" '^feeds 4/4 items 0 bytes [0-9]+ errors 0$' "the last says all done"

# ---- import of a URL, no subscription -------------------------------------------------

KABAR_DB=$tmp/once.db run import "$base/en.rss"
is_rc 0 "import URL"
is "$(KABAR_DB=$tmp/once.db kb list --format json | jq -c '[.[] | [.title, .origin]]')" \
	"[[\"Storm Closes Harbour Road for Second Day\",\"$base/en.rss\"]]" "fetched once and imported"
is "$(KABAR_DB=$tmp/once.db kb feed list --format json)" "[]" "without a subscription"
KABAR_DB=$tmp/once.db run import "$base/status/404"
is_rc 1 "import of a URL that fails"
like "$(cat "$err")" "status/404: HTTP 404" "says so in one line"

# ---- a proxy, and TLS that does not verify ------------------------------------------

# the loopback server is the proxy: a feed on a host that does not exist
# comes through it; no_proxy sends a loopback feed around it
export KABAR_DB=$tmp/proxy.db
kb feed add "http://feeds.kabar-test.invalid/en.rss" >/dev/null
mark=$(nlines "$log")
http_proxy=$base run update --format json
is_rc 0 "an update through \$http_proxy"
like "$(log_since "$mark")" 'GET http://feeds.kabar-test.invalid/en.rss ' "the proxy was asked for the URL"
is "$(count)" 1 "and the item came"
kb feed add "$base/wire.atom" >/dev/null
mark=$(nlines "$log")
http_proxy=http://127.0.0.1:1 no_proxy=127.0.0.1 run update 2
is_rc 0 "no_proxy: a loopback feed fetched directly"
like "$(log_since "$mark")" 'GET /wire.atom ' "not through the (dead) proxy"
unset KABAR_DB

if command -v openssl >/dev/null 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
		-days 2 -subj /CN=127.0.0.1 >/dev/null 2>&1; then
	cat "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/tls.pem"
	plain=$base
	http_server "$root" --tls "$tmp/tls.pem"
	tls_base=$base
	base=$plain
	export KABAR_DB=$tmp/tls.db
	kb feed add "$tls_base/en.rss" >/dev/null
	kb feed add "$base/wire.atom" >/dev/null
	run update
	is_rc 1 "a feed whose certificate does not verify fails"
	is "$(grep -c '^kabar: update: https://127.0.0.1:[0-9]*/en.rss: TLS: ' "$err")" 1 \
		"in one line, naming the feed and TLS"
	is "$(feeds | jq -c '[.[] | .status]' | sed 's/"TLS: [^"]*"/"TLS"/')" '["TLS","ok"]' \
		"the other feed is still done"
	is "$(count)" 1 "and nothing from the unverified one"
	unset KABAR_DB
else
	skip "openssl cannot make a test certificate"
fi

# ---- credentials are never printed; requests only under --verbose ------------------

export KABAR_DB=$tmp/cred.db
hostport=${base#http://}
run feed add "http://reader:s3cret@$hostport/en.rss"
is "$(cat "$out")" "added 1 http://***@$hostport/en.rss" "feed add shows the URL without its password"
kb feed add "http://reader:s3cret@$hostport/status/404" >/dev/null
run update
is_rc 1 "an update with a feed that fails"
like "$(cat "$err")" "http://\*\*\*@$hostport/status/404: HTTP 404" "its error line names it without the password"
unlike "$(cat "$err")" 'User-Agent|GET ' "requests are not logged without --verbose"
run update --all --verbose
like "$(cat "$err")" 'update: User-Agent: kabar/' "--verbose: the User-Agent"
like "$(cat "$err")" "update: GET http://\*\*\*@$hostport/en.rss: 304 not modified, [0-9]+ bytes" \
	"--verbose: every request and its answer"
everything=$( (kb feed list; kb feed list --format tsv; kb feed list --format json; kb list --format json
	kb update --all --verbose --format json; for id in $(kb list --format json | jq -r '.[].id'); do
		kb show "$id" --format json; done) 2>&1)
unlike "$everything" 's3cret' "neither feed list, list, show nor update prints the password"
is "$(sqlite3 "$KABAR_DB" "SELECT count(*) FROM article WHERE origin LIKE '%s3cret%' OR origin_key LIKE '%s3cret%'")" \
	0 "nor is it stored with the articles"
like "$(kb feed export)" 'reader:s3cret@' "feed export keeps it: the list is yours to move"
unset KABAR_DB

# ---- two updates at once ------------------------------------------------------------

export KABAR_DB=$tmp/twice.db
kb feed import "$tmp/urls" >/dev/null 2>&1
kb feed add "$base/harian.rss" >/dev/null 2>&1
kb update >"$tmp/u1.out" 2>"$tmp/u1.err" &
p1=$!
kb update >"$tmp/u2.out" 2>"$tmp/u2.err" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?
is "$r1:$r2" "0:0" "two updates at once both succeed"
is "$(count)" 6 "each article once"
is "$(kb list --format json | jq '[.[].title] | unique | length')" 6 "no title twice"
dermaga=$(id_of '^Dermaga Baru Tanjung Lemo')
like "$(body_of "$dermaga")" 'Dermaga sepanjang 120 meter' "the page's text, once"
check "the cache is sound" sqlite3 "$KABAR_DB" "PRAGMA integrity_check"

done_testing
