/* tagger.c - the averaged-perceptron BIO tagger: features, Viterbi
 * decoding, the word type cache, and the public kb_ner_* functions (the
 * model file is model.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ner-internal.h"

/* ---- word types ---------------------------------------------------------- */

static uint64_t hash_shape(const char *s, size_t n, uint8_t *flags)
{
	char sh[24] = "";
	size_t k = 0;
	size_t upper = 0, letters = 0;
	bool digit = false, hyphen = false, dot = false, punct = true;
	for (size_t i = 0; i < n;) {
		ucs4_t c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
		} else {
			int l = u8_mbtouc(&c, (const uint8_t *)s + i, n - i);
			i += l > 0 ? (size_t)l : 1;
		}
		char x;
		if (c < 0x80 ? (c >= 'A' && c <= 'Z') : uc_is_upper(c)) {
			x = 'X';
			upper++;
			letters++;
			punct = false;
		} else if (c < 0x80 ? (c >= 'a' && c <= 'z') : uc_is_alpha(c)) {
			x = 'x';
			letters++;
			punct = false;
		} else if (c < 0x80 ? (c >= '0' && c <= '9') : uc_is_digit(c)) {
			x = 'd';
			digit = true;
			punct = false;
		} else if (c < 0x80) {
			x = (char)c;
			hyphen |= c == '-';
			dot |= c == '.';
		} else {
			x = '*';
		}
		/* runs collapse: "Xxxxx" -> "Xx", "dd.ddd" -> "d.d" */
		if (k > 0 && sh[k - 1] == x)
			continue;
		if (k < sizeof sh)
			sh[k++] = x;
	}
	uint8_t f = 0;
	if (k > 0 && sh[0] == 'X')
		f |= KB_TF_CAP;
	if (letters > 0 && upper == letters && letters > 1)
		f |= KB_TF_ALLCAPS;
	if (digit)
		f |= KB_TF_DIGIT;
	if (hyphen)
		f |= KB_TF_HYPHEN;
	if (dot)
		f |= KB_TF_DOT;
	if (punct)
		f |= KB_TF_PUNCT;
	*flags = f;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t j = 0; j < k; j++)
		h = (h ^ (unsigned char)sh[j]) * 0x100000001b3ULL;
	return h;
}

/* Prefixes and suffixes of 2-4 characters of the lowercase form, FNV-1a
 * hashed as they grow (the suffix reads backwards). */
static void affixes(const char *low, size_t ln, struct kb_wtype *t)
{
	uint64_t hp = 0xcbf29ce484222325ULL, hs = 0x84222325cbf29ce4ULL;
	size_t p = 0, q = ln;
	for (int k = 0; k < 4; k++) {
		do {
			if (p < ln)
				hp = (hp ^ (unsigned char)low[p++]) * 0x100000001b3ULL;
		} while (p < ln && ((unsigned char)low[p] & 0xc0) == 0x80);
		do {
			if (q > 0)
				hs = (hs ^ (unsigned char)low[--q]) * 0x100000001b3ULL;
		} while (q > 0 && ((unsigned char)low[q] & 0xc0) == 0x80);
		if (k > 0) {
			t->pre[k - 1] = hp + (uint64_t)k;
			t->suf[k - 1] = hs + (uint64_t)k;
		}
	}
}

static void type_affixes(struct kb_wtype *t)
{
	char low[128];
	size_t ln = kb_tok_lowercase(t->s, t->len, low);
	affixes(low, ln, t);
	t->affixed = true;
}

#define CAPLIKE (KB_TF_CAP | KB_TF_DIGIT)

/* kb_tok_lower and hash_shape of an ASCII token of at most 64 bytes in
 * one pass (the same hashes); false for other tokens. */
static bool ascii_token(const char *s, size_t n, struct kb_wtype *t)
{
	if (n > 64)
		return false;
	char low[64];
	uint64_t sh = 0xcbf29ce484222325ULL;
	size_t k = 0, upper = 0, letters = 0;
	unsigned prev = 256; /* the last shape character */
	uint8_t f = 0;
	bool punct = true;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i], x;
		if (c >= 0x80)
			return false;
		if (c - 'A' < 26u) {
			x = 'X';
			upper++;
			letters++;
			punct = false;
			c += 32;
		} else if (c - 'a' < 26u) {
			x = 'x';
			letters++;
			punct = false;
		} else if (c - '0' < 10u) {
			x = 'd';
			f |= KB_TF_DIGIT;
			punct = false;
		} else {
			x = c;
			f |= c == '-' ? KB_TF_HYPHEN : c == '.' ? KB_TF_DOT : 0;
		}
		low[i] = (char)c;
		if (x != prev && k < 24) {
			if (k == 0 && x == 'X')
				f |= KB_TF_CAP;
			sh = (sh ^ x) * 0x100000001b3ULL;
			k++;
		}
		prev = x;
	}
	if (letters > 1 && upper == letters)
		f |= KB_TF_ALLCAPS;
	if (punct)
		f |= KB_TF_PUNCT;
	t->flags = f;
	t->shape = sh;
	t->lower = kb_hash_bytes(low, n);
	/* affixes() of one-byte characters */
	uint64_t hp = 0xcbf29ce484222325ULL, hs = 0x84222325cbf29ce4ULL;
	for (size_t a = 0; a < 4; a++) {
		if (a < n) {
			hp = (hp ^ (unsigned char)low[a]) * 0x100000001b3ULL;
			hs = (hs ^ (unsigned char)low[n - 1 - a]) * 0x100000001b3ULL;
		}
		if (a > 0) {
			t->pre[a - 1] = hp + (uint64_t)a;
			t->suf[a - 1] = hs + (uint64_t)a;
		}
	}
	t->affixed = true;
	return true;
}

