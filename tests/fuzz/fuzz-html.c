/* fuzz-html.c - saved article pages: the raw bytes through
 * kb_parse_html, and through the charset decision (kb_charset_decode,
 * what pages and feeds share) into kb_html_to_text as a fragment, the
 * way a feed item's HTML body is read. */
#include "config.h"

#include "fuzz.h"

#include "kabar/ingest.h"
#include "internal.h" /* src/ingest: kb_charset_decode, kb_charset_sniff */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *raw = (const char *)data;
	(void)kb_format_sniff("fuzz.html", raw, n);
	(void)kb_charset_sniff(raw, n);

	struct kb_doc doc = { 0 };
	const char *why = NULL;
	if (kb_parse_html(raw, n, &doc, &why) < 0)
		fuzz_assert(why != NULL);
	else
		fuzz_check_doc(&doc);
	kb_doc_free(&doc);

	struct kb_buf utf8 = { 0 };
	const char *used = NULL;
	why = NULL;
	if (kb_charset_decode(raw, n, &utf8, &used, &why) == 0) {
		const char *s = utf8.p ? utf8.p : "";
		if (!fuzz_is_utf8(s, utf8.len))
			fuzz_fail("kb_charset_decode (%s) gave bytes that are not UTF-8",
				  used ? used : "?");
		/* exactly the bytes, no NUL after them: a read past the end shows */
		char *frag = kb_xmalloc(utf8.len);
		memcpy(frag, s, utf8.len);
		struct kb_buf out = { 0 };
		kb_html_to_text(frag, utf8.len, &out);
		if (out.p && !fuzz_is_utf8(out.p, out.len))
			fuzz_fail("kb_html_to_text gave bytes that are not UTF-8");
		kb_buf_free(&out);
		free(frag);
	}
	kb_buf_free(&utf8);
	return 0;
}
