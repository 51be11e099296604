/* util.h - allocation that dies cleanly, growable byte buffers, messages. */
#ifndef KABAR_UTIL_H
#define KABAR_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define KB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define KB_PRINTF(f, a) __attribute__((format(printf, f, a)))

void *kb_xmalloc(size_t n);
void *kb_xcalloc(size_t n, size_t size);
void *kb_xrealloc(void *p, size_t n);
char *kb_xstrdup(const char *s);
char *kb_xstrndup(const char *s, size_t n);
char *kb_xasprintf(const char *fmt, ...) KB_PRINTF(1, 2);

/* Prints "kabar: MESSAGE" on stderr and exits with status 1 (out of memory
 * and similar conditions the program cannot continue from). */
_Noreturn void kb_die(const char *fmt, ...) KB_PRINTF(1, 2);
/* Prints one line "kabar: MESSAGE" on stderr. */
void kb_error(const char *fmt, ...) KB_PRINTF(1, 2);

/* A growable byte buffer, always NUL-terminated once something was added. */
struct kb_buf {
	char *p;
	size_t len;
	size_t cap;
};

void kb_buf_grow(struct kb_buf *b, size_t extra);
void kb_buf_add(struct kb_buf *b, const char *s, size_t n);
void kb_buf_adds(struct kb_buf *b, const char *s);
void kb_buf_addc(struct kb_buf *b, char c);
void kb_buf_printf(struct kb_buf *b, const char *fmt, ...) KB_PRINTF(2, 3);
void kb_buf_reset(struct kb_buf *b);
/* Hands the contents to the caller (never NULL) and empties the buffer. */
char *kb_buf_steal(struct kb_buf *b);
void kb_buf_free(struct kb_buf *b);

/* ASCII helpers (locale independent). */
bool kb_ascii_prefix(const char *s, const char *prefix); /* case-insensitive */
bool kb_ascii_eq(const char *a, size_t an, const char *b); /* case-insensitive */

/* A URL as articles are matched by it: scheme and host in lower case, no
 * user:password@, no fragment, no tracking parameters (utm_*, fbclid,
 * gclid).  malloc'd, or
 * NULL when url is NULL or empty. */
char *kb_url_normalize(const char *url);
/* The origin key of a document fetched from url: "url:" and the URL
 * normalised (as given when it cannot be).  The items of a feed have keys
 * that begin with its key and '|'.  malloc'd. */
char *kb_url_key(const char *url);
/* What the origin keys of a feed's items begin with: its key and '|'.
 * malloc'd. */
char *kb_url_items_prefix(const char *url);
/* The URL to show: a user:password@ becomes ***@, so that credentials are
 * never printed or stored with an article.  malloc'd (NULL for NULL). */
char *kb_url_redact(const char *url);

#endif
