/* util.c - allocation that dies cleanly, growable buffers, messages. */
#include "config.h"

#include "kabar/text.h"
#include "kabar/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void *kb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		kb_die("out of memory (%zu bytes)", n);
	return p;
}

void *kb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		kb_die("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

void *kb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		kb_die("out of memory (%zu bytes)", n);
	return q;
}

char *kb_xstrdup(const char *s)
{
	return kb_xstrndup(s, strlen(s));
}

char *kb_xstrndup(const char *s, size_t n)
{
	char *p = kb_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kb_xasprintf(const char *fmt, ...)
{
	struct kb_buf b = { 0 };
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		kb_die("bad format string");
	kb_buf_grow(&b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.p;
}

/* One line on stderr.  A message names files and quotes what it read,
 * so nothing in it may drive the terminal: anything but printable ASCII
 * goes through kb_text_safe (an all-ASCII message, such as running out
 * of memory, allocates nothing). */
static void message(const char *fmt, va_list ap)
{
	char line[2048];
	int n = vsnprintf(line, sizeof line, fmt, ap);
	if (n < 0)
		snprintf(line, sizeof line, "(bad message)");
	bool plain = true;
	for (const char *p = line; *p && plain; p++)
		plain = *p >= 0x20 && *p < 0x7f;
	fputs("kabar: ", stderr);
	if (plain)
		fputs(line, stderr);
	else
		kb_text_safe_puts(stderr, line, false);
	fputc('\n', stderr);
}

void kb_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
	exit(1);
}

void kb_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message(fmt, ap);
	va_end(ap);
}

void kb_buf_grow(struct kb_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->p = kb_xrealloc(b->p, cap);
	b->cap = cap;
}

void kb_buf_add(struct kb_buf *b, const char *s, size_t n)
{
	kb_buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void kb_buf_adds(struct kb_buf *b, const char *s)
{
	kb_buf_add(b, s, strlen(s));
}

void kb_buf_addc(struct kb_buf *b, char c)
{
	kb_buf_add(b, &c, 1);
}

void kb_buf_printf(struct kb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		kb_die("bad format string");
	kb_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void kb_buf_reset(struct kb_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

char *kb_buf_steal(struct kb_buf *b)
{
	char *p = b->p ? b->p : kb_xstrdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void kb_buf_free(struct kb_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

bool kb_ascii_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool kb_ascii_eq(const char *a, size_t an, const char *b)
{
	return strlen(b) == an && strncasecmp(a, b, an) == 0;
}
