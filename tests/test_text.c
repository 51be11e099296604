/* test_text.c - decoding untrusted bytes, cleaning lines, screen widths. */
#include "testutil.h"

#include "kabar/text.h"

static enum kb_decode decode(const char *in, size_t n, char **out)
{
	struct kb_buf b = { 0 };
	const char *why = NULL;
	enum kb_decode d = kb_text_decode(in, n, &b, &why);
	if (d == KB_DECODE_BINARY || d == KB_DECODE_INVALID)
		assert_non_null(why);
	*out = kb_buf_steal(&b);
	return d;
}

static void decode_valid_is_nfc_with_unix_lines(void **state)
{
	(void)state;
	char *out;
	/* BOM, CRLF, a lone CR and a decomposed e + combining acute */
	const char in[] = "\xef\xbb\xbf" "Cafe\xcc\x81\r\nline two\rline three";
	assert_int_equal(decode(in, sizeof in - 1, &out), KB_DECODE_OK);
	assert_string_equal(out, "Caf\xc3\xa9\nline two\nline three");
	free(out);
}

static void decode_repairs_damage_and_converts_legacy(void **state)
{
	(void)state;
	char *out;
	/* UTF-8 text (the en dash) damaged by one stray byte */
	const char in[] = "Kapal Makassar\xe2\x80\x93" "Balikpapan \xff berangkat pagi ini.";
	assert_int_equal(decode(in, sizeof in - 1, &out), KB_DECODE_REPAIRED);
	assert_string_equal(out, "Kapal Makassar\xe2\x80\x93" "Balikpapan \xef\xbf\xbd berangkat pagi ini.");
	free(out);
	/* with no UTF-8 at all, one high byte is a legacy letter */
	const char legacy[] = "Pemiliknya, Andr\xe9 Moreau, membuka kafe itu.";
	assert_int_equal(decode(legacy, sizeof legacy - 1, &out), KB_DECODE_CONVERTED);
	assert_string_equal(out, "Pemiliknya, Andr\xc3\xa9 Moreau, membuka kafe itu.");
	free(out);
}

static void decode_converts_legacy_latin_text(void **state)
{
	(void)state;
	char *out;
	/* Windows-1252: many accented letters, curly quotes, mostly ASCII */
	const char in[] = "The caf\xe9 in S\xe3" "o Paulo served cr\xe8" "me br\xfbl\xe9" "e; "
			  "\x93quoted\x94 words, na\xef" "ve r\xe9" "sum\xe9s and a pi\xf1" "ata.";
	assert_int_equal(decode(in, sizeof in - 1, &out), KB_DECODE_CONVERTED);
	assert_contains(out, "caf\xc3\xa9");
	assert_contains(out, "\xe2\x80\x9cquoted\xe2\x80\x9d");
	free(out);
}

static void decode_refuses_garbage_and_binary(void **state)
{
	(void)state;
	char *out;
	char garbage[400];
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)(0x80 + (i * 37) % 0x7f);
	assert_int_equal(decode(garbage, sizeof garbage, &out), KB_DECODE_INVALID);
	free(out);
	const char bin[] = "PK\x03\x04\x00\x00some zip";
	assert_int_equal(decode(bin, sizeof bin - 1, &out), KB_DECODE_BINARY);
	free(out);
	char ctrl[100];
	memset(ctrl, '\x01', sizeof ctrl);
	assert_int_equal(decode(ctrl, sizeof ctrl, &out), KB_DECODE_BINARY);
	free(out);
}

static void clean_line_normalises_spaces(void **state)
{
	(void)state;
	/* NBSP, tab, zero-width space, soft hyphen, ideographic space */
	char s[] = "  Kim\xc2\xa0Jong\xc2\xa0Un\t\tsaid\xe2\x80\x8b it\xc2\xad\xe3\x80\x80twice  ";
	size_t n = kb_text_clean_line(s, strlen(s));
	assert_int_equal(n, strlen("Kim Jong Un said it twice"));
	assert_string_equal(s, "Kim Jong Un said it twice");
	char empty[] = " \xc2\xa0 ";
	assert_int_equal(kb_text_clean_line(empty, strlen(empty)), 0);
}

static void widths_follow_unicode(void **state)
{
	(void)state;
	assert_int_equal(kb_text_width("abc", 3), 3);
	assert_int_equal(kb_text_width("日本語", strlen("日本語")), 6);
	assert_int_equal(kb_text_width("e\xcc\x81", 3), 1);           /* combining */
	assert_int_equal(kb_text_width("“quote”", strlen("“quote”")), 7); /* curly quotes */
	assert_int_equal(kb_text_width("\xf0\x9f\x9a\xa2", 4), 2);       /* ship emoji */
}

static void fit_never_splits_a_grapheme(void **state)
{
	(void)state;
	int cells;
	/* three wide characters in 5 cells: only two fit */
	assert_int_equal(kb_text_fit("日本語", strlen("日本語"), 5, &cells), 6);
	assert_int_equal(cells, 4);
	/* the combining mark stays with its base */
	const char *s = "ae\xcc\x81z";
	assert_int_equal(kb_text_fit(s, strlen(s), 2, &cells), 4);
	assert_int_equal(cells, 2);
}

static void put_cells_truncates_and_pads(void **state)
{
	(void)state;
	struct kb_buf b = { 0 };
	kb_text_put_cells(&b, "Jakarta", 10, true);
	assert_string_equal(b.p, "Jakarta   ");
	kb_buf_reset(&b);
	kb_text_put_cells(&b, "東京の港湾会議", 7, true);
	assert_string_equal(b.p, "東京の…"); /* 6 cells and the ellipsis */
	kb_buf_reset(&b);
	kb_text_put_cells(&b, "東京の港湾会議", 8, true);
	assert_string_equal(b.p, "東京の… "); /* the 7th cell cannot hold 港 */
	assert_int_equal(kb_text_width(b.p, b.len), 8);
	kb_buf_reset(&b);
	kb_text_put_cells(&b, "Surabaya", 4, false);
	assert_string_equal(b.p, "Sur…");
	kb_buf_free(&b);
}

static void upper_case_detection(void **state)
{
	(void)state;
	assert_true(kb_text_is_upper("EDITOR", 6));
	assert_true(kb_text_is_upper("TRIBUNNEWS.COM", 14));
	assert_false(kb_text_is_upper("Editor", 6));
	assert_false(kb_text_is_upper("2024", 4));
	assert_true(kb_text_is_upper("ÉTÉ", strlen("ÉTÉ")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_valid_is_nfc_with_unix_lines),
		cmocka_unit_test(decode_repairs_damage_and_converts_legacy),
		cmocka_unit_test(decode_converts_legacy_latin_text),
		cmocka_unit_test(decode_refuses_garbage_and_binary),
		cmocka_unit_test(clean_line_normalises_spaces),
		cmocka_unit_test(widths_follow_unicode),
		cmocka_unit_test(fit_never_splits_a_grapheme),
		cmocka_unit_test(put_cells_truncates_and_pads),
		cmocka_unit_test(upper_case_detection),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
