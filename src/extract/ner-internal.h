/* ner-internal.h - what the tokenizer, the gazetteers, the tagger, the
 * trainer (tools/kabar-train) and the evaluator (tools/kabar-eval) share.
 *
 * Features are hashed: every feature is a 64-bit hash of its template and
 * its parts, reduced to a bucket of a flat weight table that holds one row
 * of KB_NER_ROW scores (one per tag) per bucket.  Nothing is allocated or
 * formatted per feature. */
#ifndef KABAR_NER_INTERNAL_H
#define KABAR_NER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kabar/ner.h"

/* BIO tags. */
enum kb_tag {
	KB_TAG_O = 0,
	KB_TAG_BPER,
	KB_TAG_IPER,
	KB_TAG_BLOC,
	KB_TAG_ILOC,
	KB_TAG_BORG,
	KB_TAG_IORG,
	KB_NTAGS
};
#define KB_NER_ROW 8 /* scores per bucket: KB_NTAGS padded */
#define KB_TAG_BOS 7 /* "previous tag" before a sentence */

/* Gazetteer classes (bits). */
enum {
	KB_GAZ_PER = 1,
	KB_GAZ_LOC = 2,
	KB_GAZ_ORG = 4,
	KB_GAZ_ISO = 8, /* a country or region from iso-codes */
	KB_GAZ_PREFIX = 16, /* the first tokens of a longer name */
	KB_GAZ_PERPART = 32, /* one word of a person's name */
	KB_GAZ_ORGPART = 64, /* one word of an organisation's name */
	KB_GAZ_COUNTRY = 128, /* a country, or an Indonesian province */
	KB_GAZ_NCLASS = 4,
	/* names annotated in the training sets (kabar-train adds them;
	 * while training, each sentence sees only those of the other folds) */
	KB_GAZ_TPER = 256,
	KB_GAZ_TLOC = 512,
	KB_GAZ_TORG = 1024,
	/* words that often start or end an organisation or place name in
	 * the training sets (kabar-train: cue words learnt, single tokens) */
	KB_GAZ_LHEAD_ORG = 2048,
	KB_GAZ_LTAIL_ORG = 4096,
	KB_GAZ_LHEAD_LOC = 8192,
	KB_GAZ_LTAIL_LOC = 16384,
	KB_GAZ_NFEAT = 7, /* the span classes that are features: the four above
			     (bits 1-8) and the three learnt ones (bits 256-1024) */
};
#define KB_GAZ_SPANBITS (15u | KB_GAZ_TPER | KB_GAZ_TLOC | KB_GAZ_TORG)
/* The gazetteer bit of feature class c (0 <= c < KB_GAZ_NFEAT). */
static inline unsigned kb_gaz_classbit(int c)
{
	return c < KB_GAZ_NCLASS ? 1u << c : (unsigned)KB_GAZ_TPER << (c - KB_GAZ_NCLASS);
}
#define KB_GAZ_MAXSPAN 6 /* tokens */

/* Cue classes (bits): generic words around names. */
enum {
	KB_CUE_TITLE = 1,  /* Presiden, Menteri, Direktur, Mr, Dr */
	KB_CUE_SPEECH = 2, /* kata, ujar, menurut, said */
	KB_CUE_ORG = 4,    /* PT, Partai, Universitas, Kementerian, Bank */
	KB_CUE_LOC = 8,    /* Kabupaten, Kota, Provinsi, Pulau */
	KB_CUE_PREP = 16,  /* di, ke, dari, in, from */
	KB_CUE_DIR = 32,   /* Utara, Selatan, Barat, Timur, Tengah */
	KB_CUE_NCLASS = 6, /* the classes that are features */
	KB_CUE_FAMILY = 64, /* a common East Asian family name (kb_ner_find) */
};

/* A 64-bit mixer (the splitmix64 finaliser). */
static inline uint64_t kb_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* Little-endian 64-bit loads and stores (the model file's byte order, and
 * that of the gazetteer slots in memory, so that a mapped file works). */
