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

/* What kb_ner_find works out for each distinct word of a text (its
 * shape, affixes, gazetteer and cue bits, word cluster, and the sums of
 * the weights of its features), kept from one text to the next, since
 * news repeats its words.  At most 16384 words of up to 32 bytes (longer
 * ones are not kept), in 5.2 MB allocated at once (words land all over
 * it: a few thousand make it all resident); a new word replaces the
 * least recently used of the 4 its hash may go to.  The words are copied:
 * the cache holds no pointer into a text.  It empties itself when used
 * with another model, or after the model's weights change.  Not
 * thread-safe: one cache per thread (the model itself may be shared). */
struct kb_ner_cache;

/* A new, empty cache; NULL when out of memory. */
struct kb_ner_cache *kb_ner_cache_new(void);
void kb_ner_cache_free(struct kb_ner_cache *cache);

/* kb_ner_find, with the word types taken from and kept in cache (NULL:
 * none).  The spans are the same as kb_ner_find's. */
size_t kb_ner_find_cached(const struct kb_ner *ner, struct kb_ner_cache *cache,
			  const char *text, size_t n, struct kb_span **spans);

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
	KB_WORD_PREP,   /* a preposition before places: di, ke, dari, in, from */
};

/* Whether w[0..n) (any case) is a word of that kind. */
bool kb_ner_word_is(const struct kb_ner *ner, const char *w, size_t n, enum kb_word_kind kind);

/* What the gazetteers (the MDEE lists, iso-codes, the names annotated in
 * the training data) say the name s[0..n) is: KB_NAME_* bits, 0 when
 * they do not know it. */
enum { KB_NAME_PERSON = 1, KB_NAME_PLACE = 2, KB_NAME_ORG = 4 };
unsigned kb_ner_gazetteer(const struct kb_ner *ner, const char *s, size_t n);

#endif
