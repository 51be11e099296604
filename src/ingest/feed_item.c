/* feed_item.c - a feed item's fields, and the article they make.
 *
 * Handlers commit captured text into ranked fields (content:encoded
 * beats Atom content beats description/summary beats media:description;
 * published beats updated), so the order elements come in does not
 * matter.  When the item ends it becomes a struct kb_doc: the title and
 * body read as HTML when they are, the body cleaned by kb_parse_body, the
 * feed's title as the outlet, authors falling back to the feed's. */
#include "config.h"

#include "feed.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "kabar/date.h"

/* An untitled item is named by its first sentence, cut to this many
 * words. */
#define TITLE_WORDS 12

static void field_reset(struct feed_field *fld)
{
	/* a body's buffer is freed when big, so one huge item does not keep
	 * its memory for the rest of the feed */
	if (fld->b.cap > (64u << 10))
		kb_buf_free(&fld->b);
	kb_buf_reset(&fld->b);
	fld->rank = 0;
	fld->mode = FEED_TEXT;
}

void feed_item_start(struct feed *f)
{
	struct feed_item *it = &f->item;
	field_reset(&it->title);
	field_reset(&it->link);
	field_reset(&it->guid);
	field_reset(&it->published);
	field_reset(&it->updated);
	field_reset(&it->body);
	kb_buf_reset(&it->authors);
	kb_buf_reset(&it->source_authors);
	it->n_authors = it->n_source_authors = 0;
	it->open = true;
	f->items_started++;
	f->item_depth = f->depth;
	feed_set_role(f, ROLE_ITEM);
}

void feed_item_free(struct feed_item *it)
{
	kb_buf_free(&it->title.b);
	kb_buf_free(&it->link.b);
	kb_buf_free(&it->guid.b);
	kb_buf_free(&it->published.b);
	kb_buf_free(&it->updated.b);
	kb_buf_free(&it->body.b);
	kb_buf_free(&it->authors);
	kb_buf_free(&it->source_authors);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* s[0..n) with runs of white space as one space, trimmed, into out. */
static void squeeze(struct kb_buf *out, const char *s, size_t n)
{
	kb_buf_reset(out);
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		/* U+00A0 (from &nbsp;) separates words like a space */
		if (is_space(s[i]) || ((unsigned char)s[i] == 0xc2 && i + 1 < n &&
				       (unsigned char)s[i + 1] == 0xa0)) {
			if ((unsigned char)s[i] == 0xc2)
				i++;
			space = out->len > 0;
			continue;
		}
		if (space)
			kb_buf_addc(out, ' ');
		space = false;
		kb_buf_addc(out, s[i]);
	}
	if (!out->p)
		kb_buf_add(out, "", 0);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space(s[i]))
			return false;
	return true;
}

void feed_commit(struct feed *f, struct feed_field *fld, int rank, enum feed_mode mode,
		 bool keep_lines)
{
	size_t n;
	const char *s = feed_captured(f, &n);
	if (blank(s, n) || (fld->b.len > 0 && rank <= fld->rank))
		return;
	if (keep_lines) {
		/* a body: the buffers change places, nothing is copied */
		struct kb_buf t = fld->b;
		fld->b = f->cap;
		f->cap = t;
		kb_buf_reset(&f->cap);
	} else {
		squeeze(&fld->b, s, n);
	}
	fld->rank = rank;
	fld->mode = mode;
}

void feed_add_author(struct kb_buf *list, size_t *count, const char *s, size_t n)
{
	while (n > 0 && is_space(*s))
		s++, n--;
	while (n > 0 && is_space(s[n - 1]))
		n--;
	if (n == 0 || *count >= FEED_MAX_AUTHORS)
		return;
	/* "jo@example.org (Jo Bloggs)": RSS 2.0's form; the name counts */
	const char *open = memchr(s, '(', n);
	if (open && s[n - 1] == ')' && open > s) {
		size_t addr = (size_t)(open - s);
		while (addr > 0 && is_space(s[addr - 1]))
			addr--;
		if (memchr(s, '@', addr) && !memchr(s, ' ', addr) && open + 1 < s + n - 1) {
			n = (size_t)(s + n - 1 - (open + 1));
			s = open + 1;
		}
	} else if (n > 0 && s[n - 1] == '>') {
		/* "Jo Bloggs <jo@example.org>" */
		const char *lt = memchr(s, '<', n);
		if (lt && lt > s && memchr(lt, '@', (size_t)(s + n - lt))) {
			n = (size_t)(lt - s);
			while (n > 0 && is_space(s[n - 1]))
				n--;
		}
	}
	struct kb_buf name = { 0 };
	squeeze(&name, s, n > FEED_CAP_SHORT ? FEED_CAP_SHORT : n);
	if (name.len > 0) {
		kb_buf_add(list, name.p, name.len);
		kb_buf_addc(list, '\n');
		(*count)++;
	}
	kb_buf_free(&name);
}

