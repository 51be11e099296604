/* html-page.c - a saved article page's main text.
 *
 * One walk over libxml2's DOM gathers the metadata (html-meta.c) and, per
 * element, what a main-content extractor needs: text and link-text
 * lengths, commas, paragraphs, images, form fields, and a score in the
 * manner of Readability: every paragraph scores by its length and commas
 * (less the share of it that is links) and hands the score to its parent,
 * half of it to the grandparent and less to the levels above.  Elements
 * that are boilerplate by tag, role, class or id (navigation, footers,
 * comments, sharing, related links, newsletters, cookie banners, ads,
 * breadcrumbs) are decided on as the walk leaves them, so their text and
 * scores never reach the containers around them.  The best-scoring
 * container, the siblings that score near it, minus what looks like link
 * lists or widgets inside it, is written as text and cleaned by the
 * plain-text body rules (kb_parse_body).  JSON-LD's articleBody stands in
 * when the page's own text of the article is much shorter. */
#include "config.h"

#include "internal.h"
#include "html.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef KB_HTML_TRACE
#include <stdio.h>
#endif

#include "kabar/util.h"

struct nstat {
	const xmlNode *node;
	uint32_t parent; /* index, or NONE */
	uint32_t chars;  /* letters and marks of the text within (not spaces) */
	uint32_t links;  /* of those, inside <a> */
	uint32_t commas;
	uint32_t in_chars, in_links, in_commas; /* text outside any block inside */
	uint32_t n_p, n_img, n_li, n_input, n_embed, n_heading_chars;
	float s[5];  /* paragraph scores 1..5 levels below */
	float score; /* as a container, once computed */
	int16_t weight; /* class and id: -50..+50 */
	uint8_t junk;   /* 0 no, 1 layout, 2 widget, 3 comments, 4 hidden */
	uint8_t under;  /* the strongest junk among the ancestors */
	bool has_block, is_para, kept;
	bool has_main, has_h1; /* <main> or itemprop=articleBody; <h1> */
	bool dateish; /* a class or id that says date, time or byline */
};

#define NONE UINT32_MAX

struct page {
	struct nstat *st;
	size_t n, cap;
	struct kb_html_meta meta;
	uint32_t body_hint; /* itemprop=articleBody, or NONE */
	int dead;	    /* inside <head> */
	int links;	    /* inside <a> */
};

static inline uint32_t idx_of(const xmlNode *n)
{
	return n && n->_private ? (uint32_t)((uintptr_t)n->_private - 1) : NONE;
}

static void judge(struct page *pg, struct nstat *s, const xmlNode *n)
{
	struct kb_html_verdict v;
	kb_html_judge(n, &v);
	s->junk = v.junk;
	s->weight = v.weight;
	s->dateish = v.dateish;
	if (v.body && pg->body_hint == NONE)
		pg->body_hint = (uint32_t)(s - pg->st);
}

/* ---- the walk ---------------------------------------------------------------- */

static uint32_t new_stat(struct page *pg, const xmlNode *n)
{
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 1024;
		pg->st = kb_xrealloc(pg->st, pg->cap * sizeof *pg->st);
	}
	uint32_t i = (uint32_t)pg->n++;
	memset(&pg->st[i], 0, sizeof pg->st[i]);
	pg->st[i].node = n;
	pg->st[i].parent = idx_of(n->parent);
	((xmlNode *)n)->_private = (void *)(uintptr_t)(i + 1);
	return i;
}

static void count_text(struct page *pg, const xmlNode *n)
{
	uint32_t i = idx_of(n->parent);
	if (i == NONE || !n->content)
		return;
	uint32_t chars = 0, commas = 0;
	for (const unsigned char *p = n->content; *p; p++) {
		if (*p <= ' ' || (*p & 0xc0) == 0x80)
			continue;
		if (p[0] == 0xc2 && p[1] == 0xa0) {
			p++;
			continue;
		}
		chars++;
		/* ',' and the CJK commas */
		commas += *p == ',' || (p[0] == 0xef && p[1] == 0xbc && p[2] == 0x8c) ||
			  (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x81);
	}
	struct nstat *s = &pg->st[i];
	s->chars += chars;
	s->in_chars += chars;
	s->commas += commas;
	s->in_commas += commas;
	if (pg->links) {
		s->links += chars;
		s->in_links += chars;
	}
}

