/* token.c - splitting text into the tokens the tagger was trained on.
 *
 * NERGrit and idner-news-2k are whitespace tokens with punctuation split
 * off.  Words keep their inner hyphens and apostrophes ("Jong-un",
 * "Rusia-Ukraina", "Ma'ruf"), numbers their separators ("9,8", "11.000",
 * "29/11/2024", "10:30"), abbreviations their dots ("Dr.", "U.S.", "J."). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

#include "ner-internal.h"

/* Byte classes: the tokenizer's fast path.  C_JOIN: the ASCII characters
 * that may continue a word ("Jong-un", "Ma'ruf", "9,8", "U.S."); C_HIGH:
 * the bytes of non-ASCII characters. */
enum { C_WORD = 1, C_SPACE = 2, C_JOIN = 4, C_HIGH = 8 };
#define R8(x) x, x, x, x, x, x, x, x
#define R10(x) x, x, x, x, x, x, x, x, x, x
#define R26(x) R8(x), R8(x), R8(x), x, x
static const uint8_t byte_class[256] = {
	['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
	[' '] = C_SPACE,
	['-'] = C_JOIN, ['\''] = C_JOIN, ['.'] = C_JOIN, [','] = C_JOIN, ['/'] = C_JOIN,
	[':'] = C_JOIN,
	['0'] = R10(C_WORD),
	['A'] = R26(C_WORD),
	['a'] = R26(C_WORD),
	[0x80] = R8(R8(C_HIGH)), R8(R8(C_HIGH)),
};
#undef R8
#undef R10
#undef R26

static inline ucs4_t decode(const char *s, size_t n, size_t i, int *len)
{
	unsigned char c = (unsigned char)s[i];
	if (c < 0x80) {
		*len = 1;
		return c;
	}
	ucs4_t uc;
	int l = u8_mbtouc(&uc, (const uint8_t *)s + i, n - i);
	*len = l > 0 ? l : 1;
	return uc;
}

static bool is_space(ucs4_t c)
{
	if (c < 0x80)
		return c == ' ' || (c >= '\t' && c <= '\r');
	return c == 0xa0 || c == 0x200b || c == 0xfeff || c == 0x2028 || c == 0x2029 ||
	       uc_is_space(c) || uc_is_general_category(c, UC_CATEGORY_Zs);
}

static inline bool is_word(ucs4_t c)
{
	if (c < 0x80)
		return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
	if (c == 0xfffd)
		return false;
	return uc_is_alnum(c) || uc_is_general_category(c, UC_CATEGORY_M);
}

static bool is_digit(ucs4_t c)
{
	return c < 0x80 ? (c >= '0' && c <= '9') : uc_is_digit(c);
}

static bool is_letter(ucs4_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	return uc_is_alpha(c);
}

/* Abbreviations that keep their dot (compared without it, any case),
 * zero-padded to 8 bytes to be compared as numbers. */
static const char abbrevs[][8] = {
	"dr", "mr", "mrs", "ms", "prof", "jl", "jln", "st", "no", "tbk", "inc", "ltd", "co",
	"corp", "jr", "sr", "ir", "hj", "drs", "dra", "sdr", "bpk", "gen", "col", "capt",
	"lt", "sgt", "rev", "vs", "dll", "dsb", "dkk", "tsb", "yth", "ny", "sen", "rep",
	"gov", "hlm", "kol", "brigjen", "mayjen", "letjen", "irjen", "kombes", "ust",
};

static bool is_abbrev(const char *s, size_t n)
{
	if (n > 7 || n == 0)
		return false;
	/* the lowercase bytes, little-endian, as kb_le64 reads the list */
	uint64_t v = 0;
	for (size_t k = 0; k < n; k++) {
		unsigned c = (unsigned char)s[k];
		v |= (uint64_t)(c - 'A' < 26u ? c + 32 : c) << (8 * k);
	}
	for (size_t k = 0; k < sizeof abbrevs / sizeof *abbrevs; k++)
		if (kb_le64(abbrevs[k]) == v)
			return true;
	return false;
}

/* The characters of the UTF-8 bytes s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t k = 0; k < n; k++)
		c += ((unsigned char)s[k] & 0xc0) != 0x80;
	return c;
}

static bool push(struct kb_token **toks, size_t *cnt, size_t *cap, size_t a, size_t b)
{
	if (*cnt == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct kb_token *t = realloc(*toks, nc * sizeof *t);
		if (!t)
			return false;
		*toks = t;
		*cap = nc;
	}
	(*toks)[*cnt].start = (uint32_t)a;
	(*toks)[*cnt].end = (uint32_t)b;
	(*cnt)++;
	return true;
}

/* The end of the word starting at i. */
static size_t scan_word(const char *s, size_t n, size_t i)
{
	size_t j = i, seg = i; /* seg: start of the part after the last dot */
	bool dotted = false;
	ucs4_t last = 0;
	for (;;) {
		int l;
		/* ASCII letters and digits, then anything else */
		size_t j0 = j;
		while (j < n && (byte_class[(unsigned char)s[j]] & C_WORD))
			j++;
		if (j > j0)
			last = (unsigned char)s[j - 1];
		while (j < n) {
			ucs4_t c = decode(s, n, j, &l);
			if (!is_word(c))
				break;
			last = c;
			j += (size_t)l;
		}
		if (j >= n)
			break;
		int lc, ld;
		ucs4_t c = decode(s, n, j, &lc);
		if (j + (size_t)lc >= n)
			break;
		ucs4_t d = decode(s, n, j + (size_t)lc, &ld);
		if ((c == '-' || c == 0x2010 || c == 0x2011) && is_word(d)) {
			j += (size_t)lc;
			continue;
		}
		if ((c == '\'' || c == 0x2019) && is_letter(last) && is_letter(d)) {
			j += (size_t)lc;
			continue;
		}
		if ((c == '.' || c == ',' || c == '/' || c == ':') && is_digit(last) && is_digit(d)) {
			j += (size_t)lc;
			continue;
		}
		/* U.S, S.H: one letter, a dot, a letter */
		if (c == '.' && is_letter(d) && is_letter(last) && j - seg <= 2 &&
		    chars(s + seg, j - seg) == 1) {
			j += (size_t)lc;
			seg = j;
			dotted = true;
			continue;
		}
		break;
	}
	/* a trailing dot: U.S., J. Smith, Dr. */
	if (j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] == '.')) {
		size_t seglen = chars(s + seg, j - seg);
		int l;
		ucs4_t first = decode(s, n, seg, &l);
		if ((dotted && seglen == 1) || (seglen == 1 && j - i == (size_t)l && uc_is_upper(first)) ||
		    is_abbrev(s + i, j - i))
			j++;
	}
	return j;
}

