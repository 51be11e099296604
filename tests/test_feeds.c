/* test_feeds.c - subscriptions: newsboat's urls file, OPML both ways,
 * and the feed table of the cache. */
#include "testutil.h"

#include "kabar/store.h"
#include "kabar/subs.h"
#include "kabar/util.h"

struct got {
	char urls[16][128];
	char titles[16][64];
	char tags[16][128]; /* joined by '|' */
	unsigned lines[16];
	int full_text[16];
	long interval[16];
	int n;
	char skips[16][160];
	unsigned skip_lines[16];
	int n_skips;
};

static void take(const struct kb_sub *s, void *ctx)
{
	struct got *g = ctx;
	assert_true(g->n < 16);
	snprintf(g->urls[g->n], sizeof g->urls[0], "%s", s->url);
	snprintf(g->titles[g->n], sizeof g->titles[0], "%s", s->title ? s->title : "(none)");
	g->tags[g->n][0] = '\0';
	for (size_t i = 0; i < s->n_tags; i++) {
		size_t k = strlen(g->tags[g->n]);
		snprintf(g->tags[g->n] + k, sizeof g->tags[0] - k, "%s%s", i ? "|" : "", s->tags[i]);
	}
	g->lines[g->n] = s->line;
	g->full_text[g->n] = s->full_text;
	g->interval[g->n] = s->interval;
	g->n++;
}

static void skipped(unsigned line, const char *why, void *ctx)
{
	struct got *g = ctx;
	assert_true(g->n_skips < 16);
	snprintf(g->skips[g->n_skips], sizeof g->skips[0], "%s", why);
	g->skip_lines[g->n_skips++] = line;
}

static void urls_file(void **state)
{
	(void)state;
	static const char text[] =
		"# feeds of the coast\n"
		"\n"
		"https://kabar-teluk.example/rss.xml berita \"~Kabar Teluk Harian\" daerah\n"
		"  http://ledger.example/feed   \"two words\" # a comment\n"
		"exec:~/bin/scrape-lampost\n"
		"filter:~/bin/clean:https://x.example/feed\n"
		"\"query:Belum dibaca:unread = \\\"yes\\\"\" kumpulan\n"
		"file:///etc/passwd\n"
		"\"https://quoted.example/a b\" \"~Judul \\\"kutipan\\\"\"\n"
		"https://last.example/no-newline.xml";
	struct got g = { 0 };
	kb_subs_parse_urls(text, sizeof text - 1, take, skipped, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.urls[0], "https://kabar-teluk.example/rss.xml");
	assert_string_equal(g.titles[0], "Kabar Teluk Harian");
	assert_string_equal(g.tags[0], "berita|daerah");
	assert_int_equal(g.lines[0], 3);
	assert_string_equal(g.urls[1], "http://ledger.example/feed");
	assert_string_equal(g.titles[1], "(none)");
	assert_string_equal(g.tags[1], "two words");
	assert_string_equal(g.urls[2], "https://last.example/no-newline.xml");
	assert_int_equal(g.n_skips, 5);
	assert_contains(g.skips[0], "exec:");
	assert_int_equal(g.skip_lines[0], 5);
	assert_contains(g.skips[1], "filter:");
	assert_contains(g.skips[2], "query");
	assert_contains(g.skips[3], "file:///etc/passwd");
	assert_contains(g.skips[4], "https://quoted.example/a b"); /* a space in a URL */
}

static void url_check(void **state)
{
	(void)state;
	assert_true(kb_sub_url_ok("https://a.example/x"));
	assert_true(kb_sub_url_ok("HTTP://a.example"));
	assert_false(kb_sub_url_ok("https://"));
	assert_false(kb_sub_url_ok("https:///path"));
	assert_false(kb_sub_url_ok("ftp://a.example/"));
	assert_false(kb_sub_url_ok("/home/me/feed.xml"));
	assert_false(kb_sub_url_ok("http://a.example/x y"));
}

static void url_credentials(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		/* url, shown, matched by */
		{ "https://me:pw@Feeds.Example/rss?utm_source=x",
		  "https://***@Feeds.Example/rss?utm_source=x", "https://feeds.example/rss" },
		{ "http://a:b@c@h.example/x", "http://***@h.example/x", "http://h.example/x" },
		{ "http://h.example/p@th", "http://h.example/p@th", "http://h.example/p@th" },
		{ "https://h.example", "https://h.example", "https://h.example" },
		{ "no-scheme@h", "no-scheme@h", "no-scheme@h" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *shown = kb_url_redact(cases[i][0]);
		char *norm = kb_url_normalize(cases[i][0]);
		assert_string_equal(shown, cases[i][1]);
		assert_string_equal(norm, cases[i][2]);
		free(shown);
		free(norm);
	}
	assert_null(kb_url_redact(NULL));
}

