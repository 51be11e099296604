/* html.h - what the HTML files of src/ingest share: element meanings, the
 * text writer, the parser call.  Nothing outside src/ingest/. */
#ifndef KABAR_INGEST_HTML_H
#define KABAR_INGEST_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "kabar/ingest.h"
#include "kabar/util.h"

/* What an element is to the text. */
enum {
	KB_TAG_BLOCK = 1u << 0,   /* ends a paragraph before and after */
	KB_TAG_DROP = 1u << 1,    /* never text (script, style, head, ...) */
	KB_TAG_BR = 1u << 2,      /* ends a line */
	KB_TAG_CELL = 1u << 3,    /* a table cell: cells are separated */
	KB_TAG_ROW = 1u << 4,     /* a table row: a line */
	KB_TAG_PRE = 1u << 5,     /* white space is kept */
	KB_TAG_HEADING = 1u << 6, /* h1-h6 */
	KB_TAG_PARA = 1u << 7,    /* holds running text: p, li, pre, ... */
	KB_TAG_LIST = 1u << 8,    /* ul, ol, dl */
	KB_TAG_LINK = 1u << 9,    /* a */
	KB_TAG_DIV = 1u << 10,    /* div: a paragraph when it holds no blocks */
	KB_TAG_TABLE = 1u << 11,
};

struct kb_html_tag {
	const char *name;
	unsigned flags;
};

/* The KB_TAG_ flags of an element (0 for other nodes, unknown tags). */
unsigned kb_html_tag_flags(const xmlNode *n);
/* hidden, aria-hidden="true", style display:none or visibility:hidden. */
bool kb_html_hidden(const xmlNode *n);
/* An attribute's value ("" when it has none), or NULL when absent. */
const char *kb_html_attr(const xmlNode *n, const char *name);

/* Parses UTF-8 HTML quietly (no network, no stderr), recovering from
 * errors; NULL only when libxml2 gives up. */
xmlDoc *kb_html_read(const char *utf8, size_t n);

/* Breaks between pieces of text, weakest first: the strongest break
 * asked for since the last text is written before the next text. */
enum kb_html_brk { KB_BRK_NONE, KB_BRK_SPACE, KB_BRK_CELL, KB_BRK_LINE, KB_BRK_PARA };

/* Writes text into out: white space collapsed, paragraphs "\n\n", lines
 * "\n", cells " | ".  Nothing precedes the first text. */
struct kb_html_writer {
	struct kb_buf *out;
	size_t start; /* out->len when writing began */
	enum kb_html_brk pending;
	int pre; /* inside <pre> */
};

void kb_html_break(struct kb_html_writer *w, enum kb_html_brk b);
void kb_html_write_text(struct kb_html_writer *w, const char *s);
/* Entering a node: writes a text node (returns false) or the break an
 * element opens with; returns whether its children are to be written
 * (false for dropped and hidden elements). */
bool kb_html_write_open(struct kb_html_writer *w, const xmlNode *n, unsigned flags);
void kb_html_write_close(struct kb_html_writer *w, const xmlNode *n, unsigned flags);
/* Writes a subtree, leaving out every element skip (may be NULL) says
 * yes to, with its children. */
typedef bool (*kb_html_skip_fn)(const xmlNode *n, unsigned flags, void *ctx);
void kb_html_write_tree(struct kb_html_writer *w, const xmlNode *root, kb_html_skip_fn skip,
			void *ctx);

/* ---- boilerplate (html-junk.c) ---- */

/* What an element's tag, hidden state, ARIA role, class and id say. */
struct kb_html_verdict {
	uint8_t junk;   /* 0 no, 1 a page region, 2 a widget, 3 comments, 4 hidden */
	int16_t weight; /* -50..+50: boilerplate names weigh down, article names up */
	bool dateish;   /* the class or id says date, time, byline, publish, posted */
	bool body;      /* itemprop=articleBody */
};

void kb_html_judge(const xmlNode *n, struct kb_html_verdict *v);

/* ---- page metadata (html-meta.c) ---- */

/* What the page says about itself, gathered element by element. */
struct kb_html_meta {
	char *og_title, *title, *h1, *site_name, *canonical, *og_url;
	const xmlNode *h1s[8]; /* the first <h1>s, for the page to choose from */
	size_t n_h1;
	char *published; /* ISO, from the strongest source so far */
	int date_rank;
	char *meta_author, *article_author, *rel_author;
	char **jsonld; /* the text of each ld+json script */
	size_t n_jsonld;
};

void kb_html_meta_init(struct kb_html_meta *m);
/* Called for every element of the page, in document order. */
void kb_html_meta_element(struct kb_html_meta *m, const xmlNode *n, unsigned flags);
/* The headline is n's text (the page reader picks the <h1>). */
void kb_html_meta_headline(struct kb_html_meta *m, const xmlNode *n);
/* When no date is known yet, reads n's text (a date or byline element)
 * as a time stamp ("Jumat, 29 November 2024 09:30 WIB").  Returns
 * whether a date is known now. */
bool kb_html_meta_stamp(struct kb_html_meta *m, const xmlNode *n);
/* Sets what doc does not have yet: url, source, title, published,
 * authors.  Returns JSON-LD's articleBody (malloc'd) or NULL. */
char *kb_html_meta_finish(struct kb_html_meta *m, struct kb_doc *doc);
void kb_html_meta_free(struct kb_html_meta *m);

#endif
