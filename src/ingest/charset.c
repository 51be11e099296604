/* charset.c - which charset a page or feed is really in, and UTF-8 from it.
 *
 * Pages and feeds declare their charset, often wrongly (a Windows-1252
 * page that says UTF-8, a KOI8-R feed that says nothing).  A BOM is
 * believed; a declaration is believed when the bytes agree; otherwise
 * valid UTF-8 is UTF-8 and anything else is what uchardet detects.  The
 * conversion itself is libunistring's (iconv). */
#include "config.h"

#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet.h>
#include <uniconv.h>
#include <unistr.h>

#include "kabar/text.h"
#include "kabar/util.h"

/* How far into a document a declaration is looked for. */
#define DECL_WINDOW 4096

static const char *bom(const char *s, size_t n, size_t *len)
{
	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return *len = 3, "UTF-8";
	if (n >= 2 && memcmp(s, "\xff\xfe", 2) == 0)
		return *len = 2, "UTF-16LE";
	if (n >= 2 && memcmp(s, "\xfe\xff", 2) == 0)
		return *len = 2, "UTF-16BE";
	return *len = 0, NULL;
}

/* Finds key (lower case) in s[0..n) regardless of case. */
static const char *find_ci(const char *s, size_t n, const char *key)
{
	size_t k = strlen(key);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, key, k) == 0)
			return s + i;
	return NULL;
}

/* The value after "key" ("charset=", "encoding="), quotes and spaces
 * skipped, into out. */