/* A paragraph's worth: Readability's 1 + commas + a point per 100
 * characters (at most 3), less the part of it that is links. */
static float para_score(uint32_t chars, uint32_t links, uint32_t commas)
{
	if (chars < 25)
		return 0;
	float len = chars / 100 > 3 ? 3 : (float)(chars / 100);
	return (1.0f + (float)commas + len) * (1.0f - (float)links / (float)chars);
}

static bool enter(struct page *pg, const xmlNode *n)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (!pg->dead)
			count_text(pg, n);
		return false;
	}
	if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE)
		return true;
	if (n->type != XML_ELEMENT_NODE)
		return false;
	unsigned f = kb_html_tag_flags(n);
	kb_html_meta_element(&pg->meta, n, f);
	const char *name = (const char *)n->name;
	if (f & KB_TAG_DROP) {
		if (strcmp(name, "head") == 0) { /* only for its metadata */
			pg->dead++;
			return true;
		}
		uint32_t p = idx_of(n->parent);
		if (p != NONE && !pg->dead) {
			if (strcmp(name, "input") == 0 || strcmp(name, "select") == 0 ||
			    strcmp(name, "textarea") == 0 || strcmp(name, "button") == 0)
				pg->st[p].n_input++;
			else if (strcmp(name, "iframe") == 0 || strcmp(name, "embed") == 0 ||
				 strcmp(name, "object") == 0 || strcmp(name, "video") == 0)
				pg->st[p].n_embed++;
			else if (strcmp(name, "picture") == 0)
				pg->st[p].n_img++;
		}
		return false;
	}
	if (pg->dead)
		return true;
	uint32_t i = new_stat(pg, n);
	judge(pg, &pg->st[i], n);
	if (f & KB_TAG_LINK)
		pg->links++;
	if (strcmp(name, "img") == 0)
		pg->st[i].n_img++;
	return true;
}

/* Boilerplate by region or widget words (a sidebar, an ad layout) can
 * hold the article by a page's mistake: the main landmark inside says
 * so, or the headline with prose, or many long paragraphs with few
 * links. */
static bool layout_holds_article(const struct nstat *s)
{
	bool prose = s->links * 4 < s->chars;
	if (s->has_main || (s->has_h1 && prose && s->chars >= 500))
		return true;
	/* a widget of teasers is prose too: only a region name is trusted
	 * this little */
	return s->junk == 1 && prose && s->chars >= 1500 && s->n_p >= 5;
}

