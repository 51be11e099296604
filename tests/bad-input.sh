#!/bin/sh
# bad-input.sh - bad input (SPEC "Import", "Exit status"): each bad file is
# reported by one stderr line naming it and the reason, and skipped; the
# rest still imports; the exit status is 1; nothing already stored changes.
. "$KABAR_SRCDIR/tests/lib.sh"

sample=$KABAR_SRCDIR/assets/sample
d=$tmp/in
mkdir -p "$d"

# ---- a cache with two good articles -------------------------------------------

cp "$sample/01-belitung-summit-id.txt" "$d/good1.txt"
cp "$sample/09-arafura-patrols-en.txt" "$d/good2.txt"
run import "$d/good1.txt" "$d/good2.txt"
is_rc 0 "import of two good files exits 0"
like "$(cat "$err")" '(^|[^0-9])2 imported' "import of two good files says 2 imported"
kb list --format json >"$tmp/list-before.json" 2>/dev/null
old_ids=$(jq -r '.[].id' "$tmp/list-before.json")
is "$(printf '%s\n' $old_ids | grep -c .)" 2 "two articles are stored"
# snapshot ID : what the article itself stores.  Entity names and counts
# are left out: a good article imported later may rightly add a spelling
# that becomes an entity's canonical name.
snapshot() {
	kb show "$1" --format json 2>/dev/null | jq -S '{id, title, body, source, origin, url,
		published, published_inferred, bylines, imported,
		mentions: [.mentions[] | {text, type, start, end, in}]}'
}
for id in $old_ids; do
	snapshot "$id" >"$tmp/show-before-$id.json"
done

# old_unchanged DESC : the two first articles are exactly as they were
old_unchanged() {
	o_bad=
	for id in $old_ids; do
		snapshot "$id" >"$tmp/show-now.json"
		cmp -s "$tmp/show-before-$id.json" "$tmp/show-now.json" || o_bad="$o_bad show $id differs;"
	done
	kb list --format json >"$tmp/list-now.json" 2>/dev/null
	o_now=$(jq -c --argjson old "$(jq -c '[.[].id]' "$tmp/list-before.json")" \
		'[.[] | select(.id as $i | any($old[]; . == $i))]' "$tmp/list-now.json")
	[ "$o_now" = "$(jq -c . "$tmp/list-before.json")" ] || o_bad="$o_bad list items differ"
	if [ -z "$o_bad" ]; then
		pass "$1"
	else
		fail "$1" "$o_bad"
	fi
}

# ---- one import with a good file and many bad ones ----------------------------

cp "$sample/16-darwin-port-deal-en.txt" "$d/new.txt"
: >"$d/empty.txt"
printf 'PK\003\004\024\000\000\000binary\000\001\002data\000\n' >"$d/binary.bin"
# High bytes that make no UTF-8, far more than 15% of the file.
g='\377\376\375\374\373\372\371\370\367\366\365\364\363\362\361\360\357\356\355\354\353\352\351\350\347\346\345\344\343\342\341\340\237\236\235\234\233\232\231\230\227\226\225\224\223\222\221\220'
printf "Judul yang rusak\n\n$g $g\n$g $g\n" >"$d/garbage.txt"
yes 'Baris teks biasa yang diulang sampai berkas ini terlalu besar.' | head -c 9437184 >"$d/big.txt"
printf '<!DOCTYPE html>\n<html><head><title>Beranda</title></head>\n<body><nav><a href="/a">Nasional</a> <a href="/b">Ekonomi</a> <a href="/c">Olahraga</a></nav><footer>&copy; 2024 Harian Selat</footer></body></html>\n' >"$d/page.html"

# path|reason (an ERE, matched case-insensitively)
set -- \
	"$d/missing.txt|no such file" \
	"$d/empty.txt|empty" \
	"$d/binary.bin|binary" \
	"$d/garbage.txt|UTF-8" \
	"$d/big.txt|too large" \
	"$d/page.html|no article text"
