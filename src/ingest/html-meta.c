/* html-meta.c - what a saved page says about itself: title, publication
 * date, authors, outlet and canonical URL, from <meta> and <link> tags,
 * JSON-LD, <time>, rel=author and the headline.  The page walk hands
 * every element here (kb_html_meta_element); kb_html_meta_finish decides
 * between the sources and fills the document. */
#include "config.h"

#include "internal.h"
#include "html.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "kabar/date.h"
#include "kabar/text.h"
#include "kabar/util.h"

/* Where a publication date came from, strongest first. */
enum {
	DATE_META_ARTICLE, /* article:published_time and friends */
	DATE_JSONLD,
	DATE_ITEMPROP,
	DATE_META_NAME, /* name=date, pubdate, ... */
	DATE_TIME,      /* <time datetime> */
	DATE_STAMP,     /* a time stamp line in a date or byline element */
	DATE_NONE,
};

static void set_once(char **slot, const char *v)
{
	if (!*slot && v) {
		while (*v == ' ' || *v == '\n' || *v == '\t' || *v == '\r')
			v++;
		if (*v)
			*slot = kb_xstrdup(v);
	}
}

static void set_date(struct kb_html_meta *m, int rank, const char *v)
{
	char iso[64];
	if (rank >= m->date_rank || !v)
		return;
	while (*v == ' ' || *v == '\n' || *v == '\t')
		v++;
	if (!kb_date_parse(v, iso, sizeof iso))
		return;
	/* placeholders ("0001-01-01T00:00:00Z") are no date */
	if (strncmp(iso, "1970", 4) < 0)
		return;
	free(m->published);
	m->published = kb_xstrdup(iso);
	m->date_rank = rank;
}

void kb_html_meta_init(struct kb_html_meta *m)
{
	memset(m, 0, sizeof *m);
	m->date_rank = DATE_NONE;
}

void kb_html_meta_free(struct kb_html_meta *m)
{
	free(m->og_title);
	free(m->title);
	free(m->h1);
	free(m->site_name);
	free(m->canonical);
	free(m->og_url);
	free(m->published);
	free(m->meta_author);
	free(m->article_author);
	free(m->rel_author);
	for (size_t i = 0; i < m->n_jsonld; i++)
		free(m->jsonld[i]);
	free(m->jsonld);
	memset(m, 0, sizeof *m);
}

/* Adds a comma- or "and"-separated list of names; returns how many. */
static void add_names(struct kb_doc *doc, const char *s)
{
	while (s && *s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
			n--;
		if (n >= 5 && kb_ascii_eq(s, 3, "by "))
			s += 3, n -= 3;
		if (n > 0 && n < 80 && !memchr(s, '/', n) && !memchr(s, '@', n))
			kb_doc_add_byline(doc, "author", s, n);
		s = end ? end + 1 : NULL;
	}
}

static bool is_url(const char *s)
{
	return s && (kb_ascii_prefix(s, "http://") || kb_ascii_prefix(s, "https://") ||
		     kb_ascii_prefix(s, "//") || s[0] == '/');
}

/* meta names that carry a publication date */
static const char *const date_names[] = {
	"date",
	"pubdate",
	"publishdate",
	"publish-date",
	"publish_date",
	"published_date",
	"publication_date",
	"dc.date",
	"dc.date.issued",
	"dc.date.created",
	"dcterms.created",
	"dcterms.issued",
	"sailthru.date",
	"parsely-pub-date",
	"article.published",
	"article_date_original",
	"original-publish-date",
	"datepublished",
	"content_publish_date",
	"cxenseparse:recs:publishtime",
};

static void meta_tag(struct kb_html_meta *m, const xmlNode *n)
{
	const char *content = kb_html_attr(n, "content");
	if (!content)
		return;
	const char *key = kb_html_attr(n, "property");
	if (!key || !*key)
		key = kb_html_attr(n, "name");
	if (!key || !*key)
		key = kb_html_attr(n, "itemprop");
	if (!key)
		return;
	if (strcasecmp(key, "og:title") == 0 || strcasecmp(key, "twitter:title") == 0)
		set_once(&m->og_title, content);
	else if (strcasecmp(key, "og:site_name") == 0)
		set_once(&m->site_name, content);
	else if (strcasecmp(key, "og:url") == 0)
		set_once(&m->og_url, content);
	else if (strcasecmp(key, "author") == 0)
		set_once(&m->meta_author, content);
	else if (strcasecmp(key, "article:author") == 0 ||
		 strcasecmp(key, "og:article:author") == 0)
		set_once(&m->article_author, content);
	else if (strcasecmp(key, "article:published_time") == 0 ||
		 strcasecmp(key, "og:published_time") == 0 ||
		 strcasecmp(key, "og:article:published_time") == 0 ||
		 strcasecmp(key, "article:published") == 0)
		set_date(m, DATE_META_ARTICLE, content);
	else if (strcasecmp(key, "datePublished") == 0)
		set_date(m, DATE_ITEMPROP, content);
	else
		for (size_t i = 0; i < KB_ARRAY_LEN(date_names); i++)
			if (strcasecmp(key, date_names[i]) == 0)
				set_date(m, DATE_META_NAME, content);
}