static void leave(struct page *pg, const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE)
		return;
	unsigned f = kb_html_tag_flags(n);
	if (f & KB_TAG_DROP) {
		pg->dead--;
		return;
	}
	if (pg->dead)
		return;
	if (f & KB_TAG_LINK)
		pg->links--;
	uint32_t i = idx_of(n);
	struct nstat *s = &pg->st[i];
	bool block = f & (KB_TAG_BLOCK | KB_TAG_CELL | KB_TAG_ROW);
	s->is_para = (f & (KB_TAG_PARA | KB_TAG_CELL)) ||
		     ((f & KB_TAG_DIV) && !s->has_block) ||
		     (strcmp((const char *)n->name, "section") == 0 && !s->has_block);
	/* paragraphs: what holds running text, and loose text beside blocks */
	if ((s->is_para && s->chars >= 25) || (s->has_block && s->in_chars >= 25))
		s->n_p++;
	if (strcmp((const char *)n->name, "main") == 0 || i == pg->body_hint)
		s->has_main = true;
	if (strcmp((const char *)n->name, "h1") == 0)
		s->has_h1 = true;
	if (f & KB_TAG_HEADING)
		s->n_heading_chars += s->chars;
	if (n->name[0] == 'l' && n->name[1] == 'i' && n->name[2] == '\0')
		s->n_li++;
	/* loose text beside blocks: <div>text<br>text<p>..</p></div> */
	if (block && !s->is_para && s->has_block)
		s->s[0] += para_score(s->in_chars, s->in_links, s->in_commas);

	/* a region or widget name on what holds the article after all (an
	 * ad-layout wrapper round the page): candidates inside may still win */
	if (s->junk <= 2 && layout_holds_article(s))
		s->junk = 0;
	if (s->junk)
		return;
	s->kept = true;
	if (s->parent == NONE)
		return;
	struct nstat *p = &pg->st[s->parent];
	p->chars += s->chars;
	p->links += s->links;
	p->commas += s->commas;
	p->n_p += s->n_p;
	p->has_main |= s->has_main;
	p->has_h1 |= s->has_h1;
	p->n_img += s->n_img;
	p->n_li += s->n_li;
	p->n_input += s->n_input;
	p->n_embed += s->n_embed;
	p->n_heading_chars += s->n_heading_chars;
	if (block || s->has_block) {
		p->has_block = true;
	} else {
		p->in_chars += s->in_chars;
		p->in_links += s->in_links;
		p->in_commas += s->in_commas;
	}
	if (block) {
		if (s->is_para)
			p->s[0] += para_score(s->chars, s->links, s->commas);
		for (int d = 0; d < 4; d++)
			p->s[d + 1] += s->s[d];
	} else {
		for (int d = 0; d < 5; d++)
			p->s[d] += s->s[d];
	}
}

static void walk(struct page *pg, const xmlNode *root)
{
	const xmlNode *n = root;
	while (n) {
		if (enter(pg, n)) {
			if (n->children) {
				n = n->children;
				continue;
			}
			leave(pg, n);
		}
		for (;;) {
			if (n == root)
				return;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			leave(pg, n);
		}
	}
}

/* ---- choosing ------------------------------------------------------------------ */

static float link_density(const struct nstat *s)
{
	return s->chars ? (float)s->links / (float)s->chars : 0;
}

static int tag_bonus(const xmlNode *n)
{
	const char *t = (const char *)n->name;
	if (strcmp(t, "div") == 0 || strcmp(t, "article") == 0)
		return 5;
	if (strcmp(t, "pre") == 0 || strcmp(t, "td") == 0 || strcmp(t, "blockquote") == 0)
		return 3;
	if (strcmp(t, "address") == 0 || strcmp(t, "ol") == 0 || strcmp(t, "ul") == 0 ||
	    strcmp(t, "dl") == 0 || strcmp(t, "dd") == 0 || strcmp(t, "dt") == 0 ||
	    strcmp(t, "li") == 0 || strcmp(t, "form") == 0)
		return -3;
	if ((t[0] == 'h' && t[1] >= '1' && t[1] <= '6') || strcmp(t, "th") == 0)
		return -5;
	return 0;
}

static void score_all(struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++) {
		struct nstat *s = &pg->st[i];
		/* parents come first: they were entered first */
		if (s->parent != NONE) {
			const struct nstat *p = &pg->st[s->parent];
			s->under = p->under > p->junk ? p->under : p->junk;
		}
		float c = s->s[0] + s->s[1] / 2 + s->s[2] / 6 + s->s[3] / 9 + s->s[4] / 12;
		if (!s->kept || c <= 0) {
			s->score = 0;
			continue;
		}
		s->score = (c + (float)tag_bonus(s->node) + (float)s->weight) *
			   (1.0f - link_density(s));
	}
}

static uint32_t parent_kept(const struct page *pg, uint32_t i)
{
	uint32_t p = pg->st[i].parent;
	return p != NONE && pg->st[p].kept ? p : NONE;
}

static bool is_root(const struct page *pg, uint32_t i)
{
	const char *nm = (const char *)pg->st[i].node->name;
	return strcmp(nm, "body") == 0 || strcmp(nm, "html") == 0;
}

static bool inside(const struct page *pg, uint32_t i, uint32_t anc)
{
	for (; i != NONE; i = pg->st[i].parent)
		if (i == anc)
			return true;
	return false;
}

