/* ingest.h - turning files into clean articles in the cache.
 *
 * Format readers (plain text, HTML pages, RSS/Atom feeds, newsboat caches)
 * parse bytes into struct kb_doc; the import driver walks paths, refuses
 * bad input with one clear line, and hands each document to one sink that
 * hashes and stores it atomically. */
#ifndef KABAR_INGEST_H
#define KABAR_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kabar/cost.h"
#include "kabar/store.h"
#include "kabar/util.h"

struct kb_extractor;

/* Files larger than this are refused. */
#define KB_MAX_ARTICLE_BYTES (8u << 20)
/* A longer title (a one-line file's first line, say) is cut at a
 * character boundary and ends in "…": every list row holds one. */
#define KB_MAX_TITLE_BYTES 4096

/* A parsed article.  Every string is malloc'd or NULL. */
struct kb_doc {
	char *title;
	char *body; /* clean paragraphs separated by "\n\n" */
	char *source;
	char *url;
	char *published; /* ISO 8601 */
	struct kb_byline *bylines; /* role and name malloc'd */
	size_t n_bylines;
	char *guid; /* a feed item's guid or id: the same item through any door */
	bool read;  /* read already (a newsboat cache says so) */
	const char *format; /* static: "text", "html", "rss", "newsboat" */
};

void kb_doc_free(struct kb_doc *doc);
/* Adds a byline unless the same role and name is there already. */
void kb_doc_add_byline(struct kb_doc *doc, const char *role, const char *name, size_t n);

/* Parses decoded UTF-8 plain text: optional header block, title, body
 * without boilerplate, bylines and credits as metadata, the outlet from the
 * dateline.  Returns 0, or -1 with *why set when there is no article. */
int kb_parse_text(const char *text, size_t n, struct kb_doc *doc, const char **why);

/* Cleans the text of an article whose title is known already (a page's
 * main text, a feed item's body): the same boilerplate, byline, credit,
 * dateline and repeat rules as plain text; a line that repeats the title
 * goes.  A source already in doc wins over the dateline.  Sets doc->body
 * (possibly empty). */
void kb_parse_body(const char *text, size_t n, struct kb_doc *doc);

/* HTML to text, for feed bodies (no main-content scoring): block elements
 * end paragraphs ("\n\n"), <br> ends a line, entities are decoded,
 * scripts, styles and hidden elements dropped.  html is UTF-8. */
void kb_html_to_text(const char *html, size_t n, struct kb_buf *out);

/* A saved article page (raw bytes, any charset): its main text through
 * kb_parse_body, title, date, author, outlet and canonical URL.  Returns
 * 0, or -1 with *why set when no article text is found. */
int kb_parse_html(const char *raw, size_t n, struct kb_doc *doc, const char **why);

/* Feeds are streamed: a reader hands over the next bytes (returns how
 * many, 0 at the end, -1 on error). */
typedef long (*kb_read_fn)(void *io, char *buf, size_t n);
/* Called for each item; the parser frees doc after it returns.  A
 * non-zero return stops the parse. */
typedef int (*kb_item_fn)(struct kb_doc *doc, void *ctx);

/* Streams an RSS 0.9x/1.0/2.0 or Atom 1.0 feed in bounded memory, calling
 * fn for every item it can recover.  head (the first bytes, already read)
 * is parsed first, then rd.  Returns 0 for a well-formed feed, 1 when it
 * was malformed or not a feed (why says how, in one line; the items
 * recovered were still delivered), -1 when fn stopped it. */
int kb_parse_feed(const char *head, size_t head_n, kb_read_fn rd, void *io, kb_item_fn fn,
		  void *ctx, char *why, size_t whysz);

/* One newsboat cache item as a document (its HTML content to clean text,
 * the feed's title as the outlet, its read state).  Returns 0, or -1 with
 * *why when the item holds no article. */
struct kb_newsboat_item;
int kb_newsboat_doc(const struct kb_newsboat_item *it, struct kb_doc *doc, const char **why);

enum kb_format {
	KB_FORMAT_AUTO,
	KB_FORMAT_TEXT,
	KB_FORMAT_HTML,
	KB_FORMAT_RSS,
	KB_FORMAT_NEWSBOAT,
};