static bool value_after(const char *at, const char *end, size_t klen, char *out, size_t outsz)
{
	const char *p = at + klen;
	while (p < end && (*p == ' ' || *p == '"' || *p == '\'' || *p == '='))
		p++;
	size_t k = 0;
	while (p < end && k + 1 < outsz &&
	       (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' || *p == ':'))
		out[k++] = *p++;
	out[k] = '\0';
	return k > 0;
}

/* The charset the document declares in its first bytes: the XML
 * declaration's encoding, else a <meta> charset. */
static bool declared(const char *s, size_t n, char *out, size_t outsz)
{
	if (n > DECL_WINDOW)
		n = DECL_WINDOW;
	const char *end = s + n;
	const char *x = find_ci(s, n, "<?xml");
	if (x) {
		const char *close = find_ci(x, (size_t)(end - x), "?>");
		const char *e = find_ci(x, (size_t)((close ? close : end) - x), "encoding");
		if (e && value_after(e, close ? close : end, 8, out, outsz))
			return true;
	}
	for (const char *p = s; (p = find_ci(p, (size_t)(end - p), "<meta")) != NULL; p += 5) {
		const char *close = memchr(p, '>', (size_t)(end - p));
		const char *c = find_ci(p, (size_t)((close ? close : end) - p), "charset");
		if (c && value_after(c, close ? close : end, 7, out, outsz))
			return true;
	}
	return false;
}

static bool is_utf8_name(const char *c)
{
	return strcasecmp(c, "utf-8") == 0 || strcasecmp(c, "utf8") == 0;
}

/* Names that mean Windows-1252 in practice (as browsers read them). */
static bool is_latin1_name(const char *c)
{
	static const char *const names[] = { "iso-8859-1", "iso8859-1", "latin1", "us-ascii",
					      "ascii", "windows-1252", "cp1252", "l1" };
	for (size_t i = 0; i < KB_ARRAY_LEN(names); i++)
		if (strcasecmp(c, names[i]) == 0)
			return true;
	return false;
}

/* What to convert from for a declared or detected name. */
static const char *iconv_name(const char *c)
{
	if (is_latin1_name(c))
		return "CP1252";
	if (strcasecmp(c, "gb2312") == 0 || strcasecmp(c, "gbk") == 0 ||
	    strcasecmp(c, "x-gbk") == 0)
		return "GB18030"; /* a superset of both */
	return c;
}

/* Valid UTF-8, allowing a character cut at the very end (a stream's head). */
static bool valid_utf8(const char *s, size_t n, bool cut_ok)
{
	const uint8_t *bad = u8_check((const uint8_t *)s, n);
	if (!bad)
		return true;
	if (!cut_ok)
		return false;
	size_t at = (size_t)(bad - (const uint8_t *)s);
	if (n - at >= 4 || ((unsigned char)s[at] & 0xc0) != 0xc0)
		return false;
	for (size_t i = at + 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return false;
	return true;
}

static bool has_high(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* uchardet's guess, in a static buffer of the caller; NULL for none. */
static const char *detect(const char *s, size_t n, char *out, size_t outsz)
{
	uchardet_t ud = uchardet_new();
	if (!ud)
		return NULL;
	const char *name = NULL;
	if (uchardet_handle_data(ud, s, n) == 0) {
		uchardet_data_end(ud);
		const char *c = uchardet_get_charset(ud);
		if (c && *c && strcasecmp(c, "ascii") != 0) {
			snprintf(out, outsz, "%s", c);
			name = out;
		}
	}
	uchardet_delete(ud);
	return name;
}

/* Converts s[0..n) from charset to UTF-8 into out; -1 when the bytes are
 * not in that charset (or iconv does not know it). */
static int convert(const char *charset, const char *s, size_t n, struct kb_buf *out,
		   enum iconv_ilseq_handler how)
{
	size_t len = 0;
	uint8_t *u = u8_conv_from_encoding(charset, how, s, n, NULL, NULL, &len);
	if (!u)
		return -1;
	kb_buf_add(out, (const char *)u, len);
	free(u);
	return 0;
}

int kb_charset_decode(const char *raw, size_t n, struct kb_buf *out, const char **used,
		      const char **why)
{
	static _Thread_local char name[64];
	char decl[48]; /* charset may point into it (iconv_name) */
	size_t skip;
	const char *charset = bom(raw, n, &skip);
	if (!charset) {
		bool utf8 = valid_utf8(raw, n, false);
		if (declared(raw, n, decl, sizeof decl)) {
			if (is_utf8_name(decl) || (is_latin1_name(decl) && utf8 && has_high(raw, n)))
				charset = utf8 ? "UTF-8" : NULL; /* a lie is detected below */
			else
				charset = iconv_name(decl);
		} else if (utf8) {
			charset = "UTF-8";
		}
		if (!charset) {
			const char *d = detect(raw, n, name, sizeof name);
			charset = d ? iconv_name(d) : "CP1252";
		}
	}
	struct kb_buf utf = { 0 };
	const char *src = raw + skip;
	size_t len = n - skip;
	if (strcmp(charset, "UTF-8") != 0) {
		if (convert(charset, src, len, &utf, iconveh_error) < 0) {
			/* declared or detected wrongly: the best guess, lossy */
			const char *d = detect(src, len, name, sizeof name);
			charset = d ? iconv_name(d) : "CP1252";
			kb_buf_reset(&utf);
			if (convert(charset, src, len, &utf, iconveh_question_mark) < 0 &&
			    convert("CP1252", src, len, &utf, iconveh_question_mark) < 0) {
				kb_buf_free(&utf);
				*why = "unknown character encoding";
				return -1;
			}
		}
		src = utf.p ? utf.p : "";
		len = utf.len;
	}
	if (charset != name) /* a detected charset is in name already */
		snprintf(name, sizeof name, "%s", charset);
	if (used)
		*used = name;
	enum kb_decode d = kb_text_decode(src, len, out, why);
	kb_buf_free(&utf);
	return d == KB_DECODE_BINARY || d == KB_DECODE_INVALID ? -1 : 0;
}

const char *kb_charset_sniff(const char *head, size_t n)
{
	static _Thread_local char name[64];
	size_t skip;
	if (bom(head, n, &skip))
		return NULL;
	char decl[48];
	bool utf8 = valid_utf8(head, n, true);
	if (declared(head, n, decl, sizeof decl)) {
		if (is_latin1_name(decl))
			return utf8 && has_high(head, n) ? "UTF-8" : "CP1252";
		if (!is_utf8_name(decl)) {
			const char *c = iconv_name(decl);
			if (c == decl) /* libxml2 reads the declaration itself */
				return NULL;
			snprintf(name, sizeof name, "%s", c);
			return name;
		}
	}
	if (utf8)
		return NULL;
	const char *d = detect(head, n, name, sizeof name);
	if (!d)
		return "CP1252";
	const char *c = iconv_name(d);
	if (c != name)
		snprintf(name, sizeof name, "%s", c);
	return name;
}
