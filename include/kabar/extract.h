/* extract.h - from a clean article to the mentions the cache stores.
 *
 * Runs the tagger (ner.h) and the date finder (dates.h) over the title
 * and every paragraph, makes the result consistent across the article (a
 * name that is a person once is a person throughout; a surname alone
 * attaches to the full name the article used), infers a missing
 * publication date, and computes the keys that resolve spelling variants
 * to one entity across the cache. */
#ifndef KABAR_EXTRACT_H
#define KABAR_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "kabar/store.h"

struct kb_extractor;

/* Names and dates are looked for in the first this many bytes of a body
 * (and of a title): articles are far shorter, and consistency across an
 * article costs more than linear time in the names it holds. */
#define KB_EXTRACT_MAX_BYTES (256u << 10)

/* Loads the model and gazetteers (see kb_ner_default_dir).  On failure
 * returns NULL and sets *err (malloc'd).  One thread at a time may use an
 * extractor: kb_extract keeps the words it has tagged (kb_ner_cache). */
struct kb_extractor *kb_extractor_open(char **err);
/* Another extractor on ex's model (read-only, shared) with a word cache
 * of its own, for another thread; ex must outlive it. */
struct kb_extractor *kb_extractor_share(const struct kb_extractor *ex);
void kb_extractor_free(struct kb_extractor *ex);

/* A key learnt from the article: key_new names the same entity as
 * key_known ("Korean Central News Agency (KCNA)"). */
struct kb_key_link {
	const char *type;
	char *key_known;
	char *key_new;
};

struct kb_extraction {
	struct kb_mention_in *m; /* key and surface malloc'd */
	size_t n;
	struct kb_key_link *links;
	size_t n_links;
	char published[40];      /* inferred publication date, or "" */
};

/* Extracts the mentions of an article.  published may be NULL (then it is
 * inferred from the latest absolute date in the body, when there is one).
 * Offsets are bytes into title (in_title) or body. */
void kb_extract(const struct kb_extractor *ex, const char *title, const char *body,
		const char *published, struct kb_extraction *out);
void kb_extraction_free(struct kb_extraction *x);

/* The resolution key of a person or organisation name: case, diacritics,
 * spaces, hyphens and dots do not matter, nor common transliteration
 * differences (Sergei/Sergey, Beloussov/Belousov, Yevgeny/Evgeny,
 * Rachmawati/Rahmawati).  malloc'd. */
char *kb_name_key(const char *s, size_t n);

/* The key of a place: "iso:XX" for a known country or region in any
 * language, else its name key.  malloc'd. */
char *kb_place_key(const struct kb_extractor *ex, const char *s, size_t n);

#endif
