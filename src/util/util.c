/* util.c - allocation that dies cleanly, growable buffers, messages. */
#include "config.h"

#include "kabar/text.h"
#include "kabar/util.h"

#include <ctype.h>
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

/* ---- URLs ------------------------------------------------------------ */

static bool tracking_param(const char *p, size_t n)
{
	static const char *const names[] = { "fbclid", "gclid", "mc_cid", "mc_eid", "ref_src" };
	if (n >= 4 && strncasecmp(p, "utm_", 4) == 0)
		return true;
	size_t k = 0;
	while (k < n && p[k] != '=')
		k++;
	for (size_t i = 0; i < KB_ARRAY_LEN(names); i++)
		if (strlen(names[i]) == k && strncasecmp(p, names[i], k) == 0)
			return true;
	return false;
}

char *kb_url_normalize(const char *url)
{
	if (!url)
		return NULL;
	while (*url == ' ')
		url++;
	size_t n = strcspn(url, "#");
	while (n && url[n - 1] == ' ')
		n--;
	if (!n)
		return NULL;
	struct kb_buf b = { 0 };
	const char *sep = strstr(url, "://");
	size_t i = 0;
	if (sep && (size_t)(sep - url) < n) { /* scheme://host in lower case */
		size_t host_end = (size_t)(sep - url) + 3;
		host_end += strcspn(url + host_end, "/?#");
		if (host_end > n)
			host_end = n;
		size_t at = host_end; /* user:password@ is not part of what the URL names */
		for (size_t k = (size_t)(sep - url) + 3; k < host_end; k++)
			if (url[k] == '@')
				at = k;
		for (; i < host_end; i++) {
			if (at < host_end && i == (size_t)(sep - url) + 3)
				i = at + 1;
			if (i < host_end)
				kb_buf_addc(&b, (char)tolower((unsigned char)url[i]));
		}
	}
	size_t q = i;
	while (q < n && url[q] != '?')
		q++;
	kb_buf_add(&b, url + i, q - i);
	char lead = '?';
	for (size_t p = q + 1; p < n;) {
		size_t e = p;
		while (e < n && url[e] != '&')
			e++;
		if (e > p && !tracking_param(url + p, e - p)) {
			kb_buf_addc(&b, lead);
			kb_buf_add(&b, url + p, e - p);
			lead = '&';
		}
		p = e + 1;
	}
	return kb_buf_steal(&b);
}

char *kb_url_key(const char *url)
{
	char *norm = kb_url_normalize(url);
	char *key = kb_xasprintf("url:%s", norm ? norm : url ? url : "");
	free(norm);
	return key;
}

char *kb_url_items_prefix(const char *url)
{
	char *key = kb_url_key(url);
	char *prefix = kb_xasprintf("%s|", key);
	free(key);
	return prefix;
}

char *kb_url_redact(const char *url)
{
	if (!url)
		return NULL;
	const char *sep = strstr(url, "://");
	if (!sep)
		return kb_xstrdup(url);
	const char *host = sep + 3;
	size_t host_len = strcspn(host, "/?#");
	const char *at = NULL;
	for (const char *p = host; p < host + host_len; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return kb_xstrdup(url);
	return kb_xasprintf("%.*s***%s", (int)(host - url), url, at);
}
