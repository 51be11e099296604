/* test_parse.c - the plain-text reader: titles, boilerplate, bylines. */
#include "testutil.h"

#include "kabar/ingest.h"
#include "kabar/util.h"

static struct kb_doc doc;

static int teardown(void **state)
{
	(void)state;
	kb_doc_free(&doc);
	return 0;
}

static void parse(const char *text)
{
	const char *why = NULL;
	kb_doc_free(&doc);
	if (kb_parse_text(text, strlen(text), &doc, &why) != 0)
		fail_msg("parse failed: %s", why);
}

static const char *byline(const char *role, int nth)
{
	for (size_t i = 0; i < doc.n_bylines; i++)
		if (strcmp(doc.bylines[i].role, role) == 0 && nth-- == 0)
			return doc.bylines[i].name;
	return NULL;
}

static void header_block_wins(void **state)
{
	(void)state;
	parse("Title: Pelabuhan Baru Dibuka di Belitung\n"
	      "Date: 2024-04-12T09:30:00+07:00\n"
	      "Source: Harian Selat\n"
	      "URL: https://example.org/a/1\n"
	      "Author: Rina Hapsari\n"
	      "\n"
	      "Pelabuhan Baru Dibuka di Belitung\n"
	      "\n"
	      "TANJUNG PANDAN, WARTATIMUR.COM - Pelabuhan itu dibuka pada Jumat.\n");
	assert_string_equal(doc.title, "Pelabuhan Baru Dibuka di Belitung");
	assert_string_equal(doc.published, "2024-04-12T09:30:00+07:00");
	assert_string_equal(doc.source, "Harian Selat"); /* over the dateline */
	assert_string_equal(doc.url, "https://example.org/a/1");
	assert_string_equal(byline("author", 0), "Rina Hapsari");
	/* the repeated headline is not body; the dateline's outlet is cut */
	assert_string_equal(doc.body, "Tanjung Pandan – Pelabuhan itu dibuka pada Jumat.");
}

static void colon_title_is_not_a_header(void **state)
{
	(void)state;
	parse("Menteri Sorokin: Kerja Sama Akan Berlanjut\n"
	      "\n"
	      "Kerja sama kedua negara akan berlanjut, kata menteri itu.\n");
	assert_string_equal(doc.title, "Menteri Sorokin: Kerja Sama Akan Berlanjut");
	assert_null(doc.published);
	assert_string_equal(doc.body, "Kerja sama kedua negara akan berlanjut, kata menteri itu.");
}

static void title_skips_hashtags_mastheads_and_repeats(void **state)
{
	(void)state;
	parse("#pelabuhan#belitung\n"
	      "\n"
	      "Nikmati berita interaktif dan LIVE report 24 jam hanya di WartaX\n"
	      "Warta\n"
	      "Kapal Feri Baru Tiba di Makassar\n"
	      "Kapal Feri Baru Tiba di Makassar\n"
	      "Kapal feri itu tiba pada pagi hari setelah pelayaran dua minggu.\n");
	assert_string_equal(doc.title, "Kapal Feri Baru Tiba di Makassar");
	assert_string_equal(doc.body,
			    "Kapal feri itu tiba pada pagi hari setelah pelayaran dua minggu.");
}

static void title_loses_section_suffix(void **state)
{
	(void)state;
	parse("Ferry operator fined after Makassar Strait fire | Maritime News\n"
	      "The operator was fined on Tuesday.\n");
	assert_string_equal(doc.title, "Ferry operator fined after Makassar Strait fire");
	parse("A | B\nText of the story goes here.\n");
	assert_string_equal(doc.title, "A | B");
}

static void read_more_lines_never_reach_the_body(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan\n"
	      "Paragraf pertama.\n"
	      "Baca juga: Harga Tiket Kapal Naik Jelang Akhir Tahun\n"
	      "BACA JUGA: Menteri Tinjau Dermaga\n"
	      "MEMBACA\xc2\xa0 Nelayan Protes Kapal Asing | Berita Laut\n"
	      "BACA JUGA\n"
	      "Kapal Patroli Baru Diluncurkan\n"
	      "Paragraf kedua.\n"
	      "Read more: Port deal signed in Darwin\n"
	      "Berita Terkait\n"
	      "Berita lain terkait pelabuhan dan kapal\n"
	      "Berita Rekomendasi\n");
	assert_string_equal(doc.body, "Paragraf pertama.\n\nParagraf kedua.");
}

