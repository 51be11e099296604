/* test_text.c - decoding untrusted bytes, cleaning lines, screen widths. */
#include "testutil.h"

#include "kabar/text.h"

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

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

static void decode_normalises_decomposed_text(void **state)
{
	(void)state;
	char *out;
	/* Vietnamese in NFD, after more than eight ASCII bytes */
	const char vi[] = "Menteri Luar Negeri Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Tha\xcc\x80nh tiba.";
	assert_int_equal(decode(vi, sizeof vi - 1, &out), KB_DECODE_OK);
	assert_string_equal(out, "Menteri Luar Negeri Nguy\xe1\xbb\x85n V\xc4\x83n Th\xc3\xa0nh tiba.");
	free(out);
	/* a combining mark right at the start, and one at the very end */
	const char edge[] = "\xcc\x81" "abc e\xcc\x81";
	assert_int_equal(decode(edge, sizeof edge - 1, &out), KB_DECODE_OK);
	assert_string_equal(out, "\xcc\x81" "abc \xc3\xa9");
	free(out);
	/* Hangul jamo compose; singletons (Ohm, Angstrom) are replaced */
	const char ko[] = "\xe1\x84\x80\xe1\x85\xa1 \xe2\x84\xa6 \xe2\x84\xab";
	assert_int_equal(decode(ko, sizeof ko - 1, &out), KB_DECODE_OK);
	assert_string_equal(out, "\xea\xb0\x80 \xce\xa9 \xc3\x85");
	free(out);
	/* text that is NFC already comes out as it went in */
	const char nfc[] = "Nguy\xe1\xbb\x85n \xe2\x80\x9cquoted\xe2\x80\x9d \xe6\x97\xa5\xe6\x9c\xac "
			   "\xea\xb0\x80 \xf0\x9f\x9a\xa2 caf\xc3\xa9\n";
	assert_int_equal(decode(nfc, sizeof nfc - 1, &out), KB_DECODE_OK);
	assert_string_equal(out, nfc);
	free(out);
	/* repaired and converted text is normalised too */
	const char rep[] = "Tha\xcc\x80nh \xff ok";
	assert_int_equal(decode(rep, sizeof rep - 1, &out), KB_DECODE_REPAIRED);
	assert_string_equal(out, "Th\xc3\xa0nh \xef\xbf\xbd ok");
	free(out);
}

static void decode_appends_to_the_buffer(void **state)
{
	(void)state;
	struct kb_buf b = { 0 };
	const char *why = NULL;
	kb_buf_adds(&b, "e");
	/* only the new text is normalised: the "e" before stays apart */
	assert_int_equal(kb_text_decode("\xcc\x81x\r\ny\rz", 8, &b, &why), KB_DECODE_OK);
	assert_string_equal(b.p, "e\xcc\x81x\ny\nz");
	kb_buf_reset(&b);
	assert_int_equal(kb_text_decode("", 0, &b, &why), KB_DECODE_OK);
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	kb_buf_free(&b);
}

/* The rule kb_text_nfc_quick relies on, for every code point it accepts:
 * combining class 0, its own NFC, and never the second half of a
 * canonical composition. */
