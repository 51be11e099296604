/* test_import.c - the import driver: walking, dedup, updates, bad input. */
#include "testutil.h"

#include <fcntl.h>

#include "kabar/ingest.h"
#include "kabar/store.h"

struct fixture {
	char *dir;
	struct kb_store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = test_dir("import");
	char path[512], *err = NULL;
	snprintf(path, sizeof path, "%s/kabar.db", f->dir);
	f->st = kb_store_open(path, &err);
	if (!f->st)
		fail_msg("open: %s", err);
	char in[512];
	snprintf(in, sizeof in, "%s/in", f->dir);
	mkdir(in, 0755);
	snprintf(in, sizeof in, "%s/in/nested", f->dir);
	mkdir(in, 0755);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	kb_store_close(f->st);
	test_rmdir(f->dir);
	free(f);
	return 0;
}

static void put_file(struct fixture *f, const char *name, const char *text)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/in", f->dir);
	test_write(dir, name, text, strlen(text));
}

static int run(struct fixture *f, const char *const *names, size_t n,
	       const struct kb_import_opts *opts, struct kb_import_stats *stats)
{
	char *paths[16];
	for (size_t i = 0; i < n; i++) {
		paths[i] = malloc(strlen(f->dir) + strlen(names[i]) + 8);
		sprintf(paths[i], "%s/%s", f->dir, names[i]);
	}
	struct kb_import_opts def = { .format = KB_FORMAT_AUTO };
	int rc = kb_import_paths(f->st, paths, n, opts ? opts : &def, stats);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	return rc;
}

static const char story_a[] = "Kapal Feri Baru Tiba di Makassar\nKapal itu tiba pagi ini.\n";
static const char story_b[] = "Title: Forum Pelabuhan di Belitung\nDate: 2023-05-09\n\n"
			      "Forum dibuka oleh menteri.\n";
static const char story_c[] = "Ferry code agreed in Tokyo\nEngineers agreed on a code.\n";

static int count_rows(const struct kb_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static void walks_directories_once(void **state)
{
	struct fixture *f = *state;
	put_file(f, "a.txt", story_a);
	put_file(f, "b.txt", story_b);
	put_file(f, "nested/c.txt", story_c);
	put_file(f, ".hidden.txt", "Hidden Article Title Here\nBody.\n");
	const char *names[] = { "in" };
	struct kb_import_stats s;
	assert_int_equal(run(f, names, 1, NULL, &s), 0);
	assert_int_equal(s.imported, 3);
	assert_int_equal(s.failed, 0);
	assert_int_equal(kb_store_count(f->st), 3);
	/* again: nothing changes */
	assert_int_equal(run(f, names, 1, NULL, &s), 0);
	assert_int_equal(s.imported, 0);
	assert_int_equal(s.unchanged, 3);
	assert_int_equal(kb_store_count(f->st), 3);
	/* the same file named another way is the same article */
	const char *again[] = { "in/nested/../a.txt" };
	assert_int_equal(run(f, again, 1, NULL, &s), 0);
	assert_int_equal(s.unchanged, 1);
}

struct seen_items {
	int n, new_teasers;
	int64_t ids[8];
	char urls[8][128];
};

static void on_item(void *ctx, const struct kb_doc *doc, enum kb_put res, int64_t id)
{
	struct seen_items *s = ctx;
	if (s->n < 8) {
		s->ids[s->n] = id;
		snprintf(s->urls[s->n], sizeof s->urls[0], "%s", doc->url ? doc->url : "");
	}
	s->n++;
	s->new_teasers += res == KB_PUT_NEW && doc->body && strlen(doc->body) < 200;
}

/* Documents fetched over HTTP come in from memory, keyed by their URL;
 * every stored document is told to on_item (what kabar update uses to
 * fetch the pages of new teasers). */
static void fetched_documents_from_memory(void **state)
{
	struct fixture *f = *state;
	static const char feed[] =
		"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Kabar Pesisir</title>"
		"<item><title>Nelayan Pangkep melaut lagi</title>"
		"<link>https://pesisir.example/nelayan?utm_source=rss</link><guid>101</guid>"
		"<description>Nelayan di Pangkep kembali melaut.</description></item>"
		"</channel></rss>";
	char page[4096];
	int k = snprintf(page, sizeof page,
		"<html><head><title>Nelayan Pangkep melaut lagi</title>"
		"<link rel=\"canonical\" href=\"https://pesisir.example/nelayan\"></head><body>"
		"<article><h1>Nelayan Pangkep melaut lagi</h1>");
	for (int i = 0; i < 8; i++)
		k += snprintf(page + k, sizeof page - (size_t)k,
			      "<p>Nelayan di Pangkep kembali melaut setelah cuaca membaik, paragraf %d"
			      " dari laporan panjang tentang kehidupan di pesisir.</p>", i);
	snprintf(page + k, sizeof page - (size_t)k, "</article></body></html>");
	struct seen_items seen = { 0 };
	struct kb_import_opts opts = { .format = KB_FORMAT_AUTO, .on_item = on_item,
				       .on_item_ctx = &seen };
	struct kb_import_stats s;
	struct kb_import *im = kb_import_begin(f->st, &opts, &s);
	kb_import_memory(im, "https://pesisir.example/feed.xml", feed, sizeof feed - 1);
	assert_int_equal(kb_import_end(im), 0);
	assert_int_equal(s.imported, 1);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.new_teasers, 1);
	assert_string_equal(seen.urls[0], "https://pesisir.example/nelayan");
	/* the item's page, fetched by its link: the same article, now whole */
	im = kb_import_begin(f->st, &opts, &s);
	kb_import_memory(im, seen.urls[0], page, strlen(page));
	kb_import_memory(im, "https://pesisir.example/feed.xml", feed, sizeof feed - 1);
	assert_int_equal(kb_import_end(im), 0);
	assert_int_equal(s.updated, 1);
	assert_int_equal(s.unchanged, 1);
	assert_int_equal(seen.ids[1], seen.ids[0]);
	assert_int_equal(kb_store_count(f->st), 1);
	struct kb_article_view v;
	assert_int_equal(kb_store_get(f->st, seen.ids[0], &v), 1);
	assert_contains(v.body, "paragraf 7");
	assert_string_equal(v.origin, "https://pesisir.example/feed.xml");
	kb_article_view_free(&v);
}

