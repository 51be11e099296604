/* newsboat.c - a newsboat cache item as a document.
 *
 * newsboat stores each item's content as the feed gave it (HTML), its
 * feed's title, Unix publication time and read state.  The content goes
 * through the same HTML-to-text and cleaning as a feed's items. */
#include "config.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kabar/store.h"
#include "kabar/text.h"
#include "kabar/util.h"

/* The host of an http(s) URL, for a feed without a title. */
static char *host_of(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p || (strncmp(url, "http", 4) != 0))
		return NULL;
	p += 3;
	size_t n = strcspn(p, "/:?#");
	return n ? kb_clean_field(p, n) : NULL;
}

int kb_newsboat_doc(const struct kb_newsboat_item *it, struct kb_doc *doc, const char **why)
{
	doc->title = kb_clean_field(it->title, strlen(it->title));
	doc->source = kb_clean_field(it->feed_title, strlen(it->feed_title));
	if (!doc->source)
		doc->source = host_of(it->feed_url);
	doc->url = kb_clean_field(it->url, strlen(it->url));
	doc->guid = kb_clean_field(it->guid, strlen(it->guid));
	doc->read = !it->unread;
	if (it->published > 0) {
		time_t t = (time_t)it->published;
		struct tm tm;
		char iso[32];
		if (gmtime_r(&t, &tm) && strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
			doc->published = kb_xstrdup(iso);
	}
	char *author = kb_clean_field(it->author, strlen(it->author));
	if (author) {
		kb_doc_add_byline(doc, "author", author, strlen(author));
		free(author);
	}
	/* another program wrote it: repaired to UTF-8 first */
	struct kb_buf html = { 0 }, text = { 0 };
	const char *bad;
	enum kb_decode d = kb_text_decode(it->content, strlen(it->content), &html, &bad);
	if (d != KB_DECODE_BINARY && d != KB_DECODE_INVALID && html.p)
		kb_html_to_text(html.p, html.len, &text);
	kb_parse_body(text.p ? text.p : "", text.len, doc);
	kb_buf_free(&html);
	kb_buf_free(&text);
	if (!doc->title)
		kb_doc_title_from_body(doc);
	if (!doc->title) {
		*why = "an item with neither title nor text";
		return -1;
	}
	return 0;
}