static void nfc_quick_accepts_only_inert_code_points(void **state)
{
	(void)state;
	static unsigned char second[0x110000];
	for (ucs4_t c = 0; c < 0x110000; c++) {
		ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
		if (uc_canonical_decomposition(c, d) == 2)
			second[d[1]] = 1;
	}
	size_t accepted = 0;
	for (ucs4_t c = 0; c < 0x110000; c++) {
		if (c >= 0xD800 && c < 0xE000)
			continue;
		uint8_t buf[6];
		int len = u8_uctomb(buf, c, sizeof buf);
		assert_true(len > 0);
		if (!kb_text_nfc_quick((const char *)buf, (size_t)len))
			continue;
		accepted++;
		ucs4_t d[UC_DECOMPOSITION_MAX_LENGTH];
		int k = uc_canonical_decomposition(c, d);
		if (uc_combining_class(c) != 0 || second[c] ||
		    !(k <= 0 || (k == 2 && uc_composition(d[0], d[1]) == c)))
			fail_msg("U+%04X is not inert under NFC", (unsigned)c);
	}
	assert_true(accepted > 1000000); /* most of the code space */
	/* what must go through normalisation */
	assert_false(kb_text_nfc_quick("e\xcc\x81", 3));                 /* combining acute */
	assert_false(kb_text_nfc_quick("abcdefghij\xcc\x81", 12));       /* after a long ASCII run */
	assert_false(kb_text_nfc_quick("\xe1\x84\x80\xe1\x85\xa1", 6));  /* Hangul L + V */
	assert_false(kb_text_nfc_quick("\xe2\x84\xa6", 3));              /* Ohm sign */
	assert_false(kb_text_nfc_quick("\xe0\xa6\x95\xe0\xa6\xbe", 6));  /* Bengali vowel sign AA */
	assert_false(kb_text_nfc_quick("\xff", 1));                      /* not UTF-8 */
	assert_true(kb_text_nfc_quick("", 0));
	assert_true(kb_text_nfc_quick("Nguy\xe1\xbb\x85n", 8));
}

/* Random text from inert characters never changes under NFC. */
static void nfc_quick_text_is_nfc(void **state)
{
	(void)state;
	static const char *const parts[] = {
		"a", " ", "\n", "\xc3\xa9", "\xc2\xa0", "\xe1\xbb\x85", "\xe2\x80\x9c", "\xe2\x80\xa6",
		"\xe6\x97\xa5", "\xea\xb0\x80", "\xf0\x9f\x9a\xa2", "\xd0\x96", "\xef\xbf\xbd",
		"\xe3\x81\x8c", "\xe3\x82\x9b", "\xe2\x89\xa0",
	};
	unsigned seed = 7;
	for (int round = 0; round < 2000; round++) {
		struct kb_buf b = { 0 };
		int len = (int)(seed % 40);
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			kb_buf_adds(&b, parts[(seed >> 16) % KB_ARRAY_LEN(parts)]);
		}
		seed = seed * 1103515245u + 12345u;
		if (!b.p)
			kb_buf_adds(&b, "");
		assert_true(kb_text_nfc_quick(b.p, b.len));
		size_t n = 0;
		uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)b.p, b.len, NULL, &n);
		assert_non_null(nfc);
		assert_int_equal(n, b.len);
		assert_memory_equal(nfc, b.p, n);
		free(nfc);
		kb_buf_free(&b);
	}
}

/* kb_text_clean_line as it was first written, one character at a time
 * through libunistring: the fast version must give the same bytes. */
static size_t ref_clean_line(char *s, size_t n)
{
	const uint8_t *r = (const uint8_t *)s, *end = (const uint8_t *)s + n;
	size_t w = 0;
	bool space = true;
	while (r < end) {
		ucs4_t uc;
		int len = u8_mbtoucr(&uc, r, (size_t)(end - r));
		if (len < 0) {
			r++;
			continue;
		}
		if (uc == '\t' || uc == '\n' || uc_is_general_category(uc, UC_SPACE_SEPARATOR)) {
			if (!space)
				s[w++] = ' ';
			space = true;
		} else if (uc == 0x200B || uc == 0x2060 || uc == 0xFEFF || uc == 0x00AD ||
			   uc == 0x180E || uc_is_general_category(uc, UC_CONTROL)) {
			/* dropped */
		} else {
			memmove(s + w, r, (size_t)len);
			w += (size_t)len;
			space = false;
		}
		r += len;
	}
	while (w > 0 && s[w - 1] == ' ')
		w--;
	if (w < n)
		s[w] = '\0';
	return w;
}