static void opml_read(void **state)
{
	(void)state;
	static const char doc[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<opml version=\"1.0\"><head><title>x</title></head><body>\n"
		"<outline text=\"Berita\">\n"
		"  <outline text=\"Daerah\">\n"
		"    <outline type=\"rss\" text=\"Kabar Teluk\" xmlUrl=\"https://kt.example/rss\"/>\n"
		"  </outline>\n"
		"  <outline type=\"rss\" text=\"t\" title=\"Coastal &amp; Ledger\""
		" xmlurl=\"http://cl.example/feed\" category=\"/news/world, english\"/>\n"
		"</outline>\n"
		"<outline type=\"rss\" text=\"Lokal\" xmlUrl=\"file:///etc/passwd\"/>\n"
		"<outline type=\"rss\" text=\"Atas\" xmlUrl=\"https://top.example/atom\"/>\n"
		"</body></opml>\n";
	assert_true(kb_subs_is_opml(doc, sizeof doc - 1));
	assert_false(kb_subs_is_opml("https://a.example/rss\n", 22));
	struct got g = { 0 };
	char why[128];
	assert_int_equal(kb_subs_parse_opml(doc, sizeof doc - 1, take, skipped, &g, why, sizeof why),
			 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.urls[0], "https://kt.example/rss");
	assert_string_equal(g.titles[0], "Kabar Teluk");
	assert_string_equal(g.tags[0], "Berita|Daerah");
	assert_string_equal(g.titles[1], "Coastal & Ledger");
	assert_string_equal(g.tags[1], "Berita|news/world|english");
	assert_string_equal(g.urls[2], "https://top.example/atom");
	assert_string_equal(g.tags[2], "");
	assert_int_equal(g.full_text[2], -1); /* nothing said: keep */
	assert_int_equal(g.interval[2], 0);
	assert_int_equal(g.n_skips, 1);
	assert_int_equal(kb_subs_parse_opml("<rss/>", 6, take, skipped, &g, why, sizeof why), -1);
	assert_string_equal(why, "not an OPML document");
}

static void opml_round_trip(void **state)
{
	(void)state;
	char *dir = test_dir("feeds-opml");
	char path[256];
	snprintf(path, sizeof path, "%s/out.opml", dir);
	FILE *f = fopen(path, "w+");
	assert_non_null(f);
	struct kb_opml *o = kb_opml_begin("kabar subscriptions");
	kb_opml_add(o, "https://kt.example/rss?a=1&b=2", "Kabar \"Teluk\" <Harian>", "berita,daerah",
		    true, 7200);
	kb_opml_add(o, "http://cl.example/feed", NULL, NULL, false, 0);
	assert_int_equal(kb_opml_end(o, f), 0);
	long n = ftell(f);
	rewind(f);
	char *buf = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_contains(buf, "<opml version=\"2.0\" xmlns:kabar=\"urn:x-kabar:opml\">");
	assert_contains(buf, "&amp;b=2");
	struct got g = { 0 };
	char why[128];
	assert_int_equal(kb_subs_parse_opml(buf, (size_t)n, take, skipped, &g, why, sizeof why), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.urls[0], "https://kt.example/rss?a=1&b=2");
	assert_string_equal(g.titles[0], "Kabar \"Teluk\" <Harian>");
	assert_string_equal(g.tags[0], "berita|daerah");
	assert_string_equal(g.urls[1], "http://cl.example/feed");
	assert_string_equal(g.titles[1], "http://cl.example/feed"); /* text is the URL */
	/* kabar's own attributes come back */
	assert_int_equal(g.full_text[0], 1);
	assert_int_equal(g.interval[0], 7200);
	assert_int_equal(g.full_text[1], 0);
	assert_int_equal(g.interval[1], 0);
	free(buf);
	test_rmdir(dir);

}

struct rows {
	int n;
	char json[8][512];
	char tag_list[8][64];
	int64_t ids[8];
};

static int take_feed(const struct kb_feed *f, void *ctx)
{
	struct rows *r = ctx;
	snprintf(r->json[r->n], sizeof r->json[0], "%s", f->json);
	snprintf(r->tag_list[r->n], sizeof r->tag_list[0], "%s", f->tag_list ? f->tag_list : "");
	r->ids[r->n++] = f->id;
	return 0;
}

static void store_feeds(void **state)
{
	(void)state;
	char *dir = test_dir("feeds-store");
	char path[256];
	snprintf(path, sizeof path, "%s/kabar.db", dir);
	char *err = NULL;
	struct kb_store *st = kb_store_open(path, &err);
	assert_non_null(st);
	const char *t1[] = { "berita", "daerah" }, *t2[] = { "daerah", "pesisir" };
	int64_t a, b, again;
	struct kb_feed_spec kt = { .url = "https://kt.example/rss", .tags = t1, .n_tags = 2,
				   .full_text = -1 };
	struct kb_feed_spec cl = { .url = "http://cl.example/feed", .title = "Coastal Ledger",
				   .full_text = 1, .interval = 7200 };
	struct kb_feed_spec kt2 = { .url = "https://kt.example/rss", .title = "Kabar Teluk",
				    .tags = t2, .n_tags = 2, .full_text = -1 };
	assert_int_equal(kb_store_feed_add(st, &kt, &a), 1);
	assert_int_equal(kb_store_feed_add(st, &cl, &b), 1);
	assert_int_equal(kb_store_feed_add(st, &kt2, &again), 0);
	assert_int_equal(again, a);
	struct rows r = { 0 };
	assert_int_equal(kb_store_feeds(st, false, 0, take_feed, &r), 0);
	assert_int_equal(r.n, 2);
	assert_contains(r.json[0], "\"tags\":[\"berita\",\"daerah\",\"pesisir\"]");
	assert_contains(r.json[0], "\"title\":\"Kabar Teluk\"");
	assert_contains(r.json[0], "\"full_text\":false");
	assert_contains(r.json[0], "\"interval\":1800");
	assert_string_equal(r.tag_list[0], "berita,daerah,pesisir");
	assert_contains(r.json[1], "\"full_text\":true");
	assert_contains(r.json[1], "\"interval\":7200");
	assert_int_equal(kb_store_feed_find(st, "http://cl.example/feed"), b);
	char num[32];
	snprintf(num, sizeof num, "%lld", (long long)b);
	assert_int_equal(kb_store_feed_find(st, num), b);
	assert_int_equal(kb_store_feed_find(st, "https://none.example/"), 0);

	/* fetched: not due any more, validators kept */
	struct kb_feed_fetch ok = { .status = "ok", .fetched = true, .etag = "\"abc\"",
				    .last_modified = "Sat, 12 Apr 2025 01:00:00 GMT",
				    .key_prefix = "url:https://kt.example/rss|" };
	assert_int_equal(kb_store_feed_fetched(st, a, &ok), 0);
	struct kb_feed_fetch nm = { .status = "not modified" };
	assert_int_equal(kb_store_feed_fetched(st, a, &nm), 0);
	memset(&r, 0, sizeof r);
	assert_int_equal(kb_store_feeds(st, true, 0, take_feed, &r), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ids[0], b);
	memset(&r, 0, sizeof r);
	assert_int_equal(kb_store_feeds(st, false, a, take_feed, &r), 0);
	assert_contains(r.json[0], "\"status\":\"not modified\"");
	assert_contains(r.json[0], "\"items\":0");

	struct kb_update_row rows[] = {
		{ .url = "https://kt.example/rss", .status = "ok", .new_items = 3, .pages = 1 },
		{ .url = "http://cl.example/feed", .status = "failed", .error = "HTTP 404 Not Found" },
	};
	char *json = kb_store_update_json(st, rows, 2, 1234, 1);
	assert_non_null(json);
	assert_contains(json, "\"error\":\"HTTP 404 Not Found\"");
	assert_contains(json, "\"new\":3,\"updated\":0,\"pages\":1,\"bytes\":1234,\"errors\":1");
	free(json);

	assert_int_equal(kb_store_feed_remove(st, a), 1);
	assert_int_equal(kb_store_feed_remove(st, a), 0);
	kb_store_close(st);
	test_rmdir(dir);

}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urls_file),       cmocka_unit_test(url_check),
		cmocka_unit_test(url_credentials),
		cmocka_unit_test(opml_read),       cmocka_unit_test(opml_round_trip),
		cmocka_unit_test(store_feeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
