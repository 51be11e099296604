#!/bin/sh
# facts.sh - what extraction must get right on real scraped news (the
# seeds in ../shared/corpus/seeds, held out from every tuning decision)
# and on the bundled sample corpus.
. "$KABAR_SRCDIR/tests/lib.sh"

# ids IMPORT-ORIGIN-SUBSTRING... : article ids whose origin contains each
id_of() {
	kb list --format json | jq -r --arg f "$1" '.[] | select(.origin | contains($f)) | .id'
}

# person_articles NAME : the origins (basenames) of the articles of NAME
person_articles() {
	kb list --person "$1" --format json | jq -r '[.[] | .origin | split("/") | last] | sort | join(" ")'
}

# entity_of ID SURFACE : canonical name of the entity a mention resolves to
date_names() {
	kb entities --article "$1" --type date --format json | jq -r '[.[].name] | join(" ")'
}

# ---- the sample corpus ---------------------------------------------------
export KABAR_DB="$tmp/sample.db"
run import "$KABAR_SRCDIR/assets/sample"
is_rc 0 "sample: import"

# one_person FORM... : exactly one person entity carries all these forms
one_person() {
	kb entities --type person --format json | jq --args '[.[] | select(.aliases as $a |
		all($ARGS.positional[]; . as $f | $a | index($f)))] | length' "$@"
}
is "$(one_person 'Park Min-jun' 'Park Min Jun')" 1 "sample: Park Min-jun and Park Min Jun are one person"
is "$(one_person 'Nguyễn Văn Thành' 'Nguyen Van Thanh')" 1 \
	"sample: Nguyễn Văn Thành (written NFC in one file, NFD in another) and Nguyen Van Thanh are one person"
is "$(person_articles 'Evgeny Sorokin')" \
	"12-singapore-hearing-en.txt 13-singapore-claim-id.txt 14-arbitration-testimony-en.txt 15-arbitration-ruling-id.txt" \
	"sample: Yevgeny / Evgeny / Yevgeniy Sorokin is one person"
is "$(person_articles 'Hwang Seo-yeon')" "20-seoul-ferry-purchase-id.txt 24-makassar-new-ferry-id.txt" \
	"sample: Hwang Seo-yeon / Hwang Seoyeon is one person"
like "$(person_articles 'Siti Rachmawati')" "02-belitung.*07-ferry.*23-manila" \
	"sample: Siti Rachmawati is Siti Rahmawati"
kr=$(kb list --person 'Siti Rahmawati' --format json | jq length)
kh=$(kb list --person 'Siti Rachmawati' --format json | jq length)
is "$kr" "$kh" "sample: both spellings list the same articles"

ks=$(kb entities --type place --format json)
is "$(printf '%s' "$ks" | jq '[.[] | select(.aliases | index("Korea Selatan") and index("South Korea"))] | length')" 1 \
	"sample: Korea Selatan and South Korea are one place"
is "$(printf '%s' "$ks" | jq '[.[] | select(.aliases | index("Amerika Serikat") and index("AS"))] | length')" 1 \
	"sample: AS and Amerika Serikat are one place"

all=$(kb entities --format json | jq -r '.[] | .aliases[]')
for byline in "Grace Tan" "Galih Prasetyo" "Ratna Sembiring" "Fransiska Rumbewas" "Tom Harland" \
	"Lisa Moreau" "Irfan Maulana" "Nur Aisyah Putri"; do
	unlike "$all" "^$byline\$" "sample: the byline $byline is not an entity"
done

# ---- corrections survive re-imports -----------------------------------------
# The entities are taken from what extraction found, so that this checks
# the corrections and not the tagger.
export KABAR_DB="$tmp/alias.db"
cp "$KABAR_SRCDIR/assets/sample/16-darwin-port-deal-en.txt" "$KABAR_SRCDIR/assets/sample/18-dili-corridor-en.txt" "$tmp/"
run import "$tmp/16-darwin-port-deal-en.txt" "$tmp/18-dili-corridor-en.txt"
is_rc 0 "alias: import two articles"
kb entities --format json >"$tmp/e.json"
names() {
	kb entities --format json | jq -r '[.[].name] | sort | join("|")'
}
shared=$(jq -r '[.[] | select(.articles == 2 and .type != "date")][0].name' "$tmp/e.json")
single=$(jq -r --arg s "$shared" '[.[] | select(.articles == 1 and .type != "date" and .name != $s)][0].name' "$tmp/e.json")
other=$(jq -r --arg s "$shared" --arg t "$single" \
	'[.[] | select(.type != "date" and .name != $s and .name != $t)][0].name' "$tmp/e.json")
