/* fuzz-urls.c - newsboat's urls file (`kabar feed import FILE`):
 * kb_subs_parse_urls on the bytes, as cmd_feed.c reads them when they
 * are not OPML.  Every subscription handed over has a URL kabar fetches
 * (kb_sub_url_ok), a title that is NULL or not empty, non-empty tags and
 * a line number inside the file; every skip has a one-line reason and a
 * line number inside the file. */
#include "config.h"

#include "fuzz.h"

#include "kabar/subs.h"

struct seen {
	unsigned lines; /* how many lines the input has */
	unsigned last;  /* the last line a call named */
};

static void check_line(struct seen *s, unsigned line)
{
	fuzz_assert(line >= 1 && line <= s->lines);
	/* one pass, top to bottom */
	fuzz_assert(line >= s->last);
	s->last = line;
}

static void on_sub(const struct kb_sub *s, void *ctx)
{
	check_line(ctx, s->line);
	fuzz_assert(s->url && kb_sub_url_ok(s->url));
	fuzz_assert(!s->title || s->title[0]);
	for (size_t i = 0; i < s->n_tags; i++)
		fuzz_assert(s->tags[i] && s->tags[i][0]);
}

static void on_skip(unsigned line, const char *why, void *ctx)
{
	check_line(ctx, line);
	fuzz_assert(why && *why);
	fuzz_assert(strchr(why, '\n') == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	/* exactly n bytes, so that a read past the end is caught */
	char *copy = kb_xmalloc(n ? n : 1);
	memcpy(copy, data, n);
	struct seen s = { .lines = 1 };
	for (size_t i = 0; i + 1 < n; i++)
		if (copy[i] == '\n')
			s.lines++;
	kb_subs_parse_urls(copy, n, on_sub, on_skip, &s);
	free(copy);
	return 0;
}
