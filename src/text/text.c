/* text.c - Unicode handling on top of libunistring. */
#include "config.h"

#include "kabar/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <uniconv.h>
#include <unictype.h>
#include <unigbrk.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#define U8(s) ((const uint8_t *)(s))

static bool is_binary(const char *raw, size_t n)
{
	size_t ctrl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c == 0)
			return true;
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
			ctrl++;
	}
	return n > 0 && ctrl * 20 > n; /* more than 5% control bytes */
}

/* Copies raw into out (when out is not NULL), replacing each invalid
 * sequence with U+FFFD; returns how many were replaced and, in *multi,
 * how many valid multi-byte characters there were. */
static size_t repair_utf8(const char *raw, size_t n, struct kb_buf *out, size_t *multi)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const uint8_t *s = U8(raw), *end = U8(raw) + n;
	size_t bad = 0, good = 0;
	while (s < end) {
		ucs4_t uc;
		int len = u8_mbtoucr(&uc, s, (size_t)(end - s));
		if (len < 0) {
			bad++;
			if (out)
				kb_buf_add(out, replacement, 3);
			s++;
			continue;
		}
		good += len > 1;
		if (out)
			kb_buf_add(out, (const char *)s, (size_t)len);
		s += len;
	}
	if (multi)
		*multi = good;
	return bad;
}

static bool convert_legacy(const char *raw, size_t n, struct kb_buf *out)
{
	size_t high = 0;
	for (size_t i = 0; i < n; i++)
		high += (unsigned char)raw[i] >= 0x80;
	if (high * 100 > n * 15) /* text in a Latin script is mostly ASCII */
		return false;
	size_t len = 0;
	uint8_t *u = u8_conv_from_encoding("CP1252", iconveh_error, raw, n, NULL,
					   NULL, &len);
	if (!u)
		return false;
	kb_buf_add(out, (const char *)u, len);
	free(u);
	return true;
}

enum kb_decode kb_text_decode(const char *raw, size_t n, struct kb_buf *out,
			      const char **reason)
{
	struct kb_buf tmp = { 0 };
	enum kb_decode st = KB_DECODE_OK;

	if (n >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		raw += 3;
		n -= 3;
	}
	if (is_binary(raw, n)) {
		*reason = "binary file, not text";
		return KB_DECODE_BINARY;
	}
	if (u8_check(U8(raw), n) == NULL) {
		kb_buf_add(&tmp, raw, n);
	} else {
		/* Text with no valid multi-byte character at all was written in
		 * a legacy 8-bit encoding; otherwise a few bad bytes are damage. */
		size_t multi;
		size_t bad = repair_utf8(raw, n, NULL, &multi);
		if (multi == 0 && convert_legacy(raw, n, &tmp)) {
			st = KB_DECODE_CONVERTED;
		} else if (bad <= 3 || bad * 2000 <= n) {
			repair_utf8(raw, n, &tmp, NULL);
			st = KB_DECODE_REPAIRED;
		} else if (convert_legacy(raw, n, &tmp)) {
			st = KB_DECODE_CONVERTED;
		} else {
			kb_buf_free(&tmp);
			*reason = "invalid UTF-8 that cannot be repaired";
			return KB_DECODE_INVALID;
		}
	}

	/* Line ends: "\r\n" and lone "\r" become "\n". */
	size_t w = 0;
	for (size_t r = 0; r < tmp.len; r++) {
		char c = tmp.p[r];
		if (c == '\r') {
			if (r + 1 < tmp.len && tmp.p[r + 1] == '\n')
				continue;
			c = '\n';
		}
		tmp.p[w++] = c;
	}
	tmp.len = w;

	size_t len = 0;
	uint8_t *nfc = u8_normalize(UNINORM_NFC, U8(tmp.p ? tmp.p : ""), tmp.len,
				    NULL, &len);
	if (!nfc)
		kb_die("cannot normalise text");
	kb_buf_add(out, (const char *)nfc, len);
	free(nfc);
	kb_buf_free(&tmp);
	*reason = NULL;
	return st;
}

static bool is_invisible(ucs4_t uc)
{
	return uc == 0x200B || uc == 0x2060 || uc == 0xFEFF || uc == 0x00AD ||
	       uc == 0x180E;
}

size_t kb_text_clean_line(char *s, size_t n)
{
	const uint8_t *r = U8(s), *end = U8(s) + n;
	size_t w = 0;
	bool space = true; /* drops leading spaces */
	while (r < end) {
		ucs4_t uc;
		int len = u8_mbtoucr(&uc, r, (size_t)(end - r));
		if (len < 0) { /* not expected after kb_text_decode */
			r++;
			continue;
		}
		if (uc == '\t' || uc == '\n' || uc_is_general_category(uc, UC_SPACE_SEPARATOR)) {
			if (!space)
				s[w++] = ' ';
			space = true;
		} else if (is_invisible(uc) || uc_is_general_category(uc, UC_CONTROL)) {
			/* dropped */
		} else {
			memmove(s + w, r, (size_t)len);
			w += (size_t)len;
			space = false;
		}
		r += len;
	}
	while (w > 0 && s[w - 1] == ' ')
		w--;
	if (w < n)
		s[w] = '\0';
	return w;
}

int kb_text_width(const char *s, size_t n)
{
	int w = u8_width(U8(s), n, "UTF-8");
	return w < 0 ? 0 : w;
}

size_t kb_text_fit(const char *s, size_t n, int max_cells, int *cells)
{
	const uint8_t *p = U8(s), *end = U8(s) + n;
	int used = 0;
	while (p < end) {
		const uint8_t *next = u8_grapheme_next(p, end);
		if (!next)
			break;
		int w = u8_width(p, (size_t)(next - p), "UTF-8");
		if (w < 0)
			w = 1;
		if (used + w > max_cells)
			break;
		used += w;
		p = next;
	}
	if (cells)
		*cells = used;
	return (size_t)(p - U8(s));
}

void kb_text_put_cells(struct kb_buf *out, const char *s, int cells, bool pad)
{
	size_t n = strlen(s);
	int used = 0;
	if (kb_text_width(s, n) <= cells) {
		kb_buf_add(out, s, n);
		used = kb_text_width(s, n);
	} else if (cells > 0) {
		size_t fit = kb_text_fit(s, n, cells - 1, &used);
		kb_buf_add(out, s, fit);
		kb_buf_adds(out, "…");
		used++;
	}
	while (pad && used++ < cells)
		kb_buf_addc(out, ' ');
}

bool kb_text_is_upper(const char *s, size_t n)
{
	const uint8_t *p = U8(s), *end = U8(s) + n;
	bool letter = false;
	while (p < end) {
		ucs4_t uc;
		int len = u8_mbtoucr(&uc, p, (size_t)(end - p));
		if (len < 0)
			return false;
		if (uc_is_general_category(uc, UC_LOWERCASE_LETTER))
			return false;
		if (uc_is_general_category(uc, UC_LETTER))
			letter = true;
		p += len;
	}
	return letter;
}