static void widgets_promos_and_footers_go(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan\n"
	      "zoom-in Judul Berita Tentang Pelabuhan\n"
	      "Isi paragraf.\n"
	      "loading...\n"
	      "Komentar\n"
	      "Kirim Komentar\n"
	      "Isi komentar sepenuhnya adalah tanggung jawab pengguna.\n"
	      "Dapatkan Berita Pilihan\n"
	      "di WhatsApp Anda\n"
	      "Ikuti kami di\n"
	      "Follow us on Instagram for more\n"
	      "© 2025 WARTA.com, a subsidiary of Media. All Right Reserved\n"
	      "Copyright 2024 Harian Selat\n"
	      "Atas\n"
	      "Note: The text is visually enhanced with bold formatting.\n");
	assert_string_equal(doc.body, "Isi paragraf.");
}

static void long_lines_mentioning_channels_stay(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Kementerian\n"
	      "Di Telegram, kementerian itu memposting video pertemuan kedua menteri di pelabuhan.\n"
	      "Baca berita lengkapnya bukan promosi karena kalimat ini panjang sekali dan menceritakan "
	      "bagaimana warga membaca berita di kapal setiap pagi sebelum berangkat melaut.\n");
	assert_contains(doc.body, "Di Telegram, kementerian");
	assert_contains(doc.body, "warga membaca berita");
}

static void bylines_become_metadata(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan\n"
	      "Penulis: galih prasetyo\n"
	      "Editor: Ratna Sembiring\n"
	      "Isi paragraf pertama.\n"
	      "(WartaTimur.com/Galih Prasetyo)\n"
	      "Sumber: HarianSelat.com\n"
	      "EDITOR\n"
	      "\n"
	      "Yohana Kambu\n");
	assert_string_equal(doc.body, "Isi paragraf pertama.");
	assert_string_equal(byline("author", 0), "Galih Prasetyo"); /* the capitalised one */
	assert_null(byline("author", 1));
	assert_string_equal(byline("editor", 0), "Ratna Sembiring");
	assert_string_equal(byline("editor", 1), "Yohana Kambu");
	assert_string_equal(byline("via", 0), "HarianSelat.com");
	assert_string_equal(doc.source, "WartaTimur.com");
}

static void bylines_on_one_line(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan\n"
	      "Penulis: Rina Hapsari | Editor: Galih Pratama | Jumat, 29 November 2024 07:45 WITA\n"
	      "Kapal feri tiba di Makassar pada pagi hari dan semua penumpang selamat.\n");
	assert_string_equal(byline("author", 0), "Rina Hapsari");
	assert_string_equal(byline("editor", 0), "Galih Pratama");
	assert_non_null(doc.published);
	assert_contains(doc.published, "2024-11-29");
	assert_string_equal(doc.body,
			    "Kapal feri tiba di Makassar pada pagi hari dan semua penumpang selamat.");
}

static void english_bylines(void **state)
{
	(void)state;
	parse("Port deal signed in Darwin\n"
	      "By Alice Moreton and Tom Keane\n"
	      "DARWIN (Pacific Wire) - The deal was signed on Tuesday.\n"
	      "By then, the ships had left.\n");
	assert_string_equal(byline("author", 0), "Alice Moreton and Tom Keane");
	parse("Port deal signed in Darwin\n"
	      "The deal was signed on Tuesday.\n"
	      "Related coverage: Ferry fire in Makassar Strait\n"
	      "Reporting by Tom Harland and Kelvin Goh; Editing by Lisa Moreau\n"
	      "Share this article\n");
	assert_string_equal(doc.body, "The deal was signed on Tuesday.");
	assert_string_equal(byline("author", 0), "Tom Harland and Kelvin Goh");
	assert_string_equal(byline("editor", 0), "Lisa Moreau");
	parse("Port deal signed in Darwin\n"
	      "By Alice Moreton and Tom Keane\n"
	      "DARWIN (Pacific Wire) - The deal was signed on Tuesday.\n"
	      "By then, the ships had left.\n");
	assert_string_equal(doc.source, "Pacific Wire");
	assert_string_equal(doc.body,
			    "Darwin – The deal was signed on Tuesday.\n\nBy then, the ships had left.");
}

