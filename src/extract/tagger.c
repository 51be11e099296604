/* tagger.c - kb_ner_find: a text's tokens into sentences, their word
 * types (from the cache), the tags of each sentence (decode.c) with the
 * family name rule after them, and the spans. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ner-internal.h"
#include "tagger.h"

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
	kb_ner_type_init(ner, e->tok, len, key, &e->ty);
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
			kb_ner_type_init(ner, s, len, key, &ty[cnt]);
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
		kb_ner_sentence(ner, tf + s, e - s);
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
