/* tagger.h - what the tagger's files share (features.c, decode.c,
 * wcache.c, tagger.c) beyond ner-internal.h, which the trainer, the
 * evaluator and the tests see too.  Nothing outside src/extract/. */
#ifndef KABAR_EXTRACT_TAGGER_H
#define KABAR_EXTRACT_TAGGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ner-internal.h"

/* ---- features.c ---- */

/* Fills t for the token s[0..len) whose byte hash is key: everything that
 * depends on its bytes alone (t->s is s: the caller keeps the bytes). */
void kb_ner_type_init(const struct kb_ner *ner, const char *s, size_t len, uint64_t key,
		      struct kb_wtype *t);

/* The positional part of tf[0..n), one sentence (tf[i].ty set): the
 * sentence-initial flag, which tokens are skipped, gazetteer spans,
 * country names. */
void kb_ner_sentence(const struct kb_ner *ner, struct kb_tokfeat *tf, size_t n);

/* The emission scores (kb_ner_emission) of every token of the sentence
 * tf[0..n) into emit[n][KB_NER_ROW]; those of a skipped token are 0. */
void kb_ner_emissions(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n,
		      int32_t *emit);

/* ---- wcache.c ---- */

/* Points tf[k].ty (tf may be NULL: false is returned) at the word type of
 * token k of text: the cached one when cache (may be NULL) has it or can
 * take it, else one of *types (malloc'd, or NULL), one per distinct
 * token.  False when out of memory. */
bool kb_ner_assign_types(const struct kb_ner *ner, struct kb_ner_cache *cache, const char *text,
			 const struct kb_token *toks, size_t nt, struct kb_tokfeat *tf,
			 struct kb_wtype **types);

#endif
