/* fuzz-feed.c - RSS and Atom feeds, streamed: kb_parse_feed gets the
 * input as a head plus a reader that hands out the rest in small chunks,
 * the way `kabar import` feeds it a file.  Where the input is split, how
 * big the chunks are, whether the reader fails at the end and after how
 * many items the callback stops the parse all follow from a hash of the
 * input, so an input always replays the same way. */
#include "config.h"

#include "fuzz.h"

#include "kabar/ingest.h"

struct reader {
	const char *p;
	size_t n, off;
	size_t chunk; /* at most this many bytes per call */
	bool fail;    /* -1 instead of 0 at the end */
	bool ended;
};

static long mem_read(void *io, char *buf, size_t n)
{
	struct reader *r = io;
	if (r->off == r->n) {
		r->ended = true;
		return r->fail ? -1 : 0;
	}
	size_t k = r->n - r->off;
	if (k > r->chunk)
		k = r->chunk;
	if (k > n)
		k = n;
	memcpy(buf, r->p + r->off, k);
	r->off += k;
	return (long)k;
}

struct items {
	unsigned n, stop_after; /* 0: never stop */
};

static int on_item(struct kb_doc *doc, void *ctx)
{
	struct items *it = ctx;
	fuzz_check_doc(doc);
	it->n++;
	return it->stop_after && it->n >= it->stop_after;
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	uint32_t h = fnv1a(data, n);
	/* head: none, a few bytes, or up to 1 KB; chunks of 1 to 64 bytes */
	size_t head_n = (h & 3) == 0 ? 0 : (h >> 2) % 1025;
	if (head_n > n)
		head_n = n;
	struct reader r = {
		.p = (const char *)data + head_n,
		.n = n - head_n,
		.chunk = 1 + (h >> 12) % 64,
		.fail = ((h >> 18) & 7) == 0,
	};
	struct items it = { .stop_after = ((h >> 21) & 3) == 0 ? 1 + (h >> 23) % 4 : 0 };
	/* the head in a buffer of its own, so that reading past it shows */
	char *head = kb_xmalloc(head_n);
	memcpy(head, data, head_n);
	char why[160];
	memset(why, 'x', sizeof why);
	int rc = kb_parse_feed(head, head_n, mem_read, &r, on_item, &it, why, sizeof why);
	if (rc != 0 && rc != 1 && rc != -1)
		fuzz_fail("kb_parse_feed returned %d", rc);
	if (it.stop_after && it.n > it.stop_after)
		fuzz_fail("the parse went on after the callback stopped it");
	/* -1 says the callback stopped it (a failing read may say so too) */
	if (rc == -1 && !(it.stop_after && it.n == it.stop_after) && !(r.fail && r.ended))
		fuzz_fail("kb_parse_feed returned -1 but the callback did not stop it");
	if (rc == 1 && !memchr(why, '\0', sizeof why))
		fuzz_fail("why is not a string");
	if (rc == 1 && strchr(why, '\n'))
		fuzz_fail("why is more than one line: %s", why);
	free(head);
	return 0;
}