/* Readability: when three of the next best candidates score near the
 * top one and share an ancestor with it, the article is split into
 * parts (cards, sections) and that ancestor holds it all. */
static uint32_t common_ancestor(const struct page *pg, uint32_t top)
{
	uint32_t alt[5];
	size_t na = 0;
	float min = pg->st[top].score * 0.75f;
	for (size_t i = 0; i < pg->n; i++) {
		const struct nstat *s = &pg->st[i];
		if (i == top || !s->kept || s->under > 1 || s->score < min)
			continue;
		if (na < KB_ARRAY_LEN(alt)) {
			alt[na++] = (uint32_t)i;
			continue;
		}
		size_t low = 0; /* the five best: replace the weakest */
		for (size_t k = 1; k < na; k++)
			if (pg->st[alt[k]].score < pg->st[alt[low]].score)
				low = k;
		if (s->score > pg->st[alt[low]].score)
			alt[low] = (uint32_t)i;
	}
	if (na < 3)
		return top;
	for (uint32_t p = parent_kept(pg, top); p != NONE && !is_root(pg, p);
	     p = parent_kept(pg, p)) {
		size_t in = 0;
		for (size_t k = 0; k < na; k++)
			in += inside(pg, alt[k], p);
		if (in >= 3)
			return p;
	}
	return top;
}

static uint32_t pick(struct page *pg)
{
	/* the best container outside boilerplate, and the best inside
	 * layout boilerplate (a blog's "widget", a "sidebar" wrapper), which
	 * wins only by far */
	uint32_t top = NONE, weak = NONE;
	for (size_t i = 0; i < pg->n; i++) {
		const struct nstat *s = &pg->st[i];
		if (!s->kept || s->score <= 0 || s->under > 1)
			continue;
		uint32_t *best = s->under ? &weak : &top;
		if (*best == NONE || s->score > pg->st[*best].score)
			*best = (uint32_t)i;
	}
	if (weak != NONE && (top == NONE || pg->st[weak].score > 2 * pg->st[top].score))
		top = weak;
	if (top == NONE)
		return NONE;
	/* an itemprop=articleBody that holds most of the text is believed */
	if (pg->body_hint != NONE && pg->st[pg->body_hint].kept &&
	    pg->st[pg->body_hint].chars * 2 >= pg->st[top].chars)
		top = pg->body_hint;
	else
		top = common_ancestor(pg, top);
	/* Readability: climb while a parent scores well compared to its
	 * child (the article split into parts under one container) */
	float last = pg->st[top].score, threshold = last / 3;
	for (uint32_t p = parent_kept(pg, top); p != NONE; p = parent_kept(pg, p)) {
		const char *nm = (const char *)pg->st[p].node->name;
		if (strcmp(nm, "body") == 0 || strcmp(nm, "html") == 0)
			break;
		float ps = pg->st[p].score;
		if (ps <= 0)
			continue;
		if (ps < threshold)
			break;
		if (ps > last) {
			top = p;
			break;
		}
		last = ps;
	}
	return top;
}

#ifdef KB_HTML_TRACE
/* For tuning (build with -DKB_HTML_TRACE): candidates and what was cut,
 * on stderr. */
static void trace_node(const char *what, const struct nstat *s)
{
	const char *c = kb_html_attr(s->node, "class"), *id = kb_html_attr(s->node, "id");
	fprintf(stderr, "%s junk=%d under=%d chars=%u links=%u p=%u img=%u in=%u score=%.1f w=%d"
			" <%s class='%s' id='%s'>\n",
		what, s->junk, s->under, s->chars, s->links, s->n_p, s->n_img, s->n_input,
		s->score, s->weight, s->node->name, c ? c : "", id ? id : "");
}

static void trace_page(const struct page *pg, uint32_t top)
{
	for (size_t i = 0; i < pg->n; i++) {
		const struct nstat *s = &pg->st[i];
		if (i == top)
			trace_node("TOP", s);
		else if (s->junk && s->under == 0 && s->chars > 300)
			trace_node("junk", s);
		else if (s->score > 20 && s->under == 0)
			trace_node("candidate", s);
	}
}
#endif

