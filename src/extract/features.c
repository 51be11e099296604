/* features.c - what the tagger knows of a token: word types (shape,
 * affixes, cue and gazetteer bits, word cluster), the sentence around it
 * (gazetteer spans, skipped tokens), the hashed features of both, and the
 * emission scores summed from the weight rows of those features, with the
 * sums of a word type's own rows cached in it.  A new feature is added
 * here alone: to self_feats, nb_feats or pair_feats (kb_ner_static lists
 * all three for the trainer), and a neighbour feature of words without
 * cues to nb_rows' shortcut too; kabar-eval checks on every dev token
 * that the cached sums equal kb_ner_static's rows. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <unistr.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ner-internal.h"
#include "tagger.h"

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
	return true;
}

void kb_ner_type_init(const struct kb_ner *ner, const char *s, size_t len, uint64_t key,
		      struct kb_wtype *t)
{
	t->s = s;
	t->len = (uint32_t)len;
	t->key = key;
	if (!ascii_token(s, len, t)) {
		char low[128];
		size_t ln;
		t->lower = kb_tok_lower(s, len, low, &ln);
		t->shape = hash_shape(s, len, &t->flags);
		affixes(low, ln, t);
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

void kb_ner_sentence(const struct kb_ner *ner, struct kb_tokfeat *tf, size_t n)
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
		kb_ner_type_init(ner, s, len, kb_hash_bytes(s, len), &ty[i]);
		tf[i].ty = &ty[i];
	}
	kb_ner_sentence(ner, tf, n);
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

/* The features of a word type itself. */
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
	if (!nb_capdep(t)) {
		/* nb_feats of a word without cues: its lowercase form (and
		 * shape next to the token) and its cluster, summed once for
		 * both capitalisations */
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
		nf = nb_feats(t, o, KB_TF_CAP, ner->bits, fb);
		store16(rows[o][1], sum_rows(ner->w, fb, nf, (v8i16){ 0 }));
	}
}

static inline const int16_t *self_row(const struct kb_ner *ner, struct kb_wtype *t)
{
	if (t->gen_self != ner->gen) {
		uint32_t fb[KB_NER_MAXFEAT];
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
		acc += load16(r);
	}
	size_t nf = pair_feats(tf, n, i, ner->bits, fb);
	acc = sum_rows(ner->w, fb, nf, acc);
	int16_t v[KB_NER_ROW];
	store16(v, acc);
	for (int t = 0; t < KB_NER_ROW; t++)
		out[t] = v[t];
}

void kb_ner_emissions(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n, int32_t *emit)
{
	for (size_t i = 0; i < n; i++) {
		if (tf[i].skip) {
			for (int t = 0; t < KB_NER_ROW; t++)
				emit[i * KB_NER_ROW + t] = 0;
		} else {
			kb_ner_emission(ner, tf, n, i, emit + i * KB_NER_ROW);
		}
	}
}

/* ---- the weights ------------------------------------------------------- */

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
