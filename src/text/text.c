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

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static bool is_binary(const char *raw, size_t n)
{
	size_t ctrl = 0;
	for (size_t i = 0; i < n; i++) {
		/* eight bytes at a time while none is below 0x20 */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, raw + i, 8);
			if ((w - ONES * 0x20) & ~w & HIGHS)
				break;
			i += 8;
		}
		if (i == n)
			break;
		unsigned char c = (unsigned char)raw[i];
		if (c == 0)
			return true;
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
			ctrl++;
	}
	return n > 0 && ctrl * 20 > n; /* more than 5% control bytes */
}

/* u8_check(s, n) == NULL, with ASCII skipped eight bytes at a time: a
 * multi-byte sequence has no ASCII byte, so the text is valid when every
 * run of non-ASCII bytes is. */
static bool valid_utf8(const char *s, size_t n)
{
	const uint8_t *p = U8(s), *end = U8(s) + n;
	while (p < end) {
		while ((size_t)(end - p) >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (w & HIGHS)
				break;
			p += 8;
		}
		while (p < end && *p < 0x80)
			p++;
		const uint8_t *q = p;
		while (q < end && *q >= 0x80)
			q++;
		if (q > p && u8_check(p, (size_t)(q - p)) != NULL)
			return false;
		p = q;
	}
	return true;
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

/* Code points that NFC leaves as they are wherever they stand: canonical
 * combining class 0, no decomposition that does not compose back to the
 * character itself (NFC_Quick_Check=Yes), and never the second half of a
 * canonical composition (so nothing before them can combine with them).
 * Text made only of these is in NFC already (the quick check of UAX #15
 * answers YES).  The ranges cover Latin, Greek, Cyrillic, Vietnamese,
 * punctuation, symbols, CJK, Hangul syllables and emoji; tests/test_text.c
 * checks every code point in them against libunistring. */
static const struct {
	uint32_t lo, hi;
} nfc_inert[] = {
	{ 0x00000, 0x002FF }, /* Latin-1, Latin Extended-A/B, IPA, modifiers */
	{ 0x00388, 0x00482 }, /* Greek, Cyrillic */
	{ 0x00488, 0x00590 }, /* Cyrillic, Armenian */
	{ 0x01E00, 0x01F70 }, /* Latin Extended Additional (Vietnamese), Greek */
	{ 0x02002, 0x020CF }, /* punctuation, super/subscripts, currency */
	{ 0x0212C, 0x02328 }, /* letterlike, number forms, arrows, operators */
	{ 0x0232B, 0x02ADB }, /* technical, boxes, shapes, dingbats */
	{ 0x02ADD, 0x02CEE },
	{ 0x02E00, 0x03029 }, /* supplemental punctuation, CJK symbols */
	{ 0x03030, 0x03098 }, /* hiragana */
	{ 0x0309B, 0x0A66E }, /* katakana, CJK ideographs, Yi */
	{ 0x0ABEE, 0x0D7FF }, /* Hangul syllables */
	{ 0x0E000, 0x0F8FF }, /* private use */
	{ 0x0FE30, 0x101FC }, /* CJK compatibility forms, half/fullwidth, specials */
	{ 0x1E94B, 0x2F7FF }, /* symbols, emoji, CJK extensions */
	{ 0x2FA1E, 0x10FFFF },
};

static bool nfc_inert_cp(ucs4_t uc)
{
	size_t lo = 0, hi = KB_ARRAY_LEN(nfc_inert);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (uc < nfc_inert[mid].lo)
			hi = mid;
		else if (uc > nfc_inert[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

bool kb_text_nfc_quick(const char *s, size_t n)
{
	const uint8_t *p = U8(s), *end = U8(s) + n;
	while (p < end) {
		/* ASCII, eight bytes at a time */
		while ((size_t)(end - p) >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			p += 8;
		}
		if (p == end)
			break;
		if (*p < 0x80) {
			p++;
			continue;
		}
		/* lead bytes C2..CB start U+0080..U+02FF */
		if (*p >= 0xC2 && *p <= 0xCB && end - p >= 2 && (p[1] & 0xC0) == 0x80) {
			p += 2;
			continue;
		}
		ucs4_t uc;
		int len = u8_mbtoucr(&uc, p, (size_t)(end - p));
		if (len < 0 || !nfc_inert_cp(uc))
			return false;
		p += len;
	}
	return true;
}

/* Appends s[0..n) to out with "\r\n" and lone "\r" turned into "\n". */
static void add_unix_lines(struct kb_buf *out, const char *s, size_t n)
{
	kb_buf_grow(out, n);
	char *w = out->p + out->len;
	const char *end = s + n;
	while (s < end) {
		const char *cr = memchr(s, '\r', (size_t)(end - s));
		size_t k = cr ? (size_t)(cr - s) : (size_t)(end - s);
		memcpy(w, s, k);
		w += k;
		s += k;
		if (!cr)
			break;
		s++; /* the '\r' */
		if (s < end && *s == '\n')
			continue; /* the '\n' is copied with the next run */
		*w++ = '\n';
	}
	out->len = (size_t)(w - out->p);
	out->p[out->len] = '\0';
}

enum kb_decode kb_text_decode(const char *raw, size_t n, struct kb_buf *out,
			      const char **reason)
{
	enum kb_decode st = KB_DECODE_OK;
	size_t start = out->len;

	if (n >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		raw += 3;
		n -= 3;
	}
	if (is_binary(raw, n)) {
		*reason = "binary file, not text";
		return KB_DECODE_BINARY;
	}
	if (valid_utf8(raw, n)) {
		add_unix_lines(out, raw, n);
	} else {
		/* Text with no valid multi-byte character at all was written in
		 * a legacy 8-bit encoding; otherwise a few bad bytes are damage. */
		struct kb_buf tmp = { 0 };
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
		add_unix_lines(out, tmp.p ? tmp.p : "", tmp.len);
		kb_buf_free(&tmp);
	}

	/* NFC: most text has nothing normalisation could change. */
	if (!kb_text_nfc_quick(out->p + start, out->len - start)) {
		size_t len = 0;
		uint8_t *nfc = u8_normalize(UNINORM_NFC, U8(out->p + start), out->len - start,
					    NULL, &len);
		if (!nfc)
			kb_die("cannot normalise text");
		out->len = start;
		kb_buf_add(out, (const char *)nfc, len);
		free(nfc);
	}
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
	size_t r = 0, w = 0;
	bool space = true; /* drops leading spaces */
	while (r < n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* Eight bytes at a time while they are visible ASCII and single
		 * spaces, which stay as they are. */
		while (n - r >= 8) {
			uint64_t x;
			memcpy(&x, s + r, 8);
			if (((x - ONES * 0x20) & ~x & HIGHS) || (((x + ONES) | x) & HIGHS))
				break; /* a byte below ' ' or above '~' */
			uint64_t y = x ^ (ONES * ' ');
			uint64_t sp = ~(((y & ~HIGHS) + ~HIGHS) | y | ~HIGHS); /* 0x80: ' ' */
			if ((sp & (sp << 8)) || (space && (sp & 0x80)))
				break; /* two spaces in a row */
			if (w != r)
				memcpy(s + w, &x, 8);
			r += 8;
			w += 8;
			space = sp >> 63;
		}
		if (r == n)
			break;
#endif
		unsigned char c = (unsigned char)s[r];
		if (c > ' ' && c < 0x7F) { /* visible ASCII */
			s[w++] = (char)c;
			r++;
			space = false;
			continue;
		}
		if (c < 0x80) { /* ASCII spaces and controls (Cc) */
			if (c == ' ' || c == '\t' || c == '\n') {
				if (!space)
					s[w++] = ' ';
				space = true;
			}
			r++;
			continue;
		}
		ucs4_t uc;
		int len = u8_mbtoucr(&uc, U8(s + r), n - r);
		if (len < 0) { /* not expected after kb_text_decode */
			r++;
			continue;
		}
		bool is_space, drop;
		if (uc < 0x800) { /* U+0080..U+07FF: Cc 0080..009F, Zs 00A0 */
			is_space = uc == 0xA0;
			drop = uc < 0xA0 || uc == 0xAD;
		} else if (uc >= 0x2010 && uc <= 0x2027) { /* dashes, quotes, … (P*) */
			is_space = drop = false;
		} else {
			is_space = uc_is_general_category(uc, UC_SPACE_SEPARATOR);
			drop = !is_space &&
			       (is_invisible(uc) || uc_is_general_category(uc, UC_CONTROL));
		}
		if (is_space) {
			if (!space)
				s[w++] = ' ';
			space = true;
		} else if (!drop) {
			for (int i = 0; i < len; i++)
				s[w++] = s[r + (size_t)i];
			space = false;
		}
		r += (size_t)len;
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

static bool obeyed(ucs4_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

void kb_text_safe(struct kb_buf *out, const char *s, size_t n, bool lines)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	const uint8_t *run = p; /* bytes copied as they are */
	kb_buf_grow(out, n);
	while (p < end) {
		if (*p >= 0x20 && *p < 0x7f) {
			p++;
			continue;
		}
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		bool bad = c == 0xfffd && !(k == 3 && p[0] == 0xef && p[1] == 0xbf && p[2] == 0xbd);
		if (!bad && !obeyed(c)) {
			p += k;
			continue;
		}
		kb_buf_add(out, (const char *)run, (size_t)(p - run));
		if (c == '\n' && lines)
			kb_buf_addc(out, '\n');
		else if (c == '\t')
			kb_buf_addc(out, ' ');
		else
			kb_buf_adds(out, "\xef\xbf\xbd");
		p += k;
		run = p;
	}
	kb_buf_add(out, (const char *)run, (size_t)(p - run));
}

void kb_text_safe_puts(FILE *f, const char *s, bool lines)
{
	if (!s)
		return;
	struct kb_buf b = { 0 };
	kb_text_safe(&b, s, strlen(s), lines);
	if (b.p)
		fwrite(b.p, 1, b.len, f);
	kb_buf_free(&b);
}