/* Fills t for the token s[0..len) whose byte hash is key. */
static void type_init(const struct kb_ner *ner, const char *s, size_t len, uint64_t key,
		      struct kb_wtype *t)
{
	t->s = s;
	t->len = (uint32_t)len;
	t->key = key;
	t->affixed = false;
	if (!ascii_token(s, len, t)) {
		char low[128];
		size_t ln;
		t->lower = kb_tok_lower(s, len, low, &ln);
		t->shape = hash_shape(s, len, &t->flags);
		affixes(low, ln, t);
		t->affixed = true;
	}
	t->word = kb_mix64(key ^ 0x5555);
	t->shmix = kb_mix64(t->shape);
	t->h1 = kb_span_next(KB_SPAN_SEED, t->lower);
	/* cue words have letters and no digits */
	t->cue = t->flags & (KB_TF_DIGIT | KB_TF_PUNCT) ? 0
						       : (uint8_t)(kb_gaz_get(&ner->cues, t->h1) >> 8);
	t->gaz1 = t->flags & CAPLIKE ? kb_gaz_get(&ner->gaz, t->h1) : 0;
	t->part = (uint8_t)(t->gaz1 & (KB_GAZ_PERPART | KB_GAZ_ORGPART));
	t->lcue = (uint8_t)(t->gaz1 >> 11);
	t->clus = kb_gaz_get(&ner->clus, t->h1);
	t->gen_self = t->gen_nb = 0;
}

/* The positional part of tf[0..n) (tf[i].ty set): the sentence-initial
 * flag, which tokens are skipped, gazetteer spans, country names. */
static void sentence_prepare(const struct kb_ner *ner, struct kb_tokfeat *tf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		tf[i].flags = tf[i].ty->flags;
		memset(tf[i].gaz, 0, sizeof tf[i].gaz);
		tf[i].gazm = 0;
		tf[i].country = 0;
	}
	if (n)
		tf[0].flags |= KB_TF_INITIAL;
	for (size_t i = 0; i < n; i++) {
		struct kb_tokfeat *t = &tf[i];
		t->skip = !(t->flags & CAPLIKE) && !(t->ty->cue & (KB_CUE_ORG | KB_CUE_LOC)) &&
			  !(i > 0 && (tf[i - 1].flags & CAPLIKE)) &&
			  !(i + 1 < n && (tf[i + 1].flags & CAPLIKE));
	}
	/* the longest gazetteer span of each class from each capitalised
	 * token */
	for (size_t i = 0; i < n; i++) {
		if (!(tf[i].flags & CAPLIKE))
			continue;
		uint16_t b = tf[i].ty->gaz1;
		if (!(b & (KB_GAZ_PREFIX | KB_GAZ_SPANBITS)))
			continue;
		uint64_t h = tf[i].ty->h1;
		size_t best[KB_GAZ_NFEAT] = { 0 };
		for (size_t len = 1; b & (KB_GAZ_PREFIX | KB_GAZ_SPANBITS);) {
			for (int c = 0; c < KB_GAZ_NFEAT; c++)
				if (b & kb_gaz_classbit(c))
					best[c] = len;
			/* "AS", "RI" count only in capitals, not "As" */
			if ((b & KB_GAZ_COUNTRY) &&
			    (len > 1 || tf[i].ty->len > 3 || (tf[i].flags & KB_TF_ALLCAPS)))
				tf[i].country = (uint8_t)len;
			if (!(b & KB_GAZ_PREFIX) || i + len >= n || len >= KB_GAZ_MAXSPAN)
				break;
			h = kb_span_next(h, tf[i + len].ty->lower);
			b = kb_gaz_get(&ner->gaz, h);
			len++;
		}
		for (int c = 0; c < KB_GAZ_NFEAT; c++) {
			size_t L = best[c];
			if (!L || tf[i].gaz[c])
				continue;
			if (L == 1) {
				tf[i].gaz[c] = 4;
				tf[i].gazm |= (uint8_t)(1u << c);
				continue;
			}
			for (size_t k = 0; k < L; k++) {
				tf[i + k].gaz[c] = k == 0 ? 1 : k + 1 == L ? 3 : 2;
				tf[i + k].gazm |= (uint8_t)(1u << c);
			}
		}
	}
}

void kb_ner_prepare(const struct kb_ner *ner, const char *text, const struct kb_token *toks,
		    size_t n, struct kb_wtype *ty, struct kb_tokfeat *tf)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = text + toks[i].start;
		size_t len = toks[i].end - toks[i].start;
		type_init(ner, s, len, kb_hash_bytes(s, len), &ty[i]);
		tf[i].ty = &ty[i];
	}
	sentence_prepare(ner, tf, n);
	/* the affixes, only for the tokens not skipped (kb_ner_static) */
	for (size_t i = 0; i < n; i++)
		if (!tf[i].skip)
			type_affixes(&ty[i]);
}

/* ---- features ------------------------------------------------------------ */

#define PAD_BOS 0x0123456789abcdefULL
#define PAD_EOS 0xfedcba9876543210ULL

/* The word types beyond the sentence's ends. */
static const struct kb_wtype pad_bos = { .lower = PAD_BOS, .shape = PAD_BOS, .clus = 0xffff };
static const struct kb_wtype pad_eos = { .lower = PAD_EOS, .shape = PAD_EOS, .clus = 0xffff };

/* The fine and coarse cluster feature values of t (a rare word and the
 * sentence-edge pads have their own). */
static inline uint64_t clus_fine(const struct kb_wtype *t)
{
	return t->clus == 0xffff ? 0x2ff : t->clus ? KB_CLUS_FINE(t->clus) : 0x1ff;
}
static inline uint64_t clus_coarse(const struct kb_wtype *t)
{
	return t->clus == 0xffff ? 0x2ff : t->clus ? KB_CLUS_COARSE(t->clus) : 0x1ff;
}

static inline uint32_t bucket(uint64_t h, unsigned bits)
{
	return (uint32_t)(h >> (64 - bits));
}

/* The parts are already good 64-bit hashes (or small integers), so one
 * multiply-xorshift is enough to spread a template and its parts. */
static inline uint64_t f1(uint64_t tpl, uint64_t a)
{
	uint64_t x = (a + tpl * 0x9e3779b97f4a7c15ULL) * 0xd6e8feb86659fd93ULL;
	return x ^ (x >> 29);
}

