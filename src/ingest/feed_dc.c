/* feed_dc.c - Dublin Core in feeds: dc:creator (an author, in items or
 * channels) and dc:date (RSS 1.0's only date, ISO 8601). */
#include "config.h"

#include "feed.h"

static void text_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_in_item(f) || feed_parent(f) == ROLE_CHANNEL)
		feed_capture(f, FEED_TEXT, FEED_CAP_SHORT);
}

static void creator_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth != f->depth)
		return;
	size_t n;
	const char *s = feed_captured(f, &n);
	if (feed_in_item(f))
		feed_add_author(&f->item.authors, &f->item.n_authors, s, n);
	else
		feed_add_author(&f->feed_authors, &f->n_feed_authors, s, n);
}

static void date_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	/* below pubDate and Atom's published, which say the same more
	 * precisely when both are there */
	if (f->cap_depth == f->depth && feed_in_item(f))
		feed_commit(f, &f->item.published, 1, FEED_TEXT, false);
}

static const struct feed_elem dc_elems[] = {
	{ "creator", text_start, creator_end },
	{ "date", text_start, date_end },
};

static const char *const dc_ns[] = { "http://purl.org/dc/elements/1.1/", NULL };

const struct feed_vocab feed_vocab_dc = { dc_ns, dc_elems, KB_ARRAY_LEN(dc_elems) };
