/* html.c - HTML to text: what an element means for the text (block, line
 * break, table cell, dropped, hidden), and the writer that turns a DOM
 * subtree into paragraphs.  Feed bodies use it whole (kb_html_to_text);
 * the article-page reader (html-page.c) uses it for the main content it
 * picked.  The DOM is libxml2's HTML parser's. */
#include "config.h"

#include "internal.h"
#include "html.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "kabar/util.h"

/* Sorted by name for bsearch; libxml2 lowercases HTML element names. */
static const struct kb_html_tag tags[] = {
	{ "a", KB_TAG_LINK },
	{ "address", KB_TAG_BLOCK },
	{ "applet", KB_TAG_DROP },
	{ "article", KB_TAG_BLOCK },
	{ "aside", KB_TAG_BLOCK },
	{ "audio", KB_TAG_DROP },
	{ "blockquote", KB_TAG_BLOCK | KB_TAG_PARA },
	{ "body", KB_TAG_BLOCK },
	{ "br", KB_TAG_BR },
	{ "button", KB_TAG_DROP },
	{ "canvas", KB_TAG_DROP },
	{ "caption", KB_TAG_BLOCK },
	{ "center", KB_TAG_BLOCK },
	{ "datalist", KB_TAG_DROP },
	{ "dd", KB_TAG_BLOCK | KB_TAG_PARA },
	{ "details", KB_TAG_BLOCK },
	{ "dialog", KB_TAG_BLOCK },
	{ "dir", KB_TAG_BLOCK | KB_TAG_LIST },
	{ "div", KB_TAG_BLOCK | KB_TAG_DIV },
	{ "dl", KB_TAG_BLOCK | KB_TAG_LIST },
	{ "dt", KB_TAG_BLOCK | KB_TAG_PARA },
	{ "embed", KB_TAG_DROP },
	{ "fieldset", KB_TAG_BLOCK },
	{ "figcaption", KB_TAG_BLOCK },
	{ "figure", KB_TAG_BLOCK },
	{ "footer", KB_TAG_BLOCK },
	{ "form", KB_TAG_BLOCK },
	{ "frameset", KB_TAG_DROP },
	{ "h1", KB_TAG_BLOCK | KB_TAG_HEADING },
	{ "h2", KB_TAG_BLOCK | KB_TAG_HEADING },
	{ "h3", KB_TAG_BLOCK | KB_TAG_HEADING },
	{ "h4", KB_TAG_BLOCK | KB_TAG_HEADING },
	{ "h5", KB_TAG_BLOCK | KB_TAG_HEADING },
	{ "h6", KB_TAG_BLOCK | KB_TAG_HEADING },
	{ "head", KB_TAG_DROP },
	{ "header", KB_TAG_BLOCK },
	{ "hgroup", KB_TAG_BLOCK },
	{ "hr", KB_TAG_BLOCK },
	{ "html", KB_TAG_BLOCK },
	{ "iframe", KB_TAG_DROP },
	{ "input", KB_TAG_DROP },
	{ "legend", KB_TAG_BLOCK },
	{ "li", KB_TAG_BLOCK | KB_TAG_PARA },
	{ "link", KB_TAG_DROP },
	{ "main", KB_TAG_BLOCK },
	{ "map", KB_TAG_DROP },
	{ "math", KB_TAG_DROP },
	{ "menu", KB_TAG_BLOCK | KB_TAG_LIST },
	{ "meta", KB_TAG_DROP },
	{ "nav", KB_TAG_BLOCK },
	{ "noembed", KB_TAG_DROP },
	{ "noframes", KB_TAG_DROP },
	{ "noscript", KB_TAG_DROP },
	{ "object", KB_TAG_DROP },
	{ "ol", KB_TAG_BLOCK | KB_TAG_LIST },
	{ "optgroup", KB_TAG_DROP },
	{ "option", KB_TAG_DROP },
	{ "p", KB_TAG_BLOCK | KB_TAG_PARA },
	{ "picture", KB_TAG_DROP },
	{ "pre", KB_TAG_BLOCK | KB_TAG_PARA | KB_TAG_PRE },
	{ "script", KB_TAG_DROP },
	{ "section", KB_TAG_BLOCK },
	{ "select", KB_TAG_DROP },
	{ "style", KB_TAG_DROP },
	{ "summary", KB_TAG_BLOCK },
	{ "svg", KB_TAG_DROP },
	{ "table", KB_TAG_BLOCK | KB_TAG_TABLE },
	{ "tbody", KB_TAG_BLOCK },
	{ "td", KB_TAG_CELL },
	{ "template", KB_TAG_DROP },
	{ "textarea", KB_TAG_DROP },
	{ "tfoot", KB_TAG_BLOCK },
	{ "th", KB_TAG_CELL },
	{ "thead", KB_TAG_BLOCK },
	{ "title", KB_TAG_DROP },
	{ "tr", KB_TAG_ROW },
	{ "ul", KB_TAG_BLOCK | KB_TAG_LIST },
	{ "video", KB_TAG_DROP },
	{ "xmp", KB_TAG_BLOCK | KB_TAG_PRE },
};

