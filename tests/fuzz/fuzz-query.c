/* fuzz-query.c - the search box: whatever a person types goes through
 * kb_store_search (which turns it into an FTS5 query) on a small cache
 * in memory.  The contract: words, "phrases", a trailing '*' and OR
 * mean what they say and every other character is literal, so no input
 * is ever an SQL or FTS5 syntax error: kb_store_search returns 0 or 1,
 * never -1. */
#include "config.h"

#include "fuzz.h"

#include "kabar/store.h"

static struct kb_store *st;

static void close_store(void)
{
	kb_store_close(st);
	st = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static const char *const titles[] = {
		"Kim Jong-un bertemu Menteri Luar Negeri",
		"Pelabuhan Makassar dibuka kembali",
		"Nguyễn Văn Thành tiba di Tokyo",
		"OR AND NOT NEAR: \"quoted\" words*",
	};
	static const char *const bodies[] = {
		"Pertemuan di Pyongyang membahas kerja sama.\n\nKim Jong-un hadir.",
		"Kapal feri dari Makassar berangkat pukul delapan. Feri itu baru.",
		"Insinyur itu membahas kode keselamatan kapal feri di Tokyo.",
		"Punctuation: (a) [b] {c} ^d $e -f +g :h 'i' \"j\" k* l-m n.o — 東京 ☃",
	};
	char *err = NULL;
	st = kb_store_open(":memory:", &err);
	if (!st) {
		fprintf(stderr, "fuzz-query: %s\n", err);
		exit(1);
	}
	if (kb_store_begin(st) < 0)
		fuzz_fail("begin: %s", kb_store_error(st));
	for (size_t i = 0; i < KB_ARRAY_LEN(titles); i++) {
		char key[16], hash[16];
		snprintf(key, sizeof key, "k:%zu", i);
		snprintf(hash, sizeof hash, "h%zu", i);
		struct kb_article a = {
			.origin = key, .origin_key = key, .hash = hash, .format = "text",
			.title = titles[i], .body = bodies[i],
			.published = i % 2 ? "2024-11-29" : NULL,
		};
		int64_t id;
		if (kb_store_put_article(st, &a, &id) == KB_PUT_ERROR)
			fuzz_fail("put: %s", kb_store_error(st));
	}
	if (kb_store_commit(st) < 0)
		fuzz_fail("commit: %s", kb_store_error(st));
	atexit(close_store);
	return 0;
}

static int on_row(const struct kb_row *r, void *ctx)
{
	int *rows = ctx;
	fuzz_assert(r->id > 0 && r->title && r->json && r->snippet);
	(*rows)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *q = kb_xstrndup((const char *)data, n); /* a NUL ends it early */
	for (int limit = 0; limit <= 20; limit += 20) { /* all hits, and a screenful */
		int rows = 0;
		int rc = kb_store_search(st, q, limit, on_row, &rows);
		if (rc < 0 || rc > 1)
			fuzz_fail("kb_store_search returned %d for the query [%s]: %s", rc, q,
				  kb_store_error(st));
		if (rc == 1 && rows)
			fuzz_fail("no searchable word, yet %d rows", rows);
		if (rows > 4 || (limit && rows > limit))
			fuzz_fail("%d rows", rows);
	}
	free(q);
	return 0;
}
