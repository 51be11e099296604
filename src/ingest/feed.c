/* feed.c - RSS 0.9x/1.0/2.0 and Atom feeds, streamed.
 *
 * A pull loop over libxml2's xmlTextReader: each element is looked up by
 * namespace and local name in the vocabularies' tables and its handlers
 * run at the start and end tag; a handler that wants an element's text
 * asks for it to be captured, and the loop gathers the text (or, for
 * HTML bodies, re-serialises child elements) until the element ends.
 * Only the current item is kept, so memory stays flat whatever the size.
 *
 * libxml2's reader stops at the first well-formedness error even with
 * XML_PARSE_RECOVER, so an error costs the item it is in, not the rest:
 * the parse restarts at the next item, with the start tags of the
 * item's ancestors (and their namespace declarations) replayed first.
 * libxml2 prints nothing: its errors come to a handler, and the first one
 * becomes the one-line report. */
#include "config.h"

#include "feed.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

/* How much of a stream is read before parsing, to sniff its charset and
 * find where the document starts. */
#define SNIFF_BYTES (64u << 10)

static const struct feed_vocab *const vocabs[] = {
	&feed_vocab_rss,     &feed_vocab_rss1,    &feed_vocab_atom,
	&feed_vocab_content, &feed_vocab_dc,      &feed_vocab_media,
};

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

/* ---- what handlers ask of the loop ------------------------------------ */

enum feed_role feed_parent(const struct feed *f)
{
	return f->depth > 0 && f->depth - 1 < FEED_MAX_DEPTH ? f->role[f->depth - 1] : ROLE_NONE;
}

bool feed_in_item(const struct feed *f)
{
	if (f->item_depth < 0 || f->depth <= f->item_depth)
		return false;
	for (int d = f->item_depth + 1; d < f->depth && d < FEED_MAX_DEPTH; d++)
		if (f->role[d] == ROLE_SOURCE)
			return false;
	return true;
}

void feed_set_role(struct feed *f, enum feed_role role)
{
	if (f->depth < FEED_MAX_DEPTH)
		f->role[f->depth] = role;
}

void feed_capture(struct feed *f, enum feed_mode mode, size_t max)
{
	if (mode == FEED_SKIP)
		return;
	f->cap_depth = f->depth;
	f->cap_mode = mode;
	f->cap_max = max;
	f->cap_full = false;
	kb_buf_reset(&f->cap);
}

const char *feed_captured(struct feed *f, size_t *n)
{
	*n = f->cap.len;
	return f->cap.p ? f->cap.p : "";
}

enum feed_mode feed_type_mode(xmlTextReaderPtr r, enum feed_mode dflt)
{
	enum feed_mode m = dflt;
	char *type = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"type");
	char *mode = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"mode"); /* Atom 0.3 */
	if (type) {
		if (kb_ascii_eq(type, strlen(type), "text") || kb_ascii_eq(type, strlen(type), "plain") ||
		    kb_ascii_eq(type, strlen(type), "text/plain"))
			m = FEED_TEXT;
		else if (kb_ascii_eq(type, strlen(type), "html") || strstr(type, "html"))
			m = strstr(type, "xhtml") ? FEED_XHTML : FEED_HTML;
		else if (!kb_ascii_prefix(type, "text/"))
			m = FEED_SKIP; /* images, base64 media */
		else
			m = FEED_TEXT;
	}
	if (mode) {
		if (kb_ascii_eq(mode, strlen(mode), "xml"))
			m = FEED_XHTML;
		else if (kb_ascii_eq(mode, strlen(mode), "base64"))
			m = FEED_SKIP;
		else if (kb_ascii_eq(mode, strlen(mode), "escaped") && !type)
			m = FEED_HTML;
	}
	xmlFree(type);
	xmlFree(mode);
	return m;
}

/* ---- capturing -------------------------------------------------------- */

/* Appends to the capture, never past its cap nor inside a character. */
static void cap_add(struct feed *f, const char *s, size_t n)
{
	if (f->cap_full)
		return;
	if (f->cap.len + n > f->cap_max) {
		n = f->cap_max > f->cap.len ? f->cap_max - f->cap.len : 0;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		f->cap_full = true;
	}
	kb_buf_add(&f->cap, s, n);
}

