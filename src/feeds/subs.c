/* subs.c - newsboat's urls file and OPML, read and written. */
#include "config.h"

#include "kabar/subs.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <unistr.h>

#include "kabar/util.h"

bool kb_sub_url_ok(const char *url)
{
	const char *p;
	if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else
		return false;
	if (!*p || *p == '/' || *p == '?' || *p == '#')
		return false;
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

bool kb_subs_is_opml(const char *data, size_t n)
{
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i + 5 <= lim; i++)
		if (data[i] == '<' && strncasecmp(data + i + 1, "opml", 4) == 0)
			return true;
	return false;
}

/* ---- newsboat's urls file --------------------------------------------- */

struct tokens {
	char **v;
	size_t n, cap;
};

static void tok_add(struct tokens *t, char *s)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->v = kb_xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = s;
}

static void tok_free(struct tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	t->n = 0;
}

/* Splits one line into tokens; quoted tokens lose their quotes (and
 * their backslashes).  *quoted0 says whether the first one was quoted. */
static void tokenize(const char *p, const char *end, struct tokens *t, bool *quoted0)
{
	struct kb_buf b = { 0 };
	*quoted0 = false;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= end || *p == '#')
			break;
		kb_buf_reset(&b);
		kb_buf_adds(&b, "");
		if (*p == '"') {
			if (t->n == 0)
				*quoted0 = true;
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < end)
					p++;
				kb_buf_addc(&b, *p);
			}
			if (p < end)
				p++;
		} else {
			while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
				kb_buf_addc(&b, *p++);
		}
		tok_add(t, kb_xstrndup(b.p, b.len));
	}
	kb_buf_free(&b);
}

void kb_subs_parse_urls(const char *text, size_t n, kb_sub_fn fn, kb_sub_skip_fn skip,
			void *ctx)
{
	struct tokens t = { 0 };
	const char *p = text, *end = text + n;
	unsigned line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		bool quoted0;
		tokenize(p, le, &t, &quoted0);
		p = nl ? nl + 1 : end;
		if (t.n == 0)
			continue;
		const char *url = t.v[0];
		char why[160];
		if (strncmp(url, "query:", 6) == 0) {
			skip(line, "query feeds are not supported, skipped", ctx);
		} else if (strncmp(url, "exec:", 5) == 0) {
			skip(line, "exec: feeds are not supported, skipped", ctx);
		} else if (strncmp(url, "filter:", 7) == 0) {
			skip(line, "filter: feeds are not supported, skipped", ctx);
		} else if (!kb_sub_url_ok(url)) {
			snprintf(why, sizeof why, "'%.100s' is not an http(s) URL, skipped", url);
			skip(line, why, ctx);
		} else {
			const char *title = NULL;
			const char **tags = kb_xcalloc(t.n, sizeof *tags);
			size_t nt = 0;
			for (size_t i = 1; i < t.n; i++) {
				if (t.v[i][0] == '~')
					title = t.v[i] + 1;
				else if (t.v[i][0])
					tags[nt++] = t.v[i];
			}
			struct kb_sub s = { .url = url, .title = title && *title ? title : NULL,
					    .tags = tags, .n_tags = nt, .line = line,
					    .full_text = -1 };
			fn(&s, ctx);
			free(tags);
		}
		(void)quoted0;
		tok_free(&t);
	}
	free(t.v);
}

/* ---- OPML ------------------------------------------------------------- */

/* libxml2 recovering from bad UTF-8 keeps the bytes: each becomes
 * U+FFFD, since the cache takes only UTF-8 (found by fuzz-opml). */
static char *valid_utf8(const char *s)
{
	struct kb_buf b = { 0 };
	kb_buf_adds(&b, "");
	const uint8_t *p = (const uint8_t *)s, *end = p + strlen(s);
	while (p < end) {
		ucs4_t c;
		int k = u8_mbtoucr(&c, p, (size_t)(end - p));
		kb_buf_add(&b, k > 0 ? (const char *)p : "\xef\xbf\xbd", k > 0 ? (size_t)k : 3);
		p += k > 0 ? k : 1;
	}
	return kb_buf_steal(&b);
}