size_t kb_tokenize(const char *text, size_t n, struct kb_token **toks)
{
	size_t cnt = 0, cap = n / 4 + 16;
	*toks = malloc(cap * sizeof **toks);
	if (!*toks)
		return 0;
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)text[i];
		uint8_t cl = byte_class[b];
		if (cl & C_SPACE) {
			i++;
			continue;
		}
		size_t j;
		if (cl & C_WORD) {
			/* a run of ASCII letters and digits ended by a space or
			 * a punctuation character that cannot join it to more */
			j = i + 1;
			while (j < n && (byte_class[(unsigned char)text[j]] & C_WORD))
				j++;
			if (j < n && (byte_class[(unsigned char)text[j]] & (C_JOIN | C_HIGH)))
				j = scan_word(text, n, i);
		} else if (!(cl & C_HIGH)) {
			if (b == '.')
				for (j = i; j < n && text[j] == '.'; j++)
					;
			else
				j = i + 1;
		} else {
			int l;
			ucs4_t c = decode(text, n, i, &l);
			if (is_space(c)) {
				i += (size_t)l;
				continue;
			}
			j = is_word(c) ? scan_word(text, n, i) : i + (size_t)l;
		}
		if (!push(toks, &cnt, &cap, i, j)) {
			free(*toks);
			*toks = NULL;
			return 0;
		}
		i = j;
	}
	return cnt;
}

/* The lowercase form of a token (at most 127 bytes); its length. */
static size_t tok_lowercase(const char *s, size_t n, char *lower)
{
	if (n > 64) { /* long tokens: the first 64 bytes are enough */
		n = 64;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	bool ascii = true;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c >= 0x80) {
			ascii = false;
			break;
		}
		lower[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	size_t len = n;
	if (!ascii) {
		/* punctuation (curly quotes, dashes) has no case */
		bool cased = false;
		for (size_t k = 0; k < n && !cased;) {
			ucs4_t c;
			int l = u8_mbtouc(&c, (const uint8_t *)s + k, n - k);
			cased = c < 0x80 || uc_is_alpha(c);
			k += l > 0 ? (size_t)l : 1;
		}
		if (!cased) {
			memcpy(lower, s, n);
			return n;
		}
		len = 127;
		uint8_t *r = u8_tolower((const uint8_t *)s, n, NULL, NULL, (uint8_t *)lower, &len);
		if (!r) {
			memcpy(lower, s, n);
			len = n;
		} else if (r != (uint8_t *)lower) {
			if (len > 127)
				len = 127;
			memcpy(lower, r, len);
			free(r);
		}
	}
	return len;
}

uint64_t kb_tok_lower(const char *s, size_t n, char *lower, size_t *lowern)
{
	*lowern = tok_lowercase(s, n, lower);
	return kb_hash_bytes(lower, *lowern);
}

uint64_t kb_name_hash(const char *name, size_t n)
{
	struct kb_token *toks;
	size_t cnt = kb_tokenize(name, n, &toks);
	if (cnt == 0) {
		free(toks);
		return 0;
	}
	uint64_t h = KB_SPAN_SEED;
	char buf[128];
	size_t bl;
	for (size_t k = 0; k < cnt; k++)
		h = kb_span_next(h, kb_tok_lower(name + toks[k].start, toks[k].end - toks[k].start,
						 buf, &bl));
	free(toks);
	return h;
}