void feed_commit_link(struct feed *f, xmlTextReaderPtr r, struct feed_field *fld, int rank,
		      const char *href)
{
	if (!href || (fld->b.len > 0 && rank <= fld->rank))
		return;
	struct kb_buf h = { 0 };
	squeeze(&h, href, strnlen(href, FEED_CAP_LINK));
	if (h.len == 0) {
		kb_buf_free(&h);
		return;
	}
	/* relative links resolve against xml:base, else the feed's link */
	xmlChar *base = xmlTextReaderBaseUri(r);
	const char *b = base ? (const char *)base : f->feed_link.len ? f->feed_link.p : NULL;
	xmlChar *abs = b ? xmlBuildURI((const xmlChar *)h.p, (const xmlChar *)b) : NULL;
	kb_buf_reset(&fld->b);
	kb_buf_adds(&fld->b, abs ? (const char *)abs : h.p);
	fld->rank = rank;
	xmlFree(abs);
	xmlFree(base);
	kb_buf_free(&h);
}

/* Text that an RSS title (no type attribute) holds as HTML. */
static bool looks_html(const char *s)
{
	for (const char *p = s; (p = strpbrk(p, "<&")) != NULL; p++) {
		if (*p == '<' && (p[1] == '/' || p[1] == '!' ||
				  (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
			return true;
		if (*p == '&') {
			size_t k = 1;
			if (p[k] == '#')
				k++;
			while (k < 12 && ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
					  (p[k] >= '0' && p[k] <= '9')))
				k++;
			if (k > 1 && p[k] == ';')
				return true;
		}
	}
	return false;
}

/* A field's text as plain text: HTML made text when it is HTML. */
static void as_text(const struct feed_field *fld, struct kb_buf *out, bool line)
{
	const char *s = fld->b.p ? fld->b.p : "";
	bool html = fld->mode == FEED_HTML || fld->mode == FEED_XHTML ||
		    (fld->mode == FEED_GUESS && looks_html(s));
	if (!html) {
		if (line)
			squeeze(out, s, fld->b.len);
		else
			kb_buf_add(out, s, fld->b.len);
		return;
	}
	struct kb_buf t = { 0 };
	kb_html_to_text(s, fld->b.len, &t);
	if (line)
		squeeze(out, t.p ? t.p : "", t.len);
	else
		kb_buf_add(out, t.p ? t.p : "", t.len);
	kb_buf_free(&t);
}

/* The first sentence of body, cut to TITLE_WORDS words ("…" when cut);
 * a final full stop is dropped, as headlines have none. */
static char *title_from(const char *body)
{
	size_t n = strcspn(body, "\n");
	for (size_t i = 0; i + 1 < n; i++)
		if (strchr(".!?", body[i]) && is_space(body[i + 1]) && i > 0) {
			n = i + 1;
			break;
		}
	struct kb_buf t = { 0 };
	squeeze(&t, body, n);
	size_t words = 0, cut = 0;
	for (size_t i = 0; i <= t.len; i++)
		if (i == t.len || t.p[i] == ' ') {
			if (++words == TITLE_WORDS)
				cut = i;
		}
	if (words > TITLE_WORDS && cut) {
		t.len = cut;
		while (t.len > 0 && strchr(",;:-–", t.p[t.len - 1]))
			t.len--;
		t.p[t.len] = '\0';
		kb_buf_adds(&t, "…");
	} else if (t.len > 0 && t.p[t.len - 1] == '.') {
		t.p[--t.len] = '\0';
	}
	if (t.len == 0) {
		kb_buf_free(&t);
		return NULL;
	}
	return kb_buf_steal(&t);
}

static char *iso_date(const struct feed_field *fld)
{
	char iso[64];
	if (fld->b.len == 0)
		return NULL;
	if (kb_date_parse(fld->b.p, iso, sizeof iso) ||
	    kb_date_parse_stamp(fld->b.p, iso, sizeof iso))
		return kb_xstrdup(iso);
	return NULL;
}

static void add_authors(struct kb_doc *doc, const struct kb_buf *list)
{
	if (!list->p) /* no author at all */
		return;
	const char *p = list->p, *end = list->p + list->len;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n)
			kb_doc_add_byline(doc, "author", p, n);
		p += n + 1;
	}
}

bool feed_item_end(struct feed *f)
{
	struct feed_item *it = &f->item;
	it->open = false;
	f->item_depth = -1;
	struct kb_doc doc = { 0 };
	struct kb_buf title = { 0 }, body = { 0 };
	as_text(&it->title, &title, true);
	as_text(&it->body, &body, false);
	if (title.len > 0)
		doc.title = kb_buf_steal(&title);
	if (f->feed_title.len > 0)
		doc.source = kb_xstrdup(f->feed_title.p);
	kb_parse_body(body.p ? body.p : "", body.len, &doc);
	if (!doc.title && doc.body && *doc.body)
		doc.title = title_from(doc.body);
	kb_buf_free(&title);
	kb_buf_free(&body);
	if (!doc.title) {
		kb_doc_free(&doc);
		f->skipped++;
		return true;
	}
	if (it->link.b.len)
		doc.url = kb_xstrdup(it->link.b.p);
	if (it->guid.b.len)
		doc.guid = kb_xstrdup(it->guid.b.p);
	/* the feed's date wins over a time stamp the body's text gave */
	char *date = iso_date(&it->published);
	if (!date)
		date = iso_date(&it->updated);
	if (date) {
		free(doc.published);
		doc.published = date;
	}
	/* the item's authors, else its Atom source's, else the feed's */
	add_authors(&doc, it->n_authors         ? &it->authors
			  : it->n_source_authors ? &it->source_authors
						 : &f->feed_authors);
	f->kept++;
	if (f->fn && f->fn(&doc, f->ctx) != 0)
		f->stopped = true;
	kb_doc_free(&doc);
	return !f->stopped;
}