static void photo_credits_and_repeated_captions(void **state)
{
	(void)state;
	parse("Kapal Feri Terbakar di Selat Makassar\n"
	      "Rudi SANTOSO / POOL / WARTA\n"
	      "Kapal penolong mengevakuasi penumpang di Selat Makassar, Rabu (13/9/2023). Asap masih terlihat.\n"
	      "Kapal penolong mengevakuasi penumpang di Selat Makassar, Rabu (13/9/2023). (RUDI SANTOSO / POOL / WARTA)\n"
	      "Warga menonton siaran berita mengenai kebakaran kapal itu. (AFP)\n"
	      "Harga naik 10/20 persen menurut pedagang.\n");
	assert_string_equal(doc.body,
		"Kapal penolong mengevakuasi penumpang di Selat Makassar, Rabu (13/9/2023). Asap masih terlihat.\n\n"
		"Warga menonton siaran berita mengenai kebakaran kapal itu.\n\n"
		"Harga naik 10/20 persen menurut pedagang.");
	assert_string_equal(byline("photo", 0), "Rudi SANTOSO / POOL / WARTA");
	assert_string_equal(byline("photo", 1), "AFP");
	assert_null(byline("photo", 2));
}

static void datelines_name_the_outlet(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan\n"
	      "MAKASSAR, KABARNUSANTARA.COM - Kapal itu tiba.\n"
	      "Tiket dijual di KabarNusantara.com/tiket.\n");
	assert_string_equal(doc.source, "KabarNusantara.com"); /* spelling used in the text */
	assert_string_equal(doc.body, "Makassar – Kapal itu tiba.\n\nTiket dijual di KabarNusantara.com/tiket.");
	parse("Judul Berita Tentang Pelabuhan\n"
	      "WARTATIMUR.COM - Kapal itu tiba.\n"
	      "Wartatimur\n");
	assert_string_equal(doc.source, "Wartatimur.com");
	assert_string_equal(doc.body, "Kapal itu tiba."); /* the lone outlet name went */
	parse("Judul Berita Tentang Pelabuhan\n"
	      "Harga naik - kata pedagang - sejak Senin.\n");
	assert_null(doc.source);
	assert_string_equal(doc.body, "Harga naik - kata pedagang - sejak Senin.");
}

static void repeats_anywhere_go_once(void **state)
{
	(void)state;
	parse("Kapal Feri Terbakar di Selat Makassar Pagi Ini\n"
	      "Petugas memadamkan api di geladak kapal feri di Selat Makassar, Rabu pagi. Foto oleh tim SAR.\n"
	      "Kebakaran terjadi tak lama setelah kapal meninggalkan pelabuhan.\n"
	      "Kebakaran terjadi tak lama setelah kapal meninggalkan pelabuhan.\n"
	      "Petugas memadamkan api di geladak kapal feri di Selat Makassar, Rabu pagi. (ANTARA)\n"
	      "Semua penumpang selamat.\n"
	      "Semua penumpang selamat.\n"
	      "Petugas memadamkan api di geladak kapal feri di Selat Makassar, Rabu pagi! Lain kali.\n"
	      "Penyelidikan dimulai pada hari yang sama oleh pihak berwenang setempat? Belum jelas.\n"
	      "Penyelidikan dimulai pada hari yang sama oleh pihak berwenang setempat? Ya.\n"
	      "Penyelidikan dimulai pada hari yang sama oleh pihak berwenang.\n"
	      "Kebakaran terjadi tak lama setelah kapal meninggalkan pelabuhan.\n");
	assert_string_equal(doc.body,
		"Petugas memadamkan api di geladak kapal feri di Selat Makassar, Rabu pagi. Foto oleh tim SAR.\n\n"
		"Kebakaran terjadi tak lama setelah kapal meninggalkan pelabuhan.\n\n"
		"Semua penumpang selamat.\n\n"
		"Penyelidikan dimulai pada hari yang sama oleh pihak berwenang setempat? Belum jelas.\n\n"
		"Penyelidikan dimulai pada hari yang sama oleh pihak berwenang.");
	assert_string_equal(byline("photo", 0), "ANTARA");
}

