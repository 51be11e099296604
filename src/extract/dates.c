/* dates.c - dates in running text, absolute and relative, as ISO values.
 *
 * One pass turns the text into tokens (words, numbers, punctuation; every
 * word is looked up once in a small keyword hash), then one left-to-right
 * walk over the tokens tries the date patterns at each token, longest
 * first, and skips past whatever matched.  No regular expressions, no
 * allocation per word: one token array and the result array per call.
 * doc/dates.md describes what is recognised and how relative dates resolve.
 */
#include "config.h"

#include "kabar/dates.h"

#include "kabar/date.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- keywords ----------------------------------------------------------- */

enum { U_DAY = 1, U_WEEK, U_MONTH, U_YEAR };

enum {
	R_CUE = 1u << 0,       /* licenses a bare year or month after it */
	R_CHAIN = 1u << 1,     /* "dan", "and", "hingga": a second year */
	R_POD = 1u << 2,       /* part of day: pagi, malam, morning */
	R_FUTMARK = 1u << 3,   /* akan, will: a bare weekday looks ahead */
	R_PAST = 1u << 4,      /* lalu, silam, ago */
	R_FUT = 1u << 5,       /* depan, mendatang */
	R_THIS = 1u << 6,      /* ini, this */
	R_LAST = 1u << 7,      /* last (before the word) */
	R_NEXT = 1u << 8,      /* next */
	R_YANG = 1u << 9,      /* "yang lalu" */
	R_ORD = 1u << 10,      /* 29th */
	R_OF = 1u << 11,       /* 1st of May */
	R_TANGGAL = 1u << 12,  /* tanggal 17 Agustus */
	R_WKAFTER = 1u << 13,  /* after "minggu": the week is meant */
	R_WKBEFORE = 1u << 14, /* before "minggu": the week is meant */
	R_LAGI = 1u << 15,     /* "dua hari lagi" */
	R_EN = 1u << 16,       /* English weekday: needs a capital */
	R_ABBR = 1u << 17,     /* abbreviation: only inside a full date */
	R_DEICTIC = 1u << 18,  /* kemarin, today: rel is the day offset */
	R_HARI = 1u << 19,     /* "hari Jumat" */
	R_BULAN = 1u << 20,    /* "bulan Juni" */
	R_TAHUN = 1u << 21,    /* "tahun 1945" */
};

struct kw {
	const char *w;
	uint32_t roles;
	uint8_t month, wday, unit, num;
	int8_t rel;
};

#define MON(w, m, r) { w, r, m, 0, 0, 0, 0 }
#define WD(w, d, r) { w, r, 0, d, 0, 0, 0 }
#define UNIT(w, u, r) { w, r, 0, 0, u, 0, 0 }
#define NUMW(w, n) { w, R_WKBEFORE, 0, 0, 0, n, 0 }
#define SEUNIT(w, u) { w, 0, 0, 0, u, 1, 0 }
#define ROLE(w, r) { w, r, 0, 0, 0, 0, 0 }
#define DEIC(w, d, r) { w, (r) | R_DEICTIC, 0, 0, 0, 0, d }