static char *attr(xmlNode *n, const char *name)
{
	/* attribute names differ in case among OPML writers (xmlUrl, xmlurl) */
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0) {
			xmlChar *v = xmlNodeGetContent((xmlNode *)a);
			char *s = v ? valid_utf8((const char *)v) : NULL;
			xmlFree(v);
			if (s && !*s) {
				free(s);
				s = NULL;
			}
			return s;
		}
	return NULL;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '/')
		s++;
	size_t k = strlen(s);
	while (k && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\n' ||
		     s[k - 1] == '\r' || s[k - 1] == '/'))
		s[--k] = '\0';
	return s;
}

struct opml_walk {
	kb_sub_fn fn;
	kb_sub_skip_fn skip;
	void *ctx;
	const char *path[32]; /* the titles of the enclosing outlines */
	size_t depth;
};

static void add_tag(const char ***tags, size_t *n, size_t *cap, const char *t)
{
	if (!*t)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*tags)[i], t) == 0)
			return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		*tags = kb_xrealloc(*tags, *cap * sizeof **tags);
	}
	(*tags)[(*n)++] = t;
}

static void outline(struct opml_walk *w, xmlNode *n)
{
	char *url = attr(n, "xmlUrl");
	char *title = attr(n, "title");
	char *text = attr(n, "text");
	const char *name = title ? title : text;
	if (url) {
		if (!kb_sub_url_ok(url)) {
			char why[160];
			snprintf(why, sizeof why, "'%.100s' is not an http(s) URL, skipped", url);
			w->skip((unsigned)xmlGetLineNo(n), why, w->ctx);
		} else {
			char *cat = attr(n, "category");
			const char **tags = NULL;
			size_t nt = 0, cap = 0;
			for (size_t i = 0; i < w->depth; i++)
				add_tag(&tags, &nt, &cap, w->path[i]);
			for (char *tok = cat ? strtok(cat, ",") : NULL; tok; tok = strtok(NULL, ","))
				add_tag(&tags, &nt, &cap, trim(tok));
			struct kb_sub s = { .url = trim(url), .title = name, .tags = tags,
					    .n_tags = nt, .line = (unsigned)xmlGetLineNo(n),
					    .full_text = -1 };
			char *ft = attr(n, "fullText"), *every = attr(n, "updateInterval");
			if (ft && (strcmp(ft, "true") == 0 || strcmp(ft, "false") == 0))
				s.full_text = ft[0] == 't';
			if (every) {
				char *end;
				long v = strtol(every, &end, 10);
				if (!*end && v > 0)
					s.interval = v;
			}
			w->fn(&s, w->ctx);
			free(ft);
			free(every);
			free(tags);
			free(cat);
		}
	}
	/* an outline holding outlines is a folder: its name tags them */
	bool pushed = false;
	if (!url && name && w->depth < KB_ARRAY_LEN(w->path)) {
		w->path[w->depth++] = name;
		pushed = true;
	}
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcasecmp((const char *)c->name, "outline") == 0)
			outline(w, c);
	if (pushed)
		w->depth--;
	free(url);
	free(title);
	free(text);
}