/* Text for XHTML serialisation: markup characters escaped again. */
static void cap_escaped(struct feed *f, const char *s, bool attr)
{
	for (const char *p = s;; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = attr ? "&quot;" : NULL; break;
		case '\0': cap_add(f, s, (size_t)(p - s)); return;
		default: break;
		}
		if (rep) {
			cap_add(f, s, (size_t)(p - s));
			cap_add(f, rep, strlen(rep));
			s = p + 1;
		}
	}
}

static bool cap_markup(const struct feed *f)
{
	return f->cap_mode == FEED_HTML || f->cap_mode == FEED_XHTML;
}

/* A child element of captured HTML: its start tag, written again
 * (namespace declarations and prefixes left out: HTML knows neither). */
static void cap_start_tag(struct feed *f, xmlTextReaderPtr r, bool empty)
{
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	cap_add(f, "<", 1);
	cap_add(f, name, strlen(name));
	if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
		do {
			if (xmlTextReaderIsNamespaceDecl(r))
				continue;
			const char *an = (const char *)xmlTextReaderConstLocalName(r);
			const char *av = (const char *)xmlTextReaderConstValue(r);
			cap_add(f, " ", 1);
			cap_add(f, an, strlen(an));
			cap_add(f, "=\"", 2);
			cap_escaped(f, av ? av : "", true);
			cap_add(f, "\"", 1);
		} while (xmlTextReaderMoveToNextAttribute(r) == 1);
		xmlTextReaderMoveToElement(r);
	}
	cap_add(f, empty ? "/>" : ">", empty ? 2 : 1);
}

/* ---- the element stack ------------------------------------------------ */

static const struct feed_elem *lookup(const char *ns, const char *name)
{
	if (!ns)
		ns = "";
	for (size_t v = 0; v < KB_ARRAY_LEN(vocabs); v++) {
		const struct feed_vocab *voc = vocabs[v];
		bool match = false;
		for (const char *const *u = voc->ns; *u && !match; u++)
			match = strcmp(*u, ns) == 0;
		if (!match)
			continue;
		for (size_t i = 0; i < voc->n; i++)
			if (strcmp(voc->elems[i].name, name) == 0)
				return &voc->elems[i];
		return NULL;
	}
	return NULL;
}

static bool is_feed_root(const char *ns, const char *name)
{
	if (strcmp(name, "rss") == 0)
		return true;
	if (strcmp(name, "RDF") == 0)
		return ns && strcmp(ns, RDF_NS) == 0;
	return strcmp(name, "feed") == 0;
}

/* Keeps the start tag of a channel or root element, to replay it when
 * the parse restarts inside it. */
static void keep_ancestor(struct feed *f, xmlTextReaderPtr r)
{
	struct feed_ancestor *a = &f->anc[f->depth];
	a->role = f->role[f->depth];
	kb_buf_reset(&a->tag);
	const char *qname = (const char *)xmlTextReaderConstName(r);
	snprintf(a->qname, sizeof a->qname, "%s", qname);
	kb_buf_printf(&a->tag, "<%s", qname);
	if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
		do {
			const char *an = (const char *)xmlTextReaderConstName(r);
			const char *av = (const char *)xmlTextReaderConstValue(r);
			if (!xmlTextReaderIsNamespaceDecl(r) && strcmp(an, "xml:base") != 0 &&
			    strcmp(an, "xml:lang") != 0)
				continue;
			kb_buf_printf(&a->tag, " %s=\"", an);
			for (const char *p = av ? av : ""; *p; p++) {
				if (*p == '"')
					kb_buf_adds(&a->tag, "&quot;");
				else if (*p == '&')
					kb_buf_adds(&a->tag, "&amp;");
				else if (*p == '<')
					kb_buf_adds(&a->tag, "&lt;");
				else
					kb_buf_addc(&a->tag, *p);
			}
			kb_buf_addc(&a->tag, '"');
		} while (xmlTextReaderMoveToNextAttribute(r) == 1 && a->tag.len < 4096);
		xmlTextReaderMoveToElement(r);
	}
	kb_buf_addc(&a->tag, '>');
	/* what closes the document from inside this element */
	kb_buf_reset(&f->in.closers);
	for (int d = f->depth; d >= 0; d--)
		kb_buf_printf(&f->in.closers, "</%s>", f->anc[d].qname);
}

static void element_end(struct feed *f, xmlTextReaderPtr r, int depth)
{
	if (depth >= FEED_MAX_DEPTH)
		return;
	f->depth = depth;
	const struct feed_elem *el = f->elem[depth];
	if (el && el->end)
		el->end(f, r);
	if (f->cap_depth == depth)
		f->cap_depth = -1;
	if (f->item_depth == depth && !f->item.open)
		f->item_depth = -1;
	f->elem[depth] = NULL;
	f->role[depth] = ROLE_NONE;
}