static inline uint64_t f2(uint64_t tpl, uint64_t a, uint64_t b)
{
	uint64_t x = (a * 0xc2b2ae3d27d4eb4fULL + b + tpl * 0x9e3779b97f4a7c15ULL) *
		     0xd6e8feb86659fd93ULL;
	return x ^ (x >> 29);
}

#define ADD(h) (out[k++] = bucket((h), bits))

/* The features of a word type itself (affixes computed). */
static size_t self_feats(const struct kb_wtype *t, unsigned bits, uint32_t *out)
{
	size_t k = 0;
	uint64_t cap = t->flags & KB_TF_CAP;
	ADD(f1(1, 0));
	ADD(f1(2, t->word));
	ADD(f1(3, t->lower));
	ADD(f1(4, t->shape));
	for (int p = 0; p < 3; p++) {
		ADD(f1(6 + (uint64_t)p, t->pre[p]));
		ADD(f1(10 + (uint64_t)p, t->suf[p]));
	}
	ADD(f1(28, t->flags));
	for (unsigned m = t->cue & ((1u << KB_CUE_NCLASS) - 1); m; m &= m - 1) {
		uint64_t c = (uint64_t)(2 * 8 + __builtin_ctz(m));
		ADD(f1(30, c));
		ADD(f2(31, c, cap));
	}
	for (unsigned m = t->lcue; m; m &= m - 1)
		ADD(f2(41, (uint64_t)(2 * 8 + __builtin_ctz(m)), cap));
	if (t->flags & CAPLIKE) {
		ADD(f2(42, clus_fine(t), cap));
		ADD(f2(43, clus_coarse(t), cap));
	}
	return k;
}

/* The offsets of the neighbours whose word types give features, and the
 * templates of their lowercase form and shape (0: none). */
static const int nb_off[4] = { -2, -1, 1, 2 };
static const uint8_t nb_lw[4] = { 15, 13, 14, 16 };
static const uint8_t nb_sh[4] = { 0, 17, 18, 0 };

/* The features word type t gives the token at -nb_off[o] from it (whose
 * capitalisation is cap): those of t alone, then those joined with cap. */
static size_t nb_feats(const struct kb_wtype *t, int o, unsigned cap, unsigned bits, uint32_t *out)
{
	size_t k = 0;
	uint64_t pos = (uint64_t)(nb_off[o] + 2) * 8;
	ADD(f1(nb_lw[o], t->lower));
	if (nb_sh[o])
		ADD(f1(nb_sh[o], t->shape));
	ADD(f1(44 + (uint64_t)o, o == 1 || o == 2 ? clus_fine(t) : clus_coarse(t)));
	for (unsigned m = t->cue & ((1u << KB_CUE_NCLASS) - 1); m; m &= m - 1) {
		uint64_t c = pos + (uint64_t)__builtin_ctz(m);
		ADD(f1(30, c));
		ADD(f2(31, c, cap));
	}
	for (unsigned m = t->lcue; m; m &= m - 1)
		ADD(f2(41, pos + (uint64_t)__builtin_ctz(m), cap));
	if (t->part && (o == 1 || o == 2))
		ADD(f2(o == 1 ? 39 : 40, t->part, cap));
	return k;
}

/* The features that join token i to its neighbours. */
static size_t pair_feats(const struct kb_tokfeat *tf, size_t n, size_t i, unsigned bits,
			 uint32_t *out)
{
	size_t k = 0;
	const struct kb_tokfeat *t = &tf[i];
	const struct kb_wtype *w = t->ty, *l = i > 0 ? tf[i - 1].ty : &pad_bos,
			      *r = i + 1 < n ? tf[i + 1].ty : &pad_eos;
	ADD(f2(21, l->lower, w->lower));
	ADD(f2(22, w->lower, r->lower));
	ADD(f2(23, l->shape, w->shmix + r->shape));
	ADD(f2(35, l->lower, w->shape));
	ADD(f2(36, w->shape, r->lower));
	if (t->flags & KB_TF_INITIAL)
		ADD(f1(29, t->flags));
	for (unsigned m = t->gazm; m; m &= m - 1) {
		int c = __builtin_ctz(m);
		ADD(f1(32, (uint64_t)(c * 8 + t->gaz[c])));
		ADD(f2(33, (uint64_t)(c * 8 + t->gaz[c]),
		       t->flags & (KB_TF_CAP | KB_TF_ALLCAPS | KB_TF_INITIAL)));
	}
	for (unsigned m = i > 0 ? tf[i - 1].gazm : 0; m; m &= m - 1) {
		int c = __builtin_ctz(m);
		ADD(f1(34, (uint64_t)(c * 8 + tf[i - 1].gaz[c])));
	}
	for (unsigned m = i + 1 < n ? tf[i + 1].gazm : 0; m; m &= m - 1) {
		int c = __builtin_ctz(m);
		ADD(f1(37, (uint64_t)(c * 8 + tf[i + 1].gaz[c])));
	}
	if (w->part)
		ADD(f2(38, w->part, t->flags & (KB_TF_CAP | KB_TF_INITIAL)));
	return k;
}
#undef ADD

size_t kb_ner_static(const struct kb_tokfeat *tf, size_t n, size_t i, unsigned bits,
		     uint32_t *out)
{
	const struct kb_wtype *w = tf[i].ty;
	unsigned cap = w->flags & KB_TF_CAP;
	size_t k = self_feats(w, bits, out);
	for (int o = 0; o < 4; o++) {
		long j = (long)i + nb_off[o];
		const struct kb_wtype *t = j < 0 ? &pad_bos : (size_t)j >= n ? &pad_eos : tf[j].ty;
		k += nb_feats(t, o, cap, bits, out + k);
	}
	return k + pair_feats(tf, n, i, bits, out + k);
}

void kb_ner_trans(const struct kb_tokfeat *tf, size_t i, int prev, unsigned bits, uint32_t *out)
{
	if (tf) {
		out[0] = bucket(f2(27, (uint64_t)prev, kb_trans_class(tf[i].flags)), bits);
	} else {
		out[0] = bucket(f1(24, (uint64_t)prev), bits);
	}
}

