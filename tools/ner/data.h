/* data.h - reading NERGrit / idner-news-2k files for the trainer and the
 * evaluator. */
#ifndef KABAR_TOOLS_NER_DATA_H
#define KABAR_TOOLS_NER_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kabar/ner.h"

struct nd_sent {
	char *text;              /* the tokens joined by spaces */
	struct kb_token *toks;
	uint8_t *gold;           /* enum kb_tag */
	size_t n;
	bool newdoc;             /* a "# newdoc" line came before it */
};

struct nd_set {
	struct nd_sent *s;
	size_t n, tokens;
	bool docs;               /* the file marks its documents */
};

/* Reads a file of "token TAB tag" or "token POS tag" lines (NERGrit,
 * idner-news-2k) or of "index TAB token TAB tag TAB ..." lines with
 * "# key = value" comments (UNER's .iob2, whose "# newdoc" lines start
 * documents), blank lines between sentences; tags BIO over PERSON/PER,
 * PLACE/LOC, ORGANISATION/ORG.  Appends to set; 0 or -1 (errno). */
int nd_read(struct nd_set *set, const char *path);
void nd_free(struct nd_set *set);

/* Entity-level exact-match counts (conlleval), per type 0 PER, 1 LOC,
 * 2 ORG. */
struct nd_score {
	long tp[3], fp[3], fn[3];
};
void nd_score_add(struct nd_score *sc, const uint8_t *gold, const uint8_t *pred, size_t n);
/* Prints the table; returns the macro F1. */
double nd_score_print(const struct nd_score *sc, const char *title);
double nd_score_macro(const struct nd_score *sc);

#endif
