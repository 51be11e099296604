/* fuzz-text.c - plain-text articles: the bytes of a file through
 * kb_text_decode and kb_parse_text, as `kabar import` reads them, and
 * the same text through kb_parse_body (what a page's or a feed item's
 * text goes through) under the title kb_parse_text found.  The title
 * also goes through what the reader's list does with it (widths, a
 * column's worth, kb_text_clean_line). */
#include "config.h"

#include "fuzz.h"

#include "kabar/ingest.h"

/* What the reader does with a title: its width, a prefix that fits a
 * column, the column itself (cut with "…" and padded). */
static void check_cells(const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s);
	(void)kb_text_width(s, n);
	(void)kb_text_is_upper(s, n);
	for (int max = 0; max <= 24; max += 8) {
		int cells = -1;
		size_t fit = kb_text_fit(s, n, max, &cells);
		if (fit > n || cells < 0 || cells > max || !fuzz_is_utf8(s, fit))
			fuzz_fail("kb_text_fit(%d) gave %zu of %zu bytes, %d cells", max, fit, n, cells);
		struct kb_buf col = { 0 };
		kb_text_put_cells(&col, s, max, true);
		if (col.p && !fuzz_is_utf8(col.p, col.len))
			fuzz_fail("kb_text_put_cells(%d) gave bytes that are not UTF-8", max);
		kb_buf_free(&col);
	}
	char *line = kb_xstrdup(s);
	size_t k = kb_text_clean_line(line, n);
	if (k > n || !fuzz_is_utf8(line, k))
		fuzz_fail("kb_text_clean_line gave %zu of %zu bytes", k, n);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *raw = (const char *)data;
	(void)kb_format_sniff("fuzz.txt", raw, n);

	struct kb_buf text = { 0 };
	const char *why = NULL;
	enum kb_decode d = kb_text_decode(raw, n, &text, &why);
	if (d == KB_DECODE_BINARY || d == KB_DECODE_INVALID) {
		fuzz_assert(why != NULL);
		kb_buf_free(&text);
		return 0;
	}
	const char *s = text.p ? text.p : "";
	if (!fuzz_is_utf8(s, text.len))
		fuzz_fail("kb_text_decode gave %zu bytes that are not UTF-8", text.len);

	struct kb_doc doc = { 0 };
	if (kb_parse_text(s, text.len, &doc, &why) < 0)
		fuzz_assert(why != NULL);
	else
		fuzz_assert(doc.title && *doc.title);
	fuzz_check_doc(&doc);
	check_cells(doc.title);

	struct kb_doc body = { 0 };
	if (doc.title)
		body.title = kb_xstrdup(doc.title);
	kb_parse_body(s, text.len, &body);
	fuzz_assert(body.body != NULL);
	fuzz_check_doc(&body);

	kb_doc_free(&body);
	kb_doc_free(&doc);
	kb_buf_free(&text);
	return 0;
}