/* ---- emission scores ------------------------------------------------------ */

/* The sum of the rows of buckets fb[0..nf) into acc; at most
 * KB_NER_MAXFEAT * 127, so int16 lanes hold it. */
#if defined(__GNUC__) && !defined(KB_NO_VECTOR)
typedef int16_t v8i16 __attribute__((vector_size(16)));
typedef int8_t v8i8 __attribute__((vector_size(8)));
static inline v8i16 sum_rows(const int8_t *w, const uint32_t *fb, size_t nf, v8i16 acc)
{
	for (size_t f = 0; f < nf; f++) {
#ifdef __SSE2__
		/* baseline x86-64 has no pmovsxbw: bytes into the high
		 * halves, then an arithmetic shift */
		__m128i r = _mm_loadl_epi64((const __m128i *)(const void *)(w + (size_t)fb[f] * KB_NER_ROW));
		acc += (v8i16)_mm_srai_epi16(_mm_unpacklo_epi8(r, r), 8);
#else
		v8i8 r;
		memcpy(&r, w + (size_t)fb[f] * KB_NER_ROW, sizeof r);
		acc += __builtin_convertvector(r, v8i16);
#endif
	}
	return acc;
}
#else
typedef struct {
	int16_t v[KB_NER_ROW];
} v8i16;
static inline v8i16 sum_rows(const int8_t *w, const uint32_t *fb, size_t nf, v8i16 acc)
{
	for (size_t f = 0; f < nf; f++) {
		const int8_t *r = w + (size_t)fb[f] * KB_NER_ROW;
		for (int t = 0; t < KB_NER_ROW; t++)
			acc.v[t] = (int16_t)(acc.v[t] + r[t]);
	}
	return acc;
}
static inline v8i16 add16(v8i16 a, v8i16 b)
{
	for (int t = 0; t < KB_NER_ROW; t++)
		a.v[t] = (int16_t)(a.v[t] + b.v[t]);
	return a;
}
#endif
#if defined(__GNUC__) && !defined(KB_NO_VECTOR)
#define add16(a, b) ((a) + (b))
#endif
static inline v8i16 load16(const int16_t *p)
{
	v8i16 v;
	memcpy(&v, p, sizeof v);
	return v;
}
static inline void store16(int16_t *p, v8i16 v)
{
	memcpy(p, &v, sizeof v);
}

/* Whether t gives a neighbour features that depend on its capitalisation. */
static inline bool nb_capdep(const struct kb_wtype *t)
{
	return (t->cue & ((1u << KB_CUE_NCLASS) - 1)) || t->lcue || t->part;
}

/* The rows t gives as a neighbour, for both capitalisations of the token. */
static void nb_rows(const struct kb_ner *ner, const struct kb_wtype *t, int16_t rows[4][2][KB_NER_ROW])
{
	uint32_t fb[KB_NER_MAXFEAT];
	bool dep = nb_capdep(t);
	if (!dep) {
		/* nb_feats of a word without cues: its lowercase form (and
		 * shape next to the token) */
		unsigned bits = ner->bits;
		for (int o = 0; o < 4; o++) {
			fb[0] = bucket(f1(nb_lw[o], t->lower), bits);
			size_t nf = 1;
			if (nb_sh[o])
				fb[nf++] = bucket(f1(nb_sh[o], t->shape), bits);
			fb[nf++] = bucket(f1(44 + (uint64_t)o, o == 1 || o == 2 ? clus_fine(t)
										  : clus_coarse(t)),
					  bits);
			v8i16 r = sum_rows(ner->w, fb, nf, (v8i16){ 0 });
			store16(rows[o][0], r);
			store16(rows[o][1], r);
		}
		return;
	}
	for (int o = 0; o < 4; o++) {
		size_t nf = nb_feats(t, o, 0, ner->bits, fb);
		store16(rows[o][0], sum_rows(ner->w, fb, nf, (v8i16){ 0 }));
		if (dep) {
			nf = nb_feats(t, o, KB_TF_CAP, ner->bits, fb);
			store16(rows[o][1], sum_rows(ner->w, fb, nf, (v8i16){ 0 }));
		} else {
			memcpy(rows[o][1], rows[o][0], sizeof rows[o][0]);
		}
	}
}

static inline const int16_t *self_row(const struct kb_ner *ner, struct kb_wtype *t)
{
	if (t->gen_self != ner->gen) {
		uint32_t fb[KB_NER_MAXFEAT];
		if (!t->affixed)
			type_affixes(t);
		size_t nf = self_feats(t, ner->bits, fb);
		store16(t->self, sum_rows(ner->w, fb, nf, (v8i16){ 0 }));
		t->gen_self = ner->gen;
	}
	return t->self;
}

static inline const int16_t *nb_row(const struct kb_ner *ner, struct kb_wtype *t, int o,
				    unsigned cap)
{
	if (t->gen_nb != ner->gen) {
		nb_rows(ner, t, t->nb);
		t->gen_nb = ner->gen;
	}
	return t->nb[o][cap];
}

/* The emission scores of token i: the sum of the rows of kb_ner_static's
 * buckets, but the word types' rows are summed once and cached. */
void kb_ner_emission(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n, size_t i,
		     int32_t *out)
{
	uint32_t fb[KB_NER_MAXFEAT];
	struct kb_wtype *w = tf[i].ty;
	unsigned cap = w->flags & KB_TF_CAP;
	v8i16 acc = load16(self_row(ner, w));
	for (int o = 0; o < 4; o++) {
		long j = (long)i + nb_off[o];
		const int16_t *r = j < 0 || (size_t)j >= n ? ner->padnb[o][cap]
							    : nb_row(ner, tf[j].ty, o, cap);
		acc = add16(acc, load16(r));
	}
	size_t nf = pair_feats(tf, n, i, ner->bits, fb);
	acc = sum_rows(ner->w, fb, nf, acc);
	int16_t v[KB_NER_ROW];
	store16(v, acc);
	for (int t = 0; t < KB_NER_ROW; t++)
		out[t] = v[t];
}

/* ---- decoding ------------------------------------------------------------ */

