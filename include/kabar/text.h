/* text.h - Unicode: decoding untrusted bytes, normalising lines, screen widths. */
#ifndef KABAR_TEXT_H
#define KABAR_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kabar/util.h"

enum kb_decode {
	KB_DECODE_OK,        /* valid UTF-8 */
	KB_DECODE_REPAIRED,  /* a few invalid sequences became U+FFFD */
	KB_DECODE_CONVERTED, /* legacy 8-bit text (Windows-1252) converted */
	KB_DECODE_BINARY,    /* NUL bytes or mostly control characters */
	KB_DECODE_INVALID,   /* not UTF-8 and cannot be repaired */
};

/* Turns untrusted bytes into NFC UTF-8 with '\n' line ends (a BOM, "\r\n"
 * and "\r" are normalised).  On failure returns KB_DECODE_BINARY or
 * KB_DECODE_INVALID and sets *reason to a short explanation. */
enum kb_decode kb_text_decode(const char *raw, size_t n, struct kb_buf *out,
			      const char **reason);

/* True when the UTF-8 text s[0..n) is certainly in NFC already, so that
 * normalising it could change nothing: every character is ASCII or in a
 * range of code points that have canonical combining class 0, are their
 * own NFC and are never the second half of a canonical composition (see
 * nfc_inert in text.c).  False means "maybe not": normalise to be sure
 * (decomposed text such as "e\u0301" always answers false). */
bool kb_text_nfc_quick(const char *s, size_t n);

/* Normalises one line in place: every Unicode space separator and tab
 * becomes ' ', invisible format characters (zero-width space, word joiner,
 * BOM, soft hyphen) and control characters go, runs of spaces collapse and
 * both ends are trimmed.  Returns the new length. */
size_t kb_text_clean_line(char *s, size_t n);

/* Screen cells taken by the UTF-8 text s[0..n). */
int kb_text_width(const char *s, size_t n);

/* Length in bytes of the longest prefix of s[0..n) made of whole grapheme
 * clusters that fits in max_cells cells; *cells receives its width. */
size_t kb_text_fit(const char *s, size_t n, int max_cells, int *cells);

/* Appends s to out truncated to at most cells cells (ending in "…" when
 * cut) and padded with spaces to exactly cells cells when pad is true. */
void kb_text_put_cells(struct kb_buf *out, const char *s, int cells, bool pad);

/* Appends s[0..n) to out with nothing in it that a terminal obeys: C0
 * controls and DEL (but a line break when lines is true; a tab becomes a
 * space), C1 controls, bidi embeddings, overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) and invalid UTF-8 each become U+FFFD,
 * a visible mark.  For whatever reaches a terminal from outside: titles,
 * bodies, names, file names, messages. */
void kb_text_safe(struct kb_buf *out, const char *s, size_t n, bool lines);
/* kb_text_safe of a NUL-terminated string (NULL: nothing) onto f. */
void kb_text_safe_puts(FILE *f, const char *s, bool lines);

/* True when s[0..n) has at least one letter and no lowercase letter. */
bool kb_text_is_upper(const char *s, size_t n);

#endif
