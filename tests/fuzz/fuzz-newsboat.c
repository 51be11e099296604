/* fuzz-newsboat.c - a newsboat cache's rows: what another program wrote
 * into rss_item and rss_feed (title, author, URL, guid, HTML content,
 * feed title and URL, as bytes of any kind) through kb_newsboat_doc, as
 * `kabar import cache.db` reads each row.  SQLite itself is not fuzzed
 * here: the input is split at NUL bytes into the row's fields. */
#include "config.h"

#include "fuzz.h"

#include "kabar/ingest.h"
#include "kabar/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	/* title \0 author \0 url \0 guid \0 feed title \0 feed url \0 content */
	char *copy = malloc(n + 1);
	memcpy(copy, data, n);
	copy[n] = '\0';
	const char *field[7] = { "", "", "", "", "", "", "" };
	size_t k = 0;
	field[k++] = copy;
	for (size_t i = 0; i < n && k < 7; i++)
		if (copy[i] == '\0')
			field[k++] = copy + i + 1;
	uint64_t when = 0; /* any time, also before 1970 and far after */
	for (size_t i = 0; i < n && i < 5; i++)
		when = (when << 8) | data[i];
	struct kb_newsboat_item it = {
		.id = 1, .title = field[0], .author = field[1], .url = field[2],
		.guid = field[3], .feed_title = field[4], .feed_url = field[5],
		.content = field[6], .flags = "", .published = n % 3 ? (int64_t)when - (n % 2 ? 0 : INT64_C(1) << 39) : 0,
		.unread = n & 1,
	};
	struct kb_doc doc = { .format = "newsboat" };
	const char *why = NULL;
	if (kb_newsboat_doc(&it, &doc, &why) == 0) {
		fuzz_assert(doc.title && doc.body);
		fuzz_check_doc(&doc);
		char *key = kb_item_key(&doc);
		fuzz_check_utf8("item key", key);
		free(key);
	} else {
		fuzz_assert(why != NULL);
	}
	kb_doc_free(&doc);
	free(copy);
	return 0;
}