test -n "$shared" && test "$shared" != null && test "$single" != null && test "$other" != null
is $? 0 "alias: the two articles share an entity ('$shared'), and have others ('$single', '$other')"

run alias rename "$shared" "Renamed Entity"
is_rc 0 "alias rename exits 0"
like "$(names)" "(^|\|)Renamed Entity(\||$)" "alias rename: the entity has the new name"
unlike "$(names)" "(^|\|)$shared(\||$)" "alias rename: the old name is gone"
run alias ignore "$single"
is_rc 0 "alias ignore exits 0"
unlike "$(names)" "(^|\|)$single(\||$)" "alias ignore: the entity is gone"
is "$( (kb show 1 --format json; kb show 2 --format json) | jq -s --arg n "$single" \
	'[.[].mentions[] | select(.entity == $n)] | length')" 0 "alias ignore: its mentions are gone"
run alias merge "Renamed Entity" "$other"
is_rc 0 "alias merge exits 0"
unlike "$(names)" "(^|\|)$other(\||$)" "alias merge: the merged entity is gone"
run alias merge "Renamed Entity" "nobody at all"
is_rc 1 "alias merge with an unknown name exits 1"
like "$(cat "$err")" "nobody at all" "alias merge names the unknown name"
run alias frobnicate x
is_rc 2 "alias with an unknown operation exits 2"
before=$(kb entities --format json | jq -c '[.[] | select(.name == "Renamed Entity")][0] | {articles, aliases: (.aliases | sort)}')

# The articles change and are extracted again; the corrections hold.
for f in 16-darwin-port-deal-en.txt 18-dili-corridor-en.txt; do
	printf '\nThis paragraph was added later.\n' >>"$tmp/$f"
done
run import "$tmp/16-darwin-port-deal-en.txt" "$tmp/18-dili-corridor-en.txt"
like "$(cat "$err")" "2 updated" "alias: the changed articles are updated"
like "$(names)" "(^|\|)Renamed Entity(\||$)" "alias rename survives a re-import"
unlike "$(names)" "(^|\|)$single(\||$)" "alias ignore survives a re-import"
unlike "$(names)" "(^|\|)$other(\||$)" "alias merge survives a re-import"
after=$(kb entities --format json | jq -c '[.[] | select(.name == "Renamed Entity")][0] | {articles, aliases: (.aliases | sort)}')
is "$after" "$before" "alias: the corrected entity has the same articles and forms after the re-import"

# ---- the real seeds --------------------------------------------------------
seeds=${KABAR_SHARED:-$KABAR_SRCDIR/../shared}/corpus/seeds
if [ ! -d "$seeds" ]; then
	skip "seeds: $seeds not present"
	done_testing
fi
export KABAR_DB="$tmp/seeds.db"
run import "$seeds"
is_rc 0 "seeds: import"
a0=$(id_of 000_) a1=$(id_of 001_) a2=$(id_of 002_) a3=$(id_of 003_) a4=$(id_of 004_)

is "$(person_articles 'Kim Jong Un' | wc -w)" 5 "seeds: one Kim Jong Un across all five"
is "$(kb entities --type person --format json | jq '[.[] | select(.aliases | index("Kim Jong-un") or index("Kim Jong Un"))] | length')" 1 \
	"seeds: Kim Jong-un and Kim Jong Un are one entity"
kim=$(kb entities --type person --format json | jq '[.[] | select(.aliases | index("Kim Jong Un"))][0].id')
is "$(kb list --entity "$kim" --format json | jq length)" 5 "seeds: list --entity gives Kim Jong Un's five articles"
is "$(kb list --entity "$kim" --format json | jq -c '[.[].id]')" "$(kb list --format json | jq -c '[.[].id]')" \
	"seeds: list --entity keeps the newest-first order"
