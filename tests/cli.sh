#!/bin/sh
# cli.sh - kabar's command line (SPEC "Command line" and "Import") over the
# bundled sample corpus, assets/sample (described in doc/sample-corpus.md).
. "$KABAR_SRCDIR/tests/lib.sh"

sample=$KABAR_SRCDIR/assets/sample
list0=$tmp/list0.json

# jq over the first listing: the id / item of the article imported from
# sample file NAME
id_of() {
	jq -r --arg o "$sample/$1" '.[] | select(.origin == $o) | .id' "$list0"
}

# ---- import the corpus ----------------------------------------------------

run import "$sample"
is_rc 0 "import of the sample directory exits 0"
like "$(cat "$err")" '(^|[^0-9])24 imported' "import summary on stderr says 24 imported"

kb list --format json >"$list0" 2>"$err"
check "list --format json is one valid JSON array" jq -e 'type == "array"' "$list0"
is "$(jq length "$list0")" 24 "list --format json has 24 articles"
check "every list item has id, title, source, origin, published (string or null), published_inferred (boolean)" \
	jq -e 'all(.[]; (.id | type) == "number" and (.title | type) == "string"
		and has("source") and (.origin | type) == "string"
		and (.published == null or (.published | type) == "string")
		and (.published_inferred | type) == "boolean")' "$list0"