static void element_start(struct feed *f, xmlTextReaderPtr r, int depth)
{
	bool empty = xmlTextReaderIsEmptyElement(r) == 1;
	if (f->cap_depth >= 0) {
		if (cap_markup(f))
			cap_start_tag(f, r, empty);
		return;
	}
	if (depth >= FEED_MAX_DEPTH)
		return;
	const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
	const char *name = (const char *)xmlTextReaderConstLocalName(r);
	if (depth == 0 && !f->is_feed) {
		if (!is_feed_root(ns, name)) {
			f->not_feed = true;
			snprintf(f->root, sizeof f->root, "%s", name);
			return;
		}
		f->is_feed = true;
	}
	f->depth = depth;
	f->role[depth] = ROLE_NONE;
	f->elem[depth] = lookup(ns, name);
	if (f->elem[depth] && f->elem[depth]->start)
		f->elem[depth]->start(f, r);
	if (depth < FEED_KEPT_ANCESTORS &&
	    (f->role[depth] == ROLE_ROOT || f->role[depth] == ROLE_CHANNEL))
		keep_ancestor(f, r);
	if (empty)
		element_end(f, r, depth);
}

static void node(struct feed *f, xmlTextReaderPtr r)
{
	int depth = xmlTextReaderDepth(r);
	switch (xmlTextReaderNodeType(r)) {
	case XML_READER_TYPE_ELEMENT:
		element_start(f, r, depth);
		break;
	case XML_READER_TYPE_END_ELEMENT:
		if (f->cap_depth >= 0 && depth > f->cap_depth) {
			if (cap_markup(f)) {
				const char *name = (const char *)xmlTextReaderConstLocalName(r);
				cap_add(f, "</", 2);
				cap_add(f, name, strlen(name));
				cap_add(f, ">", 1);
			}
		} else {
			element_end(f, r, depth);
		}
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		if (f->cap_depth >= 0 && depth > f->cap_depth) {
			const char *v = (const char *)xmlTextReaderConstValue(r);
			if (!v)
				break;
			if (f->cap_mode == FEED_XHTML)
				cap_escaped(f, v, false);
			else
				cap_add(f, v, strlen(v));
		}
		break;
	case XML_READER_TYPE_ENTITY_REFERENCE:
		/* an entity the document's DTD would define (which is never
		 * loaded): kept as written, for the HTML reader to try */
		if (f->cap_depth >= 0 && depth > f->cap_depth) {
			const char *name = (const char *)xmlTextReaderConstName(r);
			cap_add(f, "&", 1);
			cap_add(f, name, strlen(name));
			cap_add(f, ";", 1);
		}
		break;
	default:
		break;
	}
}

/* ---- errors and restarts ---------------------------------------------- */

static void on_error(void *arg, xmlErrorPtr e)
{
	struct feed *f = arg;
	if (!e || e->level < XML_ERR_ERROR)
		return; /* warnings are no damage */
	if (!f->have_err) {
		f->have_err = true;
		f->have_line = e->domain != XML_FROM_I18N && e->domain != XML_FROM_IO;
		f->err_line = (unsigned long)(e->line > 0 ? e->line : 1) + f->line_offset;
		const char *msg = e->message ? e->message : "parse error";
		/* what the push parser says of a document cut short */
		if (e->code == XML_ERR_DOCUMENT_END && f->in.raw_eof && f->is_feed &&
		    f->elem[0] != NULL)
			msg = "Premature end of data: the feed is cut short";
		size_t n = strcspn(msg, "\n");
		while (n > 0 && msg[n - 1] == ' ')
			n--;
		snprintf(f->err, sizeof f->err, "%.*s", (int)n, msg);
	}
	if ((e->domain == XML_FROM_I18N || e->domain == XML_FROM_IO) && !f->run_failed) {
		/* libxml2 converts what it is given ahead of parsing: the bad
		 * bytes are somewhere before the end of that */
		f->run_failed = f->conv_failed = true;
		f->fail_off = feed_input_offset(&f->in);
		if (f->err_line && !f->have_line)
			f->err_line = feed_input_line(&f->in, f->fail_off);
	} else if (e->level == XML_ERR_FATAL && !f->run_failed && f->r) {
		/* where the parser is now, in the filtered stream: the restart
		 * looks for the next item from here */
		f->run_failed = true;
		long c = xmlTextReaderByteConsumed(f->r);
		uint64_t at = c > 0 && (size_t)c > f->prefix_len ? (uint64_t)c - f->prefix_len : 0;
		f->fail_off = f->run_base + at;
	}
}