/* Parses "auto", "text", ...; returns -1 for an unknown name. */
int kb_format_from_name(const char *name);
const char *kb_format_name(enum kb_format f);
/* Guesses the format of a file from its name and first bytes. */
enum kb_format kb_format_sniff(const char *name, const char *head, size_t n);

struct kb_import_opts {
	enum kb_format format;
	const char *published; /* ISO date applied to every article, or NULL */
	const char *source;    /* outlet applied to every article, or NULL */
	bool progress;         /* show a progress line (a terminal) */
	const struct kb_extractor *extractor; /* NULL: store no mentions */
	int jobs;     /* extraction workers (threads); <= 1: none, the
	                 importing thread extracts; the cache is the same */
	bool batched; /* inside a transaction the caller commits (savepoints) */
	bool stages;  /* measure what each stage costs (stats->stage) */
	/* told of every document once it is stored (or refused): doc is the
	 * reader's (its url normalised), res the store's verdict */
	void (*on_item)(void *ctx, const struct kb_doc *doc, enum kb_put res, int64_t id);
	void *on_item_ctx;
};

/* Counts of what was stored: an article counts once its batch commits. */
struct kb_import_stats {
	uint64_t imported, updated, unchanged, failed;
	uint64_t bytes;
	/* with opts->stages: what each stage cost in all, over `documents`
	 * documents (CPU time; instructions where they are counted) */
	struct kb_import_stages {
		struct kb_cost read;    /* reading and parsing, on the importing thread */
		struct kb_cost extract; /* extraction, on whichever thread did it */
		struct kb_cost store;   /* the writer: lookups, rows, commits */
		struct kb_cost events;  /* linking events, at the end (the writer too) */
		uint64_t documents;
		bool instr; /* instructions were counted on every thread */
	} stage;
	bool stopped;    /* a write failed for good (said in one line) */
	int interrupted; /* the signal that ended the import early, or 0 */
};

/* SIGINT and SIGTERM end an import after its current batch, which is
 * committed: kb_import_interrupted() then gives the signal. */
int kb_import_catch_signals(void);
int kb_import_interrupted(void);

/* Imports files, directories (recursively) and "-" (standard input).
 * Every bad input is reported on one stderr line and skipped; the rest is
 * still imported.  Returns 0 when everything imported, 1 when some input
 * failed. */
int kb_import_paths(struct kb_store *st, char *const *paths, size_t n,
		    const struct kb_import_opts *opts, struct kb_import_stats *stats);

/* What identifies a feed item (doc->format "rss" or "newsboat") across
 * files, caches and imports: its guid, else its link (as newsboat does),
 * within its feed, named by its title (so a newsboat cache of the feed
 * gives the same key, and feeds that reuse guids such as "42" do not
 * collide); NULL for anything else.  malloc'd. */
char *kb_item_key(const struct kb_doc *doc);

/* An import of many inputs: files and directories, standard input, and
 * documents fetched over HTTP, in batched transactions; events are linked
 * at the end.  Bad input is reported on one stderr line each and skipped.
 * kb_import_end returns 0 when everything imported, 1 when some input
 * failed, and frees im. */
struct kb_import;
struct kb_import *kb_import_begin(struct kb_store *st, const struct kb_import_opts *opts,
				  struct kb_import_stats *stats);
/* Adds to the number of inputs the progress line expects. */
void kb_import_expect(struct kb_import *im, uint64_t inputs);
void kb_import_path(struct kb_import *im, const char *path); /* file, directory, "-" */
/* A document fetched from origin (its URL): a feed, a page or text, told
 * apart as files are.  Its items' doors are keyed by the URL. */
void kb_import_memory(struct kb_import *im, const char *origin, const char *data, size_t n);
int kb_import_end(struct kb_import *im);

/* Imports one document already in memory (what every reader ends in).
 * origin is what the user gave, origin_key identifies it across imports.
 * Returns the store's verdict; on KB_PUT_ERROR the cache is unchanged. */
enum kb_put kb_import_doc(struct kb_store *st, struct kb_doc *doc, const char *origin,
			  const char *origin_key, const struct kb_import_opts *opts,
			  int64_t *id);

#endif
