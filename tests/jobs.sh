#!/bin/sh
# jobs.sh - an import on four extraction workers stores exactly what one
# thread stores: the same ids, order, mentions, entities, events and search
# index, byte for byte; a bad document fails alone either way.
. "$KABAR_SRCDIR/tests/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	skip "sqlite3 is needed to compare the caches"
	done_testing
fi

# every kind of input: plain text, pages, feeds; a file that is not an
# article in the middle
corpus=$tmp/corpus
mkdir -p "$corpus"
cp -r "$KABAR_SRCDIR/assets/sample" "$corpus/sample"
cp -r "$KABAR_SRCDIR/tests/data/readers" "$corpus/readers"
cp -r "$KABAR_SRCDIR/tests/data/feeds" "$corpus/feeds"
head -c 3000 /dev/urandom >"$corpus/sample/12b-noise.txt"
if [ -d "$KABAR_SRCDIR/../shared/corpus/seeds" ]; then
	cp -r "$KABAR_SRCDIR/../shared/corpus/seeds" "$corpus/seeds"
fi

# the cache as text, without the times of the run
dump() {
	sqlite3 "$1" "UPDATE article SET imported_at = '', updated_at = '';" >/dev/null &&
		sqlite3 "$1" .dump
}

for j in 1 4; do
	KABAR_DB=$tmp/jobs$j.db run import --jobs $j "$corpus"
	cp "$err" "$tmp/jobs$j.err"
	echo "$rc" >"$tmp/jobs$j.rc"
done
is "$(cat "$tmp/jobs4.rc")" "$(cat "$tmp/jobs1.rc")" "the same exit status"
is "$(tail -n 1 "$tmp/jobs4.err" | sed 's/ (.*//')" "$(tail -n 1 "$tmp/jobs1.err" | sed 's/ (.*//')" \
	"the same summary"
is "$(grep -c '12b-noise.txt' "$tmp/jobs1.err")" 1 "the noise file failed, in one line"
is "$(grep -c '12b-noise.txt' "$tmp/jobs4.err")" 1 "and alone, with four workers too"
is "$(grep '^kabar: ' "$tmp/jobs4.err" | sort)" "$(grep '^kabar: ' "$tmp/jobs1.err" | sort)" \
	"the same error lines"
articles=$(sqlite3 "$tmp/jobs1.db" 'SELECT count(*) FROM article')
mentions=$(sqlite3 "$tmp/jobs1.db" 'SELECT count(*) FROM article_entity')
check "the corpus gave articles ($articles) and mentions ($mentions)" \
	test "$articles" -gt 30 -a "$mentions" -gt 300
dump "$tmp/jobs1.db" >"$tmp/jobs1.sql"
dump "$tmp/jobs4.db" >"$tmp/jobs4.sql"
check "the two caches are identical (sqlite3 .dump, run times aside)" \
	cmp -s "$tmp/jobs1.sql" "$tmp/jobs4.sql"

# again over the same caches: nothing new, and still the same
for j in 1 4; do
	KABAR_DB=$tmp/jobs$j.db run import --jobs $j "$corpus"
	cp "$err" "$tmp/again$j.err"
done
like "$(tail -n 1 "$tmp/again4.err")" '^0 imported, 0 updated' "a second import changes nothing"
dump "$tmp/jobs1.db" >"$tmp/jobs1.sql"
dump "$tmp/jobs4.db" >"$tmp/jobs4.sql"
check "and the caches stay identical" cmp -s "$tmp/jobs1.sql" "$tmp/jobs4.sql"

# --stages: what each stage cost, per document, and nothing else changes
for j in 1 4; do
	KABAR_DB=$tmp/stages$j.db run import --stages --jobs $j "$corpus"
	is "$(cat "$tmp/jobs$j.rc")" "$rc" "--stages --jobs $j: the same exit status"
	docs=$(sed -n 's/^stages, per document (\([0-9]*\) documents.*/\1/p' "$err")
	check "--jobs $j: it counts the documents it stored ($docs)" test "${docs:-0}" -ge "$articles"
	for stage in read extract store events; do
		like "$(grep "^  $stage " "$err")" "^  $stage +[0-9]+\.[0-9] us" "--jobs $j: the $stage stage's time"
	done
	# extraction is measured on the workers too (how the stages compare
	# depends on the machine: under valgrind reading costs the most)
	x=$(awk '$1 == "extract" { print $2 }' "$err")
	r=$(awk '$1 == "read" { print $2 }' "$err")
	check "--jobs $j: extraction ($x us) and reading ($r us) are both measured" \
		awk -v x="$x" -v r="$r" 'BEGIN { exit !(x > 0 && r > 0) }'
	like "$(grep '^the writer alone' "$err")" '^the writer alone: [0-9]+ documents/s$' \
		"--jobs $j: the writer's rate"
	is "$(grep -c '^projected with [1248] cores*: [0-9]* documents/s' "$err")" 4 \
		"--jobs $j: the rates for 1, 2, 4 and 8 cores"
	dump "$tmp/stages$j.db" >"$tmp/stages$j.sql"
	check "--jobs $j: the cache is the one made without --stages" \
		cmp -s "$tmp/stages$j.sql" "$tmp/jobs1.sql"
done

for bad in 0 -1 x 257; do
	run import --jobs "$bad" "$corpus"
	is_rc 2 "--jobs $bad is refused"
done

done_testing