/* For what reaches libxml2's generic handler: nothing is printed. */
static void KB_PRINTF(2, 3) quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static xmlTextReaderPtr open_reader(struct feed *f, const char *enc)
{
	/* never XML_PARSE_NOENT (entity expansion), XML_PARSE_DTDLOAD or
	 * XML_PARSE_HUGE; a forced charset overrides the declaration */
	int opts = XML_PARSE_RECOVER | XML_PARSE_NONET | (enc ? XML_PARSE_IGNORE_ENC : 0);
	xmlTextReaderPtr r = xmlReaderForIO(feed_input_read, NULL, &f->in, NULL, enc, opts);
	if (r)
		xmlTextReaderSetStructuredErrorHandler(r, on_error, f);
	return r;
}

/* The items from the first one not handled up to the error are lost
 * (the one the error is in among them), whatever libxml2 had handed over
 * of them: half an item is not an article, and what is left of it
 * depends on where libxml2's parse chunks happened to fall. */
static void cut_items(struct feed *f, uint64_t from, uint64_t err)
{
	size_t k = from < err ? feed_input_items_in(&f->in, from, err) : 0;
	f->lost += k ? k : f->item.open;
	f->item.open = false;
	f->item_depth = -1;
}

/* The open ancestors' start tags (what a restart replays) and end tags. */
static int ancestors(const struct feed *f, struct kb_buf *open, struct kb_buf *close)
{
	int n = 0;
	while (n < FEED_KEPT_ANCESTORS && f->elem[n] &&
	       (f->role[n] == ROLE_ROOT || f->role[n] == ROLE_CHANNEL))
		n++;
	for (int d = 0; d < n; d++)
		kb_buf_add(open, f->anc[d].tag.p, f->anc[d].tag.len);
	for (int d = n; d-- > 0;)
		kb_buf_printf(close, "</%s>", f->anc[d].qname);
	return n;
}

static void new_run(struct feed *f, uint64_t base, size_t prefix_len)
{
	if (!f->encoding && f->r) {
		/* the charset libxml2 took from the declaration, kept for the
		 * part that follows (no declaration there) */
		const char *e = (const char *)xmlTextReaderConstEncoding(f->r);
		snprintf(f->enc_buf, sizeof f->enc_buf, "%s", e ? e : "UTF-8");
	}
	if (f->r)
		xmlFreeTextReader(f->r);
	f->run_base = base;
	f->prefix_len = prefix_len;
	f->line_offset = (int)feed_input_line(&f->in, base) - 1;
	f->run_failed = f->conv_failed = false;
	for (int d = 0; d < FEED_MAX_DEPTH; d++)
		f->elem[d] = NULL, f->role[d] = ROLE_NONE;
	f->cap_depth = -1;
	f->item_depth = -1;
	f->item.open = false;
	f->r = open_reader(f, f->encoding ? f->encoding : f->enc_buf);
}

/* Goes on at the first item at or after off, inside the ancestors' start
 * tags open: false when no item is left. */
static bool resume(struct feed *f, uint64_t off, const struct kb_buf *open)
{
	bool ok = open->len > 0 && feed_input_resync(&f->in, off, open->p, open->len);
	if (ok) {
		f->last_restart = feed_input_offset(&f->in);
		uint64_t ord = feed_input_item_ordinal(&f->in, f->last_restart);
		if (ord)
			f->items_started = ord - 1;
		new_run(f, f->last_restart, open->len);
		ok = f->r != NULL;
	}
	return ok;
}

/* After the error at f->fail_off.  libxml2's reader gives up a little
 * before the error (it hands out nodes only once it has parsed past
 * them), so the whole items between what it delivered and the broken one
 * are parsed again on their own first; then the parse goes on after the
 * broken item.  False when nothing is left. */