int kb_subs_parse_opml(const char *data, size_t n, kb_sub_fn fn, kb_sub_skip_fn skip, void *ctx,
		       char *why, size_t whysz)
{
	if (n > (size_t)0x7fffffff) {
		snprintf(why, whysz, "too large");
		return -1;
	}
	xmlDoc *doc = xmlReadMemory(data, (int)n, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
					    XML_PARSE_RECOVER);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || strcasecmp((const char *)root->name, "opml") != 0) {
		snprintf(why, whysz, "not an OPML document");
		xmlFreeDoc(doc);
		return -1;
	}
	struct opml_walk w = { .fn = fn, .skip = skip, .ctx = ctx };
	for (xmlNode *b = root->children; b; b = b->next)
		if (b->type == XML_ELEMENT_NODE && strcasecmp((const char *)b->name, "body") == 0)
			for (xmlNode *c = b->children; c; c = c->next)
				if (c->type == XML_ELEMENT_NODE &&
				    strcasecmp((const char *)c->name, "outline") == 0)
					outline(&w, c);
	xmlFreeDoc(doc);
	return 0;
}

struct kb_opml {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	bool failed;
};

#define X(s) ((const xmlChar *)(s))

/* The namespace of the attributes only kabar writes. */
#define KABAR_OPML_NS "urn:x-kabar:opml"


struct kb_opml *kb_opml_begin(const char *title)
{
	struct kb_opml *o = kb_xcalloc(1, sizeof *o);
	o->buf = xmlBufferCreate();
	o->w = o->buf ? xmlNewTextWriterMemory(o->buf, 0) : NULL;
	if (!o->w) {
		o->failed = true;
		return o;
	}
	xmlTextWriterSetIndent(o->w, 1);
	xmlTextWriterSetIndentString(o->w, X("  "));
	if (xmlTextWriterStartDocument(o->w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(o->w, X("opml")) < 0 ||
	    xmlTextWriterWriteAttribute(o->w, X("version"), X("2.0")) < 0 ||
	    xmlTextWriterWriteAttribute(o->w, X("xmlns:kabar"), X(KABAR_OPML_NS)) < 0 ||
	    xmlTextWriterStartElement(o->w, X("head")) < 0 ||
	    xmlTextWriterWriteElement(o->w, X("title"), X(title)) < 0 ||
	    xmlTextWriterEndElement(o->w) < 0 || xmlTextWriterStartElement(o->w, X("body")) < 0)
		o->failed = true;
	return o;
}

void kb_opml_add(struct kb_opml *o, const char *url, const char *title, const char *category,
		 bool full_text, long interval)
{
	if (o->failed)
		return;
	char every[32];
	snprintf(every, sizeof every, "%ld", interval);
	const char *name = title && *title ? title : url;
	if (xmlTextWriterStartElement(o->w, X("outline")) < 0 ||
	    xmlTextWriterWriteAttribute(o->w, X("type"), X("rss")) < 0 ||
	    xmlTextWriterWriteAttribute(o->w, X("text"), X(name)) < 0 ||
	    (title && *title && xmlTextWriterWriteAttribute(o->w, X("title"), X(title)) < 0) ||
	    xmlTextWriterWriteAttribute(o->w, X("xmlUrl"), X(url)) < 0 ||
	    (category && *category &&
	     xmlTextWriterWriteAttribute(o->w, X("category"), X(category)) < 0) ||
	    xmlTextWriterWriteAttribute(o->w, X("kabar:fullText"),
					X(full_text ? "true" : "false")) < 0 ||
	    (interval > 0 &&
	     xmlTextWriterWriteAttribute(o->w, X("kabar:updateInterval"), X(every)) < 0) ||
	    xmlTextWriterEndElement(o->w) < 0)
		o->failed = true;
}

int kb_opml_end(struct kb_opml *o, FILE *f)
{
	int rc = -1;
	if (f && !o->failed && xmlTextWriterEndDocument(o->w) >= 0) {
		xmlFreeTextWriter(o->w); /* flushes into buf */
		o->w = NULL;
		size_t len = (size_t)xmlBufferLength(o->buf);
		rc = fwrite(xmlBufferContent(o->buf), 1, len, f) == len ? 0 : -1;
	}
	if (o->w)
		xmlFreeTextWriter(o->w);
	if (o->buf)
		xmlBufferFree(o->buf);
	free(o);
	return rc;
}
