/* feed_atom.c - Atom 1.0 (RFC 4287), and Atom 0.3 where it is the same.
 *
 * <feed> is the channel, <entry> an item.  Text constructs (title,
 * summary, content) say how to read them in type="text|html|xhtml" (0.3:
 * a MIME type and mode="escaped|xml|base64").  An entry's link is its
 * rel="alternate" (or rel-less) <link href>, an HTML one first; its
 * authors are <author><name>, else its <source>'s, else the feed's.
 * Elements of an entry's <source> describe the source feed, not the
 * entry. */
#include "config.h"

#include "feed.h"

#include <string.h>

static void feed_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	feed_set_role(f, f->item_depth < 0 ? ROLE_CHANNEL : ROLE_OTHER);
}

static void entry_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->item_depth >= 0)
		feed_set_role(f, ROLE_OTHER);
	else
		feed_item_start(f);
}

static void entry_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->item_depth == f->depth && f->item.open)
		feed_item_end(f);
}

static void source_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	feed_set_role(f, feed_parent(f) == ROLE_ITEM ? ROLE_SOURCE : ROLE_OTHER);
}

static void author_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	enum feed_role p = feed_parent(f);
	if (p == ROLE_ITEM || p == ROLE_CHANNEL || p == ROLE_SOURCE)
		feed_set_role(f, ROLE_AUTHOR);
}

static void name_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_parent(f) == ROLE_AUTHOR)
		feed_capture(f, FEED_TEXT, FEED_CAP_SHORT);
}

static void name_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth != f->depth || f->depth < 2)
		return;
	size_t n;
	const char *s = feed_captured(f, &n);
	switch (f->role[f->depth - 2]) { /* what the <author> is in */
	case ROLE_ITEM:
		feed_add_author(&f->item.authors, &f->item.n_authors, s, n);
		break;
	case ROLE_SOURCE:
		feed_add_author(&f->item.source_authors, &f->item.n_source_authors, s, n);
		break;
	case ROLE_CHANNEL:
		feed_add_author(&f->feed_authors, &f->n_feed_authors, s, n);
		break;
	default:
		break;
	}
}

static void title_start(struct feed *f, xmlTextReaderPtr r)
{
	enum feed_role p = feed_parent(f);
	if (p == ROLE_ITEM || p == ROLE_CHANNEL)
		feed_capture(f, feed_type_mode(r, FEED_TEXT), FEED_CAP_TITLE);
}

static void title_end(struct feed *f, xmlTextReaderPtr r)
{
	if (f->cap_depth != f->depth)
		return;
	if (feed_parent(f) == ROLE_ITEM) {
		feed_commit(f, &f->item.title, 2, f->cap_mode, false);
	} else if (f->feed_title.len == 0) {
		struct feed_field t = { 0 };
		feed_commit(f, &t, 1, FEED_TEXT, false);
		if (t.b.len)
			kb_buf_add(&f->feed_title, t.b.p, t.b.len);
		kb_buf_free(&t.b);
	}
	(void)r;
}

static void link_start(struct feed *f, xmlTextReaderPtr r)
{
	enum feed_role p = feed_parent(f);
	if (p != ROLE_ITEM && p != ROLE_CHANNEL)
		return;
	char *rel = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"rel");
	char *type = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"type");
	char *href = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"href");
	if (href && (!rel || strcmp(rel, "alternate") == 0)) {
		/* a page for people: HTML, or no type said, beats gemini:// */
		int rank = !type || strstr(type, "html") ? 3 : 2;
		if (p == ROLE_ITEM) {
			feed_commit_link(f, r, &f->item.link, rank, href);
		} else if (rank > f->feed_link_rank) {
			struct feed_field l = { 0 };
			feed_commit_link(f, r, &l, rank, href);
			if (l.b.len) {
				kb_buf_reset(&f->feed_link);
				kb_buf_add(&f->feed_link, l.b.p, l.b.len);
				f->feed_link_rank = rank;
			}
			kb_buf_free(&l.b);
		}
	}
	xmlFree(rel);
	xmlFree(type);
	xmlFree(href);
}

static void item_text_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_parent(f) == ROLE_ITEM)
		feed_capture(f, FEED_TEXT, FEED_CAP_SHORT);
}

static void id_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.guid, 2, FEED_TEXT, false);
}

static void published_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.published, 2, FEED_TEXT, false);
}

static void updated_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.updated, 2, FEED_TEXT, false);
}

static void body_start(struct feed *f, xmlTextReaderPtr r)
{
	if (feed_parent(f) != ROLE_ITEM)
		return;
	xmlChar *src = xmlTextReaderGetAttribute(r, (const xmlChar *)"src");
	if (src) { /* out-of-line content: nothing here to read */
		xmlFree(src);
		return;
	}
	feed_capture(f, feed_type_mode(r, FEED_TEXT), FEED_CAP_BODY);
}

static void content_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.body, 3, f->cap_mode, true);
}

static void summary_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.body, 1, f->cap_mode, true);
}

static const struct feed_elem atom_elems[] = {
	{ "feed", feed_start, NULL },
	{ "entry", entry_start, entry_end },
	{ "title", title_start, title_end },
	{ "link", link_start, NULL },
	{ "id", item_text_start, id_end },
	{ "published", item_text_start, published_end },
	{ "issued", item_text_start, published_end },   /* 0.3 */
	{ "updated", item_text_start, updated_end },
	{ "modified", item_text_start, updated_end },   /* 0.3 */
	{ "content", body_start, content_end },
	{ "summary", body_start, summary_end },
	{ "author", author_start, NULL },
	{ "name", name_start, name_end },
	{ "source", source_start, NULL },
};

static const char *const atom_ns[] = {
	"http://www.w3.org/2005/Atom",
	"http://purl.org/atom/ns#",
	NULL,
};

const struct feed_vocab feed_vocab_atom = { atom_ns, atom_elems, KB_ARRAY_LEN(atom_elems) };