static int tag_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct kb_html_tag *)elem)->name);
}

unsigned kb_html_tag_flags(const xmlNode *n)
{
	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	const struct kb_html_tag *t =
		bsearch(n->name, tags, KB_ARRAY_LEN(tags), sizeof tags[0], tag_cmp);
	return t ? t->flags : 0;
}

/* Finds key (lower case) in s regardless of case. */
static const char *find_ci(const char *s, const char *key)
{
	size_t k = strlen(key);
	for (; *s; s++)
		if (strncasecmp(s, key, k) == 0)
			return s;
	return NULL;
}

/* style="display: none" or "visibility:hidden" (any spacing or case). */
static bool style_hides(const char *s)
{
	static const char *const props[][2] = { { "display", "none" },
						{ "visibility", "hidden" } };
	for (size_t i = 0; i < KB_ARRAY_LEN(props); i++) {
		for (const char *p = s; (p = find_ci(p, props[i][0])) != NULL;) {
			p += strlen(props[i][0]);
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (*p != ':')
				continue;
			p++;
			while (*p == ' ' || *p == '\t' || *p == '\n')
				p++;
			if (strncasecmp(p, props[i][1], strlen(props[i][1])) == 0)
				return true;
		}
	}
	return false;
}

bool kb_html_hidden(const xmlNode *n)
{
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		const char *v = a->children && a->children->type == XML_TEXT_NODE
					? (const char *)a->children->content
					: "";
		if (strcmp(name, "hidden") == 0)
			return true;
		if (strcmp(name, "aria-hidden") == 0 && strcasecmp(v, "true") == 0)
			return true;
		if (strcmp(name, "style") == 0 && style_hides(v))
			return true;
	}
	return false;
}

const char *kb_html_attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->type == XML_TEXT_NODE
				       ? (const char *)a->children->content
				       : "";
	return NULL;
}

/* ---- the writer ---------------------------------------------------------- */

static void flush(struct kb_html_writer *w)
{
	if (w->pending && w->out->len > w->start) {
		switch (w->pending) {
		case KB_BRK_SPACE:
			kb_buf_addc(w->out, ' ');
			break;
		case KB_BRK_CELL:
			kb_buf_adds(w->out, " | ");
			break;
		case KB_BRK_LINE:
			kb_buf_addc(w->out, '\n');
			break;
		default:
			kb_buf_adds(w->out, "\n\n");
			break;
		}
	}
	w->pending = KB_BRK_NONE;
}

void kb_html_break(struct kb_html_writer *w, enum kb_html_brk b)
{
	if (b > w->pending)
		w->pending = b;
}