/* ---- writing ------------------------------------------------------------------ */

struct render {
	const struct page *pg;
	uint32_t chars; /* of the top candidate */
};

static bool is_list_tag(const xmlNode *n)
{
	return strcmp((const char *)n->name, "ul") == 0 || strcmp((const char *)n->name, "ol") == 0;
}

/* Readability's conditional cleaning: a container inside the article
 * that holds more images, form fields or link text than prose. */
static bool shady(const struct nstat *s, const xmlNode *n)
{
	/* a boilerplate name not outweighed by its text (the tag's own
	 * bonus or malus does not count here: a short list is no widget) */
	if (s->weight < 0 && s->weight + s->score < 0)
		return true;
	float ld = link_density(s);
	/* commas mark prose, unless they separate links (a tag list) */
	if (s->commas >= 10 && ld < 0.5f)
		return false;
	bool list = is_list_tag(n);
	uint32_t p = s->n_p;
	if (s->n_img > 1 && (float)p / (float)s->n_img < 0.5f)
		return true;
	if (s->n_input > p / 3)
		return true;
	if (!list && s->chars < 25 && (s->n_img == 0 || s->n_img > 2) && ld > 0)
		return true;
	if (s->weight < 25 && ld > (list ? 0.5f : 0.2f))
		return true;
	if (s->weight >= 25 && ld > 0.5f)
		return true;
	if ((s->n_embed == 1 && s->chars < 75) || s->n_embed > 1)
		return true;
	return false;
}

/* A block that only says it is an ad ("Advertisement"), whatever its
 * (often scrambled) class: a label, not text. */
static bool ad_label(const xmlNode *n, const struct nstat *s, unsigned flags)
{
	static const char *const labels[] = { "ad", "ads", "advert", "advertisement",
					      "advertising", "sponsored", "iklan" };
	if (!(flags & KB_TAG_BLOCK) || s->chars == 0 || s->chars > 13 || s->links)
		return false;
	struct kb_buf b = { 0 };
	struct kb_html_writer w = { .out = &b };
	kb_html_write_tree(&w, n, NULL, NULL);
	bool hit = false;
	for (size_t i = 0; b.p && i < KB_ARRAY_LEN(labels) && !hit; i++)
		hit = strcasecmp(b.p, labels[i]) == 0;
	kb_buf_free(&b);
	return hit;
}

static bool skip(const xmlNode *n, unsigned flags, void *ctx)
{
	const struct render *r = ctx;
	uint32_t i = idx_of(n);
	if (i == NONE)
		return false;
	const struct nstat *s = &r->pg->st[i];
	if (!s->kept)
		return true;
	const char *t = (const char *)n->name;
	/* captions; a date or byline line (metadata, read already) */
	if (strcmp(t, "figcaption") == 0 || (s->dateish && s->chars <= 80) ||
	    ad_label(n, s, flags))
		return true;
	if (flags & KB_TAG_HEADING)
		return t[1] == '1' || s->weight < 0 || link_density(s) > 0.5f;
	/* what holds most of the article is structure, not a widget in it */
	if ((flags & (KB_TAG_DIV | KB_TAG_LIST | KB_TAG_TABLE)) || strcmp(t, "form") == 0 ||
	    strcmp(t, "fieldset") == 0 || strcmp(t, "section") == 0)
	{
		bool out = s->chars * 2 < r->chars && shady(s, n);
#ifdef KB_HTML_TRACE
		if (out && s->chars > 100)
			trace_node("cut", s);
#endif
		return out;
	}
	if (flags & KB_TAG_PARA)
		return s->chars > 0 && link_density(s) > 0.6f;
	return false;
}

