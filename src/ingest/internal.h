/* internal.h - what the import files share; nothing outside src/ingest/. */
#ifndef KABAR_INGEST_INTERNAL_H
#define KABAR_INGEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "kabar/ingest.h"

/* What a scraped line is, before it may reach an article body. */
enum kb_line_kind {
	KB_LINE_TEXT,
	KB_LINE_BOILERPLATE,    /* navigation, promos, footers: dropped */
	KB_LINE_READ_MORE,      /* "Baca juga:" and friends: dropped */
	KB_LINE_READ_MORE_NEXT, /* a bare "BACA JUGA": the headline follows */
	KB_LINE_HASHTAGS,       /* "#a#b": dropped */
};

/* Classifies one cleaned line (NUL-terminated). */
enum kb_line_kind kb_boiler_classify(const char *s, size_t n);

/* When s is a byline, credit or attribution line, records it in doc and
 * returns true.  *pending receives a role when s is a bare label such as
 * "EDITOR" whose name is on the next line. */
bool kb_boiler_byline(const char *s, size_t n, struct kb_doc *doc, const char **pending);

/* Removes a photo credit that ends a caption ("... 2023. (AFP)",
 * "... (VLADIMIR SMIRNOV / POOL / AFP)"), recording it in doc.  Returns
 * the new length. */
size_t kb_boiler_strip_credit(char *s, size_t n, struct kb_doc *doc);

/* Cuts a trailing editorial note ("Note: The text is ...") out of s and
 * returns the new length (0 when the whole line is such a note). */
size_t kb_boiler_strip_note(char *s, size_t n);

/* Words in s (runs of non-spaces). */
size_t kb_words(const char *s, size_t n);

#endif