is "$(kb entities --type person --format json | jq '[.[] | select(.name == "Kim Jong Un" or .name == "Kim Jong-un")][0].articles')" 5 \
	"seeds: entities counts Kim Jong Un's articles"
like "$(person_articles 'Andrei Belousov')" "^000_[^ ]* 002_[^ ]*$" "seeds: Belousov and Beloussov merged across 000 and 002"
like "$(person_articles 'Sergey Lavrov')" "^001_[^ ]* 004_[^ ]*$" "seeds: Sergei and Sergey Lavrov across 001 and 004"
like "$(person_articles 'Choe Son Hui')" "^001_[^ ]* 004_[^ ]*$" "seeds: Choe Son Hui across 001 and 004"

like "$(date_names "$a0")" "(^| )2024-11-29( |$)" "seeds: 000 mentions 2024-11-29"
like "$(date_names "$a1")" "(^| )2022-02( |$)" "seeds: 001 mentions 2022-02"
like "$(date_names "$a3")" "(^| )2023-05-09( |$)" "seeds: 003 mentions 2023-05-09"
like "$(date_names "$a4")" "(^| )2023-09-13( |$)" "seeds: 004 mentions 2023-09-13"
is "$(kb show "$a0" --format json | jq -r '[.mentions[] | select(.text | test("Juni tahun ini")) | .entity] | first')" \
	"2024-06" "seeds: 'bulan Juni tahun ini' in 000 is 2024-06"
is "$(kb show "$a0" --format json | jq -r '.published_inferred')" true "seeds: 000's date is inferred"

is "$(kb related "$a0" --format json | jq -r '.[0].id')" "$a2" "seeds: related of 000 ranks 002 first"
is "$(kb related "$a1" --format json | jq -r '.[0].id')" "$a4" "seeds: related of 001 ranks 004 first"
is "$(kb related "$a0" --by person --format json | jq -r '.[0].id')" "$a2" "seeds: related --by person of 000 ranks 002 first"
is "$(kb related "$a0" --by event --format json | jq -c '[.[].id]')" "[$a2]" "seeds: related --by event of 000 is 002"
is "$(kb related "$a0" --by place --limit 1 --format json | jq length)" 1 "seeds: related --limit 1 gives one"
like "$(kb related "$a0" --format json | jq -r '.[0].shared | join("|")')" "Belous+ov" \
	"seeds: 000 and 002 share Andrei Belousov"

ev=$(kb events --format json)
is "$(printf '%s' "$ev" | jq --argjson a "$a0" --argjson b "$a2" \
	'[.[] | select((.articles | index($a)) and (.articles | index($b)))] | length')" 1 \
	"seeds: 000 and 002 are one event"
is "$(printf '%s' "$ev" | jq '[.[] | select(.articles | length >= 5)] | length')" 0 \
	"seeds: no event swallows the corpus"
like "$(printf '%s' "$ev" | jq -r --argjson a "$a0" '.[0].members[] | select(.id == $a) | .shared | join("|")')" \
	"Belous+ov" "seeds: events say why 000 is in it (it shares Andrei Belousov)"
is "$(printf '%s' "$ev" | jq length)" 1 \
	"seeds: that is the only event (the undated one sharing Lavrov names no day of the other)"

# Nothing from boilerplate or bylines: these occur in the seeds only in
# read-more lines, promos, credits and bylines.
all=$(kb entities --format json | jq -r '.[] | .aliases[]')
for junk in "Garudea Prabawati" "garudea prabawati" "Yunita Rahmayanti" "Pravitri Retno W" \
	"Effran Kurniawan" "TribunSolo.com" "WhatsApp" "Finlandia" "Belarusia" "Suriah" "HTS" \
	"Israel" "Gaza" "Sevastopol" "Storm Shadow" "Inggris" "Mikhail Metzel" "SMIRNOV"; do
	unlike "$all" "^$junk\$" "seeds: '$junk' (boilerplate or byline only) is no entity"
done

done_testing
