/* feed_media.c - Media RSS: media:title and media:description, which
 * name and describe an item (a video, a podcast) that has no title or
 * description of its own.  They may sit in <media:group> or
 * <media:content>, so any depth inside the item counts; they rank below
 * the item's own elements. */
#include "config.h"

#include "feed.h"

static void text_start(struct feed *f, xmlTextReaderPtr r)
{
	if (feed_in_item(f))
		feed_capture(f, feed_type_mode(r, FEED_TEXT), FEED_CAP_TITLE);
}

static void title_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth != f->depth)
		return;
	feed_commit(f, &f->item.title, 1, f->cap_mode, false);
}

static void description_start(struct feed *f, xmlTextReaderPtr r)
{
	if (feed_in_item(f))
		feed_capture(f, feed_type_mode(r, FEED_TEXT), FEED_CAP_BODY);
}

static void description_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.body, 0, f->cap_mode, true);
}

static const struct feed_elem media_elems[] = {
	{ "title", text_start, title_end },
	{ "description", description_start, description_end },
};

static const char *const media_ns[] = { "http://search.yahoo.com/mrss/", NULL };

const struct feed_vocab feed_vocab_media = { media_ns, media_elems, KB_ARRAY_LEN(media_elems) };