/* A word may be listed more than once; the entries are merged. */
static const struct kw keywords[] = {
	MON("januari", 1, 0), MON("january", 1, 0), MON("jan", 1, R_ABBR),
	MON("februari", 2, 0), MON("pebruari", 2, 0), MON("february", 2, 0),
	MON("feb", 2, R_ABBR), MON("maret", 3, 0), MON("march", 3, 0),
	MON("mar", 3, R_ABBR), MON("april", 4, 0), MON("apr", 4, R_ABBR),
	MON("mei", 5, 0), MON("may", 5, 0), MON("juni", 6, 0), MON("june", 6, 0),
	MON("jun", 6, R_ABBR), MON("juli", 7, 0), MON("july", 7, 0),
	MON("jul", 7, R_ABBR), MON("agustus", 8, 0), MON("august", 8, 0),
	MON("aug", 8, R_ABBR), MON("agu", 8, R_ABBR), MON("agt", 8, R_ABBR),
	MON("ags", 8, R_ABBR), MON("september", 9, 0), MON("sept", 9, R_ABBR),
	MON("sep", 9, R_ABBR), MON("oktober", 10, 0), MON("october", 10, 0),
	MON("okt", 10, R_ABBR), MON("oct", 10, R_ABBR), MON("november", 11, 0),
	MON("nopember", 11, 0), MON("nov", 11, R_ABBR), MON("desember", 12, 0),
	MON("december", 12, 0), MON("des", 12, R_ABBR), MON("dec", 12, R_ABBR),

	WD("senin", 1, 0), WD("selasa", 2, 0), WD("rabu", 3, 0), WD("kamis", 4, 0),
	WD("jumat", 5, 0), WD("jum'at", 5, 0), WD("sabtu", 6, 0), WD("minggu", 7, 0),
	WD("ahad", 7, 0), WD("monday", 1, R_EN), WD("tuesday", 2, R_EN),
	WD("wednesday", 3, R_EN), WD("thursday", 4, R_EN), WD("friday", 5, R_EN),
	WD("saturday", 6, R_EN), WD("sunday", 7, R_EN), WD("mon", 1, R_EN | R_ABBR),
	WD("tue", 2, R_EN | R_ABBR), WD("tues", 2, R_EN | R_ABBR),
	WD("wed", 3, R_EN | R_ABBR), WD("thu", 4, R_EN | R_ABBR),
	WD("thurs", 4, R_EN | R_ABBR), WD("fri", 5, R_EN | R_ABBR),
	WD("sat", 6, R_EN | R_ABBR), WD("sun", 7, R_EN | R_ABBR),
	WD("sen", 1, R_ABBR), WD("sel", 2, R_ABBR), WD("rab", 3, R_ABBR),
	WD("kam", 4, R_ABBR), WD("jum", 5, R_ABBR), WD("sab", 6, R_ABBR),
	WD("min", 7, R_ABBR),

	UNIT("hari", U_DAY, R_HARI), UNIT("day", U_DAY, 0), UNIT("days", U_DAY, 0),
	UNIT("minggu", U_WEEK, 0), UNIT("pekan", U_WEEK, 0), UNIT("week", U_WEEK, 0),
	UNIT("weeks", U_WEEK, 0), UNIT("bulan", U_MONTH, R_BULAN),
	UNIT("month", U_MONTH, 0), UNIT("months", U_MONTH, 0),
	UNIT("tahun", U_YEAR, R_TAHUN), UNIT("year", U_YEAR, 0),
	UNIT("years", U_YEAR, 0),

	NUMW("satu", 1), NUMW("dua", 2), NUMW("tiga", 3), NUMW("empat", 4),
	NUMW("lima", 5), NUMW("enam", 6), NUMW("tujuh", 7), NUMW("delapan", 8),
	NUMW("sembilan", 9), NUMW("sepuluh", 10), NUMW("sebelas", 11),
	NUMW("one", 1), NUMW("two", 2), NUMW("three", 3), NUMW("four", 4),
	NUMW("five", 5), NUMW("six", 6), NUMW("seven", 7), NUMW("eight", 8),
	NUMW("nine", 9), NUMW("ten", 10), NUMW("eleven", 11), NUMW("twelve", 12),
	NUMW("a", 1), NUMW("an", 1),
	SEUNIT("sehari", U_DAY), SEUNIT("seminggu", U_WEEK), SEUNIT("sepekan", U_WEEK),
	SEUNIT("sebulan", U_MONTH), SEUNIT("setahun", U_YEAR),

	ROLE("lalu", R_PAST | R_WKAFTER), ROLE("silam", R_PAST | R_WKAFTER),
	ROLE("ago", R_PAST), DEIC("kemarin", -1, R_PAST | R_WKAFTER),
	ROLE("depan", R_FUT | R_WKAFTER), ROLE("mendatang", R_FUT | R_WKAFTER),
	ROLE("lagi", R_LAGI | R_WKAFTER), ROLE("ini", R_THIS | R_WKAFTER),
	ROLE("this", R_THIS), ROLE("last", R_LAST), ROLE("next", R_NEXT),
	ROLE("yang", R_YANG | R_WKAFTER), DEIC("yesterday", -1, 0),
	DEIC("today", 0, 0), DEIC("besok", 1, 0), DEIC("tomorrow", 1, 0),
	DEIC("lusa", 2, 0),
	ROLE("st", R_ORD), ROLE("nd", R_ORD), ROLE("rd", R_ORD), ROLE("th", R_ORD),
	ROLE("of", R_OF), ROLE("tanggal", R_TANGGAL), ROLE("tgl", R_TANGGAL),

	ROLE("pada", R_CUE), ROLE("sejak", R_CUE), ROLE("hingga", R_CUE | R_CHAIN | R_FUTMARK),
	ROLE("sampai", R_CUE | R_CHAIN | R_FUTMARK), ROLE("selama", R_CUE | R_WKBEFORE),
	ROLE("sepanjang", R_CUE | R_WKBEFORE), ROLE("awal", R_CUE | R_WKBEFORE),
	ROLE("akhir", R_CUE | R_WKBEFORE), ROLE("pertengahan", R_CUE | R_WKBEFORE),
	ROLE("sebelum", R_CUE), ROLE("setelah", R_CUE), ROLE("sesudah", R_CUE),
	ROLE("jelang", R_CUE), ROLE("menjelang", R_CUE), ROLE("in", R_CUE),
	ROLE("since", R_CUE), ROLE("until", R_CUE | R_CHAIN | R_FUTMARK),
	ROLE("till", R_CUE | R_CHAIN | R_FUTMARK), ROLE("during", R_CUE),
	ROLE("by", R_CUE), ROLE("early", R_CUE), ROLE("late", R_CUE), ROLE("mid", R_CUE),
	ROLE("before", R_CUE), ROLE("after", R_CUE), ROLE("throughout", R_CUE),
	ROLE("dan", R_CHAIN), ROLE("atau", R_CHAIN), ROLE("serta", R_CHAIN),
	ROLE("and", R_CHAIN), ROLE("or", R_CHAIN), ROLE("to", R_CHAIN),
	ROLE("through", R_CHAIN),
	ROLE("pagi", R_POD), ROLE("siang", R_POD), ROLE("sore", R_POD),
	ROLE("malam", R_POD), ROLE("dini", R_POD), ROLE("morning", R_POD),
	ROLE("afternoon", R_POD), ROLE("evening", R_POD), ROLE("night", R_POD),
	ROLE("akan", R_FUTMARK), ROLE("bakal", R_FUTMARK), ROLE("will", R_FUTMARK),
	ROLE("would", R_FUTMARK), ROLE("dijadwalkan", R_FUTMARK),
	ROLE("direncanakan", R_FUTMARK), ROLE("rencananya", R_FUTMARK),
	ROLE("scheduled", R_FUTMARK),
	ROLE("terakhir", R_WKAFTER), ROLE("pertama", R_WKAFTER),
	ROLE("kedua", R_WKAFTER), ROLE("ketiga", R_WKAFTER), ROLE("keempat", R_WKAFTER),
	ROLE("kelima", R_WKAFTER), ROLE("ke", R_WKAFTER), ROLE("sebelumnya", R_WKAFTER),
	ROLE("berikutnya", R_WKAFTER), ROLE("setiap", R_WKBEFORE),
	ROLE("tiap", R_WKBEFORE), ROLE("per", R_WKBEFORE), ROLE("beberapa", R_WKBEFORE),
	ROLE("dalam", R_WKBEFORE), ROLE("para", R_WKBEFORE),
};

#define NKEYWORDS (sizeof keywords / sizeof keywords[0])
#define HSIZE 1024 /* power of two, more than twice the keywords */
#define MAXWORD 16

static struct kw merged[NKEYWORDS];
static int16_t htab[HSIZE]; /* index into merged + 1, 0 when empty */
static uint64_t hw0[HSIZE], hw1[HSIZE]; /* the word in each slot, zero padded */
static pthread_once_t kw_once = PTHREAD_ONCE_INIT;

/* w is MAXWORD bytes, padded with spaces; folds ASCII letters to lower
 * case (apostrophes and spaces are unchanged by it). */
static void pack(const unsigned char *w, uint64_t *w0, uint64_t *w1)
{
	memcpy(w0, w, 8);
	memcpy(w1, w + 8, 8);
	*w0 |= 0x2020202020202020ull;
	*w1 |= 0x2020202020202020ull;
}

static uint32_t hash(uint64_t w0, uint64_t w1)
{
	uint64_t h = (w0 ^ (w1 * 0x9E3779B97F4A7C15ull)) * 0xC2B2AE3D27D4EB4Full;
	return (uint32_t)(h >> 40);
}