static bool restart(struct feed *f)
{
	uint64_t err = f->fail_off;
	uint64_t done = f->items_started - (f->item.open ? 1 : 0), first = 0, end = 0, last;
	if (err <= f->last_restart)
		err = f->last_restart + 1;
	/* never back to an item already handled */
	if (feed_input_item_at(&f->in, done, &last) && err <= last)
		err = last + 1;
	struct kb_buf close = { 0 };
	kb_buf_reset(&f->reopen);
	if (ancestors(f, &f->reopen, &close) == 0) {
		kb_buf_free(&close);
		return false; /* broken outside the feed's elements */
	}
	bool known = feed_input_item_at(&f->in, done + 1, &first) && first >= f->run_base;
	if (known && first < err && !f->conv_failed)
		end = feed_input_item_end_before(&f->in, first, err);
	if (end > first) {
		/* the open item is one of those parsed again */
		f->item.open = false;
		f->lost += feed_input_items_in(&f->in, end, err); /* the broken one */
		f->items_started = done;
		f->segment = true;
		f->resume_off = err;
		feed_input_segment(&f->in, first, end, f->reopen.p, f->reopen.len, close.p,
				   close.len);
		new_run(f, first, f->reopen.len);
		kb_buf_free(&close);
		return f->r != NULL;
	}
	kb_buf_free(&close);
	cut_items(f, known ? first : err, err);
	return resume(f, err, &f->reopen);
}

/* xmlTextReaderRead with libxml2's charset and I/O layers, which report
 * through its per-thread handlers and not the reader's, reporting to us
 * (and never to stderr).  Only around the read: the HTML reader and the
 * item callback keep their own. */
static int next_node(struct feed *f)
{
	xmlStructuredErrorFunc old_serr = xmlStructuredError;
	void *old_sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc old_gerr = xmlGenericError;
	void *old_gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(f, on_error);
	xmlSetGenericErrorFunc(NULL, quiet);
	int rc = xmlTextReaderRead(f->r);
	xmlSetStructuredErrorFunc(old_sctx, old_serr);
	xmlSetGenericErrorFunc(old_gctx, old_gerr);
	return rc;
}

static void run(struct feed *f)
{
	f->r = open_reader(f, f->encoding);
	while (f->r) {
		int rc;
		while ((rc = next_node(f)) == 1 && !f->stopped && !f->not_feed)
			node(f, f->r);
		if (f->head_segment) {
			/* the feed's start tags are known now: on after the
			 * broken item */
			struct kb_buf close = { 0 };
			f->head_segment = false;
			kb_buf_reset(&f->reopen);
			bool ok = f->is_feed && ancestors(f, &f->reopen, &close) > 0;
			kb_buf_free(&close);
			if (!ok || !resume(f, f->resume_off, &f->reopen))
				break;
			continue;
		}
		if (f->stopped || f->not_feed || f->in.read_error)
			break;
		uint64_t first;
		if (!f->head_done && f->run_failed && f->last_restart == 0 &&
		    f->items_started - f->item.open == 0 && feed_input_item_at(&f->in, 1, &first) &&
		    first >= f->in.out_base && first < f->fail_off) {
			/* broken in the first item, before libxml2 handed over
			 * the root or the channel's title: the document's start,
			 * up to that item, is parsed alone first */
			f->head_done = true;
			cut_items(f, first, f->fail_off);
			f->head_segment = true;
			f->resume_off = f->fail_off;
			/* its end tags are not known: empty elements no table
			 * knows instead, since libxml2 hands over what it parsed
			 * when a new element starts, but parses all that is left
			 * at once when the input ends (the channel's title would
			 * go with it) */
			static const char unit[] = "<kabar-pad/>";
			char pad[64 * (sizeof unit - 1)];
			for (size_t i = 0; i < sizeof pad; i += sizeof unit - 1)
				memcpy(pad + i, unit, sizeof unit - 1);
			feed_input_segment(&f->in, f->in.out_base, first, "", 0, pad, sizeof pad);
			new_run(f, f->in.out_base, 0);
			continue;
		}
		if (!f->is_feed)
			break;
		if (f->segment) {
			/* the replayed items are in; on after the broken one */
			f->segment = false;
			if (f->item.open)
				cut_items(f, 0, 0);
			if (f->stopped || !resume(f, f->resume_off, &f->reopen))
				break;
			continue;
		}
		if (rc == 0 && !f->run_failed)
			break;
		if (!f->run_failed) {
			/* an error that did not say where: restart from here */
			f->run_failed = true;
			f->fail_off = feed_input_offset(&f->in);
		}
		if (!restart(f))
			break;
	}
	if (!f->stopped && f->item.open)
		cut_items(f, 0, 0);
	if (f->r)
		xmlFreeTextReader(f->r);
	f->r = NULL;
}

