/* test_html.c - the HTML reader: HTML to text for feed bodies, and saved
 * article pages (main text, metadata, charsets, refusals). */
#include "testutil.h"

#include "kabar/ingest.h"
#include "kabar/util.h"

static char *to_text(const char *html)
{
	struct kb_buf b = { 0 };
	kb_html_to_text(html, strlen(html), &b);
	return kb_buf_steal(&b);
}

#define assert_text(html, want)                       \
	do {                                          \
		char *got_ = to_text(html);           \
		assert_string_equal(got_, (want));    \
		free(got_);                           \
	} while (0)

static void blocks_end_paragraphs(void **state)
{
	(void)state;
	assert_text("<p>Kapal itu tiba.</p><p>Nelayan  menunggu\n di dermaga.</p>",
		    "Kapal itu tiba.\n\nNelayan menunggu di dermaga.");
	assert_text("<div>Satu</div>dua<section><div><p>tiga</p></div></section>",
		    "Satu\n\ndua\n\ntiga");
	assert_text("<h2>Subjudul</h2>Teks <b>tebal</b> <i>miring</i>.",
		    "Subjudul\n\nTeks tebal miring.");
	assert_text("", "");
	assert_text("   ", "");
}

static void br_ends_a_line(void **state)
{
	(void)state;
	assert_text("Baris satu<br>baris dua<br/>baris tiga", "Baris satu\nbaris dua\nbaris tiga");
	/* two in a row are a paragraph break */
	assert_text("Satu<br><br>Dua<br>\n<br>Tiga", "Satu\n\nDua\n\nTiga");
}

static void lists_are_paragraphs(void **state)
{
	(void)state;
	assert_text("Daftar:<ul><li>beras</li><li>gula <a href=\"/x\">pasir</a></li></ul>akhir",
		    "Daftar:\n\nberas\n\ngula pasir\n\nakhir");
}

static void entities_are_decoded(void **state)
{
	(void)state;
	assert_text("Tom &amp; Jerry &lt;3 &quot;kata&quot; caf&eacute; &#8212; &#x41;&nbsp;B",
		    "Tom & Jerry <3 \"kata\" caf\xc3\xa9 \xe2\x80\x94 A B");
}

static void tables_are_text(void **state)
{
	(void)state;
	assert_text("<p>Harga:</p><table><tr><th>Barang</th><th>Rp</th></tr>"
		    "<tr><td>Beras</td><td>12.000</td></tr></table><p>Selesai.</p>",
		    "Harga:\n\nBarang | Rp\nBeras | 12.000\n\nSelesai.");
}

static void scripts_styles_and_hidden_go(void **state)
{
	(void)state;
	assert_text("<style>p{color:red}</style><p>Tampak.</p><script>var x = 1;</script>"
		    "<noscript>Aktifkan JavaScript</noscript><template><p>T</p></template>"
		    "<div hidden>Tersembunyi</div><span aria-hidden=\"true\">ikon</span>"
		    "<p style=\"color:red; DISPLAY : none\">Sembunyi</p>"
		    "<p style=\"visibility:hidden\">Juga</p><p aria-hidden=\"false\">Terlihat.</p>",
		    "Tampak.\n\nTerlihat.");
}

static void pre_keeps_its_lines(void **state)
{
	(void)state;
	assert_text("<p>Kode:</p><pre>a = 1\nb = 2</pre>", "Kode:\n\na = 1\nb = 2");
}

/* ---- article pages ---------------------------------------------------- */

static struct kb_doc doc;

static int teardown(void **state)
{
	(void)state;
	kb_doc_free(&doc);
	return 0;
}