static void many_repeated_lines(void **state)
{
	(void)state;
	struct kb_buf in = { 0 }, want = { 0 };
	kb_buf_adds(&in, "Judul Panjang Tentang Banyak Baris Berulang\n");
	for (int i = 0; i < 3000; i++)
		kb_buf_printf(&in, "Baris nomor %d berisi kalimat yang cukup panjang untuk diperiksa.\n",
			      i % 1000);
	for (int i = 0; i < 1000; i++)
		kb_buf_printf(&want, "%sBaris nomor %d berisi kalimat yang cukup panjang untuk diperiksa.",
			      i ? "\n\n" : "", i);
	parse(in.p);
	assert_string_equal(doc.body, want.p);
	kb_buf_free(&in);
	kb_buf_free(&want);
}

static void spaces_footers_and_notes(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan Baru\n"
	      "Isi\xc2\xa0paragraf   pertama\tdengan  spasi\xe2\x80\x8b aneh dan kata-kata yang cukup panjang.\n"
	      "Konten ini (c) 2024, all RIGHTS reserved.\n"
	      "Teks hak cipta dilindungi undang-undang\n"
	      "Saluran Telegram Kami\n"
	      "Share:\n"
	      "Loading\xe2\x80\xa6\n"
	      "Kalimat panjang yang menyebut All Rights Reserved di tengahnya tetapi juga bercerita "
	      "tentang kapal, pelabuhan, nelayan, cuaca buruk, harga ikan, dan rencana pemerintah "
	      "daerah untuk membangun dermaga baru di pesisir utara pulau itu pada tahun depan.\n"
	      "Paragraf terakhir. Note: The text is machine translated.\n");
	assert_string_equal(doc.body,
		"Isi paragraf pertama dengan spasi aneh dan kata-kata yang cukup panjang.\n\n"
		"Kalimat panjang yang menyebut All Rights Reserved di tengahnya tetapi juga bercerita "
		"tentang kapal, pelabuhan, nelayan, cuaca buruk, harga ikan, dan rencana pemerintah "
		"daerah untuk membangun dermaga baru di pesisir utara pulau itu pada tahun depan.\n\n"
		"Paragraf terakhir.");
}

static void hard_wrapped_paragraphs_are_joined(void **state)
{
	(void)state;
	parse("Ferry code agreed in Tokyo\n"
	      "\n"
	      "Engineers from six countries agreed on a common\n"
	      "safety code for passenger ferries at a workshop\n"
	      "in Tokyo that ended on Thursday.\n"
	      "\n"
	      "The code covers fire doors, lifeboats and the\n"
	      "training of crews on long night crossings.\n");
	assert_string_equal(doc.body,
		"Engineers from six countries agreed on a common safety code for passenger ferries "
		"at a workshop in Tokyo that ended on Thursday.\n\n"
		"The code covers fire doors, lifeboats and the training of crews on long night crossings.");
}

static void one_paragraph_per_line_is_kept(void **state)
{
	(void)state;
	parse("Judul Berita Tentang Pelabuhan\n"
	      "Paragraf pertama berakhir dengan titik.\n"
	      "Paragraf kedua juga berakhir dengan titik.\n"
	      "Subjudul Tanpa Titik\n"
	      "Paragraf ketiga.\n");
	assert_string_equal(doc.body, "Paragraf pertama berakhir dengan titik.\n\n"
				      "Paragraf kedua juga berakhir dengan titik.\n\n"
				      "Subjudul Tanpa Titik\n\nParagraf ketiga.");
}

