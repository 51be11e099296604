/* feed_content.c - RSS's content module: content:encoded, the item's
 * full HTML, which beats every other body an item carries. */
#include "config.h"

#include "feed.h"

static void encoded_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_in_item(f))
		feed_capture(f, FEED_HTML, FEED_CAP_BODY);
}

static void encoded_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.body, 4, FEED_HTML, true);
}

static const struct feed_elem content_elems[] = {
	{ "encoded", encoded_start, encoded_end },
};

static const char *const content_ns[] = { "http://purl.org/rss/1.0/modules/content/", NULL };

const struct feed_vocab feed_vocab_content = { content_ns, content_elems,
					       KB_ARRAY_LEN(content_elems) };