static void write_main(const struct page *pg, uint32_t top, struct kb_buf *out)
{
	const struct nstat *t = &pg->st[top];
	struct render r = { .pg = pg, .chars = t->chars };
	struct kb_html_writer w = { .out = out, .start = out->len };
	uint32_t parent = parent_kept(pg, top);
	if (parent == NONE) {
		kb_html_write_tree(&w, t->node, skip, &r);
		return;
	}
	/* siblings that score near the top candidate belong to the article */
	float threshold = t->score * 0.2f > 10 ? t->score * 0.2f : 10;
	const char *cls = kb_html_attr(t->node, "class");
	for (const xmlNode *c = pg->st[parent].node->children; c; c = c->next) {
		uint32_t i = idx_of(c);
		if (i == NONE)
			continue;
		const struct nstat *s = &pg->st[i];
		if (!s->kept)
			continue;
		bool take = i == top;
		if (!take) {
			const char *sc = kb_html_attr(c, "class");
			bool same = cls && *cls && sc && strcmp(cls, sc) == 0;
			float bonus = same ? t->score * 0.2f : 0;
			take = s->score + bonus >= threshold;
			if (!take && s->is_para) {
				float ld = link_density(s);
				take = (s->chars > 80 && ld < 0.25f) ||
				       (s->chars > 0 && s->chars <= 80 && ld == 0);
			}
		}
		if (take) {
			kb_html_break(&w, KB_BRK_PARA);
			kb_html_write_tree(&w, c, skip, &r);
		}
	}
}

/* Words in s, roughly (for comparing lengths). */
static size_t words_of(const char *s)
{
	return s ? kb_words(s, strlen(s)) : 0;
}

int kb_parse_html(const char *raw, size_t n, struct kb_doc *doc, const char **why)
{
	struct kb_buf utf8 = { 0 };
	const char *used;
	if (kb_charset_decode(raw, n, &utf8, &used, why) != 0)
		return -1;
	xmlDoc *d = kb_html_read(utf8.p, utf8.len);
	kb_buf_free(&utf8);
	if (!d) {
		*why = "not an HTML page";
		return -1;
	}
	struct page pg = { .body_hint = NONE };
	kb_html_meta_init(&pg.meta);
	walk(&pg, (const xmlNode *)d);
	score_all(&pg);
	uint32_t top = pick(&pg);
#ifdef KB_HTML_TRACE
	trace_page(&pg, top);
#endif

	struct kb_buf text = { 0 };
	if (top != NONE)
		write_main(&pg, top, &text);
	/* the headline: the first <h1> outside boilerplate (a logo in the
	 * page header is often an <h1> too), else the first */
	size_t h1 = 0;
	for (size_t i = 0; i < pg.meta.n_h1; i++) {
		uint32_t h = idx_of(pg.meta.h1s[i]);
		if (h != NONE && pg.st[h].kept && pg.st[h].under == 0) {
			h1 = i;
			break;
		}
	}
	if (pg.meta.n_h1)
		kb_html_meta_headline(&pg.meta, pg.meta.h1s[h1]);
	/* no date in the metadata: the first few date and byline elements
	 * are read as time stamps (the text's own top lines are read by
	 * kb_parse_body) */
	if (!pg.meta.published)
		for (size_t i = 0, tries = 0; i < pg.n && tries < 8; i++) {
			const struct nstat *s = &pg.st[i];
			if (!s->dateish || s->junk == 4 || s->chars < 6 || s->chars > 120)
				continue;
			tries++;
			if (kb_html_meta_stamp(&pg.meta, s->node))
				break;
		}
	char *ld_body = kb_html_meta_finish(&pg.meta, doc);
	/* the page's text of the article is cut short (a teaser, a paywall,
	 * text that scripts would add) where JSON-LD has all of it */
	size_t dom_words = text.p ? kb_words(text.p, text.len) : 0;
	if (ld_body && words_of(ld_body) >= 50 && dom_words * 2 < words_of(ld_body)) {
		kb_buf_reset(&text);
		kb_buf_adds(&text, ld_body);
	}
	free(ld_body);
	kb_html_meta_free(&pg.meta);
	free(pg.st);
	xmlFreeDoc(d);

	int rc = -1;
	*why = "no article text found in the page";
	if (text.len) {
		kb_parse_body(text.p, text.len, doc);
		if (doc->body && *doc->body) {
			rc = 0;
			*why = NULL;
		}
	}
	kb_buf_free(&text);
	return rc;
}
