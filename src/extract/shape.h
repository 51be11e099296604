/* shape.h - trimming, cutting and typing the tagger's spans by their
 * words (shape.c); internal to the extraction module. */
#ifndef KABAR_SHAPE_H
#define KABAR_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "kabar/ner.h"

/* The names in the tagger's span in of text: the words of the sentence
 * around it taken off ("The", "the", "agency's"), cut at a possessive
 * ("Thailand's Supreme Court") and, in a person's span, after a title
 * ("Premier Li Qiang"); typed by head words ("Timor Sea", "Port
 * Authority", "Bank of Korea"); a nationality word or a direction alone
 * is no name.  Writes at most max spans to out; returns how many. */
size_t kb_shape_span(const struct kb_ner *ner, const char *text, struct kb_span in,
		     struct kb_span *out, size_t max);

/* "Ministry of Foreign Affairs", "Strait of Malacca", "Renmin University
 * of China": names joined by "of" or "for" after a head word, which the
 * tagger cuts in pieces.  Writes at most max to out; returns how many. */
size_t kb_shape_of_names(const char *text, size_t n, struct kb_span *out, size_t max);

/* The place of a dateline at the start of an article's first paragraph
 * ("JAKARTA (Reuters) -", "SEOUL, March 3 -"): 1 and *out, or 0. */
size_t kb_shape_dateline(const char *text, size_t n, struct kb_span *out);

/* Whether the tagger's spans a and b (a first) are one name: one type with
 * a space between ("Kim" "Jong Un"), a head word after a name ("Singapore"
 * "Strait"), persons joined by particles ("Mohammed" bin "Salman"). */
bool kb_shape_joins(const char *text, struct kb_span a, struct kb_span b);

/* Whether w[0..n) is a word of the sentence that is no name alone: "The",
 * "Some", "Para", "Southern" (not "WHO"). */
bool kb_shape_sentence_word(const char *w, size_t n);

/* "Singapore-based": the length of the place a word says something is
 * based in, or 0. */
size_t kb_shape_based(const char *w, size_t n);

#endif
