/* feed.h - what the feed reader's files share (src/ingest/feed*.c only).
 *
 * The reader is a pull loop over libxml2's xmlTextReader (feed.c) fed by
 * an input layer that repairs what feeds commonly get wrong
 * (feed_input.c).  Elements are looked up by (namespace, local name) in
 * one table per vocabulary (feed_rss.c, feed_atom.c, feed_dc.c,
 * feed_content.c, feed_media.c); their handlers fill the current item
 * (feed_item.c), which becomes a struct kb_doc when it ends.  Only the
 * current item is ever held, each field under a cap, so memory does not
 * grow with the feed. */
#ifndef KABAR_INGEST_FEED_H
#define KABAR_INGEST_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlreader.h>

#include "kabar/ingest.h"
#include "kabar/util.h"

/* Caps per field, in bytes of UTF-8.  A body longer than an article may
 * be is cut; the rest are far above anything real. */
#define FEED_CAP_TITLE 4096
#define FEED_CAP_LINK 4096
#define FEED_CAP_SHORT 512 /* guids, dates, author names */
#define FEED_CAP_BODY (1u << 20)
#define FEED_MAX_AUTHORS 16
/* Elements deeper than this are read as content of their ancestor but
 * never dispatched (feeds nest four or five levels). */
#define FEED_MAX_DEPTH 32
/* Ancestors of an item whose start tags are kept, to restart after an
 * error (rss > channel > item). */
#define FEED_KEPT_ANCESTORS 4

/* How a captured element's text is to be read. */
enum feed_mode {
	FEED_TEXT,  /* plain text (Atom type="text") */
	FEED_GUESS, /* plain text unless it looks like HTML (RSS titles) */
	FEED_HTML,  /* escaped or CDATA HTML (RSS description, type="html") */
	FEED_XHTML, /* inline XHTML elements (Atom type="xhtml") */
	FEED_SKIP,  /* not text (base64, out-of-line content) */
};

/* What an element is, for its children's handlers. */
enum feed_role {
	ROLE_NONE,
	ROLE_ROOT,    /* <rss>, <rdf:RDF> */
	ROLE_CHANNEL, /* <channel>, Atom <feed> */
	ROLE_ITEM,    /* <item>, <entry> */
	ROLE_AUTHOR,  /* Atom <author> */
	ROLE_SOURCE,  /* Atom <source> inside an entry */
	ROLE_OTHER,   /* image, textinput, media:group...: their titles are not ours */
};

/* A field whose better value may come later (content:encoded after
 * description): rank says how good the value is, higher wins, the first
 * of equal rank stays. */
struct feed_field {
	struct kb_buf b;
	int rank;
	enum feed_mode mode;
};

/* The current item.  Buffers are kept between items (emptied, not
 * freed) so a long feed allocates them once. */
struct feed_item {
	struct feed_field title, link, guid, published, updated, body;
	struct kb_buf authors;        /* names, each ending in '\n' */
	struct kb_buf source_authors; /* Atom <source><author> */
	size_t n_authors, n_source_authors;
	bool open;
};

struct feed;

/* An element handler: start runs at the start tag (attributes are
 * readable), end at the end tag or right after start for <empty/>. */
typedef void (*feed_handler)(struct feed *f, xmlTextReaderPtr r);

struct feed_elem {
	const char *name; /* local name */
	feed_handler start, end;
};

struct feed_vocab {
	const char *const *ns; /* namespace URIs, "" for none; NULL ends */
	const struct feed_elem *elems;
	size_t n;
};

extern const struct feed_vocab feed_vocab_rss, feed_vocab_rss1, feed_vocab_atom,
	feed_vocab_dc, feed_vocab_content, feed_vocab_media;

/* ---- input (feed_input.c) -------------------------------------------- */

/* The bytes libxml2 reads: head, then rd, with junk before the document
 * skipped, HTML entity names turned into character references, and a
 * CDATA section that runs into the next item closed.  What was handed
 * over lately stays in a window, so a parse can restart after an error
 * from where it broke. */
struct feed_input {
	const char *head;
	size_t head_n, head_pos;
	kb_read_fn rd;
	void *io;
	bool raw_eof, read_error;
	bool ascii; /* an ASCII-compatible charset: the repairs are safe */

	/* raw bytes not yet filtered (a reference or tag cut by a read) */
	char carry[64];
	size_t carry_n;
	/* lexical state of the repairs */
	bool started;    /* junk before the document was skipped */
	bool in_cdata;   /* inside <![CDATA[ ... ]]> */
	char last_tag[64]; /* the last start tag's name outside CDATA */
	unsigned long cdata_line; /* where the open CDATA began */
	unsigned long repair_line; /* first unterminated CDATA closed, or 0 */
	unsigned long lines_out;   /* '\n' in the filtered stream so far */

	/* filtered bytes: out.p[0..out.len) starts at offset out_base of the
	 * filtered stream; pos is the next byte for libxml2 */
	struct kb_buf out;
	uint64_t out_base;
	size_t pos;
	unsigned long lines_before; /* '\n' in the stream before out_base */
	unsigned long junk_lines;   /* '\n' in the junk skipped */

	/* served before pos when a parse restarts: the ancestors' start tags */
	struct kb_buf prefix;
	size_t prefix_pos;
	/* a replayed segment ends at limit, then suffix, then the end */
	bool limited;
	uint64_t limit;
	struct kb_buf suffix;
	size_t suffix_pos;
	/* item start tags seen outside CDATA: how many, where the last were */
	uint64_t items_lex;
	uint64_t item_off[64];
	/* the end tags of the document's open ancestors, closing it when an
	 * unterminated CDATA section runs to the end (set by the parser) */
	struct kb_buf closers;
	char item_qname[48];
};