enum { C_PUNCT, C_SPACE, C_LETTER, C_DIGIT, C_HIGH };
static uint8_t cclass[256];

static void kw_build(void)
{
	for (int b = 0; b < 256; b++)
		cclass[b] = b >= 0x80 ? C_HIGH : (b >= '0' && b <= '9') ? C_DIGIT
			: ((b | 0x20) >= 'a' && (b | 0x20) <= 'z') ? C_LETTER
			: (b == ' ' || (b >= '\t' && b <= '\r')) ? C_SPACE : C_PUNCT;
	size_t nm = 0;
	for (size_t i = 0; i < NKEYWORDS; i++) {
		const struct kw *k = &keywords[i];
		unsigned char w[MAXWORD];
		memset(w, ' ', MAXWORD);
		memcpy(w, k->w, strlen(k->w)); /* every keyword is shorter than MAXWORD */
		uint64_t w0, w1;
		pack(w, &w0, &w1);
		uint32_t h = hash(w0, w1) & (HSIZE - 1);
		while (htab[h] && (hw0[h] != w0 || hw1[h] != w1))
			h = (h + 1) & (HSIZE - 1);
		if (!htab[h]) {
			merged[nm] = *k;
			htab[h] = (int16_t)++nm;
			hw0[h] = w0;
			hw1[h] = w1;
			continue;
		}
		struct kw *m = &merged[htab[h] - 1];
		m->roles |= k->roles;
		if (k->month)
			m->month = k->month;
		if (k->wday)
			m->wday = k->wday;
		if (k->unit)
			m->unit = k->unit;
		if (k->num)
			m->num = k->num;
		if (k->roles & R_DEICTIC)
			m->rel = k->rel;
	}
}

/* w is an ASCII word padded with spaces to MAXWORD bytes. */
static const struct kw *kw_find(const unsigned char *w)
{
	uint64_t w0, w1;
	pack(w, &w0, &w1);
	uint32_t h = hash(w0, w1) & (HSIZE - 1);
	while (htab[h]) {
		if (hw0[h] == w0 && hw1[h] == w1)
			return &merged[htab[h] - 1];
		h = (h + 1) & (HSIZE - 1);
	}
	return NULL;
}

/* ---- calendar ----------------------------------------------------------- */

/* Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 1 = Monday ... 7 = Sunday */
static int weekday(long days)
{
	long w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

/* ---- tokens ------------------------------------------------------------- */

enum { T_WORD = 1, T_NUM, T_PUNCT };

struct tok {
	uint32_t s, e;
	uint8_t type;
	char ch;      /* punctuation, folded to ASCII */
	bool cap;     /* word starts with an upper-case letter */
	bool adj;     /* no space before */
	uint8_t nd;   /* digits */
	uint8_t nw;   /* words in a run of ordinary words merged into one */
	int32_t num;  /* value of a number (saturated) */
	const struct kw *k;
};

struct ctx {
	const char *text;
	struct tok *t;
	size_t nt;
	uint32_t *cand; /* the tokens a date can start at: numbers, keywords */
	size_t ncand;
	bool has_anchor;
	int ay, am, ad;
	long adays;
	struct kb_date_mention *out;
	size_t nout, capout;
	bool oom;
	size_t last_year_end; /* token after the last bare-year mention */
};

static bool is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

/* Classifies the UTF-8 sequence at p: 0 space, 1 letter, 2 punctuation
 * (folded to *ch); *len is its length. */
static int classify(const unsigned char *p, const unsigned char *end, int *len, char *ch)
{
	unsigned char c = *p;
	*len = 1;
	if (c < 0x80) {
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			return 0;
		if (is_alpha(c))
			return 1;
		*ch = (char)c;
		return 2;
	}
	if (c == 0xC2 && p + 1 < end) {
		*len = 2;
		*ch = '.';
		return p[1] == 0xA0 ? 0 : 2; /* no-break space, Latin-1 signs */
	}
	if (c == 0xE2 && p + 2 < end && p[1] == 0x80) {
		unsigned char c2 = p[2];
		*len = 3;
		if (c2 < 0x90 || c2 == 0xAF)
			return 0; /* U+2000.. spaces, zero widths */
		*ch = c2 <= 0x95 ? '-' : c2 <= 0x9B ? '\'' : c2 <= 0x9F ? '"' : '.';
		return 2;
	}
	/* any other multibyte sequence counts as a letter */
	int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	while (n > 1 && p + n > end)
		n--;
	*len = n;
	return 1;
}

static bool grow_toks(struct ctx *c, size_t *cap)
{
	size_t nc = *cap * 2;
	struct tok *p = realloc(c->t, nc * sizeof *p);
	if (!p)
		return false;
	c->t = p;
	uint32_t *q = realloc(c->cand, nc * sizeof *q);
	if (!q)
		return false;
	c->cand = q;
	*cap = nc;
	return true;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* Skips ASCII letters eight bytes at a time. */
static const unsigned char *skip_letters(const unsigned char *p, const unsigned char *end)
{
	const uint64_t hi = 0x8080808080808080ull;
	while (end - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		uint64_t y = x | 0x2020202020202020ull;
		uint64_t ge_a = (y | hi) - 0x6161616161616161ull;
		uint64_t le_z = (0x7a7a7a7a7a7a7a7aull | hi) - (y & ~hi);
		uint64_t other = ~(ge_a & le_z & ~y) & hi; /* high bit: not a letter */
		if (other)
			return p + (__builtin_ctzll(other) >> 3);
		p += 8;
	}
	while (p < end && cclass[*p] == C_LETTER)
		p++;
	return p;
}
#else
static const unsigned char *skip_letters(const unsigned char *p, const unsigned char *end)
{
	while (p < end && cclass[*p] == C_LETTER)
		p++;
	return p;
}
#endif

/* An apostrophe inside a word (Jum'at), but not a possessive
 * (Yesterday's): q is the byte after it. */
static bool inner_apostrophe(const unsigned char *q, const unsigned char *end)
{
	if (q >= end || cclass[*q] != C_LETTER)
		return false;
	return (*q | 0x20) != 's' || (q + 1 < end && cclass[q[1]] == C_LETTER);
}

/* Reads the word at *pp (its first sequence is a letter of length len);
 * looks it up when it is ASCII. */
static void read_word(struct tok *x, const unsigned char **pp, const unsigned char *end, int len)
{
	const unsigned char *start = *pp, *p = start;
	bool ascii = len == 1, curly = false;
	x->type = T_WORD;
	x->cap = *p >= 'A' && *p <= 'Z';
	p += len;
	for (;;) {
		p = skip_letters(p, end);
		if (p >= end)
			break;
		if (*p == '\'' && inner_apostrophe(p + 1, end)) {
			p++;
			continue;
		}
		if (*p < 0x80)
			break;
		char ch = 0;
		int cl = classify(p, end, &len, &ch);
		if (cl == 1) {
			ascii = false;
			p += len;
		} else if (cl == 2 && ch == '\'' && inner_apostrophe(p + len, end)) {
			curly = true; /* Jum’at */
			p += len;
		} else {
			break;
		}
	}
	*pp = p;
	size_t n = (size_t)(p - start);
	if (!ascii || n >= (size_t)MAXWORD + (curly ? 2 : 0))
		return;
	unsigned char buf[MAXWORD];
	if (!curly && end - start >= MAXWORD) {
		/* the common way: 16 bytes at once, the tail masked to spaces */
		static const unsigned char ones[2 * MAXWORD] = {
			255, 255, 255, 255, 255, 255, 255, 255,
			255, 255, 255, 255, 255, 255, 255, 255,
		};
		uint64_t w[2], m[2], sp = 0x2020202020202020ull;
		memcpy(w, start, MAXWORD);
		memcpy(m, ones + MAXWORD - n, MAXWORD);
		w[0] = (w[0] & m[0]) | (sp & ~m[0]);
		w[1] = (w[1] & m[1]) | (sp & ~m[1]);
		memcpy(buf, w, MAXWORD);
	} else if (curly) { /* the rare slow way: fold ’ to ' */
		size_t bl = 0;
		memset(buf, ' ', MAXWORD);
		for (const unsigned char *q = start; q < p && bl < MAXWORD; bl++)
			if (*q == 0xE2) {
				buf[bl] = '\'';
				q += 3;
			} else {
				buf[bl] = *q++;
			}
	} else {
		memset(buf, ' ', MAXWORD);
		memcpy(buf, start, n);
	}
	x->k = kw_find(buf);
}

static bool tokenize(struct ctx *c, const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + n;
	const unsigned char *base = p;
	size_t cap = n / 4 + 64;
	c->t = malloc(cap * sizeof *c->t);
	c->cand = malloc(cap * sizeof *c->cand);
	if (!c->t || !c->cand)
		return false;
	c->nt = c->ncand = 0;
	uint32_t prev_end = UINT32_MAX;
	while (p < end) {
		unsigned char b = *p;
		uint8_t cc = cclass[b];
		if (cc == C_SPACE) {
			p++;
			continue;
		}
		int len = 1;
		char ch = 0;
		if (cc == C_HIGH) {
			int cl = classify(p, end, &len, &ch);
			if (cl == 0) {
				p += len;
				continue;
			}
			cc = cl == 1 ? C_LETTER : C_PUNCT;
		} else if (cc == C_PUNCT) {
			ch = (char)b;
		}
		if (cc == C_LETTER) {
			struct tok w;
			w.k = NULL;
			uint32_t s0 = (uint32_t)(p - base);
			read_word(&w, &p, end, len);
			if (!w.k && c->nt && c->t[c->nt - 1].type == T_WORD && !c->t[c->nt - 1].k) {
				/* a run of ordinary words is one token */
				struct tok *l = &c->t[c->nt - 1];
				l->e = prev_end = (uint32_t)(p - base);
				l->nw += l->nw < 255;
				continue;
			}
			if (c->nt == cap && !grow_toks(c, &cap))
				return false;
			if (w.k)
				c->cand[c->ncand++] = (uint32_t)c->nt;
			struct tok *x = &c->t[c->nt++];
			*x = w;
			x->s = s0;
			x->e = (uint32_t)(p - base);
			x->nd = 0;
			x->nw = 1;
			x->num = 0;
			x->ch = 0;
			x->adj = s0 == prev_end;
			prev_end = x->e;
			continue;
		}
		if (c->nt == cap && !grow_toks(c, &cap))
			return false;
		struct tok *x = &c->t[c->nt++];
		memset(x, 0, sizeof *x);
		x->s = (uint32_t)(p - base);
		if (cc == C_DIGIT) {
			c->cand[c->ncand++] = (uint32_t)(c->nt - 1);
			uint32_t v = 0;
			int nd = 0;
			while (p < end && cclass[*p] == C_DIGIT) {
				if (v < 100000000)
					v = v * 10 + (uint32_t)(*p - '0');
				nd++;
				p++;
			}
			x->type = T_NUM;
			x->num = (int32_t)v;
			x->nd = (uint8_t)(nd > 255 ? 255 : nd);
		} else {
			x->type = T_PUNCT;
			x->ch = ch;
			p += len;
		}
		x->e = (uint32_t)(p - base);
		x->adj = x->s == prev_end;
		prev_end = x->e;
	}
	return true;
}

/* ---- token helpers ------------------------------------------------------ */

static const struct kw *kw_at(const struct ctx *c, size_t i)
{
	return i < c->nt ? c->t[i].k : NULL;
}

static uint32_t roles(const struct ctx *c, size_t i)
{
	return i < c->nt && c->t[i].k ? c->t[i].k->roles : 0;
}

static bool is_punct(const struct ctx *c, size_t i, char ch)
{
	return i < c->nt && c->t[i].type == T_PUNCT && c->t[i].ch == ch;
}

static bool is_num(const struct ctx *c, size_t i)
{
	return i < c->nt && c->t[i].type == T_NUM;
}

static bool is_sep(char ch)
{
	return ch == '.' || ch == ',' || ch == ':' || ch == '/' || ch == '-';
}

/* The number at i is not glued to a word or part of 1.500, 10:30, 2/3. */
static bool num_free_left(const struct ctx *c, size_t i)
{
	if (i == 0 || !c->t[i].adj)
		return true;
	const struct tok *p = &c->t[i - 1];
	if (p->type == T_WORD || p->type == T_NUM)
		return false;
	if (is_sep(p->ch) && i >= 2 && p->adj && c->t[i - 2].type == T_NUM)
		return false;
	return true;
}

static bool num_free_right(const struct ctx *c, size_t i)
{
	size_t j = i + 1;
	if (j >= c->nt || !c->t[j].adj)
		return true;
	const struct tok *q = &c->t[j];
	if (q->type == T_WORD || q->type == T_NUM)
		return false;
	if (q->ch == '%')
		return false;
	if (is_sep(q->ch) && j + 1 < c->nt && c->t[j + 1].adj && c->t[j + 1].type == T_NUM)
		return false;
	return true;
}

static bool num_free(const struct ctx *c, size_t i)
{
	return num_free_left(c, i) && num_free_right(c, i);
}

/* A month name at i: 1-12, else 0.  *j is the token after it (past the
 * dot of "Nov."). */
static int month_at(const struct ctx *c, size_t i, size_t *j)
{
	if (i >= c->nt || !c->t[i].k || !c->t[i].k->month)
		return 0;
	*j = i + 1;
	if ((c->t[i].k->roles & R_ABBR) && is_punct(c, i + 1, '.') && c->t[i + 1].adj)
		*j = i + 2;
	return c->t[i].k->month;
}

static bool year_num(const struct ctx *c, size_t i, int *y)
{
	if (!is_num(c, i) || c->t[i].nd != 4)
		return false;
	*y = c->t[i].num;
	return *y >= 1000 && *y <= 2999;
}

/* ---- output ------------------------------------------------------------- */

static void put2(char *s, int v)
{
	s[0] = (char)('0' + v / 10 % 10);
	s[1] = (char)('0' + v % 10);
}

static void emit(struct ctx *c, size_t ti, size_t tj, int y, int m, int d, bool relative)
{
	if (c->oom)
		return;
	if (c->nout == c->capout) {
		size_t nc = c->capout ? c->capout * 2 : 8;
		struct kb_date_mention *p = realloc(c->out, nc * sizeof *p);
		if (!p) {
			c->oom = true;
			return;
		}
		c->out = p;
		c->capout = nc;
	}
	struct kb_date_mention *o = &c->out[c->nout++];
	memset(o, 0, sizeof *o);
	o->start = c->t[ti].s;
	o->end = c->t[tj - 1].e;
	o->relative = relative;
	if (y < 0 || y > 9999)
		y = 0;
	put2(o->iso, y / 100);
	put2(o->iso + 2, y % 100);
	if (m) {
		o->iso[4] = '-';
		put2(o->iso + 5, m);
		if (d) {
			o->iso[7] = '-';
			put2(o->iso + 8, d);
		}
	}
}

static void emit_days(struct ctx *c, size_t ti, size_t tj, long days)
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	emit(c, ti, tj, y, m, d, true);
}

static void emit_months(struct ctx *c, size_t ti, size_t tj, long idx)
{
	emit(c, ti, tj, (int)(idx / 12), (int)(idx % 12) + 1, 0, true);
}

/* ---- resolution --------------------------------------------------------- */

enum { DIR_NEAR, DIR_PAST, DIR_FUTURE, DIR_THIS };

/* Day and month without a year: the year that puts it nearest the anchor
 * (or before/after it), a day ahead counting twice a day past, preferring
 * one whose weekday matches wd. */
static bool resolve_dm(const struct ctx *c, int m, int d, int wd, int dir, long *out)
{
	long best = 0, bestscore = -1;
	for (int y = c->ay - 1; y <= c->ay + 1; y++) {
		if (!kb_date_valid(y, m, d))
			continue;
		long days = days_from_civil(y, m, d);
		long diff = days - c->adays;
		if ((dir == DIR_PAST && diff >= 0) || (dir == DIR_FUTURE && diff <= 0))
			continue;
		/* news mostly looks back: a day ahead weighs twice a day past */
		long score = diff <= 0 ? -diff * 2 : diff * 4 + 1;
		if (wd && weekday(days) != wd)
			score += 100000;
		if (bestscore < 0 || score < bestscore) {
			bestscore = score;
			best = days;
		}
	}
	if (bestscore < 0)
		return false;
	*out = best;
	return true;
}

/* Month without a year, as an index y*12 + m-1. */
static long resolve_month(const struct ctx *c, int m, int dir)
{
	long a = (long)c->ay * 12 + c->am - 1, x = (long)c->ay * 12 + m - 1;
	switch (dir) {
	case DIR_PAST:
		return x < a ? x : x - 12;
	case DIR_FUTURE:
		return x > a ? x : x + 12;
	case DIR_THIS:
		return x;
	default: /* the nearest, a month ahead weighing twice a month past */
		if (x > a && 2 * (x - a) > a - (x - 12))
			return x - 12;
		if (x < a && a - x > 2 * (x + 12 - a))
			return x + 12;
		return x;
	}
}

/* Weekday wd (1-7) nearest the anchor in direction dir: DIR_NEAR is on or
 * before the anchor, DIR_PAST strictly before, DIR_FUTURE strictly after,
 * DIR_THIS on or after. */
static long resolve_weekday(const struct ctx *c, int wd, int dir)
{
	int aw = weekday(c->adays);
	int back = (aw - wd + 7) % 7, fwd = (wd - aw + 7) % 7;
	switch (dir) {
	case DIR_PAST:
		return c->adays - (back ? back : 7);
	case DIR_FUTURE:
		return c->adays + (fwd ? fwd : 7);
	case DIR_THIS:
		return c->adays + fwd;
	default:
		return c->adays - back;
	}
}

/* ---- date cores --------------------------------------------------------- */

struct core {
	size_t end; /* token after the match */
	int y, m, d;
	bool noyear;  /* day and month only: needs the anchor */
	bool invalid; /* looked like a date but is not one (31/02/2024) */
};

/* 29/11/2024, 12-03-1980, 29.11.2024, 2024-08-17 and, with dm, 29/11. */
static bool core_numeric(const struct ctx *c, size_t i, bool dm, struct core *r)
{
	if (!is_num(c, i) || !num_free_left(c, i))
		return false;
	size_t s1 = i + 1, b = i + 2, s2 = i + 3, e = i + 4;
	if (b >= c->nt || c->t[s1].type != T_PUNCT || !c->t[s1].adj || !is_num(c, b) ||
	    !c->t[b].adj)
		return false;
	char sep = c->t[s1].ch;
	if (sep != '/' && sep != '-' && sep != '.')
		return false;
	const struct tok *A = &c->t[i], *B = &c->t[b];
	memset(r, 0, sizeof *r);
	if (e < c->nt && is_punct(c, s2, sep) && c->t[s2].adj && is_num(c, e) && c->t[e].adj) {
		const struct tok *C = &c->t[e];
		if (!num_free_right(c, e))
			return false;
		r->end = e + 1;
		if (A->nd == 4 && B->nd <= 2 && C->nd <= 2 && sep != '.') {
			r->y = A->num, r->m = B->num, r->d = C->num;
		} else if (A->nd <= 2 && B->nd <= 2 && C->nd == 4) {
			r->y = C->num, r->m = B->num, r->d = A->num;
			if (r->m > 12 && r->d <= 12) { /* 11/29/2024 */
				r->m = A->num;
				r->d = B->num;
			}
		} else {
			return false;
		}
		r->invalid = r->y < 1000 || !kb_date_valid(r->y, r->m, r->d);
		return true;
	}
	if (!dm || sep != '/' || A->nd > 2 || B->nd > 2 || !is_punct(c, b + 1, ')'))
		return false;
	r->end = b + 1;
	r->d = A->num, r->m = B->num;
	r->noyear = true;
	r->invalid = !kb_date_valid(2024, r->m, r->d); /* a leap year */
	return true;
}

/* 9 Mei 2023, 29 Nov. 2024, 29th of November 2024, 17 Agustus. */
static bool core_dmy(const struct ctx *c, size_t i, struct core *r)
{
	if (!is_num(c, i) || c->t[i].nd > 2 || !num_free_left(c, i))
		return false;
	int d = c->t[i].num;
	size_t j = i + 1;
	if ((roles(c, j) & R_ORD) && c->t[j].adj)
		j++;
	else if (!num_free_right(c, i))
		return false;
	if (roles(c, j) & R_OF)
		j++;
	size_t k;
	int m = month_at(c, j, &k);
	if (!m || d < 1 || d > 31)
		return false;
	memset(r, 0, sizeof *r);
	r->d = d, r->m = m;
	size_t y = k;
	if (is_punct(c, y, ','))
		y++;
	if (year_num(c, y, &r->y) && num_free_right(c, y)) {
		r->end = y + 1;
		r->invalid = !kb_date_valid(r->y, m, d);
		return true;
	}
	if (!c->t[j].cap)
		return false;
	r->end = k;
	r->noyear = true;
	r->invalid = !kb_date_valid(2024, m, d);
	return true;
}

/* November 29, 2024, Nov. 29 2024, June 1. */
static bool core_mdy(const struct ctx *c, size_t i, struct core *r)
{
	size_t j;
	int m = month_at(c, i, &j);
	if (!m || !is_num(c, j) || c->t[j].nd > 2 || c->t[j].num < 1 || c->t[j].num > 31 ||
	    !num_free_left(c, j))
		return false;
	memset(r, 0, sizeof *r);
	r->m = m, r->d = c->t[j].num;
	size_t k = j + 1;
	if ((roles(c, k) & R_ORD) && c->t[k].adj)
		k++;
	else if (!num_free_right(c, j))
		return false;
	size_t y = k;
	if (is_punct(c, y, ','))
		y++;
	if (year_num(c, y, &r->y) && num_free_right(c, y)) {
		r->end = y + 1;
		r->invalid = !kb_date_valid(r->y, m, r->d);
		return true;
	}
	if (!c->t[i].cap)
		return false;
	r->end = k;
	r->noyear = true;
	r->invalid = !kb_date_valid(2024, m, r->d);
	return true;
}

static bool core_any(const struct ctx *c, size_t i, bool dm, struct core *r)
{
	return core_numeric(c, i, dm, r) || core_dmy(c, i, r) || core_mdy(c, i, r);
}

/* Emits a core found at [ti, r->end); a day-month without a year takes
 * its year from the anchor (suffix lalu/mendatang picks the side). */
static size_t emit_core(struct ctx *c, size_t ti, const struct core *r, int wd)
{
	size_t end = r->end;
	if (r->invalid)
		return end;
	if (!r->noyear) {
		emit(c, ti, end, r->y, r->m, r->d, false);
		return end;
	}
	int dir = DIR_NEAR;
	if (roles(c, end) & R_PAST)
		dir = DIR_PAST, end++;
	else if (roles(c, end) & R_FUT)
		dir = DIR_FUTURE, end++;
	long days;
	if (c->has_anchor && resolve_dm(c, r->m, r->d, wd, dir, &days))
		emit_days(c, ti, end, days);
	return end;
}

/* ---- patterns ----------------------------------------------------------- */

/* A future marker ("akan", "will", "until") shortly before token i, with
 * no punctuation in between. */
static bool future_before(const struct ctx *c, size_t i)
{
	for (size_t k = i, n = 0; k > 0 && n < 5;) {
		k--;
		n += c->t[k].nw ? c->t[k].nw : 1;
		if (c->t[k].type == T_PUNCT)
			return false;
		if (roles(c, k) & R_FUTMARK)
			return true;
	}
	return false;
}

static bool is_countword(const struct ctx *c, size_t i)
{
	if (i >= c->nt)
		return false;
	if (c->t[i].type == T_NUM)
		return true;
	return c->t[i].k && (c->t[i].k->num || (c->t[i].k->roles & R_WKBEFORE));
}

/* Weekday at i (after an optional "hari" at ti): with a date after it
 * ("Jumat (29/11/2024)", "Selasa, 9 Mei 2023") or alone, resolved against
 * the anchor.  Returns the token after the match, or 0. */
static size_t match_weekday(struct ctx *c, size_t ti, size_t i, int dir)
{
	const struct tok *w = &c->t[i];
	const struct kw *k = w->k;
	bool hari = ti < i && (roles(c, ti) & R_HARI);
	size_t j = i + 1;
	/* a date after it */
	size_t p = j;
	if (roles(c, p) & R_POD) {
		p++;
		if ((roles(c, p) & R_HARI) && (roles(c, p - 1) & R_POD))
			p++; /* dini hari */
	}
	struct core r;
	if (is_punct(c, p, '(') && core_any(c, p + 1, true, &r) && is_punct(c, r.end, ')')) {
		r.end++;
		return emit_core(c, ti, &r, k->wday);
	}
	size_t q = j;
	if (is_punct(c, q, ','))
		q++;
	if (q < c->nt && core_any(c, q, false, &r))
		return emit_core(c, ti, &r, k->wday);
	/* alone */
	if ((k->roles & R_ABBR) || ((k->roles & R_EN) && !w->cap))
		return 0;
	if (k->unit == U_WEEK) { /* Minggu: Sunday or the week */
		bool sunday = hari || (roles(c, j) & R_POD);
		if (!sunday) {
			if (roles(c, j) & R_WKAFTER)
				return 0; /* Minggu lalu, minggu ini: the week */
			if (i > 0 && is_countword(c, i - 1))
				return 0; /* dua minggu, setiap minggu */
			if (!w->cap)
				return 0;
		}
	}
	if (dir == DIR_NEAR) {
		if (roles(c, j) & R_PAST)
			dir = DIR_PAST, j++;
		else if (roles(c, j) & R_FUT)
			dir = DIR_FUTURE, j++;
		else if (roles(c, j) & R_THIS)
			dir = DIR_THIS, j++;
		else if (future_before(c, ti))
			dir = DIR_THIS;
	}
	if (c->has_anchor)
		emit_days(c, ti, j, resolve_weekday(c, k->wday, dir));
	return j;
}

/* Month name at i (after an optional "bulan" at ti). */
static size_t match_month(struct ctx *c, size_t ti, size_t i, int dir)
{
	size_t j;
	int m = month_at(c, i, &j);
	struct core r;
	if (ti == i && dir == DIR_NEAR && core_mdy(c, i, &r))
		return emit_core(c, ti, &r, 0);
	int y;
	if (year_num(c, j, &y) && num_free(c, j)) { /* Februari 2022 */
		emit(c, ti, j + 1, y, m, 0, false);
		return j + 1;
	}
	if ((roles(c, j) & R_TAHUN) && year_num(c, j + 1, &y) && num_free(c, j + 1)) {
		emit(c, ti, j + 2, y, m, 0, false); /* Juni tahun 2023 */
		return j + 2;
	}
	bool cap = c->t[i].cap, full = !(c->t[i].k->roles & R_ABBR);
	if (!full || (!cap && ti == i))
		return 0;
	long idx = 0;
	size_t end = j;
	uint32_t r1 = roles(c, j);
	if (dir != DIR_NEAR) {
		idx = resolve_month(c, m, dir); /* last March */
	} else if (kw_at(c, j) && kw_at(c, j)->unit == U_YEAR &&
		   (roles(c, j + 1) & (R_THIS | R_PAST | R_FUT))) {
		/* Juni tahun ini / lalu / depan, June last year */
		uint32_t r2 = roles(c, j + 1);
		int dy = (r2 & R_THIS) ? 0 : (r2 & R_PAST) ? -1 : 1;
		idx = (long)(c->ay + dy) * 12 + m - 1;
		end = j + 2;
	} else if ((r1 & (R_LAST | R_NEXT | R_THIS)) && kw_at(c, j + 1) &&
		   kw_at(c, j + 1)->unit == U_YEAR) {
		uint32_t r2 = roles(c, j);
		int dy = (r2 & R_THIS) ? 0 : (r2 & R_LAST) ? -1 : 1;
		idx = (long)(c->ay + dy) * 12 + m - 1;
		end = j + 2;
	} else if (r1 & R_PAST) {
		idx = resolve_month(c, m, DIR_PAST);
		end = j + 1;
	} else if (r1 & R_FUT) {
		idx = resolve_month(c, m, DIR_FUTURE);
		end = j + 1;
	} else if (r1 & R_THIS) {
		idx = resolve_month(c, m, DIR_THIS);
		end = j + 1;
	} else if (ti < i || (i > 0 && (roles(c, i - 1) & R_CUE) && !c->t[i].adj)) {
		idx = resolve_month(c, m, DIR_NEAR); /* bulan Mei, pada Oktober */
	} else {
		return 0;
	}
	if (c->has_anchor)
		emit_months(c, ti, end, idx);
	return end;
}

/* "dua minggu lalu", "14 bulan lalu", "sebulan lalu", "three days ago". */
static size_t match_count(struct ctx *c, size_t i)
{
	const struct tok *t = &c->t[i];
	long nval;
	int unit;
	size_t j;
	if (t->type == T_NUM) {
		if (t->nd > 3 || !num_free(c, i))
			return 0;
		nval = t->num;
		if (!kw_at(c, i + 1))
			return 0;
		unit = kw_at(c, i + 1)->unit;
		j = i + 2;
	} else if (t->k && t->k->num && t->k->unit) { /* sebulan */
		nval = 1;
		unit = t->k->unit;
		j = i + 1;
	} else if (t->k && t->k->num) {
		nval = t->k->num;
		if (!kw_at(c, i + 1))
			return 0;
		unit = kw_at(c, i + 1)->unit;
		j = i + 2;
	} else {
		return 0;
	}
	if (!unit || nval < 1)
		return 0;
	int sign;
	uint32_t r = roles(c, j);
	if (r & R_PAST)
		sign = -1;
	else if ((r & R_YANG) && (roles(c, j + 1) & R_PAST))
		sign = -1, j++;
	else if (r & (R_FUT | R_LAGI))
		sign = 1;
	else
		return 0;
	j++;
	if (!c->has_anchor)
		return j;
	switch (unit) {
	case U_DAY:
		emit_days(c, i, j, c->adays + sign * nval);
		break;
	case U_WEEK:
		emit_days(c, i, j, c->adays + sign * 7 * nval);
		break;
	case U_MONTH:
		emit_months(c, i, j, (long)c->ay * 12 + c->am - 1 + sign * nval);
		break;
	default:
		emit(c, i, j, (int)(c->ay + sign * nval), 0, 0, true);
	}
	return j;
}

/* A unit with ini/lalu/depan: "bulan lalu", "tahun ini", "pekan depan",
 * "hari ini"; or with last/this/next before it (dir given). */
static size_t match_unit(struct ctx *c, size_t ti, size_t i, int dir)
{
	int unit = c->t[i].k->unit;
	size_t j = i + 1;
	if (dir == DIR_NEAR) {
		uint32_t r = roles(c, j);
		if (r & R_THIS)
			dir = DIR_THIS;
		else if (r & R_PAST)
			dir = DIR_PAST;
		else if ((r & R_YANG) && (roles(c, j + 1) & R_PAST))
			dir = DIR_PAST, j++;
		else if (r & R_FUT)
			dir = DIR_FUTURE;
		else
			return 0;
		j++;
	}
	if (unit == U_DAY && dir != DIR_THIS)
		return 0;
	if (unit == U_WEEK && dir == DIR_THIS)
		return 0; /* minggu ini: no single day */
	if (!c->has_anchor)
		return j;
	int s = dir == DIR_PAST ? -1 : dir == DIR_FUTURE ? 1 : 0;
	switch (unit) {
	case U_DAY:
		emit_days(c, ti, j, c->adays);
		break;
	case U_WEEK:
		emit_days(c, ti, j, c->adays + 7 * s);
		break;
	case U_MONTH:
		emit_months(c, ti, j, (long)c->ay * 12 + c->am - 1 + s);
		break;
	default:
		emit(c, ti, j, c->ay + s, 0, 0, true);
	}
	return j;
}

/* A bare year after a cue ("pada 1945", "since 2021") or "tahun 1945". */
static size_t match_year(struct ctx *c, size_t i)
{
	int y;
	if (!year_num(c, i, &y) || y < 1100 || y > 2199 || !num_free(c, i))
		return 0;
	bool ok = false;
	if (i > 0 && !c->t[i].adj) {
		uint32_t r = roles(c, i - 1);
		if (r & R_CUE)
			ok = true;
		else if ((r & R_CHAIN) && c->last_year_end == i - 1)
			ok = true; /* 2021 dan 2022 */
	}
	if (!ok)
		return 0;
	emit(c, i, i + 1, y, 0, 0, false);
	c->last_year_end = i + 1;
	return i + 1;
}

static size_t match_at(struct ctx *c, size_t i)
{
	const struct tok *t = &c->t[i];
	struct core r;
	size_t e;
	if (t->type == T_NUM) {
		if (core_numeric(c, i, false, &r) || core_dmy(c, i, &r))
			return emit_core(c, i, &r, 0);
		if ((e = match_count(c, i)))
			return e;
		return match_year(c, i);
	}
	if (t->type != T_WORD || !t->k)
		return 0;
	const struct kw *k = t->k;
	size_t n = i + 1;
	const struct kw *nk = n < c->nt ? c->t[n].k : NULL;
	/* calendar nouns before the date: hari Jumat, tanggal 17 Agustus,
	 * bulan Juni, tahun 1945 */
	if ((k->roles & R_HARI) && nk && nk->wday && !(nk->roles & R_ABBR))
		return match_weekday(c, i, n, DIR_NEAR);
	if ((k->roles & (R_TANGGAL | R_HARI)) && (core_numeric(c, n, false, &r) || core_dmy(c, n, &r)))
		return emit_core(c, i, &r, 0);
	if ((k->roles & R_BULAN) && nk && nk->month && (e = match_month(c, i, n, DIR_NEAR)))
		return e;
	if (k->roles & R_TAHUN) {
		int y;
		if (year_num(c, n, &y) && num_free(c, n) && !c->t[n].adj) {
			emit(c, i, n + 1, y, 0, 0, false);
			c->last_year_end = n + 1;
			return n + 1;
		}
	}
	/* last / next / this + weekday, month or unit */
	bool prefix = (k->roles & (R_LAST | R_NEXT)) ||
		      ((k->roles & R_THIS) && !(k->roles & R_WKAFTER)); /* this, not ini */
	if (prefix && nk && c->t[n].cap && !(nk->roles & R_ABBR) && (nk->wday || nk->month)) {
		int dir = k->roles & R_LAST ? DIR_PAST : k->roles & R_NEXT ? DIR_FUTURE : DIR_THIS;
		return nk->wday ? match_weekday(c, i, n, dir) : match_month(c, i, n, dir);
	}
	if (prefix && nk && nk->unit && nk->unit != U_DAY && !nk->wday &&
	    !(nk->roles & (R_HARI | R_BULAN | R_TAHUN))) {
		int dir = k->roles & R_LAST ? DIR_PAST : k->roles & R_NEXT ? DIR_FUTURE : DIR_THIS;
		return match_unit(c, i, n, dir); /* last week, next year */
	}
	if (k->num && (e = match_count(c, i)))
		return e;
	if (k->wday) {
		if (k->unit == U_WEEK && (e = match_unit(c, i, i, DIR_NEAR)))
			return e; /* Minggu lalu: the week */
		return match_weekday(c, i, i, DIR_NEAR);
	}
	if (k->month)
		return match_month(c, i, i, DIR_NEAR);
	if (k->unit && (e = match_unit(c, i, i, DIR_NEAR)))
		return e;
	if (k->roles & R_DEICTIC) {
		if (c->has_anchor)
			emit_days(c, i, i + 1, c->adays + k->rel);
		return i + 1;
	}
	return 0;
}

static bool parse_anchor(struct ctx *c, const char *a)
{
	if (!a)
		return false;
	int v[3] = { 0, 0, 0 }, lens[3] = { 4, 2, 2 };
	const char *p = a;
	for (int f = 0; f < 3; f++) {
		if (f && *p++ != '-')
			return false;
		for (int i = 0; i < lens[f]; i++, p++) {
			if (*p < '0' || *p > '9')
				return false;
			v[f] = v[f] * 10 + (*p - '0');
		}
	}
	if (!kb_date_valid(v[0], v[1], v[2]))
		return false;
	c->ay = v[0], c->am = v[1], c->ad = v[2];
	c->adays = days_from_civil(v[0], v[1], v[2]);
	return true;
}

size_t kb_dates_find(const char *text, size_t n, const char *anchor,
		     struct kb_date_mention **out)
{
	struct ctx c;
	memset(&c, 0, sizeof c);
	*out = NULL;
	if (!text || n == 0)
		return 0;
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	pthread_once(&kw_once, kw_build);
	c.text = text;
	c.has_anchor = parse_anchor(&c, anchor);
	c.last_year_end = SIZE_MAX;
	bool ok = tokenize(&c, text, n);
	for (size_t ci = 0, next = 0; ok && ci < c.ncand; ci++) {
		size_t i = c.cand[ci];
		if (i < next)
			continue; /* inside the last match */
		size_t e = match_at(&c, i);
		if (e > i)
			next = e;
	}
	free(c.t);
	free(c.cand);
	if (!ok) {
		free(c.out);
		return 0;
	}
	if (c.oom) {
		free(c.out);
		return 0;
	}
	*out = c.out;
	return c.nout;
}

bool kb_dates_latest(const char *text, size_t n, char out[11])
{
	struct kb_date_mention *m;
	size_t k = kb_dates_find(text, n, NULL, &m);
	const char *best = NULL;
	for (size_t i = 0; i < k; i++)
		if (!m[i].relative && m[i].iso[7] == '-' && (!best || strcmp(m[i].iso, best) > 0))
			best = m[i].iso;
	if (best)
		memcpy(out, best, 11);
	free(m);
	return best != NULL;
}