static char *fixture(const char *name, size_t *n)
{
	const char *src = getenv("KABAR_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/html/%s", src ? src : ".", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	struct kb_buf b = { 0 };
	char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		kb_buf_add(&b, chunk, k);
	fclose(f);
	*n = b.len;
	return kb_buf_steal(&b);
}

static void parse_page(const char *name)
{
	size_t n;
	char *raw = fixture(name, &n);
	const char *why = NULL;
	kb_doc_free(&doc);
	int rc = kb_parse_html(raw, n, &doc, &why);
	free(raw);
	if (rc != 0)
		fail_msg("%s refused: %s", name, why);
	assert_null(why);
}

static void parse_string(const char *html)
{
	const char *why = NULL;
	kb_doc_free(&doc);
	if (kb_parse_html(html, strlen(html), &doc, &why) != 0)
		fail_msg("refused: %s", why);
}

static const char *byline(const char *role, int nth)
{
	for (size_t i = 0; i < doc.n_bylines; i++)
		if (strcmp(doc.bylines[i].role, role) == 0 && nth-- == 0)
			return doc.bylines[i].name;
	return NULL;
}

/* each needle in order, each after the one before */
static void assert_in_order(const char *hay, const char *const *needles, size_t n)
{
	const char *at = hay;
	for (size_t i = 0; i < n; i++) {
		const char *f = strstr(at, needles[i]);
		if (!f)
			fail_msg("\"%s\" missing or out of order in \"%s\"", needles[i], hay);
		at = f + strlen(needles[i]);
	}
}

static void indonesian_article_and_its_metadata(void **state)
{
	(void)state;
	parse_page("artikel-id.html");
	assert_string_equal(doc.title, "Dermaga Baru Dibuka di Belitung");
	assert_string_equal(doc.source, "Warta Selat");
	assert_string_equal(doc.url, "https://wartaselat.example/berita/dermaga-baru-belitung");
	assert_string_equal(doc.published, "2024-11-29T09:30:00+07:00");
	assert_string_equal(byline("author", 0), "Sari Wulandari");
	assert_null(byline("author", 1));
	assert_string_equal(byline("editor", 0), "Budi Santoso");
	static const char *const order[] = {
		"Pemerintah daerah meresmikan dermaga penumpang baru",
		"Dermaga itu mampu melayani dua kapal feri sekaligus",
		"Jadwal pelayaran",
		"Kapal pertama dijadwalkan berangkat",
		"Tanjung Pandan \xe2\x80\x93 Pangkalpinang setiap hari",
		"Tanjung Pandan \xe2\x80\x93 Jakarta dua kali sepekan",
		"Nelayan setempat menyambut baik",
	};
	assert_in_order(doc.body, order, KB_ARRAY_LEN(order));
	/* paragraphs, headings and list items each stand alone */
	assert_contains(doc.body, "dua tahun.\n\nDermaga itu");
	assert_contains(doc.body, "\n\nJadwal pelayaran\n\n");
	static const char *const junk[] = {
		"kuki", "Setuju", "Beranda", "Olahraga", "Bagikan", "Baca juga", "Harga Tiket",
		"iklan", "Berita Terkait", "Menteri Tinjau", "Komentar", "Semoga", "Batam",
		"Terpopuler", "Cabai", "surel", "Daftar", "Hak cipta", "Tentang", "Penulis",
		"Editor", "window", "color", "Jumat, 29",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(junk); i++)
		assert_not_contains(doc.body, junk[i]);
	/* the headline is the title, not body text */
	assert_not_contains(doc.body, "Dermaga Baru Dibuka");
}

static void english_article_tables_breaks_and_hidden(void **state)
{
	(void)state;
	parse_page("article-en.html");
	/* the h1 over the <title> with its site suffix */
	assert_string_equal(doc.title, "Ferry code agreed after Makassar Strait talks");
	/* no og:site_name nor publisher: the canonical URL's host */
	assert_string_equal(doc.source, "harbourpost.example");
	assert_string_equal(doc.url, "https://harbourpost.example/2023/09/ferry-code");
	assert_string_equal(doc.published, "2023-09-13T21:05:00+08:00");
	/* article:author is a URL here: rel=author names the writer */
	assert_string_equal(byline("author", 0), "Lena Ortiz");
	static const char *const order[] = {
		"Engineers from six shipping lines agreed on Wednesday",
		"requires a second radio on every bridge.",
		"It takes effect in January.",
		"What changes",
		"Rule | Before | After",
		"Life jackets | one per seat | one per passenger",
		"Radios | one | two",
		"\xe2\x80\x9cThis is the first time every operator has signed the same "
		"page,\xe2\x80\x9d",
		"Smaller operators said they would need help",
	};
	assert_in_order(doc.body, order, KB_ARRAY_LEN(order));
	static const char *const junk[] = {
		"Advertisement", "Home", "Business", "By Lena", "ferry leaves port", "Photo",
		"Hidden tracking", "Another hidden", "Share on", "Email this", "Morning Tide",
		"More stories", "Port strike", "lighthouse", "Most read", "Typhoon",
		"Copyright", "Privacy",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(junk); i++)
		assert_not_contains(doc.body, junk[i]);
}

static void indonesian_class_names(void **state)
{
	(void)state;
	parse_page("kelas-id.html");
	assert_string_equal(doc.title, "Harga Ikan Turun Saat Musim Angin Barat");
	assert_string_equal(doc.published, "2023-05-09T07:15:00+07:00");
	assert_string_equal(byline("editor", 0), "Dewi Anggraini");
	static const char *const order[] = {
		"Harga ikan tongkol di pasar pesisir turun",
		"Seorang pedagang mengatakan",
		"Dinas perikanan berencana membeli",
		"Para nelayan berharap harga kembali normal",
	};
	assert_in_order(doc.body, order, KB_ARRAY_LEN(order));
	static const char *const junk[] = {
		"Ekonomi", "Selasa", "Salin tautan", "Baca Juga", "Waspada", "Kredit perahu",
		"Berita Terkait", "Gudang Pendingin Baru", "solar", "Mantap", "Terpopuler",
		"Jembatan", "Copyright", "Editor",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(junk); i++)
		assert_not_contains(doc.body, junk[i]);
}

static void navigation_only_is_refused(void **state)
{
	(void)state;
	size_t n;
	char *raw = fixture("nav-only.html", &n);
	const char *why = NULL;
	kb_doc_free(&doc);
	assert_int_equal(kb_parse_html(raw, n, &doc, &why), -1);
	assert_string_equal(why, "no article text found in the page");
	free(raw);
	kb_doc_free(&doc);
	static const char empty[] = "<html><head><title>Nothing</title></head><body></body></html>";
	assert_int_equal(kb_parse_html(empty, strlen(empty), &doc, &why), -1);
	assert_non_null(why);
	kb_doc_free(&doc);
	assert_int_equal(kb_parse_html("", 0, &doc, &why), -1);
	assert_non_null(why);
}

static const char *const cafe[] = {
	"The caf\xc3\xa9 by the harbour served",
	"every d\xc3\xa9" "butante",
	"cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e",
	"\xc2\xa3" "3 in the old money",
	"Ren\xc3\xa9" "e Fa\xc3\xa7" "ade",
};

static void charsets_are_decoded(void **state)
{
	(void)state;
	static const char *const pages[] = {
		"cp1252-undeclared.html",
		"cp1252-declared-utf8.html",
		"latin1-declared.html",
		"utf16-bom.html",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(pages); i++) {
		parse_page(pages[i]);
		assert_string_equal(doc.title, "Caf\xc3\xa9 on the pier");
		assert_in_order(doc.body, cafe, KB_ARRAY_LEN(cafe));
		if (strncmp(pages[i], "cp1252", 6) == 0 || strncmp(pages[i], "utf16", 5) == 0) {
			assert_contains(doc.body, "\xe2\x80\x9cna\xc3\xafve\xe2\x80\x9d");
			assert_contains(doc.body, "\xe2\x82\xac" "4 for a cup");
		}
		assert_not_contains(doc.body, "Home");
	}
}

static void jsonld_stands_in_for_a_teaser(void **state)
{
	(void)state;
	/* the page shows a teaser; JSON-LD has the whole story */
	parse_string(
		"<html><head><title>Harbour fees rise - Harbour Post</title>"
		"<script type=\"application/ld+json\">[{\"@type\": \"WebSite\", \"name\": \"x\"},"
		" {\"@type\": \"NewsArticle\", \"headline\": \"Harbour fees rise\","
		" \"datePublished\": \"2024-02-01\", \"author\": \"Tom Reyes\","
		" \"publisher\": {\"name\": \"Harbour Post\"}, \"articleBody\": \""
		"Fees at the harbour rise in March for every vessel that docks for more than a "
		"day. "
		"The port authority said the extra money pays for dredging the channel, which has "
		"silted up since the storms of last winter and now limits the size of ships. "
		"Owners of small fishing boats are exempt, and ferries pay half the new rate until "
		"the end of the year, when the authority will review the scheme again.\"}]</script>"
		"</head><body><article><h1>Harbour fees rise</h1>"
		"<p>Fees at the harbour rise in March for every vessel that docks for more than a "
		"day.</p><p class=\"paywall-note\"><a href=\"/subscribe\">Subscribe to read "
		"more</a></p></article></body></html>");
	assert_string_equal(doc.title, "Harbour fees rise");
	assert_string_equal(doc.source, "Harbour Post");
	assert_string_equal(doc.published, "2024-02-01");
	assert_string_equal(byline("author", 0), "Tom Reyes");
	assert_contains(doc.body, "pays for dredging the channel");
	assert_contains(doc.body, "review the scheme again.");
	assert_not_contains(doc.body, "Subscribe");
}

static void title_date_and_author_fallbacks(void **state)
{
	(void)state;
	/* no og:title, h1 nor headline: <title> less its site part, at
	 * either end */
	static const char *const titles[][2] = {
		{ "Tide tables for the new season | Harbour Post",
		  "Tide tables for the new season" },
		{ "Harbour Post - Tide tables for the new season",
		  "Tide tables for the new season" },
		{ "Tide tables for the new season \xe2\x80\x93 harbourpost.example",
		  "Tide tables for the new season" },
		{ "Tide tables for the new season | Maritime Desk",
		  "Tide tables for the new season" },
		{ "Ferries - the next ten years of the strait",
		  "Ferries - the next ten years of the strait" },
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(titles); i++) {
		char html[1024];
		snprintf(html, sizeof html,
			 "<html><head><title>%s</title><meta property=\"og:site_name\" "
			 "content=\"Harbour Post\"></head><body><p>The harbour office "
			 "published its tide tables for the new season on Tuesday, a week "
			 "earlier than usual.</p></body></html>",
			 titles[i][0]);
		parse_string(html);
		assert_string_equal(doc.title, titles[i][1]);
	}
	/* the date from a <meta name=date>; several authors in JSON-LD */
	parse_string(
		"<html><head><title>Tide tables for the new season | Harbour Post</title>"
		"<meta name=\"date\" content=\"2023-05-09\">"
		"<script type=\"application/ld+json\">{\"@graph\": [{\"@type\": \"Article\","
		" \"headline\": \"Tide tables for the new season\","
		" \"author\": [{\"@type\": \"Person\", \"name\": \"Ana Lim\"},"
		" {\"@type\": \"Person\", \"name\": \"Budi Hartono\"}]}]}</script></head>"
		"<body><div class=\"content\"><p>The harbour office published its tide tables for "
		"the new season on Tuesday, a week earlier than usual.</p><p>Skippers can "
		"collect a "
		"printed copy at the office, and the tables are posted on the notice board.</p>"
		"</div></body></html>");
	assert_string_equal(doc.title, "Tide tables for the new season");
	assert_string_equal(doc.published, "2023-05-09");
	assert_string_equal(byline("author", 0), "Ana Lim");
	assert_string_equal(byline("author", 1), "Budi Hartono");
	assert_null(doc.url);
	assert_contains(doc.body, "tide tables for the new season on Tuesday");

	/* <time datetime> when nothing else dates the page; og:url when
	 * there is no canonical link; a canonical that is not absolute is not
	 * a URL */
	parse_string(
		"<html><head><link rel=\"canonical\" href=\"/relative\">"
		"<meta property=\"og:url\" content=\"https://example.org/a\">"
		"<meta name=\"author\" content=\"Rina Putri, Joko Susilo\"></head><body><main>"
		"<h1>Kapal Tiba</h1><time datetime=\"2024-06-01T08:00:00Z\">1 Juni</time>"
		"<p>Kapal itu tiba di pelabuhan pada Sabtu pagi setelah berlayar selama dua minggu "
		"dari Surabaya, kata petugas pelabuhan.</p></main></body></html>");
	assert_string_equal(doc.title, "Kapal Tiba");
	assert_string_equal(doc.url, "https://example.org/a");
	assert_string_equal(doc.source, "example.org");
	assert_string_equal(doc.published, "2024-06-01T08:00:00Z");
	assert_string_equal(byline("author", 0), "Rina Putri");
	assert_string_equal(byline("author", 1), "Joko Susilo");

	/* the site's logo is an <h1> in the page header: the headline is the
	 * article's */
	parse_string(
		"<html><head><title>Harbour Post</title></head><body><header class=\"masthead\">"
		"<h1><a href=\"/\">Harbour Post</a></h1></header><article><h1>Dredging starts "
		"in the "
		"north channel</h1><p>Dredgers began clearing the north channel on Monday, and the "
		"work should take about six weeks if the weather holds.</p></article>"
		"</body></html>");
	assert_string_equal(doc.title, "Dredging starts in the north channel");
	assert_not_contains(doc.body, "Harbour Post");

	/* nothing but a time stamp in a date element, after a label; a
	 * placeholder date in the metadata is no date */
	parse_string(
		"<html><head><meta property=\"article:published_time\" "
		"content=\"0001-01-01T00:00:00Z\"></head><body><article><h1>Kapal Tiba</h1>"
		"<div class=\"post-date\">Diperbarui Jumat, 15 September 2023 | 07:45 WITA</div>"
		"<p>Kapal itu tiba di pelabuhan pada Sabtu pagi setelah berlayar selama dua minggu "
		"dari Surabaya, kata petugas pelabuhan.</p></article></body></html>");
	assert_non_null(doc.published);
	assert_true(strncmp(doc.published, "2023-09-15", 10) == 0);
	assert_not_contains(doc.body, "Diperbarui");
}

static void deep_nesting_and_junk_input_do_not_crash(void **state)
{
	(void)state;
	struct kb_buf b = { 0 };
	for (int i = 0; i < 5000; i++)
		kb_buf_adds(&b, "<div><span>");
	kb_buf_adds(&b, "<p>Deep inside many boxes the story still has a sentence, and another one "
			"after it that makes it long enough to count.</p>");
	const char *why;
	int rc = kb_parse_html(b.p, b.len, &doc, &why);
	(void)rc; /* libxml2 may stop at its depth limit: either way, no crash */
	kb_doc_free(&doc);
	struct kb_buf t = { 0 };
	kb_html_to_text(b.p, b.len, &t);
	kb_buf_free(&t);
	kb_buf_free(&b);
	static const char bad[] = "<p>a\x01b</p><<<>>>&#0;&#xD800;<script>unterminated";
	kb_html_to_text(bad, sizeof bad - 1, &t);
	kb_buf_free(&t);
	rc = kb_parse_html(bad, sizeof bad - 1, &doc, &why);
	kb_doc_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_end_paragraphs),
		cmocka_unit_test(br_ends_a_line),
		cmocka_unit_test(lists_are_paragraphs),
		cmocka_unit_test(entities_are_decoded),
		cmocka_unit_test(tables_are_text),
		cmocka_unit_test(scripts_styles_and_hidden_go),
		cmocka_unit_test(pre_keeps_its_lines),
		cmocka_unit_test_teardown(indonesian_article_and_its_metadata, teardown),
		cmocka_unit_test_teardown(english_article_tables_breaks_and_hidden, teardown),
		cmocka_unit_test_teardown(indonesian_class_names, teardown),
		cmocka_unit_test_teardown(navigation_only_is_refused, teardown),
		cmocka_unit_test_teardown(charsets_are_decoded, teardown),
		cmocka_unit_test_teardown(jsonld_stands_in_for_a_teaser, teardown),
		cmocka_unit_test_teardown(title_date_and_author_fallbacks, teardown),
		cmocka_unit_test_teardown(deep_nesting_and_junk_input_do_not_crash, teardown),
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
