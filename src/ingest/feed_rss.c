/* feed_rss.c - RSS 0.9x and 2.0 (no namespace), RSS 1.0 and 0.90 (RDF).
 *
 * The versions share their element names: <channel> holds the feed's
 * title and link, <item> an article with <title>, <link>, <description>
 * (HTML), <guid>, <pubDate> and <author> ("jo@x.org (Jo Bloggs)").  In
 * RSS 1.0 items are the channel's siblings under <rdf:RDF>, and an item's
 * rdf:about names it when it has no guid.  <image> and <textinput> have
 * titles and links of their own, which are not the feed's. */
#include "config.h"

#include "feed.h"

#include <string.h>

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

static bool is_web_link(const char *s)
{
	return kb_ascii_prefix(s, "http://") || kb_ascii_prefix(s, "https://");
}

static void root_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	feed_set_role(f, ROLE_ROOT);
}

static void channel_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	feed_set_role(f, f->item_depth < 0 ? ROLE_CHANNEL : ROLE_OTHER);
}

static void other_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	feed_set_role(f, ROLE_OTHER);
}

static void item_start(struct feed *f, xmlTextReaderPtr r)
{
	if (f->item_depth >= 0) {
		feed_set_role(f, ROLE_OTHER); /* an item in an item: content */
		return;
	}
	feed_item_start(f);
	xmlChar *about = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"about",
						     (const xmlChar *)RDF_NS);
	if (about) {
		kb_buf_adds(&f->item.guid.b, (const char *)about);
		if (is_web_link((const char *)about))
			feed_commit_link(f, r, &f->item.link, 0, (const char *)about);
		xmlFree(about);
	}
}

static void item_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->item_depth == f->depth && f->item.open)
		feed_item_end(f);
}

static void text_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	enum feed_role p = feed_parent(f);
	if (p == ROLE_ITEM)
		feed_capture(f, FEED_TEXT, FEED_CAP_LINK);
	else if (p == ROLE_CHANNEL)
		feed_capture(f, FEED_TEXT, FEED_CAP_TITLE);
}

static void title_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_parent(f) == ROLE_ITEM || feed_parent(f) == ROLE_CHANNEL)
		feed_capture(f, FEED_GUESS, FEED_CAP_TITLE);
}

static void title_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth != f->depth)
		return;
	if (feed_parent(f) == ROLE_ITEM) {
		feed_commit(f, &f->item.title, 2, FEED_GUESS, false);
	} else if (f->feed_title.len == 0) {
		struct feed_field t = { 0 };
		feed_commit(f, &t, 1, FEED_GUESS, false);
		/* titles of feeds are text; entities were decoded by libxml2 */
		if (t.b.len)
			kb_buf_add(&f->feed_title, t.b.p, t.b.len);
		kb_buf_free(&t.b);
	}
}

static void link_end(struct feed *f, xmlTextReaderPtr r)
{
	if (f->cap_depth != f->depth)
		return;
	size_t n;
	const char *s = feed_captured(f, &n);
	if (feed_parent(f) == ROLE_ITEM) {
		feed_commit_link(f, r, &f->item.link, 3, s);
	} else if (f->feed_link_rank < 2) {
		struct feed_field l = { 0 };
		feed_commit_link(f, r, &l, 2, s);
		if (l.b.len) {
			kb_buf_reset(&f->feed_link);
			kb_buf_add(&f->feed_link, l.b.p, l.b.len);
			f->feed_link_rank = 2;
		}
		kb_buf_free(&l.b);
	}
}

static void description_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_parent(f) == ROLE_ITEM)
		feed_capture(f, FEED_HTML, FEED_CAP_BODY);
}

static void description_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth)
		feed_commit(f, &f->item.body, 1, FEED_HTML, true);
}

static void guid_start(struct feed *f, xmlTextReaderPtr r)
{
	if (feed_parent(f) != ROLE_ITEM)
		return;
	/* a guid is the item's permanent link unless it says otherwise */
	xmlChar *perma = xmlTextReaderGetAttribute(r, (const xmlChar *)"isPermaLink");
	f->guid_permalink = !perma || kb_ascii_eq((const char *)perma,
						  strlen((const char *)perma), "true");
	xmlFree(perma);
	feed_capture(f, FEED_TEXT, FEED_CAP_SHORT);
}

static void guid_end(struct feed *f, xmlTextReaderPtr r)
{
	if (f->cap_depth != f->depth)
		return;
	feed_commit(f, &f->item.guid, 2, FEED_TEXT, false);
	if (f->guid_permalink && is_web_link(f->item.guid.b.p ? f->item.guid.b.p : ""))
		feed_commit_link(f, r, &f->item.link, 1, f->item.guid.b.p);
}

static void short_start(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (feed_parent(f) == ROLE_ITEM || feed_parent(f) == ROLE_CHANNEL)
		feed_capture(f, FEED_TEXT, FEED_CAP_SHORT);
}

static void pubdate_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth == f->depth && feed_parent(f) == ROLE_ITEM)
		feed_commit(f, &f->item.published, 2, FEED_TEXT, false);
}

static void author_end(struct feed *f, xmlTextReaderPtr r)
{
	(void)r;
	if (f->cap_depth != f->depth)
		return;
	size_t n;
	const char *s = feed_captured(f, &n);
	if (feed_parent(f) == ROLE_ITEM)
		feed_add_author(&f->item.authors, &f->item.n_authors, s, n);
	else
		feed_add_author(&f->feed_authors, &f->n_feed_authors, s, n);
}

/* Sorted by nothing: a dozen names, looked up linearly. */
static const struct feed_elem rss_elems[] = {
	{ "rss", root_start, NULL },
	{ "channel", channel_start, NULL },
	{ "item", item_start, item_end },
	{ "title", title_start, title_end },
	{ "link", text_start, link_end },
	{ "description", description_start, description_end },
	{ "guid", guid_start, guid_end },
	{ "pubDate", short_start, pubdate_end },
	{ "author", short_start, author_end },
	{ "managingEditor", short_start, author_end },
	{ "image", other_start, NULL },
	{ "textinput", other_start, NULL },
	{ "textInput", other_start, NULL },
	{ "source", other_start, NULL },
	{ "enclosure", other_start, NULL },
};

static const char *const rss_ns[] = {
	"",
	"http://purl.org/rss/1.0/",
	"http://my.netscape.com/rdf/simple/0.9/",
	"http://backend.userland.com/rss2",
	NULL,
};

const struct feed_vocab feed_vocab_rss = { rss_ns, rss_elems, KB_ARRAY_LEN(rss_elems) };

static const struct feed_elem rdf_elems[] = {
	{ "RDF", root_start, NULL },
};

static const char *const rdf_ns[] = { RDF_NS, NULL };

const struct feed_vocab feed_vocab_rss1 = { rdf_ns, rdf_elems, KB_ARRAY_LEN(rdf_elems) };