/* Whether a rel attribute lists word. */
static bool rel_has(const char *rel, const char *word)
{
	size_t k = strlen(word);
	for (const char *p = rel; p && *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) == k && strncasecmp(p, word, k) == 0)
			return true;
		p = e;
	}
	return false;
}

/* The text of a small element, cleaned to one line; malloc'd. */
static char *line_of(const xmlNode *n)
{
	struct kb_buf b = { 0 };
	struct kb_html_writer w = { .out = &b };
	kb_html_write_tree(&w, n, NULL, NULL);
	return kb_buf_one_line(&b);
}

void kb_html_meta_element(struct kb_html_meta *m, const xmlNode *n, unsigned flags)
{
	const char *name = (const char *)n->name;
	switch (name[0]) {
	case 'm':
		if (strcmp(name, "meta") == 0)
			meta_tag(m, n);
		break;
	case 'l':
		if (strcmp(name, "link") == 0) {
			const char *rel = kb_html_attr(n, "rel"), *href = kb_html_attr(n, "href");
			if (rel && href && rel_has(rel, "canonical"))
				set_once(&m->canonical, href);
		}
		break;
	case 't':
		if (strcmp(name, "title") == 0 && !m->title && n->children) {
			char *t = (char *)xmlNodeGetContent(n);
			if (t) {
				size_t len = strlen(t);
				for (size_t i = 0; i < len; i++)
					if (t[i] == '\n' || t[i] == '\t' || t[i] == '\r')
						t[i] = ' ';
				len = kb_text_clean_line(t, len);
				t[len] = '\0';
				set_once(&m->title, t);
				xmlFree(t);
			}
		} else if (strcmp(name, "time") == 0) {
			const char *dt = kb_html_attr(n, "datetime");
			if (dt && (kb_html_attr(n, "pubdate") ||
				   (kb_html_attr(n, "itemprop") &&
				    strcasecmp(kb_html_attr(n, "itemprop"), "datePublished") == 0)))
				set_date(m, DATE_ITEMPROP, dt);
			else if (dt)
				set_date(m, DATE_TIME, dt);
		}
		break;
	case 's':
		if (strcmp(name, "script") == 0) {
			const char *type = kb_html_attr(n, "type");
			if (type && strcasecmp(type, "application/ld+json") == 0 && n->children &&
			    m->n_jsonld < 16) {
				char *t = (char *)xmlNodeGetContent(n);
				if (t) {
					size_t sz = (m->n_jsonld + 1) * sizeof *m->jsonld;
					m->jsonld = kb_xrealloc(m->jsonld, sz);
					m->jsonld[m->n_jsonld++] = kb_xstrdup(t);
					xmlFree(t);
				}
			}
		}
		break;
	case 'a':
		if (!m->rel_author && name[1] == '\0') {
			const char *rel = kb_html_attr(n, "rel");
			if (rel && rel_has(rel, "author"))
				m->rel_author = line_of(n);
		}
		break;
	case 'h':
		if (strcmp(name, "h1") == 0 && m->n_h1 < KB_ARRAY_LEN(m->h1s))
			m->h1s[m->n_h1++] = n;
		break;
	default:
		break;
	}
	/* itemprop dates on any element (<span itemprop=datePublished
	 * content=...>) */
	if (m->date_rank > DATE_ITEMPROP && name[0] != 'm' && name[0] != 't') {
		const char *ip = kb_html_attr(n, "itemprop");
		if (ip && strcasecmp(ip, "datePublished") == 0) {
			const char *c = kb_html_attr(n, "content");
			if (!c)
				c = kb_html_attr(n, "datetime");
			set_date(m, DATE_ITEMPROP, c);
		}
	}
	(void)flags;
}

void kb_html_meta_headline(struct kb_html_meta *m, const xmlNode *n)
{
	free(m->h1);
	m->h1 = line_of(n);
}