unreadable=
if [ "$(id -u)" -ne 0 ]; then
	unreadable=$d/unreadable.txt
	cp "$sample/05-ferry-fire-rescue-en.txt" "$unreadable"
	chmod 000 "$unreadable"
	set -- "$@" "$unreadable|permission|unreadable|cannot read|not readable"
fi
nbad=$#

run import "$d/new.txt" "$d/missing.txt" "$d/empty.txt" "$d/binary.bin" \
	"$d/garbage.txt" "$d/big.txt" "$d/page.html" ${unreadable:+"$unreadable"}
is_rc 1 "import with bad inputs exits 1"
is "$(grep -c '^kabar: ' "$err")" "$nbad" "stderr has one 'kabar: ' line per bad input ($nbad)"
[ "$(grep -c '^kabar: ' "$err")" = "$nbad" ] || diag "stderr:" "$(head -n 20 "$err")"
for c in "$@"; do
	p=${c%%|*}
	why=${c#*|}
	n=$(grep -cF -- "$p" "$err")
	if [ "$n" = 1 ] && grep -F -- "$p" "$err" | grep -Eqi -- "$why"; then
		pass "$(basename "$p"): one stderr line naming it and the reason ($why)"
	else
		fail "$(basename "$p"): one stderr line naming it and the reason ($why)" \
			"$n lines name it; stderr:" "$(head -n 20 "$err")"
	fi
done
[ -n "$unreadable" ] || skip "unreadable file: running as root, which can read a mode 000 file"
check "the good file is not named on stderr" sh -c '! grep -qF -- "$1" "$2"' sh "$d/new.txt" "$err"
like "$(cat "$err")" '(^|[^0-9])1 imported' "the good new file is imported (summary says 1 imported)"
old_unchanged "the articles stored before are byte-identical (show and list JSON)"
kb list --format json >"$tmp/list-after.json" 2>/dev/null
is "$(jq length "$tmp/list-after.json")" 3 "article count is the old count + 1"
check "the new article is listed with its path as origin" \
	jq -e --arg o "$d/new.txt" 'any(.[]; .origin == $o)' "$tmp/list-after.json"

# ---- a stored file that turns bad is skipped; its article stays -----------

printf 'Forum Maritim\000\001\002\003 rusak\n' >"$d/good1.txt"
run import "$d/good1.txt"
is_rc 1 "re-import of a stored file that became binary exits 1"
is "$(grep -c '^kabar: ' "$err")" 1 "re-import of a stored file that became binary: one 'kabar: ' line on stderr"
: >"$d/good2.txt"
run import "$d/good2.txt"
is_rc 1 "re-import of a stored file that became empty exits 1"
old_unchanged "the stored articles of files that became bad are unchanged"
is "$(kb list --format json | jq length)" 3 "article count unchanged after the bad re-imports"

# ---- repairable text -------------------------------------------------------------

# UTF-8 (curly quotes, é) with two stray invalid bytes: repaired, imported.
printf 'Berita dengan byte nyasar\n\nMenteri \342\200\234Siti\342\200\235 berkata kafe caf\303\251 itu ramai\377 sekali. Kalimat kedua\376 tetap utuh sampai akhir.\n' >"$d/stray.txt"
run import "$d/stray.txt"
is_rc 0 "UTF-8 text with a few stray invalid bytes imports (exit 0)"
like "$(cat "$err")" '(^|[^0-9])1 imported' "UTF-8 text with stray bytes: 1 imported"
id=$(kb list --format json | jq -r --arg o "$d/stray.txt" '.[] | select(.origin == $o) | .id')
run show "$id" --format json
check "stray bytes: title and the valid text around them are kept" \
	jq -e '.title == "Berita dengan byte nyasar" and (.body | contains("Menteri “Siti” berkata kafe café itu ramai") and contains("tetap utuh sampai akhir."))' "$out"

# Windows-1252: é è û as single bytes in mostly-ASCII text.
printf 'Kafe Prancis Dibuka di Makassar\n\nSebuah kafe bernama Le Caf\351 Ros\351 resmi dibuka di Makassar pada Sabtu. Pemiliknya, Andr\351 Moreau, mengatakan cr\350me br\373l\351e menjadi menu andalan.\n' >"$d/cp1252.txt"
run import "$d/cp1252.txt"
is_rc 0 "a Windows-1252 file imports (exit 0)"
id=$(kb list --format json | jq -r --arg o "$d/cp1252.txt" '.[] | select(.origin == $o) | .id')
run show "$id"
check "Windows-1252: show prints é, è, û correctly" \
	sh -c 'grep -qF "Le Café Rosé" "$1" && grep -qF "André Moreau" "$1" && grep -qF "crème brûlée" "$1"' sh "$out"
run show "$id" --format json
check "Windows-1252: the stored body has é, è, û correctly (show --format json)" \
	jq -e '.body | contains("Le Café Rosé") and contains("André Moreau") and contains("crème brûlée")' "$out"

# Windows-1252 with a single accented letter: still an é, not U+FFFD.
printf 'Kafe Baru di Makassar\n\nPemiliknya, Andr\351 Moreau, membuka kafe itu pada Sabtu pagi.\n' >"$d/cp1252-one.txt"
run import "$d/cp1252-one.txt"
is_rc 0 "a Windows-1252 file with one é imports (exit 0)"
id=$(kb list --format json | jq -r --arg o "$d/cp1252-one.txt" '.[] | select(.origin == $o) | .id')
run show "$id" --format json
check "Windows-1252 with one é: the body has André, not a replacement character" \
	jq -e '.body | contains("André Moreau")' "$out"

# ---- directories: recursive, hidden files skipped ---------------------------

mkdir -p "$tmp/tree/sub/deeper"
cp "$sample/10-tokyo-ferry-code-en.txt" "$tmp/tree/top.txt"
cp "$sample/11-tokyo-workshop-id.txt" "$tmp/tree/sub/mid.txt"
cp "$sample/12-singapore-hearing-en.txt" "$tmp/tree/sub/deeper/low.txt"
cp "$sample/13-singapore-claim-id.txt" "$tmp/tree/.hidden.txt"
run --db "$tmp/tree.db" import "$tmp/tree"
is_rc 0 "import of a directory tree exits 0"
like "$(cat "$err")" '(^|[^0-9])3 imported' "directory tree: 3 imported"
got=$(kb --db "$tmp/tree.db" list --format json | jq -r '.[].origin' | sort)
want=$(printf '%s\n' "$tmp/tree/sub/deeper/low.txt" "$tmp/tree/sub/mid.txt" "$tmp/tree/top.txt" | sort)
is "$got" "$want" "directory tree: nested files imported, .hidden.txt skipped"

# ---- a cache that is not a SQLite database -----------------------------------

printf 'This is a text file, not a kabar cache.\n' >"$tmp/notdb.txt"
cp "$tmp/notdb.txt" "$tmp/notdb.orig"
run --db "$tmp/notdb.txt" list
check "--db on a text file: list exits non-zero" test "$rc" -ne 0
err_lines 1 "--db on a text file: list writes one line on stderr"
check "--db on a text file: the error names the path" grep -qF -- "$tmp/notdb.txt" "$err"
run --db "$tmp/notdb.txt" import "$sample/05-ferry-fire-rescue-en.txt"
check "--db on a text file: import exits non-zero" test "$rc" -ne 0
err_lines 1 "--db on a text file: import writes one line on stderr"
check "--db on a text file: the import error names the path" grep -qF -- "$tmp/notdb.txt" "$err"
check "--db on a text file: the file is left untouched" cmp "$tmp/notdb.txt" "$tmp/notdb.orig"

done_testing