/* Writes the best tag path ending in tag last, from the back pointers. */
static void follow_back(const uint8_t *back, size_t n, int last, uint8_t *out)
{
	int t = last;
	for (size_t i = n; i-- > 0;) {
		out[i] = (uint8_t)t;
		if (i > 0)
			t = back[i * KB_NER_ROW + t];
	}
}

void kb_viterbi(const float *emit, const float *trans, size_t n, uint8_t *back, uint8_t *out)
{
	float cur[KB_NER_ROW], nxt[KB_NER_ROW];
	for (int t = 0; t < KB_NTAGS; t++)
		cur[t] = kb_tag_allowed(KB_TAG_BOS, t) ? emit[t] + trans[KB_TAG_BOS * KB_NER_ROW + t]
						       : -1e30f;
	for (size_t i = 1; i < n; i++) {
		const float *tr = trans + i * KB_NER_ROW * KB_NER_ROW;
		/* O and B-X may follow anything */
		for (int t = 0; t < KB_NTAGS; t += t ? 2 : 1) {
			float best = cur[0] + tr[t];
			int bp = 0;
			for (int p = 1; p < KB_NTAGS; p++) {
				float v = cur[p] + tr[p * KB_NER_ROW + t];
				if (v > best) {
					best = v;
					bp = p;
				}
			}
			nxt[t] = best + emit[i * KB_NER_ROW + t];
			back[i * KB_NER_ROW + t] = (uint8_t)bp;
		}
		/* I-X only B-X or I-X */
		for (int t = 2; t < KB_NTAGS; t += 2) {
			float vb = cur[t - 1] + tr[(t - 1) * KB_NER_ROW + t];
			float vi = cur[t] + tr[t * KB_NER_ROW + t];
			int bp = vi > vb ? t : t - 1;
			nxt[t] = (vi > vb ? vi : vb) + emit[i * KB_NER_ROW + t];
			back[i * KB_NER_ROW + t] = (uint8_t)bp;
		}
		memcpy(cur, nxt, sizeof cur);
	}
	int t = 0;
	for (int k = 1; k < KB_NTAGS; k++)
		if (cur[k] > cur[t])
			t = k;
	follow_back(back, n, t, out);
}

void kb_ner_set_weights(struct kb_ner *ner, const int8_t *w)
{
	/* the row sums cached in word types are of other weights now */
	static _Atomic unsigned gen;
	ner->w = w;
	ner->gen = ++gen;
	if (!ner->gen)
		ner->gen = ++gen;
	int16_t rows[4][2][KB_NER_ROW];
	nb_rows(ner, &pad_bos, rows);
	memcpy(ner->padnb[0], rows[0], sizeof rows[0]);
	memcpy(ner->padnb[1], rows[1], sizeof rows[1]);
	nb_rows(ner, &pad_eos, rows);
	memcpy(ner->padnb[2], rows[2], sizeof rows[2]);
	memcpy(ner->padnb[3], rows[3], sizeof rows[3]);
	for (int p = 0; p < KB_NER_ROW; p++) {
		uint32_t b;
		kb_ner_trans(NULL, 0, p, ner->bits, &b);
		const int8_t *bg = w + (size_t)b * KB_NER_ROW;
		for (unsigned c = 0; c < KB_TRANS_NCLS; c++) {
			struct kb_tokfeat t = { .flags = 0 };
			/* a token whose class is c */
			t.flags = (uint8_t)((c & 31u) | (c & 32u) << 1);
			kb_ner_trans(&t, 0, p, ner->bits, &b);
			const int8_t *r = w + (size_t)b * KB_NER_ROW;
			/* the BIO constraint as a score; the padding never wins */
			for (int k = 0; k < KB_NER_ROW; k++)
				ner->trans[c][p][k] = k < KB_NTAGS && kb_tag_allowed(p, k)
							      ? bg[k] + KB_TRANS_VALUE * r[k]
							      : -(1 << 28);
			int32_t *t4 = (int32_t *)&ner->trans4[c][p];
			t4[0] = ner->trans[c][p][KB_TAG_O];
			t4[1] = ner->trans[c][p][KB_TAG_BPER];
			t4[2] = ner->trans[c][p][KB_TAG_BLOC];
			t4[3] = ner->trans[c][p][KB_TAG_BORG];
		}
	}
}

#define NEG (-(1 << 29))

/* Viterbi in integers over emit[n][KB_NER_ROW] and the transitions of each
 * token's class (kb_ner_set_weights: the BIO constraint is in them);
 * fixed[i] is the only tag position i may have, or KB_NTAGS for any.  The
 * loops over the 8 lanes are written for the compiler to vectorise. */