want=$(for f in "$sample"/*.txt; do printf '%s\n' "$f"; done | sort)
got=$(jq -r '.[].origin' "$list0" | sort)
is "$got" "$want" "origin of each article is the path of its file, as given"

# Titles: the Title: header when the file has a header block, else the
# first line (every header-less sample starts with its headline).
bad=
for f in "$sample"/*.txt; do
	t=$(sed -n '1,/^$/s/^Title: //p' "$f")
	[ -n "$t" ] || t=$(head -n 1 "$f")
	g=$(jq -r --arg o "$f" '.[] | select(.origin == $o) | .title' "$list0")
	[ "$g" = "$t" ] || bad="$bad
$(basename "$f"): got '$g', expected '$t'"
done
if [ -z "$bad" ]; then
	pass "each title is the file's Title: header, else its first line"
else
	fail "each title is the file's Title: header, else its first line" "$bad"
fi

# Published: files with a header block carry Date: (SPEC: RFC 822-style
# header).  published must be that ISO date (possibly with its time).
bad=
for f in "$sample"/*.txt; do
	d=$(sed -n '1,/^$/s/^Date: //p' "$f")
	[ -n "$d" ] || continue
	g=$(jq -r --arg o "$f" '.[] | select(.origin == $o) | "\(.published) \(.published_inferred)"' "$list0")
	case $g in
	"$(printf '%.10s' "$d")"*" false") ;;
	*) bad="$bad
$(basename "$f"): got '$g', Date: header is '$d'" ;;
	esac
done
if [ -z "$bad" ]; then
	pass "published comes from the Date: header (not inferred)"
else
	fail "published comes from the Date: header (not inferred)" "$bad"
fi

# ---- ordering ---------------------------------------------------------------

check "list: articles with a published date come before undated ones" \
	jq -e 'map(.published != null) | . == (sort | reverse)' "$list0"
check "list: dated articles are newest first" \
	jq -e '[.[] | select(.published != null) | .published[0:10]] | . == (sort | reverse)' "$list0"
check "list: undated articles are in import (id ascending) order" \
	jq -e '[.[] | select(.published == null) | .id] | . == sort' "$list0"

# ---- list formats -------------------------------------------------------------

run list --format tsv
is_rc 0 "list --format tsv exits 0"
is "$(nlines "$out")" 25 "list --format tsv prints a header line and 24 rows"
is "$(awk -F '\t' 'NF != 6' "$out" | wc -l | tr -d ' ')" 0 "every tsv line has 6 tab-separated fields"
like "$(head -n 1 "$out" | tr '\t' '\n')" '^id$' "the tsv header line names the id column"

run list
is_rc 0 "list (text) exits 0"
is "$(nlines "$out")" 24 "list (text) prints 24 lines"

# ---- list --date -----------------------------------------------------------

for d in 2023-09 2024-02 2023 2024-02-20; do
	want=$(jq -c --arg d "$d" '[.[] | select((.published // "") | startswith($d)) | .id]' "$list0")
	run list --date "$d" --format json
	got=$(jq -c '[.[].id]' "$out")
	if [ "$want" = "[]" ]; then
		fail "list --date $d: test data has articles in $d" "no article of the full list is in $d"
	else
		is "$got" "$want" "list --date $d returns exactly the articles published in $d"
	fi
done

run list --date 2024-1
is_rc 2 "list --date 2024-1 (malformed) exits 2"
err_lines 1 "list --date 2024-1 writes one line on stderr"
like "$(cat "$err")" '2024-1' "the --date error names the bad value"

# ---- show -------------------------------------------------------------------

f05=05-ferry-fire-rescue-en.txt
id05=$(id_of $f05)
title05='Six dead, nine missing after ferry fire in Makassar Strait'
para05='Indonesian rescuers on Thursday widened the search for nine people still missing after a passenger ferry caught fire in the Makassar Strait, killing at least six.'

run show "$id05"
is_rc 0 "show ID exits 0"
check "show ID (text) prints the title" grep -qF -- "$title05" "$out"
check "show ID (text) prints the body" grep -qF -- "Indonesian rescuers" "$out"

run show "$id05" --format json
is_rc 0 "show ID --format json exits 0"
check "show --format json has body (string), entities (array), mentions (array)" \
	jq -e '(.body | type) == "string" and (.entities | type) == "array" and (.mentions | type) == "array"' "$out"
got=$(jq -S -c '{id, title, source, origin, published, published_inferred}' "$out")
want=$(jq -S -c --argjson id "$id05" '.[] | select(.id == $id)' "$list0")
is "$got" "$want" "show --format json carries the same list fields as list"
check "show --format json: title, source, published from the header" \
	jq -e --arg t "$title05" '.title == $t and .source == "Pacific Wire" and (.published | startswith("2023-09-14"))' "$out"
check "show --format json: body holds the article text" \
	jq -e --arg p "$para05" '.body | contains($p)' "$out"
check "show --format json: the header block is not part of the body" \
	jq -e '.body | (contains("Source: Pacific Wire") or contains("URL: https://example.org")) | not' "$out"

run show 99999
is_rc 1 "show 99999 (no such article) exits 1"
err_lines 1 "show 99999 writes one line on stderr"
like "$(cat "$err")" '99999' "the show error names the id"

run show abc
is_rc 2 "show abc (not an id) exits 2"
err_lines 1 "show abc writes one line on stderr"

# ---- search ----------------------------------------------------------------

# "Arafura" is in the title of 08 (and of 09).
id08=$(id_of 08-arafura-fishing-id.txt)
run search Arafura --format json
is_rc 0 "search Arafura --format json exits 0"
check "search --format json is an array of items with id, title and snippet" \
	jq -e 'type == "array" and length > 0 and all(.[]; has("id") and has("title") and has("snippet"))' "$out"
check "search Arafura finds 08 (Arafura is in its title)" \
	jq -e --argjson id "$id08" 'any(.[]; .id == $id)' "$out"
run search Arafura
check "search (text) shows the title of 08" grep -qF 'LSM Ungkap Maraknya Penangkapan Ikan Ilegal di Laut Arafura' "$out"

# --limit keeps the best matches, in the same order
run search Siti --format json
all_ids=$(jq -c '[.[].id]' "$out")
run search Siti --limit 2 --format json
is "$(jq -c '[.[].id]' "$out")" "$(printf '%s' "$all_ids" | jq -c '.[:2]')" \
	"search --limit 2 prints the first two of the full result"
check "search Siti has more than two matches" jq -e --argjson a "$all_ids" '$a | length > 2' "$out"
run search Siti --limit 0
is_rc 2 "search --limit 0 is a usage error"
run list --limit 3
is_rc 2 "list has no --limit"
check "the error names the option, not its value" grep -qF "unknown option '--limit'" "$err"

run search '"Min-jun" AND (' --format json
is_rc 0 "search with FTS syntax characters (\"Min-jun\" AND () exits 0"
check "search with FTS syntax characters prints valid JSON" jq -e 'type == "array"' "$out"

bad=
for q in 'Park*' 'title:Arafura' 'NEAR(Siti' 'Makassar -Balikpapan' '"unterminated' '^Siti' 'a OR' 'Siti)' "Min-jun's"; do
	run search "$q" --format json
	if [ "$rc" != 0 ] || ! jq -e 'type == "array"' "$out" >/dev/null 2>&1; then
		bad="$bad
query '$q': exit $rc, stderr: $(cat "$err")"
	fi
done
if [ -z "$bad" ]; then
	pass "search accepts other queries with FTS operators and quotes as plain words"
else
	fail "search accepts other queries with FTS operators and quotes as plain words" "$bad"
fi

# A query that starts with '-' reads as an option: a usage error that must
# name the argument.
run search -Makassar
is_rc 2 "search -Makassar (reads as an option) exits 2"
err_lines 1 "search -Makassar writes one line on stderr"
like "$(cat "$err")" "'-M" "the search -Makassar error names the argument it rejects"

run search ''
is_rc 2 "search '' (empty query) exits 2"
err_lines 1 "search '' writes one line on stderr"

# ---- re-import ---------------------------------------------------------------

run import "$sample"
is_rc 0 "second import of the same directory exits 0"
like "$(cat "$err")" '(^|[^0-9])0 imported' "second import: 0 imported"
like "$(cat "$err")" '(^|[^0-9])0 updated' "second import: 0 updated"
like "$(cat "$err")" '(^|[^0-9])24 unchanged' "second import: 24 unchanged"
kb list --format json >"$tmp/list1.json" 2>/dev/null
check "list --format json is byte-identical after the second import" cmp "$list0" "$tmp/list1.json"

# ---- a changed file updates its article ------------------------------------

db=$tmp/changed.db
mkdir -p "$tmp/chg"
cp "$sample/$f05" "$tmp/chg/article.txt"
run --db "$db" import "$tmp/chg/article.txt"
like "$(cat "$err")" '(^|[^0-9])1 imported' "changed file: first import says 1 imported"
kb --db "$db" list --format json >"$tmp/chg1.json" 2>/dev/null
sed 's/^Title: .*/Title: Ferry fire toll rises to eight in Makassar Strait/' \
	"$tmp/chg/article.txt" >"$tmp/chg/new" && mv "$tmp/chg/new" "$tmp/chg/article.txt"
run --db "$db" import "$tmp/chg/article.txt"
is_rc 0 "changed file: second import exits 0"
like "$(cat "$err")" '(^|[^0-9])1 updated' "changed file: second import says 1 updated"
like "$(cat "$err")" '(^|[^0-9])0 imported' "changed file: second import says 0 imported"
kb --db "$db" list --format json >"$tmp/chg2.json" 2>/dev/null
is "$(jq length "$tmp/chg2.json")" "$(jq length "$tmp/chg1.json")" "changed file: article count unchanged"
is "$(jq '.[0].id' "$tmp/chg2.json")" "$(jq '.[0].id' "$tmp/chg1.json")" "changed file: same article id"
is "$(jq -r '.[0].title' "$tmp/chg2.json")" "Ferry fire toll rises to eight in Makassar Strait" "changed file: new title"

# ---- relative path: origin as given -------------------------------------------

(cd "$KABAR_SRCDIR" && kb --db "$tmp/rel.db" import "assets/sample/$f05") >/dev/null 2>&1
is "$(kb --db "$tmp/rel.db" list --format json | jq -r '.[0].origin')" "assets/sample/$f05" \
	"origin keeps a relative path as given"

# ---- standard input and overrides --------------------------------------------

db=$tmp/stdin.db
run --db "$db" import - <"$sample/09-arafura-patrols-en.txt"
is_rc 0 "import - (standard input) exits 0"
like "$(cat "$err")" '(^|[^0-9])1 imported' "import - says 1 imported"
kb --db "$db" list --format json >"$tmp/stdin.json" 2>/dev/null
check "import -: the article is listed with its title and origin \"-\"" \
	jq -e 'length == 1 and .[0].origin == "-" and .[0].title == "Indonesia, Australia weigh joint Arafura patrols after NGO report"' \
	"$tmp/stdin.json"

db=$tmp/override.db
run --db "$db" import --source "Test Wire" --published 2024-02-03 - <"$sample/$f05"
is_rc 0 "import --source --published - exits 0"
run --db "$db" show "$(kb --db "$db" list --format json | jq '.[0].id')" --format json
check "--source and --published override the file's Source: and Date: (stdin)" \
	jq -e '.source == "Test Wire" and (.published | startswith("2024-02-03"))' "$out"

run --db "$db" import --source "Other Desk" --published 2024-02-03 "$sample/12-singapore-hearing-en.txt"
is_rc 0 "import --source --published FILE exits 0"
kb --db "$db" list --format json >"$tmp/ovr.json" 2>/dev/null
check "--source and --published override the file's Source: and Date: (file)" \
	jq -e '.[] | select(.origin | endswith("/12-singapore-hearing-en.txt")) | .source == "Other Desk" and (.published | startswith("2024-02-03"))' \
	"$tmp/ovr.json"

run --db "$db" import --published nonsense "$sample/16-darwin-port-deal-en.txt"
is_rc 2 "import --published nonsense exits 2"
err_lines 1 "import --published nonsense writes one line on stderr"
is "$(kb --db "$db" list --format json | jq length)" 2 "import --published nonsense imports nothing"

# ---- database location ----------------------------------------------------------

f=$sample/09-arafura-patrols-en.txt
mkdir -p "$tmp/loc/home"
(KABAR_DB=$tmp/loc/env.db; export KABAR_DB; kb import "$f") >/dev/null 2>&1
check "without --db, the cache is \$KABAR_DB" test -s "$tmp/loc/env.db"
is "$(KABAR_DB=$tmp/loc/env.db kb list --format json | jq length)" 1 "list without --db reads \$KABAR_DB"
check "without --db, nothing is created under \$XDG_DATA_HOME when KABAR_DB is set" test ! -e "$XDG_DATA_HOME/kabar"

(KABAR_DB=$tmp/loc/env2.db; export KABAR_DB; kb --db "$tmp/loc/flag.db" import "$f") >/dev/null 2>&1
check "--db wins over \$KABAR_DB" sh -c 'test -s "$1" && test ! -e "$2"' sh "$tmp/loc/flag.db" "$tmp/loc/env2.db"

(unset KABAR_DB; XDG_DATA_HOME=$tmp/loc/xdg; export XDG_DATA_HOME; kb import "$f") >/dev/null 2>&1
check "with KABAR_DB unset, \$XDG_DATA_HOME/kabar/kabar.db is created" test -s "$tmp/loc/xdg/kabar/kabar.db"
is "$(unset KABAR_DB; XDG_DATA_HOME=$tmp/loc/xdg; export XDG_DATA_HOME; kb list --format json | jq length)" 1 \
	"list with KABAR_DB unset reads \$XDG_DATA_HOME/kabar/kabar.db"

(unset KABAR_DB XDG_DATA_HOME; HOME=$tmp/loc/home; export HOME; kb import "$f") >/dev/null 2>&1
check "with KABAR_DB and XDG_DATA_HOME unset, \$HOME/.local/share/kabar/kabar.db is created" \
	test -s "$tmp/loc/home/.local/share/kabar/kabar.db"

# ---- version, help, usage errors ----------------------------------------------

run --version
is_rc 0 "--version exits 0"
like "$(cat "$out")" '^kabar [0-9]+\.[0-9]+' "--version prints 'kabar VERSION'"

run --help
is_rc 0 "--help exits 0"
check "--help prints something on stdout" test -s "$out"

bad=
for c in import list show search; do
	run "$c" --help
	[ "$rc" = 0 ] && [ -s "$out" ] || bad="$bad $c(exit $rc)"
done
is "$bad" "" "COMMAND --help exits 0 and prints help for import, list, show, search"

run frobnicate
is_rc 2 "unknown command exits 2"
err_lines 1 "unknown command writes one line on stderr"
like "$(cat "$err")" 'frobnicate' "the error names the unknown command"

run list --frobnicate
is_rc 2 "unknown option exits 2"
err_lines 1 "unknown option writes one line on stderr"
like "$(cat "$err")" '--frobnicate' "the error names the unknown option"

run --frobnicate list
is_rc 2 "unknown global option exits 2"
err_lines 1 "unknown global option writes one line on stderr"

run list --format xml
is_rc 2 "list --format xml exits 2"
err_lines 1 "list --format xml writes one line on stderr"
like "$(cat "$err")" 'xml' "the error names the bad format"

done_testing