static void a_changed_file_updates_its_article(void **state)
{
	struct fixture *f = *state;
	put_file(f, "a.txt", story_a);
	const char *names[] = { "in/a.txt" };
	struct kb_import_stats s;
	assert_int_equal(run(f, names, 1, NULL, &s), 0);
	put_file(f, "a.txt", "Kapal Feri Baru Tiba di Makassar Kemarin\nKapal itu tiba kemarin.\n");
	assert_int_equal(run(f, names, 1, NULL, &s), 0);
	assert_int_equal(s.updated, 1);
	assert_int_equal(kb_store_count(f->st), 1);
	struct kb_article_view v;
	assert_int_equal(kb_store_get(f->st, 1, &v), 1);
	assert_string_equal(v.title, "Kapal Feri Baru Tiba di Makassar Kemarin");
	assert_string_equal(v.body, "Kapal itu tiba kemarin.");
	kb_article_view_free(&v);
	int hits = 0;
	assert_int_equal(kb_store_search(f->st, "kemarin", 0, count_rows, &hits), 0);
	assert_int_equal(hits, 1);
	hits = 0;
	assert_int_equal(kb_store_search(f->st, "pagi", 0, count_rows, &hits), 0);
	assert_int_equal(hits, 0); /* the old text left the index */
}

static void options_override_the_file(void **state)
{
	struct fixture *f = *state;
	put_file(f, "b.txt", story_b);
	const char *names[] = { "in/b.txt" };
	struct kb_import_opts o = { .format = KB_FORMAT_TEXT, .published = "2024-02-03",
				    .source = "Warta Timur" };
	struct kb_import_stats s;
	assert_int_equal(run(f, names, 1, &o, &s), 0);
	struct kb_article_view v;
	assert_int_equal(kb_store_get(f->st, 1, &v), 1);
	assert_string_equal(v.published, "2024-02-03");
	assert_string_equal(v.source, "Warta Timur");
	assert_string_equal(v.title, "Forum Pelabuhan di Belitung");
	kb_article_view_free(&v);
}

static void bad_input_is_skipped_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	put_file(f, "a.txt", story_a);
	const char *first[] = { "in/a.txt" };
	struct kb_import_stats s;
	assert_int_equal(run(f, first, 1, NULL, &s), 0);
	char *before = NULL;
	assert_int_equal(kb_store_get_json(f->st, 1, &before), 1);

	put_file(f, "c.txt", story_c);
	put_file(f, "empty.txt", "");
	put_file(f, "blank.txt", "\n\n   \n");
	char dir[512];
	snprintf(dir, sizeof dir, "%s/in", f->dir);
	test_write(dir, "bin.dat", "\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
	char garbage[600];
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)(i % 3 ? 0x80 + (i * 7) % 0x7f : 'a');
	test_write(dir, "latin.txt", garbage, sizeof garbage);
	put_file(f, "page.html", "<!DOCTYPE html><html><body><p>x</p></body></html>");
	char big[512];
	snprintf(big, sizeof big, "%s/in/big.txt", f->dir);
	int fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, KB_MAX_ARTICLE_BYTES + 1), 0);
	close(fd);

	const char *names[] = { "in/missing.txt", "in/empty.txt", "in/blank.txt",
				"in/bin.dat",     "in/latin.txt", "in/page.html",
				"in/big.txt",     "in/c.txt" };
	assert_int_equal(run(f, names, 8, NULL, &s), 1);
	assert_int_equal(s.failed, 7);
	assert_int_equal(s.imported, 1);
	assert_int_equal(kb_store_count(f->st), 2);
	char *after = NULL;
	assert_int_equal(kb_store_get_json(f->st, 1, &after), 1);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(walks_directories_once, setup, teardown),
		cmocka_unit_test_setup_teardown(fetched_documents_from_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(a_changed_file_updates_its_article, setup, teardown),
		cmocka_unit_test_setup_teardown(options_override_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_input_is_skipped_and_changes_nothing, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
