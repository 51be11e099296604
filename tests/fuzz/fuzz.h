/* fuzz.h - what kabar's libFuzzer harnesses share (tests/fuzz/fuzz-*.c).
 *
 * Each harness is one LLVMFuzzerTestOneInput over one reader of outside
 * input; tests/fuzz/build builds them, tests/fuzz/run runs one.  A
 * harness frees everything it is given (LeakSanitizer is on) and calls
 * fuzz_fail() when a documented contract is broken, so that libFuzzer
 * reports the input like a crash. */
#ifndef KABAR_FUZZ_H
#define KABAR_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "kabar/ingest.h"
#include "kabar/text.h"
#include "kabar/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

/* Reports a broken contract (with the bytes concerned) and aborts. */
#define fuzz_fail(...)                                                         \
	do {                                                                   \
		fprintf(stderr, "fuzz: %s:%d: ", __FILE__, __LINE__);          \
		fprintf(stderr, __VA_ARGS__);                                  \
		fputc('\n', stderr);                                           \
		abort();                                                       \
	} while (0)

#define fuzz_assert(cond)                                                      \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail("%s", #cond);                                \
	} while (0)

/* True when s[0..n) is valid UTF-8 without NUL bytes. */
static inline int fuzz_is_utf8(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && u8_check((const uint8_t *)s, n) == NULL;
}

/* Checks that a string a reader produced (NULL allowed) is UTF-8: the
 * store takes nothing else. */
static inline void fuzz_check_utf8(const char *what, const char *s)
{
	if (s && u8_check((const uint8_t *)s, strlen(s)) != NULL)
		fuzz_fail("%s is not UTF-8", what);
}

/* The input as UTF-8 text: the bytes themselves when they are UTF-8
 * already, else what kb_text_decode makes of them, copied either way
 * into a buffer of exactly *len bytes plus a NUL (so that a read past
 * the end is caught).  NULL when the bytes are binary or invalid; else
 * the caller frees it. */
static inline char *fuzz_utf8(const uint8_t *data, size_t n, size_t *len)
{
	const char *s = (const char *)data;
	if (fuzz_is_utf8(s, n)) {
		*len = n;
		return kb_xstrndup(s, n);
	}
	struct kb_buf b = { 0 };
	const char *why = NULL;
	enum kb_decode d = kb_text_decode(s, n, &b, &why);
	char *out = NULL;
	if (d != KB_DECODE_BINARY && d != KB_DECODE_INVALID) {
		*len = b.len;
		out = kb_xstrndup(b.p ? b.p : "", b.len);
	}
	kb_buf_free(&b);
	return out;
}

/* What every reader promises of a document: its fields UTF-8, every
 * byline with a role and a name. */
static inline void fuzz_check_doc(const struct kb_doc *doc)
{
	fuzz_check_utf8("title", doc->title);
	fuzz_check_utf8("body", doc->body);
	fuzz_check_utf8("source", doc->source);
	fuzz_check_utf8("url", doc->url);
	fuzz_check_utf8("published", doc->published);
	fuzz_check_utf8("guid", doc->guid);
	for (size_t i = 0; i < doc->n_bylines; i++) {
		fuzz_assert(doc->bylines[i].role && doc->bylines[i].name);
		fuzz_check_utf8("byline", doc->bylines[i].name);
	}
}

#endif
