/* wcache.c - word types: one per distinct token of a text, taken from a
 * cache (struct kb_ner_cache) that keeps them, with their cached row sums,
 * from one text to the next. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ner-internal.h"
#include "tagger.h"

/* Word types kept from one kb_ner_find_cached call to the next, with their
 * row sums: CACHE_SETS sets of CACHE_WAYS types, the set chosen by the
 * token's byte hash.  Each type holds a copy of its token (ty.s points at
 * it, so it never points into a text that is gone), which a hit compares;
 * longer tokens are not kept. */
/* 2,048 sets (8,192 types, 2.4 MB): every extraction worker has a cache
 * of its own; 4,096 sets cost 2.4 MB more each and extracted no faster,
 * on generated articles or on 181 real web pages */
#define CACHE_SETS 2048
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

bool kb_ner_assign_types(const struct kb_ner *ner, struct kb_ner_cache *cache, const char *text,
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