void feed_input_init(struct feed_input *in, const char *head, size_t head_n, kb_read_fn rd,
		     void *io, bool ascii);
void feed_input_free(struct feed_input *in);
/* libxml2's read callback (ctx is the struct feed_input). */
int feed_input_read(void *ctx, char *buf, int len);
/* The filtered stream's offset of the next byte libxml2 gets. */
uint64_t feed_input_offset(const struct feed_input *in);
/* Line (from 1) of a filtered offset still in the window, in the
 * caller's numbering (junk included). */
unsigned long feed_input_line(const struct feed_input *in, uint64_t off);
/* Moves to the first item start tag at or after off (in the window or
 * beyond), with prefix served first.  False at the end of the input. */
bool feed_input_resync(struct feed_input *in, uint64_t off, const char *prefix, size_t n);
/* The offset of item start tag number ord (from 1), when still known. */
bool feed_input_item_at(const struct feed_input *in, uint64_t ord, uint64_t *off);
/* The number of the item start tag at off, or 0. */
uint64_t feed_input_item_ordinal(const struct feed_input *in, uint64_t off);
/* The offset just past the last item end tag in [from, to), or 0. */
uint64_t feed_input_item_end_before(const struct feed_input *in, uint64_t from, uint64_t to);
/* How many item start tags the window has in [from, to). */
size_t feed_input_items_in(const struct feed_input *in, uint64_t from, uint64_t to);
/* Serves prefix, the window's [from, to), suffix, then the end. */
void feed_input_segment(struct feed_input *in, uint64_t from, uint64_t to, const char *prefix,
			size_t pn, const char *suffix, size_t sn);

/* ---- the parser (feed.c) --------------------------------------------- */

struct feed_ancestor {
	struct kb_buf tag; /* "<qname xmlns...>" */
	char qname[64];
	enum feed_role role;
};

struct feed {
	xmlTextReaderPtr r;
	struct feed_input in;
	const char *encoding; /* forced on the reader (enc_forced), or NULL */
	char enc_forced[64];
	char enc_buf[64]; /* what libxml2 chose, for a restart */

	/* the element stack: what each open level is */
	const struct feed_elem *elem[FEED_MAX_DEPTH];
	enum feed_role role[FEED_MAX_DEPTH];
	int depth; /* of the node being handled */
	struct feed_ancestor anc[FEED_KEPT_ANCESTORS];
	bool is_feed;  /* the root was rss, rdf:RDF or feed */
	bool not_feed; /* the root was something else */
	char root[32];

	/* capture: text of the element at cap_depth goes into cap */
	int cap_depth; /* -1: none */
	enum feed_mode cap_mode;
	size_t cap_max;
	bool cap_full;
	struct kb_buf cap;

	/* the feed */
	struct kb_buf feed_title, feed_link, feed_authors;
	size_t n_feed_authors;
	int feed_link_rank;
	/* the current item */
	struct feed_item item;
	int item_depth; /* -1: outside items */
	bool guid_permalink;

	/* this run of the reader: where its bytes start in the filtered
	 * stream, how long the replayed prefix is, where it broke */
	uint64_t run_base, last_restart, fail_off;
	size_t prefix_len;
	bool run_failed;
	bool conv_failed; /* a charset conversion error: its place is unknown */
	int line_offset; /* added to the reader's line numbers */
	uint64_t items_started; /* item start tags handled, in the stream's numbering */
	bool segment;           /* this run replays items the last one lost */
	bool head_segment;      /* this run reads the document's start alone */
	bool head_done;
	uint64_t resume_off;    /* where to go on after the segment */
	struct kb_buf reopen;   /* the start tags a restart replays */

	/* results */
	kb_item_fn fn;
	void *ctx;
	bool stopped;
	size_t kept, skipped, lost;
	char err[160];
	unsigned long err_line;
	bool have_err;
	bool have_line; /* err_line is where the parser saw the error */
};

/* Roles of the open levels: the parent of the element being handled,
 * and the nearest enclosing one that is not ROLE_OTHER... */
enum feed_role feed_parent(const struct feed *f);
/* True inside an item (not counting its <source>). */
bool feed_in_item(const struct feed *f);
/* Marks the element being handled. */
void feed_set_role(struct feed *f, enum feed_role role);
/* Starts capturing the element's content into f->cap. */
void feed_capture(struct feed *f, enum feed_mode mode, size_t max);
/* The captured text (NUL-terminated, never NULL). */
const char *feed_captured(struct feed *f, size_t *n);
/* A Atom-style type attribute ("text", "html", "xhtml", a MIME type). */
enum feed_mode feed_type_mode(xmlTextReaderPtr r, enum feed_mode dflt);

/* ---- items (feed_item.c) --------------------------------------------- */

void feed_item_start(struct feed *f);
/* Delivers the item (or counts it skipped); false when fn stopped. */
bool feed_item_end(struct feed *f);
void feed_item_free(struct feed_item *it);
/* Moves the captured text into a field when it is better than what is
 * there (whitespace squeezed unless keep_lines). */
void feed_commit(struct feed *f, struct feed_field *fld, int rank, enum feed_mode mode,
		 bool keep_lines);
/* An author as a feed writes it ("jo@x.org (Jo Bloggs)", "Jo Bloggs
 * <jo@x.org>", "Jo Bloggs") into list. */
void feed_add_author(struct kb_buf *list, size_t *count, const char *s, size_t n);
/* Resolves a link against xml:base or the feed's link; into fld. */
void feed_commit_link(struct feed *f, xmlTextReaderPtr r, struct feed_field *fld, int rank,
		      const char *href);

#endif
