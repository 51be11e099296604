#!/bin/sh
# hostile.sh - no article controls the terminal: a cache that another
# program wrote, holding terminal controls in every field (an OSC 52
# clipboard write, a CSI screen clear, a window title, C1 controls, DEL,
# bidi overrides and isolates), and feeds and file names holding them,
# never put one of those bytes on kabar's text or TSV output or its
# error lines.
. "$KABAR_SRCDIR/tests/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "1..0 # SKIP sqlite3 is not installed"
	exit 0
fi

# A real cache first (the schema), then hostile rows written by sqlite3.
printf 'Title: Feri tiba di Makassar\nSource: Harian Selat\n\nKapal feri tiba di Makassar pagi ini, kata Rina Hapsari.\n' >"$tmp/a.txt"
run import "$tmp/a.txt"
is_rc 0 "a first article imports"
esc=$(printf '\033')
bel=$(printf '\007')
osc="${esc}]52;c;aGFja2Vk${bel}"
csi="${esc}[2J${esc}[H"
title_set="${esc}]0;owned${bel}"
c1=$(printf '\302\233')31m         # U+009B, CSI in 8 bits
rlo=$(printf '\342\200\256')        # U+202E RIGHT-TO-LEFT OVERRIDE
lri=$(printf '\342\201\246')        # U+2066 LEFT-TO-RIGHT ISOLATE
del=$(printf '\177')
bad="A${osc}B${csi}C${title_set}D${c1}E${rlo}F${lri}G${del}H"
sqlite3 "$KABAR_DB" "UPDATE article SET title = '$bad', source = '$bad', origin = '$bad',
	body = 'Kapal $bad tiba.' || char(10) || 'Baris $bad kedua', url = '$bad', published = '2024-11-29$bad';
	UPDATE byline SET name = '$bad';
	UPDATE entity SET name = '$bad';
	INSERT INTO article_fts(article_fts) VALUES ('rebuild');"

# has_control FILE : true when FILE holds ESC, BEL, DEL, C1 or a bidi control
has_control() {
	LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" ||
		LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" ||
		LC_ALL=C grep -q "$(printf '\342\200[\252-\256]')" "$1" ||
		LC_ALL=C grep -q "$(printf '\342\201[\246-\251]')" "$1"
}

id=$(kb list --format json | jq -r '.[0].id')
for cmd in "list" "list --format tsv" "show $id" "entities" "entities --format tsv" \
	"entities --article $id" "search Kapal" "search Kapal --format tsv" \
	"related $id" "related $id --format tsv" "events" "events --format tsv"; do
	# shellcheck disable=SC2086
	kb $cmd >"$tmp/out" 2>"$tmp/err"
	if has_control "$tmp/out" || has_control "$tmp/err"; then
		fail "kabar $cmd writes no terminal control" "$(od -c "$tmp/out" | head -n 12)"
	else
		pass "kabar $cmd writes no terminal control"
	fi
done
kb show "$id" >"$tmp/show"
like "$(cat "$tmp/show")" 'Kapal A.*B.*C.*D.*E.*F.*G.*H tiba' "the text around the controls is kept"
like "$(cat "$tmp/show")" '�' "a removed control leaves a visible mark"
is "$(grep -c 'Baris' "$tmp/show")" 1 "the body keeps its own line breaks"
kb list --format json >"$tmp/json"
is "$(jq -r '.[0].title' "$tmp/json")" "$bad" "JSON still carries the stored text, escaped"

# Feeds and file names that hold controls
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Pesisir%s</title><item><title>Judul%s</title><link>http://x.example/1</link><description>Isi%s.</description></item></channel></rss>' \
	"$osc" "$csi" "$rlo" >"$tmp/feed.rss"
export KABAR_DB=$tmp/feed.db
kb import "$tmp/feed.rss" >"$tmp/out" 2>"$tmp/err"
kb list >>"$tmp/out" 2>>"$tmp/err"
kb show 1 >>"$tmp/out" 2>>"$tmp/err"
if has_control "$tmp/out" || has_control "$tmp/err"; then
	fail "a feed's controls never reach the terminal" "$(od -c "$tmp/out" | head -n 12)"
else
	pass "a feed's controls never reach the terminal"
fi
name="$tmp/bad${csi}name${rlo}.txt"
: >"$name"
kb import "$name" >"$tmp/out" 2>"$tmp/err"
like "$(cat "$tmp/err")" 'bad.*name.*\.txt: empty file' "an error names the file"
if has_control "$tmp/err"; then
	fail "a file name's controls never reach the terminal" "$(od -c "$tmp/err" | head -n 8)"
else
	pass "a file name's controls never reach the terminal"
fi

# Subscriptions another program wrote, and what a server says: `feed
# list` (text and TSV), `feed add` and `update` write none of it either
export KABAR_DB=$tmp/feeds.db
kb feed add "http://127.0.0.1:9/x.rss" >/dev/null 2>&1
sqlite3 "$KABAR_DB" "UPDATE feed SET title = '$bad', last_status = 'HTTP 500 $bad',
	tags = json_array('$bad'), next_due = '2024-11-29$bad', last_fetch = '$bad'"
for cmd in "feed list" "feed list --format tsv"; do
	# shellcheck disable=SC2086
	kb $cmd >"$tmp/out" 2>"$tmp/err"
	if has_control "$tmp/out" || has_control "$tmp/err"; then
		fail "kabar $cmd writes no terminal control" "$(od -c "$tmp/out" | head -n 12)"
	else
		pass "kabar $cmd writes no terminal control"
	fi
done
like "$(kb feed list)" 'A.*B.*C.*D.*E.*F.*G.*H' "feed list keeps the text around the controls"
c1url="http://127.0.0.1:9/a$(printf '\302\233')31m$rlo.rss"
kb feed add "$c1url" >"$tmp/out" 2>"$tmp/err"
if has_control "$tmp/out" || has_control "$tmp/err"; then
	fail "feed add echoes no control of the URL" "$(od -c "$tmp/out" | head -n 8)"
else
	pass "feed add echoes no control of the URL"
fi

mkdir -p "$tmp/www"
if http_server "$tmp/www"; then
	printf '<?xml version="1.0"?><rss version="2.0"><channel><title>Pesisir%s</title><item><title>Judul%s</title><link>%s/gone%s</link><description>Isi%s.</description></item></channel></rss>' \
		"$osc" "$csi$c1" "$base" "$rlo" "$title_set" >"$tmp/www/bad.rss"
	export KABAR_DB=$tmp/update.db
	kb feed add "$base/bad.rss" >/dev/null 2>&1
	kb feed add "$base/missing$rlo$(printf '\302\233')2J.rss" >/dev/null 2>&1
	kb update >"$tmp/out" 2>"$tmp/err"
	kb feed list >>"$tmp/out" 2>>"$tmp/err"
	kb update --format text >>"$tmp/out" 2>>"$tmp/err"
	like "$(cat "$tmp/err")" 'missing.*HTTP 404' "update reports the missing feed"
	if has_control "$tmp/out" || has_control "$tmp/err"; then
		fail "update and feed list write no control a feed or its server sent" \
			"$(od -c "$tmp/err" | head -n 12)"
	else
		pass "update and feed list write no control a feed or its server sent"
	fi
else
	skip "$http_error"
fi

done_testing