static void viterbi_int(const struct kb_ner *ner, const struct kb_tokfeat *tf, int32_t *emit,
			size_t n, uint8_t *fixed, uint8_t *back, uint8_t *out)
{
	int32_t cur[KB_NER_ROW];
	const int32_t(*tr)[KB_NER_ROW] = ner->trans[kb_trans_class(tf[0].flags)];
	for (int t = 0; t < KB_NER_ROW; t++)
		cur[t] = tr[KB_TAG_BOS][t] + emit[t];
	if (fixed[0] != KB_NTAGS)
		for (int t = 0; t < KB_NER_ROW; t++)
			cur[t] = t == fixed[0] ? cur[t] : NEG;
	bool single = false; /* only cur[0] is alive (after a skipped token) */
	for (size_t i = 1; i < n; i++) {
		unsigned cls = kb_trans_class(tf[i].flags);
		tr = ner->trans[cls];
		const int32_t *e = emit + i * KB_NER_ROW;
		uint8_t *bk = back + i * KB_NER_ROW;
		int fx = fixed[i];
		if (fx == KB_TAG_O) {
			/* a skipped token: one state */
			int32_t best = cur[0] + tr[0][0];
			int bp = 0;
			if (!single) {
				for (int p = 1; p < KB_NTAGS; p++) {
					int32_t v = cur[p] + tr[p][0];
					bp = v > best ? p : bp;
					best = v > best ? v : best;
				}
				for (int t = 1; t < KB_NER_ROW; t++)
					cur[t] = NEG;
				single = true;
			}
			cur[0] = best + e[0];
			bk[0] = (uint8_t)bp;
			continue;
		}
		int32_t nxt[KB_NER_ROW];
		if (single) {
			/* only O was alive: every tag follows it (the I- tags
			 * with the BIO constraint's score) */
			for (int t = 0; t < KB_NTAGS; t++) {
				nxt[t] = cur[0] + tr[0][t];
				bk[t] = 0;
			}
			single = false;
		} else {
			/* O and the B- tags may follow any tag: four lanes at once */
			const v4si *t4 = ner->trans4[cls];
			v4si best = (v4si){ cur[0], cur[0], cur[0], cur[0] } + t4[0], bp = { 0, 0, 0, 0 };
			for (int p = 1; p < KB_NTAGS; p++) {
				v4si v = (v4si){ cur[p], cur[p], cur[p], cur[p] } + t4[p];
				v4si m = v > best;
				best = (m & v) | (~m & best);
				bp = (m & (v4si){ p, p, p, p }) | (~m & bp);
			}
			static const int btag[4] = { KB_TAG_O, KB_TAG_BPER, KB_TAG_BLOC, KB_TAG_BORG };
			for (int k = 0; k < 4; k++) {
				nxt[btag[k]] = best[k];
				bk[btag[k]] = (uint8_t)bp[k];
			}
			/* an I- tag follows its B- or itself */
			for (int t = KB_TAG_IPER; t < KB_NTAGS; t += 2) {
				int32_t vb = cur[t - 1] + tr[t - 1][t], vi = cur[t] + tr[t][t];
				nxt[t] = vi > vb ? vi : vb;
				bk[t] = (uint8_t)(vi > vb ? t : t - 1);
			}
		}
		for (int t = 0; t < KB_NTAGS; t++) {
			int32_t v = nxt[t] + e[t];
			cur[t] = v < NEG ? NEG : v;
		}
		cur[KB_NTAGS] = NEG;
		if (fx != KB_NTAGS)
			for (int t = 0; t < KB_NER_ROW; t++)
				cur[t] = t == fx ? cur[t] : NEG;
	}
	int t = 0;
	for (int k = 1; k < KB_NTAGS; k++)
		if (cur[k] > cur[t])
			t = k;
	follow_back(back, n, t, out);
}

static bool backoff(const struct kb_tokfeat *tf, size_t n, uint8_t *tags);

void kb_ner_tag(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n, uint8_t *tags,
		bool country_backoff)
{
	if (n == 0)
		return;
	enum { STACK = 256 };
	int32_t emit_s[STACK * KB_NER_ROW];
	uint8_t back_s[STACK * KB_NER_ROW], fixed_s[STACK];
	int32_t *emit = emit_s;
	uint8_t *back = back_s, *fixed = fixed_s;
	if (n > STACK) {
		emit = malloc(n * KB_NER_ROW * sizeof *emit);
		back = malloc(n * KB_NER_ROW);
		fixed = malloc(n);
		if (!emit || !back || !fixed) {
			memset(tags, KB_TAG_O, n);
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (tf[i].skip) {
			for (int t = 0; t < KB_NER_ROW; t++)
				emit[i * KB_NER_ROW + t] = 0;
			fixed[i] = KB_TAG_O;
		} else {
			kb_ner_emission(ner, tf, n, i, emit + i * KB_NER_ROW);
			fixed[i] = KB_NTAGS;
		}
	}
	viterbi_int(ner, tf, emit, n, fixed, back, tags);
	if (country_backoff && backoff(tf, n, tags)) {
		/* decode again with the country names fixed as places, so
		 * that their neighbours see a place before them */
		for (size_t k = 0; k < n; k++)
			if (tags[k] == KB_TAG_BLOC || tags[k] == KB_TAG_ILOC)
				fixed[k] = tags[k];
		viterbi_int(ner, tf, emit, n, fixed, back, tags);
	}
out:
	if (n > STACK) {
		free(emit);
		free(back);
		free(fixed);
	}
}

/* Marks untagged country names as places; whether any was. */
static bool backoff(const struct kb_tokfeat *tf, size_t n, uint8_t *tags)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		size_t L = tf[i].country;
		if (!L || i + L > n)
			continue;
		bool untagged = true;
		for (size_t k = i; k < i + L && untagged; k++)
			untagged = tags[k] == KB_TAG_O;
		/* and no entity runs on into the name's end */
		if (!untagged || (i + L < n && tags[i + L] % 2 == 0 && tags[i + L] != KB_TAG_O))
			continue;
		for (size_t k = i; k < i + L; k++)
			tags[k] = k == i ? KB_TAG_BLOC : KB_TAG_ILOC;
		i += L - 1;
		any = true;
	}
	return any;
}

/* Whether token k may be a given name after a family name. */
static bool given_name(const struct kb_tokfeat *t)
{
	return (t->flags & KB_TF_CAP) && !(t->flags & (KB_TF_ALLCAPS | KB_TF_DIGIT | KB_TF_PUNCT)) &&
	       !(t->ty->cue & ((1u << KB_CUE_NCLASS) - 1)) && !t->country;
}

static bool is_tag(int tag, int base)
{
	return tag == base || tag == base + 1;
}

/* East Asian names the tagger cuts short, runs on or misses: a common family name
 * (KB_CUE_FAMILY) just before a person ("Menteri Luar Negeri Kim [Sol
 * Mi]") joins it; one followed by one or two given names right after a
 * country name or a title ("Korea Selatan Park Ji-ho", "Menteri Kang Su
 * Min") becomes a person, cutting the place or organisation it was
 * swallowed by. */
