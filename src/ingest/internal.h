/* internal.h - what the import files share; nothing outside src/ingest/. */
#ifndef KABAR_INGEST_INTERNAL_H
#define KABAR_INGEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* A token that looks like a site name: letters, digits, dashes and at
 * least one dot, ending in a letter ("Tribunnews.com", "LAMPOST.CO"). */
bool kb_boiler_is_domain(const char *s, size_t n);

/* Decodes a page's or feed's bytes to UTF-8: a BOM decides, then the
 * charset the document declares (<?xml encoding>, <meta charset>) when
 * the bytes agree with it; undeclared or wrong, valid UTF-8 is UTF-8 and
 * anything else is what uchardet detects.  The result has '\n' line ends
 * and no NUL bytes.  *used (may be NULL) gets the charset's name. */
int kb_charset_decode(const char *raw, size_t n, struct kb_buf *out, const char **used,
		      const char **why);

/* The charset a streaming parser must be told for a document that starts
 * with head, or NULL when its BOM or declaration can be trusted (or it is
 * UTF-8). */
const char *kb_charset_sniff(const char *head, size_t n);

/* A one-line field from outside (a title, an author, a feed's name) as
 * stored: valid NFC UTF-8, controls gone, spaces collapsed; NULL when
 * nothing is left.  malloc'd. */
char *kb_clean_field(const char *s, size_t n);
/* The same for UTF-8 text already in b, which it takes (b is empty
 * after). */
char *kb_buf_one_line(struct kb_buf *b);

/* Gives an untitled item the start of its body as title: the first
 * sentence, at most 12 words ("…" when cut).  Nothing when the body is
 * empty. */
void kb_doc_title_from_body(struct kb_doc *doc);

/* Words in s (runs of non-spaces). */
size_t kb_words(const char *s, size_t n);

/* Eight bytes at a time (SWAR): with x loaded from memory by kb_load8,
 * kb_eq8(x, c) has bit 7 of each byte that equals c set and every other
 * bit clear.  KB_SWAR is 1 where bytes load in increasing significance
 * (little endian), which the users of the bit positions need. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define KB_SWAR 1
#else
#define KB_SWAR 0
#endif
#define KB_ONES8 UINT64_C(0x0101010101010101)
#define KB_HIGHS8 UINT64_C(0x8080808080808080)

static inline uint64_t kb_load8(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

static inline uint64_t kb_eq8(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (KB_ONES8 * c);
	return ~(((y & ~KB_HIGHS8) + ~KB_HIGHS8) | y | ~KB_HIGHS8);
}

#endif
