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

/* ASCII byte classes: the tokenizer's fast path. */
enum { C_WORD = 1, C_SPACE = 2 };
static const uint8_t ascii_class[128] = {
	['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE, ['\r'] = C_SPACE,
	[' '] = C_SPACE,
	['0'] = C_WORD, ['1'] = C_WORD, ['2'] = C_WORD, ['3'] = C_WORD, ['4'] = C_WORD,
	['5'] = C_WORD, ['6'] = C_WORD, ['7'] = C_WORD, ['8'] = C_WORD, ['9'] = C_WORD,
	['A'] = C_WORD, ['B'] = C_WORD, ['C'] = C_WORD, ['D'] = C_WORD, ['E'] = C_WORD,
	['F'] = C_WORD, ['G'] = C_WORD, ['H'] = C_WORD, ['I'] = C_WORD, ['J'] = C_WORD,
	['K'] = C_WORD, ['L'] = C_WORD, ['M'] = C_WORD, ['N'] = C_WORD, ['O'] = C_WORD,
	['P'] = C_WORD, ['Q'] = C_WORD, ['R'] = C_WORD, ['S'] = C_WORD, ['T'] = C_WORD,
	['U'] = C_WORD, ['V'] = C_WORD, ['W'] = C_WORD, ['X'] = C_WORD, ['Y'] = C_WORD,
	['Z'] = C_WORD,
	['a'] = C_WORD, ['b'] = C_WORD, ['c'] = C_WORD, ['d'] = C_WORD, ['e'] = C_WORD,
	['f'] = C_WORD, ['g'] = C_WORD, ['h'] = C_WORD, ['i'] = C_WORD, ['j'] = C_WORD,
	['k'] = C_WORD, ['l'] = C_WORD, ['m'] = C_WORD, ['n'] = C_WORD, ['o'] = C_WORD,
	['p'] = C_WORD, ['q'] = C_WORD, ['r'] = C_WORD, ['s'] = C_WORD, ['t'] = C_WORD,
	['u'] = C_WORD, ['v'] = C_WORD, ['w'] = C_WORD, ['x'] = C_WORD, ['y'] = C_WORD,
	['z'] = C_WORD,
};

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

/* Abbreviations that keep their dot (compared without it, any case). */
static const char *const abbrevs[] = {
	"dr", "mr", "mrs", "ms", "prof", "jl", "jln", "st", "no", "tbk", "inc", "ltd", "co",
	"corp", "jr", "sr", "ir", "hj", "drs", "dra", "sdr", "bpk", "gen", "col", "capt",
	"lt", "sgt", "rev", "vs", "dll", "dsb", "dkk", "tsb", "yth", "ny", "sen", "rep",
	"gov", "no", "hlm", "kol", "brigjen", "mayjen", "letjen", "irjen", "kombes", "ust",
};

static bool is_abbrev(const char *s, size_t n)
{
	char low[8];
	if (n > 7)
		return false;
	for (size_t k = 0; k < n; k++)
		low[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
	for (size_t k = 0; k < sizeof abbrevs / sizeof *abbrevs; k++)
		if (abbrevs[k][0] == low[0] && strlen(abbrevs[k]) == n && memcmp(abbrevs[k], low, n) == 0)
			return true;
	return false;
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
		while (j < n && (unsigned char)s[j] < 0x80 && (ascii_class[(unsigned char)s[j]] & C_WORD))
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
		    u8_mbsnlen((const uint8_t *)s + seg, j - seg) == 1) {
			j += (size_t)lc;
			seg = j;
			dotted = true;
			continue;
		}
		break;
	}
	/* a trailing dot: U.S., J. Smith, Dr. */
	if (j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] == '.')) {
		size_t seglen = u8_mbsnlen((const uint8_t *)s + seg, j - seg);
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
	size_t cnt = 0, cap = 0;
	*toks = NULL;
	size_t i = 0;
	while (i < n) {
		unsigned char b = (unsigned char)text[i];
		if (b < 0x80 && (ascii_class[b] & C_SPACE)) {
			i++;
			continue;
		}
		int l;
		ucs4_t c = decode(text, n, i, &l);
		if (is_space(c)) {
			i += (size_t)l;
			continue;
		}
		size_t j;
		if (is_word(c)) {
			j = scan_word(text, n, i);
		} else if (c == '.') {
			for (j = i; j < n && text[j] == '.'; j++)
				;
		} else {
			j = i + (size_t)l;
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

size_t kb_tok_lowercase(const char *s, size_t n, char *lower)
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
	*lowern = kb_tok_lowercase(s, n, lower);
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