static void family_names(const struct kb_tokfeat *tf, size_t n, uint8_t *tags)
{
	/* a romanised Korean name is whole with its hyphenated given name
	 * ("Park Min-jun", "Kim Jong-un"): capitalised words the tagger ran
	 * on with ("Park Min-jun Speaks Out", a headline) are cut off, and
	 * are a person of their own only when a family name starts them */
	for (size_t i = 0; i + 2 < n; i++) {
		if (tags[i] != KB_TAG_BPER || !(tf[i].ty->cue & KB_CUE_FAMILY) ||
		    tags[i + 1] != KB_TAG_IPER || tags[i + 2] != KB_TAG_IPER ||
		    (tf[i + 1].flags & (KB_TF_CAP | KB_TF_HYPHEN | KB_TF_ALLCAPS)) !=
			    (KB_TF_CAP | KB_TF_HYPHEN))
			continue;
		bool again = (tf[i + 2].ty->cue & KB_CUE_FAMILY) && (tf[i + 2].flags & KB_TF_CAP);
		for (size_t k = i + 2; k < n && tags[k] == KB_TAG_IPER; k++)
			tags[k] = again ? (k == i + 2 ? KB_TAG_BPER : KB_TAG_IPER) : KB_TAG_O;
		i++;
	}
	for (size_t i = 0; i + 1 < n; i++) {
		if (!(tf[i].ty->cue & KB_CUE_FAMILY) || !(tf[i].flags & KB_TF_CAP) ||
		    (tf[i].flags & KB_TF_ALLCAPS) || is_tag(tags[i], KB_TAG_BPER))
			continue;
		size_t j = i + 1;
		while (j < n && j <= i + 2 && given_name(&tf[j]) && !is_tag(tags[j], KB_TAG_BPER))
			j++;
		if (tags[i + 1] == KB_TAG_BPER) {
			tags[i] = KB_TAG_BPER;
			tags[i + 1] = KB_TAG_IPER;
			continue;
		}
		if (j == i + 1 || i == 0)
			continue;
		/* after a title, or right after a country name */
		bool ctx = (tf[i - 1].ty->cue & KB_CUE_TITLE) != 0;
		for (size_t k = i; k-- > 0 && k + KB_GAZ_MAXSPAN >= i && !ctx;)
			ctx = tf[k].country && k + tf[k].country == i;
		/* the tokens are untagged or the tail of a place or organisation */
		bool free_ = true;
		for (size_t k = i; k < j && free_; k++)
			free_ = tags[k] == KB_TAG_O || tags[k] == KB_TAG_ILOC || tags[k] == KB_TAG_IORG ||
				(k == i && (tags[k] == KB_TAG_BLOC || tags[k] == KB_TAG_BORG));
		if (!ctx || !free_)
			continue;
		for (size_t k = i; k < j; k++)
			tags[k] = k == i ? KB_TAG_BPER : KB_TAG_IPER;
		/* a place or organisation running on after the name starts anew */
		if (j < n && (tags[j] == KB_TAG_ILOC || tags[j] == KB_TAG_IORG))
			tags[j]--;
		i = j - 1;
	}
}

static bool sentence_end(const char *text, const struct kb_token *t)
{
	size_t len = t->end - t->start;
	const char *s = text + t->start;
	if (len >= 1 && (s[0] == '.' || s[0] == '!' || s[0] == '?'))
		return true;
	return len == 3 && memcmp(s, "\xe2\x80\xa6", 3) == 0;
}

static bool newline_between(const char *text, const struct kb_token *a, const struct kb_token *b)
{
	size_t gap = b->start - a->end;
	if (gap <= 1)
		return gap == 1 && text[a->end] == '\n';
	return memchr(text + a->end, '\n', gap) != NULL;
}

/* ---- the word type cache ------------------------------------------------ */

/* Word types kept from one kb_ner_find_cached call to the next, with their
 * row sums: CACHE_SETS sets of CACHE_WAYS types, the set chosen by the
 * token's byte hash.  Each type holds a copy of its token (ty.s points at
 * it, so it never points into a text that is gone), which a hit compares;
 * longer tokens are not kept. */
#define CACHE_SETS 4096
#define CACHE_WAYS 4
#define CACHE_TOKMAX 32

struct cache_ent {
	struct kb_wtype ty;
	char tok[CACHE_TOKMAX];
};

/* The hashes and stamps of a set's ways, apart from the types: a look-up
 * reads one cache line before it reads a type. */
struct cache_set {
	uint64_t key[CACHE_WAYS];
	uint32_t used[CACHE_WAYS]; /* the last call that used the way; 0: empty */
};

struct kb_ner_cache {
	const struct kb_ner *ner; /* the model the types were made with, */
	unsigned gen;             /* and its weights (the row sums) */
	uint32_t call;            /* this call's stamp */
	struct cache_set set[CACHE_SETS];
	struct cache_ent ent[CACHE_SETS][CACHE_WAYS];
};

struct kb_ner_cache *kb_ner_cache_new(void)
{
	/* empty: no model, and the first call clears the sets */
	return calloc(1, sizeof(struct kb_ner_cache));
}

void kb_ner_cache_free(struct kb_ner_cache *cache)
{
	free(cache);
}

/* Stamps a new call; first empties the cache when its types are of
 * another model or other weights (their gazetteer bits and row sums; a
 * model loaded where a freed one was has another gen), or when the stamps
 * wrap. */
static void cache_begin(struct kb_ner_cache *c, const struct kb_ner *ner)
{
	if (++c->call == 0 || c->ner != ner || c->gen != ner->gen) {
		memset(c->set, 0, sizeof c->set);
		c->ner = ner;
		c->gen = ner->gen;
		c->call = 1;
	}
}

/* The type of token s[0..len) whose byte hash is key, made when it is not
 * kept; NULL when it is too long to keep, or when every way of its set
 * holds a type of this call's text (which must keep its types until it is
 * tagged).  Else the least recently used way is replaced. */
