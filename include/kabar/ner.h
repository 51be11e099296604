/* ner.h - named-entity recognition: tokens, the tagger, the gazetteers.
 *
 * An averaged-perceptron sequence tagger (trained by tools/kabar-train
 * from NERGrit and idner-news-2k) finds persons, places and organisations;
 * gazetteers (iso-codes country and region names with their Indonesian
 * translations, the MDEE lists) feed it features and tell which place
 * names are the same place. */
#ifndef KABAR_NER_H
#define KABAR_NER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A token: bytes [start, end) of the text it came from. */
struct kb_token {
	uint32_t start, end;
};

/* Splits UTF-8 text into word and punctuation tokens, the way the
 * training data is tokenised.  Returns the count; *toks is malloc'd. */
size_t kb_tokenize(const char *text, size_t n, struct kb_token **toks);

enum kb_ent_type {
	KB_ENT_NONE = 0,
	KB_ENT_PERSON,
	KB_ENT_PLACE,
	KB_ENT_ORG,
	KB_ENT_DATE,
};

/* A mention: bytes [start, end) of the text, and its type. */
struct kb_span {
	uint32_t start, end;
	enum kb_ent_type type;
};

struct kb_ner;

/* Loads the model and gazetteers from dir (assets/model).  On failure
 * returns NULL and sets *err (malloc'd). */
struct kb_ner *kb_ner_load(const char *dir, char **err);
void kb_ner_free(struct kb_ner *ner);

/* The model directory: $KABAR_MODEL_DIR when set, else the installed
 * $(pkgdatadir)/model when it holds a model, else assets/model in the
 * source tree. */
const char *kb_ner_default_dir(void);

/* Finds person, place and organisation mentions in text (a title or a
 * paragraph; sentences are split inside).  Returns the count; *spans is
 * malloc'd, in text order, never overlapping. */
size_t kb_ner_find(const struct kb_ner *ner, const char *text, size_t n,
		   struct kb_span **spans);

/* When name (any case, either language: "Korea Utara", "North Korea",
 * "AS", "Amerika Serikat") is a known country or region, writes a stable
 * key ("iso:KP") to key and returns true. */
bool kb_ner_place_key(const struct kb_ner *ner, const char *name, size_t n, char *key,
		      size_t keysz);

/* Kinds of words the tagger knows as cues. */
enum kb_word_kind {
	KB_WORD_TITLE,  /* a title or role before a name: Presiden, Minister, Mr */
	KB_WORD_PLACE,  /* a word that starts a place name: Kabupaten, desa, jalan */
	KB_WORD_FAMILY, /* a common East Asian family name: Kim, An, Nguyen */
};

/* Whether w[0..n) (any case) is a word of that kind. */
bool kb_ner_word_is(const struct kb_ner *ner, const char *w, size_t n, enum kb_word_kind kind);

#endif