bool kb_html_meta_stamp(struct kb_html_meta *m, const xmlNode *n)
{
	if (m->date_rank <= DATE_STAMP)
		return true;
	char *line = line_of(n);
	char iso[64];
	/* after a label of a few words ("First published on", "Diperbarui") */
	const char *p = line;
	for (int skip = 0; p && skip < 5; skip++) {
		if ((kb_date_parse_stamp(p, iso, sizeof iso) ||
		     kb_date_parse(p, iso, sizeof iso)) &&
		    strncmp(iso, "1970", 4) >= 0) {
			free(m->published);
			m->published = kb_xstrdup(iso);
			m->date_rank = DATE_STAMP;
			break;
		}
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	free(line);
	return m->date_rank <= DATE_STAMP;
}

/* ---- JSON-LD --------------------------------------------------------------
 * SQLite's JSON functions on an in-memory handle are the well-kept JSON
 * parser kabar already links; no cache is touched ("only store speaks
 * SQL" is about the cache). */

static const char jsonld_sql[] =
	"SELECT json_extract(value, '$.articleBody'), json_extract(value, '$.datePublished'),"
	" json_extract(value, '$.headline'), value -> '$.author',"
	" json_extract(value, '$.publisher.name'), json_extract(value, '$.\"@type\"')"
	" FROM json_tree(?1) WHERE type = 'object' AND"
	" (json_extract(value, '$.articleBody') IS NOT NULL OR"
	"  json_extract(value, '$.datePublished') IS NOT NULL OR"
	"  json_extract(value, '$.headline') IS NOT NULL)";

static const char authors_sql[] =
	"SELECT CASE json_type(?1) WHEN 'text' THEN ?1 ->> '$'"
	" WHEN 'object' THEN json_extract(?1, '$.name')"
	" END UNION ALL SELECT CASE type WHEN 'object' THEN json_extract(value, '$.name')"
	" WHEN 'text' THEN value END FROM json_each(?1) WHERE json_type(?1) = 'array'";

struct jsonld {
	char *body, *date, *headline, *publisher;
	char *authors; /* the JSON of the author value (-> keeps a string quoted) */
	int rank;      /* how article-like the object's @type is (lower is better) */
};

static int type_rank(const char *t)
{
	if (!t)
		return 3;
	if (strstr(t, "NewsArticle") || strstr(t, "Report") || strstr(t, "BlogPosting") ||
	    strstr(t, "Article"))
		return 0;
	if (strstr(t, "Posting") || strstr(t, "Blog"))
		return 1;
	return 2;
}

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t && *t ? kb_xstrdup((const char *)t) : NULL;
}