static inline uint64_t kb_le64(const void *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void kb_put_le64(void *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(p, &v, 8);
}

/* The hash of a (short) byte string: eight bytes at a time, mixed. */
static inline uint64_t kb_hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL * (n + 1);
	while (n >= 8) {
		h = (h ^ kb_le64(s)) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	uint64_t v = 0;
	for (size_t k = 0; k < n; k++)
		v |= (uint64_t)(unsigned char)s[k] << (8 * k);
	return kb_mix64(h ^ v);
}

/* Combines a running span hash with the next token's lowercase hash. */
static inline uint64_t kb_span_next(uint64_t h, uint64_t lower)
{
	return kb_mix64(h * 0x9e3779b97f4a7c15ULL + lower);
}
#define KB_SPAN_SEED 0x5bd1e9955bd1e995ULL

/* What the tagger knows of a word type: everything that depends on the
 * token's bytes alone, computed once per distinct token of an article
 * (kb_ner_find; kb_ner_find_cached keeps them across articles) or once
 * per token (kb_ner_prepare), with the sums of the weight rows of its
 * features cached (see kb_ner_static). */
struct kb_wtype {
	const char *s;   /* the token's bytes (a kb_ner_cache's own copy) */
	uint32_t len;
	uint8_t flags;   /* KB_TF_*, but KB_TF_INITIAL */
	uint8_t cue;     /* KB_CUE_* */
	uint8_t part;    /* KB_GAZ_PERPART | KB_GAZ_ORGPART */
	uint8_t lcue;    /* KB_GAZ_LHEAD_ORG... >> 11 */
	uint16_t gaz1;   /* the gazetteer bits of the one-token span */
	uint16_t clus;   /* its word cluster (KB_CLUS_*), or 0: a rare word */
	uint64_t key;    /* the hash of the bytes */
	uint64_t word, lower, shape, shmix, h1; /* h1: the one-token span hash */
	uint64_t pre[3], suf[3]; /* of 2, 3, 4 characters of the lowercase form */
	/* The cached row sums (int16: at most KB_NER_MAXFEAT * 127), valid
	 * while gen_self / gen_nb equal the model's gen: the features of the
	 * token itself, and those it gives the token at -2, -1, +1, +2 of it
	 * when that one is not (0) or is (1) capitalised. */
	unsigned gen_self, gen_nb;
	int16_t self[KB_NER_ROW];
	int16_t nb[4][2][KB_NER_ROW];
};

/* What the tagger knows of one token in its sentence. */
struct kb_tokfeat {
	struct kb_wtype *ty;
	uint8_t flags; /* ty->flags, and KB_TF_INITIAL */
	uint8_t gaz[KB_GAZ_NFEAT]; /* 0, or 1 B, 2 I, 3 E, 4 S of a span */
	uint8_t gazm;  /* bit c: gaz[c] is not 0 */
	uint8_t country; /* tokens of the country name starting here, or 0 */
	bool skip; /* surely O (kb_ner_prepare): no features, not tagged */
};
enum {
	KB_TF_CAP = 1,
	KB_TF_ALLCAPS = 2,
	KB_TF_DIGIT = 4,
	KB_TF_HYPHEN = 8,
	KB_TF_PUNCT = 16,
	KB_TF_INITIAL = 32, /* first token of its sentence */
	KB_TF_DOT = 64,
};

/* An open-addressing set of span hashes with their KB_GAZ_* bits (and
 * KB_CUE_* << 8), one 64-bit slot each: the hash's upper 48 bits and the
 * 16 class bits (0 = empty), stored little-endian.  The set of the model
 * is used where it lies in the mapped model file. */
struct kb_gaz {
	uint64_t *slots;
	size_t mask;    /* size - 1, a power of two minus one */
	size_t count;
	bool mapped;    /* slots belong to the model file */
};

static inline uint64_t kb_gaz_key(uint64_t h)
{
	h &= ~(uint64_t)0xffff;
	return h ? h : 0x10000;
}

static inline uint16_t kb_gaz_get(const struct kb_gaz *g, uint64_t h)
{
	if (!g->slots)
		return 0;
	uint64_t key = kb_gaz_key(h);
	for (size_t k = (size_t)(key >> 40) & g->mask;; k = (k + 1) & g->mask) {
		uint64_t s = kb_le64(g->slots + k);
		if (!s)
			return 0;
		if ((s & ~(uint64_t)0xffff) == key)
			return (uint16_t)s;
	}
}

/* Word clusters (kabar-train clusters the words of the training text by
 * their neighbours): a word type's value in kb_ner.clus is
 * KB_CLUS_SEEN | coarse << 8 | fine, 0 for a word too rare to have one. */
#define KB_CLUS_SEEN 0x8000u
#define KB_CLUS_FINE(v) ((v) & 0xffu)
#define KB_CLUS_COARSE(v) (((v) >> 8) & 0x7fu)

/* Place names to ISO codes, sorted by span hash. */
struct kb_place {
	uint64_t hash;
	char code[12];
};

/* The transition scores: the tag bigram plus KB_TRANS_VALUE times the
 * (previous tag, token class) feature, for each class of token. */
#define KB_TRANS_NCLS 64
static inline unsigned kb_trans_class(uint8_t flags)
{
	/* CAP, ALLCAPS, DIGIT, HYPHEN, PUNCT and DOT */
	return (flags & 31u) | (flags & KB_TF_DOT) >> 1;
}

/* Four int32 lanes (the transitions into O and the three B- tags). */
typedef int32_t v4si __attribute__((vector_size(16)));

struct kb_ner {
	unsigned bits;        /* log2 of the bucket count */
	const int8_t *w;      /* (1 << bits) rows of KB_NER_ROW weights */
	float scale;          /* weight = w / scale */
	unsigned ndomains;    /* weight tables in the model file */
	struct kb_gaz gaz;
	struct kb_gaz cues;   /* the cue words, built from the list in code */
	struct kb_gaz clus;   /* word clusters by one-token span hash (kabar-train) */
	struct kb_place *places;
	size_t nplaces;
	void *map;            /* the mapped model file, or NULL */
	size_t mapsize;
	int8_t *own;          /* weights allocated here (the trainer's) */
	unsigned gen;         /* changes with the weights (the cached row sums) */
	int16_t padnb[4][2][KB_NER_ROW]; /* the rows of the sentence-edge pads */
	int32_t trans[KB_TRANS_NCLS][KB_NER_ROW][KB_NER_ROW];
	v4si trans4[KB_TRANS_NCLS][KB_NER_ROW]; /* trans into O, B-PER, B-LOC, B-ORG */
};

/* token.c */
/* The hash of a token's lowercase form (as the gazetteer and cue tables
 * use it); lower (at least 128 bytes) receives it, *lowern its length. */
uint64_t kb_tok_lower(const char *s, size_t n, char *lower, size_t *lowern);
/* The span hash of name (tokenised, lowercased). */
uint64_t kb_name_hash(const char *name, size_t n);

/* gazetteer.c */
int kb_gaz_init(struct kb_gaz *g, size_t expect);
void kb_gaz_free(struct kb_gaz *g);
void kb_gaz_add(struct kb_gaz *g, uint64_t h, uint16_t bits);
/* Adds the name made of the tokens toks[0..n) of text, and its prefixes. */
void kb_gaz_add_tokens(struct kb_gaz *g, const char *text, const struct kb_token *toks, size_t n,
		       uint16_t bits);
/* A copy of src (not mapped); 0 or -1. */
int kb_gaz_copy(struct kb_gaz *dst, const struct kb_gaz *src);
/* Adds every line of path (one name a line) with bits; returns the count
 * or -1 when it cannot be read. */
long kb_gaz_add_file(struct kb_gaz *g, const char *path, uint8_t bits);
/* Adds the names of places.tsv (CODE TAB name) as KB_GAZ_LOC|KB_GAZ_ISO. */
long kb_gaz_add_places(struct kb_gaz *g, const char *path);
/* Loads places.tsv into ner->places; 0 or -1. */
int kb_places_load(struct kb_ner *ner, const char *path);
/* Builds the set of cue words (bits KB_CUE_* << 8); 0 or -1. */
int kb_gaz_cues(struct kb_gaz *g);

/* features.c */
/* Fills ty[0..n) and tf[0..n) for the tokens of one sentence (tf[i].ty is
 * &ty[i]).  A token is skipped
 * (tagged O without features) when neither it nor a neighbour is
 * capitalised or has a digit and it is no organisation or place cue word:
 * 0.4% of the entity tokens of the training sets, half the tokens of news
 * text. */
void kb_ner_prepare(const struct kb_ner *ner, const char *text, const struct kb_token *toks,
		    size_t n, struct kb_wtype *ty, struct kb_tokfeat *tf);
/* The buckets of the features of token i that do not depend on the tags
 * (out has room for KB_NER_MAXFEAT): those of its word type, those of the
 * word types at -2..+2 (with the token's capitalisation), then those that
 * join tokens (bigrams, gazetteer spans), which are all the tagger hashes
 * per token; the rest are cached row sums. */
#define KB_NER_MAXFEAT 128
size_t kb_ner_static(const struct kb_tokfeat *tf, size_t n, size_t i, unsigned bits,
		     uint32_t *out);
/* The emission scores of token i (not skipped): the sum of the rows of
 * kb_ner_static's buckets, computed from the word types' cached row sums
 * (which it fills when they are not of ner's weights). */
void kb_ner_emission(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n, size_t i,
		     int32_t *out);
/* The bucket of the feature joining token i (its class, kb_trans_class)
 * with the previous tag prev; with tf NULL, that of the tag bigram feature
 * of prev. */
void kb_ner_trans(const struct kb_tokfeat *tf, size_t i, int prev, unsigned bits, uint32_t *out);
/* The value of that feature (the others are 1): a stronger say for the
 * previous tag, which the dev sets favoured. */
#define KB_TRANS_VALUE 2
/* Makes w ((1 << ner->bits) rows, owned by the caller) the weights ner tags
 * with. */
void kb_ner_set_weights(struct kb_ner *ner, const int8_t *w);

/* decode.c */
/* Viterbi over emit[n][KB_NER_ROW] and trans[n][prev KB_NER_ROW][tag
 * KB_NER_ROW] (position 0 uses prev KB_TAG_BOS), BIO-constrained; back is
 * scratch of n * KB_NER_ROW.  (The trainer's, in floats.) */
void kb_viterbi(const float *emit, const float *trans, size_t n, uint8_t *back, uint8_t *out);
/* Whether tag may follow prev (BIO). */
static inline bool kb_tag_allowed(int prev, int tag)
{
	if (tag == KB_TAG_IPER || tag == KB_TAG_ILOC || tag == KB_TAG_IORG)
		return prev == tag || prev == tag - 1;
	return true;
}
/* Tags one sentence (Viterbi); tags has n slots.  With country_backoff
 * (kb_ner_find's way), a country or Indonesian province name the tagger
 * left all O becomes a place and the sentence is decoded again around it:
 * the training sets often leave country names used as modifiers untagged
 * ("Menteri Luar Negeri Jepang"), and a reader wants them. */
void kb_ner_tag(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n, uint8_t *tags,
		bool country_backoff);

/* model.c */
/* Writes the model file: ntables weight tables (one per domain, each
 * (1 << ner->bits) rows of KB_NER_ROW int8) and ner's gazetteer set. */
int kb_ner_save(const struct kb_ner *ner, int8_t *const *tables, unsigned ntables,
		const char *path, char **err);
/* Loads the weights of one domain (kb_ner_load loads domain 0, news). */
struct kb_ner *kb_ner_load_domain(const char *dir, unsigned domain, char **err);
/* An empty model with a gazetteer built from the text lists in dir, as the
 * trainer starts from. */
struct kb_ner *kb_ner_new(unsigned bits, const char *dir, char **err);

#define KB_NER_MODEL_FILE "ner.bin"
#define KB_NER_PLACES_FILE "places.tsv"

#endif