static struct kb_wtype *cache_get(const struct kb_ner *ner, struct kb_ner_cache *c, const char *s,
				  size_t len, uint64_t key)
{
	if (len > CACHE_TOKMAX)
		return NULL;
	size_t x = (size_t)key & (CACHE_SETS - 1);
	struct cache_set *set = &c->set[x];
	int victim = -1;
	for (int w = 0; w < CACHE_WAYS; w++) {
		if (set->used[w] && set->key[w] == key) {
			struct cache_ent *e = &c->ent[x][w];
			if (e->ty.len == len && memcmp(e->tok, s, len) == 0) {
				set->used[w] = c->call;
				return &e->ty;
			}
		}
		if (set->used[w] != c->call && (victim < 0 || set->used[w] < set->used[victim]))
			victim = w;
	}
	if (victim < 0)
		return NULL;
	struct cache_ent *e = &c->ent[x][victim];
	memcpy(e->tok, s, len);
	type_init(ner, e->tok, len, key, &e->ty);
	set->key[victim] = key;
	set->used[victim] = c->call;
	return &e->ty;
}

/* Whether t is the type of token s[0..len) whose byte hash is key: the
 * bytes decide, two tokens may share a 64-bit hash. */
static bool same_token(const struct kb_wtype *t, const char *s, size_t len, uint64_t key)
{
	return t->key == key && t->len == len && memcmp(t->s, s, len) == 0;
}

/* Points tf[k].ty (tf may be NULL: false is returned) at the word type of
 * token k: the cached one when cache has it or can take it, else one of
 * *types (malloc'd, or NULL), one per distinct token.  False when out of
 * memory. */
static bool assign_types(const struct kb_ner *ner, struct kb_ner_cache *cache, const char *text,
			 const struct kb_token *toks, size_t nt, struct kb_tokfeat *tf,
			 struct kb_wtype **types)
{
	*types = NULL;
	if (!tf)
		return false;
	size_t size = 64;
	while (size < nt * 2)
		size *= 2;
	uint32_t *tab = calloc(size, sizeof *tab); /* type + 1, or 0 */
	/* with a cache, few tokens need a type of their own */
	size_t cap = cache ? 16 : nt / 2 + 16, cnt = 0;
	struct kb_wtype *ty = malloc(cap * sizeof *ty);
	uint32_t *idx = malloc(nt * sizeof *idx); /* UINT32_MAX: a cached type */
	if (!tab || !ty || !idx) {
		free(tab);
		free(ty);
		free(idx);
		return false;
	}
	if (cache)
		cache_begin(cache, ner);
	for (size_t k = 0; k < nt; k++) {
		const char *s = text + toks[k].start;
		size_t len = toks[k].end - toks[k].start;
		uint64_t key = kb_hash_bytes(s, len);
		struct kb_wtype *c = cache ? cache_get(ner, cache, s, len, key) : NULL;
		if (c) {
			tf[k].ty = c;
			idx[k] = UINT32_MAX;
			continue;
		}
		size_t x = (size_t)(key >> 32) & (size - 1);
		while (tab[x] && !same_token(&ty[tab[x] - 1], s, len, key))
			x = (x + 1) & (size - 1);
		if (!tab[x]) {
			if (cnt == cap) {
				struct kb_wtype *nty = realloc(ty, cap * 2 * sizeof *ty);
				if (!nty) {
					free(tab);
					free(ty);
					free(idx);
					return false;
				}
				ty = nty;
				cap *= 2;
			}
			type_init(ner, s, len, key, &ty[cnt]);
			tab[x] = (uint32_t)++cnt;
		}
		idx[k] = tab[x] - 1;
	}
	for (size_t k = 0; k < nt; k++)
		if (idx[k] != UINT32_MAX)
			tf[k].ty = &ty[idx[k]];
	free(tab);
	free(idx);
	*types = ty;
	return true;
}

static enum kb_ent_type tag_type(int tag)
{
	switch (tag) {
	case KB_TAG_BPER:
	case KB_TAG_IPER:
		return KB_ENT_PERSON;
	case KB_TAG_BLOC:
	case KB_TAG_ILOC:
		return KB_ENT_PLACE;
	case KB_TAG_BORG:
	case KB_TAG_IORG:
		return KB_ENT_ORG;
	}
	return KB_ENT_NONE;
}

size_t kb_ner_find(const struct kb_ner *ner, const char *text, size_t n, struct kb_span **spans)
{
	return kb_ner_find_cached(ner, NULL, text, n, spans);
}

size_t kb_ner_find_cached(const struct kb_ner *ner, struct kb_ner_cache *cache, const char *text,
			  size_t n, struct kb_span **spans)
{
	*spans = NULL;
	if (!ner || !text || n == 0 || n > UINT32_MAX)
		return 0;
	struct kb_token *toks;
	size_t nt = kb_tokenize(text, n, &toks);
	if (nt == 0) {
		free(toks);
		return 0;
	}
	struct kb_tokfeat *tf = malloc(nt * sizeof *tf);
	uint8_t *tags = malloc(nt);
	struct kb_wtype *types;
	bool typed = assign_types(ner, cache, text, toks, nt, tf, &types);
	if (!tf || !tags || !typed) {
		free(tf);
		free(tags);
		free(types);
		free(toks);
		return 0;
	}
	for (size_t s = 0; s < nt;) {
		size_t e = s + 1;
		while (e < nt && !sentence_end(text, &toks[e - 1]) &&
		       !newline_between(text, &toks[e - 1], &toks[e]))
			e++;
		sentence_prepare(ner, tf + s, e - s);
		kb_ner_tag(ner, tf + s, e - s, tags + s, true);
		family_names(tf + s, e - s, tags + s);
		s = e;
	}
	free(types);
	size_t cnt = 0, cap = 0;
	struct kb_span *out = NULL;
	for (size_t i = 0; i < nt;) {
		enum kb_ent_type ty = tag_type(tags[i]);
		if (ty == KB_ENT_NONE) {
			i++;
			continue;
		}
		int itag = tags[i] & 1 ? tags[i] + 1 : tags[i];
		size_t j = i + 1;
		while (j < nt && tags[j] == itag)
			j++;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct kb_span *ns = realloc(out, nc * sizeof *ns);
			if (!ns)
				break;
			out = ns;
			cap = nc;
		}
		out[cnt].start = toks[i].start;
		out[cnt].end = toks[j - 1].end;
		out[cnt].type = ty;
		cnt++;
		i = j;
	}
	free(tf);
	free(tags);
	free(toks);
	*spans = out;
	return cnt;
}