static void read_jsonld(const struct kb_html_meta *m, struct jsonld *best)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	best->rank = 99;
	if (m->n_jsonld == 0)
		return;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, jsonld_sql, -1, &st, NULL) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < m->n_jsonld; i++) {
		/* raw newlines inside strings are common and invalid JSON;
		 * outside strings they are white space either way */
		char *s = m->jsonld[i];
		for (char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = ' ';
		sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int rank = type_rank((const char *)sqlite3_column_text(st, 5)) * 2;
			if (!sqlite3_column_text(st, 0))
				rank++;
			if (rank >= best->rank)
				continue;
			free(best->body);
			free(best->date);
			free(best->headline);
			free(best->authors);
			free(best->publisher);
			best->body = col(st, 0);
			best->date = col(st, 1);
			best->headline = col(st, 2);
			best->authors = col(st, 3);
			best->publisher = col(st, 4);
			best->rank = rank;
		}
		sqlite3_reset(st);
	}
	if (best->authors) {
		sqlite3_finalize(st);
		st = NULL;
		char *a = best->authors;
		best->authors = NULL;
		struct kb_buf names = { 0 };
		if (sqlite3_prepare_v2(db, authors_sql, -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
			while (sqlite3_step(st) == SQLITE_ROW) {
				const char *nm = (const char *)sqlite3_column_text(st, 0);
				if (nm && *nm && !strchr(nm, ',')) {
					if (names.len)
						kb_buf_addc(&names, ',');
					kb_buf_adds(&names, nm);
				}
			}
		}
		free(a);
		best->authors = names.len ? kb_buf_steal(&names) : NULL;
		kb_buf_free(&names);
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* ---- deciding -------------------------------------------------------------- */

static bool is_sep(const char *s)
{
	return strncmp(s, " | ", 3) == 0 || strncmp(s, " - ", 3) == 0 ||
	       strncmp(s, " \xe2\x80\x93 ", 5) == 0 || strncmp(s, " \xe2\x80\x94 ", 5) == 0 ||
	       strncmp(s, " :: ", 4) == 0 || strncmp(s, " \xc2\xb7 ", 4) == 0 ||
	       strncmp(s, " \xe2\x80\xa2 ", 5) == 0 || strncmp(s, " / ", 3) == 0;
}

/* "Headline - Site" / "Site | Headline": the site's part goes when it
 * names the site or is a domain, or when it is short and after a longer
 * headline. */
static char *strip_site(const char *t, const char *site)
{
	size_t n = strlen(t);
	/* the last separator, then the first */
	for (int pass = 0; pass < 2; pass++) {
		const char *at = NULL;
		for (const char *p = t; *p; p++)
			if (*p == ' ' && is_sep(p)) {
				at = p;
				if (pass == 1)
					break;
			}
		if (!at)
			return kb_xstrdup(t);
		const char *sep_end = at + 1;
		while (*sep_end != ' ')
			sep_end++;
		sep_end++;
		const char *head = pass == 0 ? t : sep_end, *tail = pass == 0 ? sep_end : t;
		size_t head_n = pass == 0 ? (size_t)(at - t) : n - (size_t)(sep_end - t);
		size_t tail_n = pass == 0 ? n - (size_t)(sep_end - t) : (size_t)(at - t);
		bool names_site = site && strlen(site) == tail_n &&
				  strncasecmp(site, tail, tail_n) == 0;
		/* a short part after the headline is the site's; before it, it
		 * may be a topic ("Ferries - ..."), so only a name the page gives
		 * goes */
		bool short_tail = pass == 0 && kb_words(tail, tail_n) <= 3 &&
				  kb_words(head, head_n) >= 4;
		if (names_site || short_tail || kb_boiler_is_domain(tail, tail_n))
			return kb_xstrndup(head, head_n);
	}
	return kb_xstrdup(t);
}

static char *host_of(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return NULL;
	p += 3;
	size_t n = strcspn(p, "/:?#");
	if (n >= 4 && kb_ascii_eq(p, 4, "www."))
		p += 4, n -= 4;
	return n ? kb_xstrndup(p, n) : NULL;
}

static bool absolute_url(const char *s)
{
	return s && (kb_ascii_prefix(s, "http://") || kb_ascii_prefix(s, "https://"));
}

char *kb_html_meta_finish(struct kb_html_meta *m, struct kb_doc *doc)
{
	struct jsonld ld = { 0 };
	read_jsonld(m, &ld);
	if (ld.date)
		set_date(m, DATE_JSONLD, ld.date);

	if (!doc->url) {
		if (absolute_url(m->canonical))
			doc->url = kb_xstrdup(m->canonical);
		else if (absolute_url(m->og_url))
			doc->url = kb_xstrdup(m->og_url);
	}
	if (!doc->source) {
		if (m->site_name && absolute_url(m->site_name))
			doc->source = host_of(m->site_name); /* a URL for a name */
		else if (m->site_name)
			doc->source = kb_xstrdup(m->site_name);
		else if (ld.publisher)
			doc->source = kb_xstrdup(ld.publisher);
		else if (doc->url)
			doc->source = host_of(doc->url);
	}
	if (!doc->title) {
		const char *t = m->og_title ? m->og_title
				: m->h1	    ? m->h1
				: ld.headline ? ld.headline
					      : m->title;
		if (t)
			doc->title = strip_site(t, doc->source);
		if (doc->title) {
			size_t len = kb_text_clean_line(doc->title, strlen(doc->title));
			doc->title[len] = '\0';
		}
	}
	if (!doc->published && m->published)
		doc->published = kb_xstrdup(m->published);

	/* authors: the first source that names anyone; an outlet is not an
	 * author */
	const char *srcs[] = { m->meta_author, is_url(m->article_author) ? NULL : m->article_author,
			       ld.authors, m->rel_author };
	for (size_t i = 0; i < KB_ARRAY_LEN(srcs) && !doc->n_bylines; i++) {
		if (!srcs[i] || (doc->source && strcasecmp(srcs[i], doc->source) == 0) ||
		    (ld.publisher && strcasecmp(srcs[i], ld.publisher) == 0))
			continue;
		add_names(doc, srcs[i]);
	}
	free(ld.date);
	free(ld.headline);
	free(ld.authors);
	free(ld.publisher);
	return ld.body;
}
