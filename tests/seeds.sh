#!/bin/sh
# seeds.sh - import of the five real scraped articles in
# ../shared/corpus/seeds (SPEC "Import": titles, boilerplate, bylines,
# repeated captions, re-import).  Skipped when the directory is absent.
. "$KABAR_SRCDIR/tests/lib.sh"

seeds=${KABAR_SHARED:-$KABAR_SRCDIR/../shared}/corpus/seeds
if [ ! -d "$seeds" ]; then
	echo "1..0 # SKIP ../shared/corpus/seeds not present"
	exit 0
fi

f000=000_9d9504feaea8b348.txt
f001=001_b6a996e676aab42a.txt
f002=002_3e33b4dae2937e58.txt
f003=003_9cd732c73819449d.txt
f004=004_48ff0266fbcf955e.txt
list0=$tmp/list0.json

# ---- import ------------------------------------------------------------

run import "$seeds"
is_rc 0 "import of the seeds directory exits 0"
like "$(cat "$err")" '(^|[^0-9])5 imported' "import summary says 5 imported"
kb list --format json >"$list0" 2>/dev/null
is "$(jq length "$list0")" 5 "5 articles are stored"

# id_of FILE : id of the article whose origin is the seed FILE
id_of() {
	jq -r --arg f "/$1" '.[] | select(.origin | endswith($f)) | .id' "$list0"
}

# show JSON and body of each seed, in $tmp/show-FILE.json, $tmp/body-FILE.txt
for f in $f000 $f001 $f002 $f003 $f004; do
	kb show "$(id_of "$f")" --format json >"$tmp/show-$f.json" 2>/dev/null
	jq -r '.body' "$tmp/show-$f.json" >"$tmp/body-$f.txt" 2>/dev/null
done

# ---- titles: the real headlines, read from the files -------------------------

# title_is FILE TITLE WHY
title_is() {
	is "$(jq -r .title "$tmp/show-$1.json")" "$2" "${1%%_*}: title is the headline$3"
}
title_is $f000 "Kim Jong-un Janji Korea Utara Akan Selalu Dukung Rusia dalam Perangnya Lawan Ukraina" ""
title_is $f001 "Kim Jong Un Tegaskan Dukungan untuk Perang Rusia di Ukraina" ""
title_is $f002 "Kim dari Korea Utara mengatakan Rusia memiliki hak untuk bela diri terhadap Ukraina" \
	" (without ' | Berita Perang Rusia-Ukraina')"
title_is $f003 "Kim Jong-un: Rusia Akan Menang Melawan Barat" " (hashtag line skipped, repeated title once)"
title_is $f004 "Kim Jong Un Puji 'Perang Suci' Rusia di Ukraina, Korea Utara Janji Beri Dukungan" \
	" (promo and 'Tribun' lines skipped)"

# ---- no boilerplate in any body ---------------------------------------------

# no_boiler STRING... : no body contains any STRING
no_boiler() {
	for s in "$@"; do
		hits=
		for f in $f000 $f001 $f002 $f003 $f004; do
			! grep -qF -- "$s" "$tmp/body-$f.txt" || hits="$hits ${f%%_*}"
		done
		is "$hits" "" "no body contains '$s'"
	done
}
no_boiler "Baca juga" "BACA JUGA" "MEMBACA" "Berita Terkait" "Berita Rekomendasi" \
	"Kirim Komentar" "Isi komentar" "loading..." "zoom-in" "Nikmati berita" \
	"Dapatkan Berita" "WhatsApp" "Ikuti kami" "©" "All Right Reserved" "#rusiaukraina" \
	"Note: The text" "Penulis:" "Editor:" "EDITOR" "(Tribunnews.com/" "POOL / AFP" "Sumber:"

hits=
for f in $f000 $f001 $f002 $f003 $f004; do
	! grep -qxE '[[:space:]]*(Komentar|Atas|Tribun|Tribunnews)[[:space:]]*' "$tmp/body-$f.txt" ||
		hits="$hits ${f%%_*}: $(grep -xE '[[:space:]]*(Komentar|Atas|Tribun|Tribunnews)[[:space:]]*' "$tmp/body-$f.txt" | tr '\n' ' ')"
done
is "$hits" "" "no body line is just 'Komentar', 'Atas', 'Tribun' or 'Tribunnews'"

# ---- metadata: source, bylines, photo credits -------------------------------------

s000=$tmp/show-$f000.json
s003=$tmp/show-$f003.json
s004=$tmp/show-$f004.json
is "$(jq -r .source "$s000")" "Tribunnews.com" "000: source is Tribunnews.com"
check "000: author byline Garudea Prabawati" \
	jq -e 'any(.bylines[]?; .role == "author" and .name == "Garudea Prabawati")' "$s000"
