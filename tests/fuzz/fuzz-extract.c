/* fuzz-extract.c - the extractor over arbitrary UTF-8: the first line of
 * the input is the title, the rest the body (paragraphs between blank
 * lines, as the readers make them), through kb_extract with the model of
 * the source tree ($KABAR_MODEL_DIR, loaded once).  Inputs of odd length
 * are extracted with a publication date, the others without (which
 * makes kb_extract infer one).  Every mention must be a slice of its
 * text on character boundaries whose surface is that slice. */
#include "config.h"

#include "fuzz.h"

#include "kabar/extract.h"

static struct kb_extractor *ex;

static void free_extractor(void)
{
	kb_extractor_free(ex);
	ex = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char *err = NULL;
	ex = kb_extractor_open(&err);
	if (!ex) {
		fprintf(stderr, "fuzz-extract: %s (set KABAR_MODEL_DIR to assets/model)\n", err);
		free(err);
		exit(1);
	}
	atexit(free_extractor);
	return 0;
}

static const char *const types[] = { "person", "place", "org", "date" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	size_t len = 0;
	char *text = fuzz_utf8(data, n, &len);
	if (!text)
		return 0;
	const char *nl = memchr(text, '\n', len);
	size_t tl = nl ? (size_t)(nl - text) : len;
	char *title = kb_xstrndup(text, tl);
	char *body = kb_xstrndup(text + (nl ? tl + 1 : len), nl ? len - tl - 1 : 0);
	size_t tn = strlen(title), bn = strlen(body);
	free(text);

	struct kb_extraction x;
	kb_extract(ex, title, body, n % 2 ? "2024-11-29T10:00:00+07:00" : NULL, &x);
	for (size_t i = 0; i < x.n; i++) {
		const struct kb_mention_in *m = &x.m[i];
		bool known = false;
		for (size_t t = 0; t < KB_ARRAY_LEN(types); t++)
			known |= m->type && strcmp(m->type, types[t]) == 0;
		if (!known)
			fuzz_fail("mention %zu has the type %s", i, m->type ? m->type : "NULL");
		fuzz_assert(m->key && m->surface);
		const char *s = m->in_title ? title : body;
		size_t sn = m->in_title ? tn : bn;
		if (m->start >= m->end || m->end > sn)
			fuzz_fail("mention %zu is [%u, %u) of %zu bytes", i, m->start, m->end, sn);
		if (!fuzz_is_utf8(s + m->start, m->end - m->start))
			fuzz_fail("mention %zu [%u, %u) cuts a character", i, m->start, m->end);
		if (strlen(m->surface) != m->end - m->start ||
		    memcmp(m->surface, s + m->start, m->end - m->start) != 0)
			fuzz_fail("mention %zu: surface \"%s\" is not its text", i, m->surface);
		fuzz_check_utf8("key", m->key);
	}
	for (size_t i = 0; i < x.n_links; i++) {
		fuzz_assert(x.links[i].type && x.links[i].key_known && x.links[i].key_new);
		fuzz_check_utf8("linked key", x.links[i].key_known);
		fuzz_check_utf8("linked key", x.links[i].key_new);
	}
	if (!memchr(x.published, '\0', sizeof x.published))
		fuzz_fail("published is not a string");
	kb_extraction_free(&x);
	free(body);
	free(title);
	return 0;
}