static void check_clean(const char *in, size_t n)
{
	char *a = malloc(n + 1), *b = malloc(n + 1);
	memcpy(a, in, n);
	memcpy(b, in, n);
	a[n] = b[n] = '\0';
	size_t na = kb_text_clean_line(a, n), nb = ref_clean_line(b, n);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	if (na < n)
		assert_int_equal(a[na], '\0');
	free(a);
	free(b);
}

static void clean_line_matches_the_reference(void **state)
{
	(void)state;
	/* every BMP character between long ASCII runs and spaces */
	for (ucs4_t c = 0; c < 0x10000; c++) {
		if (c >= 0xD800 && c < 0xE000)
			continue;
		char s[64] = "Kapal feri  tiba x";
		size_t n = strlen(s);
		n += (size_t)u8_uctomb((uint8_t *)s + n, c, 6);
		memcpy(s + n, " di  pelabuhan ", 15);
		n += 15;
		check_clean(s, n);
	}
	/* random mixtures of what lines are made of */
	static const char *const parts[] = {
		"a", "Kapal", "abcdefghijklmnop", " ", "  ", "\t", "\n", "\r", "\x01", "\x7f",
		"\xc2\xa0", "\xc2\x85", "\xc2\xad", "\xe2\x80\x8b", "\xe3\x80\x80", "\xe2\x80\x9c",
		"\xe2\x80\x94", "\xe1\xa0\x8e", "\xef\xbb\xbf", "\xe2\x80\xa8", "\xc3\xa9", "\xff",
		"\xe2\x80", ".", "~", "\xf0\x9f\x9a\xa2",
	};
	unsigned seed = 1;
	for (int round = 0; round < 20000; round++) {
		char s[512];
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		int len = (int)((seed >> 16) % 30);
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = parts[(seed >> 16) % KB_ARRAY_LEN(parts)];
			memcpy(s + n, p, strlen(p));
			n += strlen(p);
		}
		check_clean(s, n);
	}
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

static void safe_text_obeys_nothing(void **state)
{
	(void)state;
	const char in[] = "a\033]52;c;x\007b\tc\nd\x7f"
			  "e\xc2\x9b" "31m" "f\xe2\x80\xae" "g\xe2\x81\xa9" "h\xff" "i\xef\xbf\xbd" "j\xc3\xbc";
	struct kb_buf b = { 0 };
	kb_text_safe(&b, in, sizeof in - 1, true);
	assert_string_equal(b.p, "a\xef\xbf\xbd]52;c;x\xef\xbf\xbd" "b c\nd\xef\xbf\xbd"
				 "e\xef\xbf\xbd" "31mf\xef\xbf\xbd" "g\xef\xbf\xbd" "h\xef\xbf\xbd"
				 "i\xef\xbf\xbd" "j\xc3\xbc");
	kb_buf_reset(&b);
	kb_text_safe(&b, "x\ny", 3, false);
	assert_string_equal(b.p, "x\xef\xbf\xbdy");
	kb_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_text_obeys_nothing),
		cmocka_unit_test(decode_valid_is_nfc_with_unix_lines),
		cmocka_unit_test(decode_repairs_damage_and_converts_legacy),
		cmocka_unit_test(decode_converts_legacy_latin_text),
		cmocka_unit_test(decode_refuses_garbage_and_binary),
		cmocka_unit_test(clean_line_normalises_spaces),
		cmocka_unit_test(decode_normalises_decomposed_text),
		cmocka_unit_test(decode_appends_to_the_buffer),
		cmocka_unit_test(nfc_quick_accepts_only_inert_code_points),
		cmocka_unit_test(nfc_quick_text_is_nfc),
		cmocka_unit_test(clean_line_matches_the_reference),
		cmocka_unit_test(widths_follow_unicode),
		cmocka_unit_test(fit_never_splits_a_grapheme),
		cmocka_unit_test(put_cells_truncates_and_pads),
		cmocka_unit_test(upper_case_detection),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