static void no_article_is_an_error(void **state)
{
	(void)state;
	const char *why = NULL;
	const char *text = "Baca juga: Sesuatu\nKomentar\n\n#tag\n";
	assert_int_equal(kb_parse_text(text, strlen(text), &doc, &why), -1);
	assert_non_null(why);
	kb_doc_free(&doc);
	assert_int_equal(kb_parse_text("", 0, &doc, &why), -1);
}

static void formats_are_sniffed(void **state)
{
	(void)state;
	const char html[] = "\n  <!DOCTYPE html><html><body>x</body></html>";
	const char rss[] = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>";
	const char atom[] = "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">";
	assert_int_equal(kb_format_sniff("a.txt", html, sizeof html - 1), KB_FORMAT_HTML);
	assert_int_equal(kb_format_sniff("feed", rss, sizeof rss - 1), KB_FORMAT_RSS);
	assert_int_equal(kb_format_sniff("feed", atom, sizeof atom - 1), KB_FORMAT_RSS);
	assert_int_equal(kb_format_sniff("cache.db", "SQLite format 3\0xx", 18),
			 KB_FORMAT_NEWSBOAT);
	assert_int_equal(kb_format_sniff("page.html", "hello", 5), KB_FORMAT_HTML);
	assert_int_equal(kb_format_sniff("a.txt", "<b>not html</b> text", 20), KB_FORMAT_TEXT);
	/* junk before the XML declaration is still a (malformed) feed */
	const char junk[] = "Warning: headers already sent\n<?xml version=\"1.0\"?><rss><channel>";
	assert_int_equal(kb_format_sniff("feed.php", junk, sizeof junk - 1), KB_FORMAT_RSS);
	/* a long comment or stylesheet before the root element */
	char longhead[3000];
	int k = snprintf(longhead, sizeof longhead, "<?xml version=\"1.0\"?>\n<!-- %0*d -->\n"
				"<rdf:RDF xmlns:rdf=\"x\">", 2000, 0);
	assert_int_equal(kb_format_sniff("x", longhead, (size_t)k), KB_FORMAT_RSS);
	/* UTF-16 with its BOM */
	const char u16[] = "\xff\xfe<\0?\0x\0m\0l\0?\0>\0<\0f\0e\0e\0d\0>\0";
	assert_int_equal(kb_format_sniff("x", u16, sizeof u16 - 1), KB_FORMAT_RSS);
	assert_int_equal(kb_format_sniff("notes.rdf", "plain", 5), KB_FORMAT_RSS);
	assert_int_equal(kb_format_from_name("rss"), KB_FORMAT_RSS);
	assert_int_equal(kb_format_from_name("pdf"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(header_block_wins, teardown),
		cmocka_unit_test_teardown(colon_title_is_not_a_header, teardown),
		cmocka_unit_test_teardown(title_skips_hashtags_mastheads_and_repeats, teardown),
		cmocka_unit_test_teardown(title_loses_section_suffix, teardown),
		cmocka_unit_test_teardown(read_more_lines_never_reach_the_body, teardown),
		cmocka_unit_test_teardown(widgets_promos_and_footers_go, teardown),
		cmocka_unit_test_teardown(long_lines_mentioning_channels_stay, teardown),
		cmocka_unit_test_teardown(bylines_become_metadata, teardown),
		cmocka_unit_test_teardown(bylines_on_one_line, teardown),
		cmocka_unit_test_teardown(english_bylines, teardown),
		cmocka_unit_test_teardown(photo_credits_and_repeated_captions, teardown),
		cmocka_unit_test_teardown(datelines_name_the_outlet, teardown),
		cmocka_unit_test_teardown(repeats_anywhere_go_once, teardown),
		cmocka_unit_test_teardown(many_repeated_lines, teardown),
		cmocka_unit_test_teardown(spaces_footers_and_notes, teardown),
		cmocka_unit_test_teardown(hard_wrapped_paragraphs_are_joined, teardown),
		cmocka_unit_test_teardown(one_paragraph_per_line_is_kept, teardown),
		cmocka_unit_test_teardown(no_article_is_an_error, teardown),
		cmocka_unit_test(formats_are_sniffed),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