is "$(jq -r .source "$s003")" "Lampost.co" "003: source is Lampost.co"
check "003: editor byline Effran Kurniawan" \
	jq -e 'any(.bylines[]?; .role == "editor" and .name == "Effran Kurniawan")' "$s003"
is "$(jq -r .source "$s004")" "Tribunnews.com" "004: source is Tribunnews.com"
check "004: author byline Yunita Rahmayanti" \
	jq -e 'any(.bylines[]?; .role == "author" and .name == "Yunita Rahmayanti")' "$s004"
check "004: editor byline Pravitri Retno W" \
	jq -e 'any(.bylines[]?; .role == "editor" and .name == "Pravitri Retno W")' "$s004"
check "004: a photo credit containing 'POOL / AFP'" \
	jq -e 'any(.bylines[]?; (.role | test("photo|foto|credit"; "i")) and (.name | contains("POOL / AFP")))' "$s004"

# ---- repeated photo captions in 004 appear once ------------------------------------

# caption_once SENTENCE LABEL : SENTENCE is twice in the raw file, once in the body
caption_once() {
	raw=$(grep -cF -- "$1" "$seeds/$f004")
	n=$(jq --arg s "$1" '.body | indices($s) | length' "$s004")
	is "$raw:$n" "2:1" "004: caption '$2' (twice in the file) is once in the body (file:body counts)"
}
caption_once 'Dalam foto yang didistribusikan oleh agen Sputnik, Presiden Rusia Vladimir Putin (kiri tengah) berjabat tangan dengan pemimpin Korea Utara Kim Jong Un (kedua dari kanan) selama pertemuan mereka di Kosmodrom Vostochny di wilayah Amur pada 13 September 2023.' \
	"Putin (kiri tengah) berjabat tangan..."
caption_once 'Presiden Rusia Vladimir Putin (kanan) dan pemimpin Korea Utara Kim Jong Un (kiri) berjabat tangan selama pertemuan mereka di Kosmodrom Vostochny di wilayah Amur pada 13 September 2023' \
	"Putin (kanan) dan ... Kim Jong Un (kiri)..."
caption_once 'Dalam foto kumpulan yang didistribusikan oleh agen Sputnik, Presiden Rusia Vladimir Putin (tengah kiri) dan pemimpin Korea Utara Kim Jong Un (tengah kanan) mengunjungi Kosmodrom Vostochny di wilayah Amur pada 13 September 2023.' \
	"Putin (tengah kiri) ... mengunjungi..."

# ---- bodies keep their paragraphs and their text ---------------------------------

bad=
for f in $f000 $f001 $f002 $f003 $f004; do
	jq -e '.body | length > 0 and (split("\n\n") | all(test("\\S") and (startswith("\n") | not) and (endswith("\n") | not)))' \
		"$tmp/show-$f.json" >/dev/null 2>&1 || bad="$bad ${f%%_*}"
done
is "$bad" "" "no body is empty and no paragraph of any body is empty or blank"

bad=
for f in $f000 $f001 $f002 $f003 $f004; do
	jq -e '.title as $t | .body | split("\n\n") | all(. != $t)' "$tmp/show-$f.json" >/dev/null 2>&1 ||
		bad="$bad ${f%%_*}"
done
is "$bad" "" "no body paragraph repeats the headline"

# body_has FILE TEXT... : the body of FILE contains every TEXT
body_has() {
	bh_f=$1
	shift
	for s in "$@"; do
		check "${bh_f%%_*}: body keeps '$s'" grep -qF -- "$s" "$tmp/body-$bh_f.txt"
	done
}
body_has $f000 "Andrei Beloussov" "howitzer dan peluncur roket tambahan"
body_has $f001 "Sergei Lavrov" "wilayah Kursk Rusia yang hancur akibat perang"
body_has $f002 "Andrei Belousov" "sejak berakhirnya Perang Dingin"
body_has $f003 "Korean Central News Agency" "John Kirby"
body_has $f004 "Kosmodrom Vostochny" "tidak ada dokumen yang diperkirakan akan ditandatangani setelah pembicaraan itu"

# ---- re-import ------------------------------------------------------------------------

run import "$seeds"
is_rc 0 "second import of the seeds exits 0"
like "$(cat "$err")" '0 imported, 0 updated, 5 unchanged' "second import says 0 imported, 0 updated, 5 unchanged"
kb list --format json >"$tmp/list1.json" 2>/dev/null
check "list --format json is identical before and after the second import" cmp "$list0" "$tmp/list1.json"

done_testing
