/* feed.c - RSS 0.9x/1.0/2.0 and Atom 1.0, streamed. */
#include "config.h"

#include "internal.h"

#include <stdio.h>

int kb_parse_feed(const char *head, size_t head_n, kb_read_fn rd, void *io, kb_item_fn fn,
		  void *ctx, char *why, size_t whysz)
{
	(void)head;
	(void)head_n;
	(void)rd;
	(void)io;
	(void)fn;
	(void)ctx;
	snprintf(why, whysz, "rss import is not supported in this version");
	return 1;
}
