/* html.c - saved article pages: main text and metadata; HTML to text. */
#include "config.h"

#include "internal.h"

#include <string.h>

#include "kabar/util.h"

void kb_html_to_text(const char *html, size_t n, struct kb_buf *out)
{
	kb_buf_add(out, html, n);
}

int kb_parse_html(const char *raw, size_t n, struct kb_doc *doc, const char **why)
{
	(void)raw;
	(void)n;
	(void)doc;
	*why = "html import is not supported in this version";
	return -1;
}
