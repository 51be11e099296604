/* fuzz-opml.c - an OPML subscription list (`kabar feed import FILE`):
 * kb_subs_is_opml, then kb_subs_parse_opml on the bytes, as
 * cmd_feed.c reads them.  Whatever the file holds, a document that is
 * not OPML is refused with a reason, and every subscription handed over
 * has a URL kabar fetches (kb_sub_url_ok), UTF-8 strings, non-empty
 * tags without duplicates, and every skip a one-line reason. */
#include "config.h"

#include "fuzz.h"

#include "kabar/subs.h"

static void one_line(const char *why)
{
	fuzz_assert(why && *why);
	fuzz_assert(strchr(why, '\n') == NULL);
}

static void on_sub(const struct kb_sub *s, void *ctx)
{
	(void)ctx;
	fuzz_assert(s->url && kb_sub_url_ok(s->url));
	fuzz_check_utf8("url", s->url);
	fuzz_check_utf8("title", s->title);
	for (size_t i = 0; i < s->n_tags; i++) {
		fuzz_assert(s->tags[i] && s->tags[i][0]);
		fuzz_check_utf8("tag", s->tags[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->tags[i], s->tags[j]) == 0)
				fuzz_fail("tag \"%s\" twice", s->tags[i]);
	}
}

static void on_skip(unsigned line, const char *why, void *ctx)
{
	(void)line;
	(void)ctx;
	fuzz_assert(why && *why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	/* exactly n bytes, so that a read past the end is caught */
	char *copy = kb_xmalloc(n ? n : 1);
	memcpy(copy, data, n);
	(void)kb_subs_is_opml(copy, n);
	char why[128];
	why[0] = '\0';
	int rc = kb_subs_parse_opml(copy, n, on_sub, on_skip, NULL, why, sizeof why);
	fuzz_assert(rc == 0 || rc == -1);
	if (rc < 0)
		one_line(why);
	free(copy);
	return 0;
}
