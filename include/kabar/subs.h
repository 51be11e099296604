/* subs.h - lists of subscriptions: newsboat's urls file and OPML. */
#ifndef KABAR_SUBS_H
#define KABAR_SUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One subscription read from a list; everything lives until the
 * callback returns. */
struct kb_sub {
	const char *url;
	const char *title;       /* or NULL */
	const char *const *tags;
	size_t n_tags;
	unsigned line;           /* where it was found (urls files), or 0 */
	int full_text;           /* kabar's own OPML attributes: 1 or 0, or -1 */
	long interval;           /* seconds between fetches, or 0 */
};
typedef void (*kb_sub_fn)(const struct kb_sub *s, void *ctx);
/* A line or outline that is skipped, and why, in one line. */
typedef void (*kb_sub_skip_fn)(unsigned line, const char *why, void *ctx);

/* Whether a URL is one kabar fetches: http:// or https:// and a host. */
bool kb_sub_url_ok(const char *url);

/* Whether data looks like OPML (an <opml> root) rather than a urls file. */
bool kb_subs_is_opml(const char *data, size_t n);

/* newsboat's urls file: a URL a line, then its tags, "~Title" naming the
 * feed; double quotes group a token (backslash escapes); '#' begins a
 * comment.  exec:, filter:, "query:..." lines and anything not http(s)
 * are told to skip, one call each. */
void kb_subs_parse_urls(const char *text, size_t n, kb_sub_fn fn, kb_sub_skip_fn skip,
			void *ctx);

/* OPML 1.0/2.0: every outline with an xmlUrl is a feed (title, else
 * text), its category (comma-separated, "/a/b" paths split) and the
 * titles of the outlines it is nested in are its tags; the attributes
 * kabar writes (fullText="true|false", updateInterval=SECONDS, in any
 * namespace) are read back.  Returns 0, or -1
 * with why set when data is not OPML. */
int kb_subs_parse_opml(const char *data, size_t n, kb_sub_fn fn, kb_sub_skip_fn skip, void *ctx,
		       char *why, size_t whysz);

/* Writes OPML 2.0. */
struct kb_opml;
struct kb_opml *kb_opml_begin(const char *title);
/* category: the tags joined by commas, or NULL; full_text and interval
 * (seconds) are written as kabar's own attributes. */
void kb_opml_add(struct kb_opml *o, const char *url, const char *title, const char *category,
		 bool full_text, long interval);
/* Writes the document to f (NULL: nowhere) and frees o; 0, or -1 when
 * it cannot. */
int kb_opml_end(struct kb_opml *o, FILE *f);

#endif
