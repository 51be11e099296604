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
	};
	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