/* ---- the entry point -------------------------------------------------- */

static void report(const struct feed *f, size_t total_in, char *why, size_t whysz)
{
	char tail[96];
	int k = snprintf(tail, sizeof tail, "%zu item%s kept", f->kept, f->kept == 1 ? "" : "s");
	if (f->lost && k > 0 && (size_t)k < sizeof tail)
		k += snprintf(tail + k, sizeof tail - (size_t)k, ", %zu lost", f->lost);
	if (f->skipped && k > 0 && (size_t)k < sizeof tail)
		snprintf(tail + k, sizeof tail - (size_t)k, ", %zu without title or text skipped",
			 f->skipped);
	if (!f->is_feed) {
		if (f->not_feed)
			snprintf(why, whysz, "not an RSS or Atom feed (the document is <%s>)", f->root);
		else if (total_in == 0)
			snprintf(why, whysz, "not an RSS or Atom feed (empty)");
		else if (f->have_err && strstr(f->err, "ntit")) /* "billion laughs" */
			snprintf(why, whysz, "not an RSS or Atom feed (%s)", f->err);
		else
			snprintf(why, whysz, "not an RSS or Atom feed");
	} else if (f->in.read_error) {
		snprintf(why, whysz, "read error; %s", tail);
	} else if (f->have_err || f->in.repair_line) {
		unsigned long line = f->err_line;
		const char *msg = f->err;
		if (f->in.repair_line && (!f->have_err || f->in.repair_line <= line)) {
			line = f->in.repair_line;
			msg = "CDATA section not closed";
		}
		snprintf(why, whysz, "malformed feed at line %lu: %s; %s", line, msg, tail);
	} else if (f->skipped) {
		snprintf(why, whysz, "%s", tail);
	} else if (whysz) {
		why[0] = '\0';
	}
}

static bool utf16(const char *s, size_t n)
{
	if (n >= 2 && (memcmp(s, "\xff\xfe", 2) == 0 || memcmp(s, "\xfe\xff", 2) == 0))
		return true;
	return n >= 4 && (s[0] == '\0' || s[1] == '\0' || s[2] == '\0' || s[3] == '\0');
}

int kb_parse_feed(const char *head, size_t head_n, kb_read_fn rd, void *io, kb_item_fn fn,
		  void *ctx, char *why, size_t whysz)
{
	/* the sniffing window: the caller's head, topped up from rd */
	struct kb_buf sniff = { 0 };
	kb_buf_add(&sniff, head ? head : "", head ? head_n : 0);
	bool read_error = false;
	while (rd && sniff.len < SNIFF_BYTES) {
		kb_buf_grow(&sniff, SNIFF_BYTES - sniff.len);
		long got = rd(io, sniff.p + sniff.len, SNIFF_BYTES - sniff.len);
		if (got <= 0) {
			read_error = got < 0;
			rd = NULL;
			break;
		}
		sniff.len += (size_t)got;
	}
	struct feed *f = kb_xcalloc(1, sizeof *f);
	f->fn = fn;
	f->ctx = ctx;
	f->cap_depth = -1;
	f->item_depth = -1;
	const char *enc = kb_charset_sniff(sniff.p ? sniff.p : "", sniff.len);
	if (enc) {
		snprintf(f->enc_forced, sizeof f->enc_forced, "%s", enc);
		f->encoding = f->enc_forced;
	}
	feed_input_init(&f->in, sniff.p, sniff.len, read_error ? NULL : rd, io,
			!utf16(sniff.p ? sniff.p : "", sniff.len));
	f->in.read_error = read_error;
	if (sniff.len > 0 && !read_error)
		run(f);
	report(f, sniff.len, why, whysz);
	int rc = f->stopped ? -1 : !f->is_feed || f->in.read_error || f->have_err || f->in.repair_line;
	feed_input_free(&f->in);
	feed_item_free(&f->item);
	kb_buf_free(&f->cap);
	kb_buf_free(&f->feed_title);
	kb_buf_free(&f->feed_link);
	kb_buf_free(&f->feed_authors);
	kb_buf_free(&f->reopen);
	for (size_t i = 0; i < FEED_KEPT_ANCESTORS; i++)
		kb_buf_free(&f->anc[i].tag);
	free(f);
	kb_buf_free(&sniff);
	return rc;
}