void kb_html_write_text(struct kb_html_writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
		    (p[0] == 0xc2 && p[1] == 0xa0)) {
			if (w->pre && *p != '\r') {
				if (*p == '\n') {
					kb_html_break(w, w->pending == KB_BRK_LINE ? KB_BRK_PARA
										   : KB_BRK_LINE);
				} else {
					flush(w);
					kb_buf_addc(w->out, ' ');
				}
			} else {
				kb_html_break(w, KB_BRK_SPACE);
			}
			p += *p == 0xc2 ? 2 : 1;
			continue;
		}
		const unsigned char *q = p;
		while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\f' &&
		       !(q[0] == 0xc2 && q[1] == 0xa0))
			q++;
		flush(w);
		kb_buf_add(w->out, (const char *)p, (size_t)(q - p));
		p = q;
	}
}

bool kb_html_write_open(struct kb_html_writer *w, const xmlNode *n, unsigned flags)
{
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			kb_html_write_text(w, (const char *)n->content);
		return false;
	}
	if (n->type != XML_ELEMENT_NODE)
		return n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE;
	if ((flags & KB_TAG_DROP) || kb_html_hidden(n))
		return false;
	if (flags & KB_TAG_BR)
		kb_html_break(w, w->pending >= KB_BRK_LINE ? KB_BRK_PARA : KB_BRK_LINE);
	else if (flags & KB_TAG_BLOCK)
		kb_html_break(w, KB_BRK_PARA);
	else if (flags & KB_TAG_ROW)
		kb_html_break(w, KB_BRK_LINE);
	else if (flags & KB_TAG_CELL)
		kb_html_break(w, KB_BRK_CELL);
	if (flags & KB_TAG_PRE)
		w->pre++;
	return true;
}

void kb_html_write_close(struct kb_html_writer *w, const xmlNode *n, unsigned flags)
{
	(void)n;
	if (flags & KB_TAG_PRE)
		w->pre--;
	if (flags & KB_TAG_BLOCK)
		kb_html_break(w, KB_BRK_PARA);
	else if (flags & KB_TAG_ROW)
		kb_html_break(w, KB_BRK_LINE);
	else if (flags & KB_TAG_CELL)
		kb_html_break(w, KB_BRK_CELL);
}

/* Depth-first without recursion: pages nest deeper than a stack should. */
void kb_html_write_tree(struct kb_html_writer *w, const xmlNode *root, kb_html_skip_fn skip,
			void *ctx)
{
	const xmlNode *n = root;
	while (n) {
		unsigned f = kb_html_tag_flags(n);
		if (!(skip && n->type == XML_ELEMENT_NODE && skip(n, f, ctx)) &&
		    kb_html_write_open(w, n, f)) {
			if (n->children) {
				n = n->children;
				continue;
			}
			kb_html_write_close(w, n, f);
		}
		for (;;) {
			if (n == root)
				return;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			kb_html_write_close(w, n, kb_html_tag_flags(n));
		}
	}
}

xmlDoc *kb_html_read(const char *utf8, size_t n)
{
	if (n > INT32_MAX)
		n = INT32_MAX;
	/* the bytes are UTF-8 already: a <meta charset> must not switch the
	 * decoder; no network, no messages on stderr */
	return htmlReadMemory(utf8, (int)n, NULL, "UTF-8",
			      HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
				      HTML_PARSE_NOWARNING | HTML_PARSE_IGNORE_ENC |
				      HTML_PARSE_COMPACT);
}

void kb_html_to_text(const char *html, size_t n, struct kb_buf *out)
{
	kb_buf_grow(out, 1);
	out->p[out->len] = '\0';
	if (n == 0)
		return;
	xmlDoc *d = kb_html_read(html, n);
	if (!d)
		return;
	struct kb_html_writer w = { .out = out, .start = out->len };
	kb_html_write_tree(&w, (const xmlNode *)d, NULL, NULL);
	xmlFreeDoc(d);
}
