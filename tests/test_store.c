/* test_store.c - the cache: schema, dedup, ordering, paging, search. */
#include "testutil.h"

#include <sqlite3.h>

#include "kabar/store.h"

struct fixture {
	char *dir;
	char *path;
	struct kb_store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = test_dir("store");
	f->path = malloc(strlen(f->dir) + 32);
	sprintf(f->path, "%s/sub/dir/kabar.db", f->dir); /* parents are created */
	char *err = NULL;
	f->st = kb_store_open(f->path, &err);
	if (!f->st)
		fail_msg("open: %s", err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	kb_store_close(f->st);
	test_rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static enum kb_put put(struct kb_store *st, const char *key, const char *hash,
		       const char *title, const char *published, int64_t *id)
{
	struct kb_byline by[] = { { "author", "Rina Hapsari" }, { "photo", "Galih / POOL" } };
	struct kb_article a = {
		.origin = key, .origin_key = key, .hash = hash, .title = title,
		.body = "Kapal feri itu tiba di Makassar pada pagi hari.",
		.source = "Harian Selat", .published = published,
		.bylines = by, .n_bylines = 2,
	};
	int64_t dummy;
	assert_int_equal(kb_store_begin(st), 0);
	enum kb_put r = kb_store_put_article(st, &a, id ? id : &dummy);
	assert_int_equal(kb_store_commit(st), 0);
	return r;
}

struct collect {
	int64_t ids[64];
	int64_t ords[64];
	char snippets[64][256];
	int n;
};

static int collect(const struct kb_row *r, void *ctx)
{
	struct collect *c = ctx;
	c->ids[c->n] = r->id;
	c->ords[c->n] = r->ord;
	snprintf(c->snippets[c->n], sizeof c->snippets[0], "%s", r->snippet ? r->snippet : "");
	c->n++;
	return 0;
}

static void opens_and_migrates(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(kb_store_schema_version(f->st), KB_SCHEMA_VERSION);
	assert_int_equal(kb_store_count(f->st), 0);
	/* reopening an up-to-date cache changes nothing */
	kb_store_close(f->st);
	char *err = NULL;
	f->st = kb_store_open(f->path, &err);
	assert_non_null(f->st);
	assert_int_equal(kb_store_schema_version(f->st), KB_SCHEMA_VERSION);
}

/* One copy of an article through a door: a feed item (guid, teaser), the
 * same item in a cache, or the saved page of its link (full text). */
static enum kb_put put_copy(struct kb_store *st, const char *door, const char *hash,
			    const char *guid, const char *url, const char *body,
			    const char *published, int64_t *id)
{
	struct kb_article a = {
		.origin = door, .origin_key = door, .hash = hash, .title = "Feri tiba di Makassar",
		.body = body, .source = "Harian Selat", .url = url, .guid = guid,
		.published = published, .format = guid ? "rss" : "html", /* items have guids */
	};
	assert_int_equal(kb_store_begin(st), 0);
	enum kb_put r = kb_store_put_article(st, &a, id);
	assert_int_equal(kb_store_commit(st), 0);
	int64_t seen_id = 0;
	if (r != KB_PUT_ERROR) { /* seen agrees with what was just stored */
		assert_int_equal(kb_store_seen(st, &a, &seen_id), 1);
		assert_int_equal(seen_id, *id);
	}
	return r;
}

static char *body_of(struct kb_store *st, int64_t id)
{
	struct kb_article_view v;
	assert_int_equal(kb_store_get(st, id, &v), 1);
	char *b = strdup(v.body);
	kb_article_view_free(&v);
	return b;
}

static void one_article_through_every_door(void **state)
{
	struct fixture *f = *state;
	const char *teaser = "Kapal feri itu tiba di Makassar pada pagi hari.";
	char full[2048];
	snprintf(full, sizeof full, "%s", teaser);
	while (strlen(full) < 1500)
		strcat(full, " Penumpang turun dengan selamat dan petugas memeriksa kapal.");
	const char *url = "https://harian.example/feri";
	int64_t a = 0, b = 0, c = 0, d = 0;
	/* the feed's item */
	assert_int_equal(put_copy(f->st, "file:/feed.xml|guid:g1", "h1", "guid:g1", url, teaser,
				  "2024-11-29T08:00:00+08:00", &a), KB_PUT_NEW);
	/* the same item in a newsboat cache, its date written in UTC */
	assert_int_equal(put_copy(f->st, "file:/cache.db|guid:g1", "h2", "guid:g1", url, teaser,
				  "2024-11-29T00:00:00Z", &b), KB_PUT_UNCHANGED);
	assert_int_equal(b, a);
	/* the saved page of its link: the full text replaces the teaser */
	assert_int_equal(put_copy(f->st, "file:/page.html", "h3", NULL, url, full, NULL, &c),
			 KB_PUT_UPDATED);
	assert_int_equal(c, a);
	assert_int_equal(kb_store_count(f->st), 1);
	char *body = body_of(f->st, a);
	assert_string_equal(body, full);
	free(body);
	struct kb_article_view v;
	assert_int_equal(kb_store_get(f->st, a, &v), 1);
	assert_string_equal(v.published, "2024-11-29T08:00:00+08:00"); /* the page had none */
	assert_string_equal(v.origin, "file:/feed.xml|guid:g1");          /* the first door */
	kb_article_view_free(&v);
	/* each door again: nothing changes, the teaser never comes back */
	assert_int_equal(put_copy(f->st, "file:/feed.xml|guid:g1", "h1", "guid:g1", url, teaser,
				  "2024-11-29T08:00:00+08:00", &d), KB_PUT_UNCHANGED);
	assert_int_equal(put_copy(f->st, "file:/cache.db|guid:g1", "h2", "guid:g1", url, teaser,
				  "2024-11-29T00:00:00Z", &d), KB_PUT_UNCHANGED);
	assert_int_equal(put_copy(f->st, "file:/page.html", "h3", NULL, url, full, NULL, &d),
			 KB_PUT_UNCHANGED);
	/* the feed edits its teaser: still poorer than the page, kept out */
	assert_int_equal(put_copy(f->st, "file:/feed.xml|guid:g1", "h4", "guid:g1", url,
				  "Kapal feri tiba.", NULL, &d), KB_PUT_UNCHANGED);
	body = body_of(f->st, a);
	assert_string_equal(body, full);
	free(body);
	/* the page changes: its door holds what is stored, so it updates */
	assert_int_equal(put_copy(f->st, "file:/page.html", "h5", NULL, url, teaser, NULL, &d),
			 KB_PUT_UPDATED);
	assert_int_equal(d, a);
	assert_int_equal(kb_store_count(f->st), 1);
	/* the other way round: the page first, then the feed's full text
	 * (richer), then a cache's copy of that item: still one article */
	int64_t p = 0, q = 0, r = 0;
	char fuller[2100];
	snprintf(fuller, sizeof fuller, "%s Kapal ditarik ke dermaga.", full);
	while (strlen(fuller) < 2000)
		strcat(fuller, " Kapal ditarik ke dermaga.");
	assert_int_equal(put_copy(f->st, "file:/p2.html", "k1", NULL, "https://harian.example/b",
				  teaser, NULL, &p), KB_PUT_NEW);
	assert_int_equal(put_copy(f->st, "file:/feed.xml|guid:g2", "k2", "guid:g2",
				  "https://harian.example/b", fuller, NULL, &q), KB_PUT_UPDATED);
	assert_int_equal(put_copy(f->st, "file:/cache.db|guid:g2", "k3", "guid:g2",
				  "https://harian.example/b", fuller, "2024-11-29T00:00:00Z", &r),
			 KB_PUT_UNCHANGED);
	assert_int_equal(q, p);
	assert_int_equal(r, p);
	/* another item of another feed with the same guid text is another
	 * article only when its key says so (kb_item_key scopes guids by feed) */
	assert_int_equal(put_copy(f->st, "file:/other.xml|guid:Lain|g1", "h6", "guid:Lain|g1",
				  NULL, "Berita lain sama sekali.", NULL, &d), KB_PUT_NEW);
	assert_int_equal(kb_store_count(f->st), 3);
}

/* A feed that repeats an item with other text: the second copy updates
 * the first inside the same transaction, before the first was indexed. */
static void updates_what_this_transaction_stored(void **state)
{
	struct fixture *f = *state;
	struct kb_article a = { .origin = "f|g", .origin_key = "f|g", .hash = "h1",
				.title = "Feri tiba", .body = "Kapal feri tiba di Makassar." };
	struct kb_article b = a;
	b.hash = "h2";
	b.body = "Kapal feri berangkat dari Labuan Bajo.";
	int64_t id1 = 0, id2 = 0;
	assert_int_equal(kb_store_begin(f->st), 0);
	assert_int_equal(kb_store_put_article(f->st, &a, &id1), KB_PUT_NEW);
	assert_int_equal(kb_store_put_article(f->st, &b, &id2), KB_PUT_UPDATED);
	assert_int_equal(kb_store_commit(f->st), 0);
	assert_int_equal(id1, id2);
	struct collect c = { 0 };
	assert_int_equal(kb_store_search(f->st, "Labuan", 0, collect, &c), 0);
	assert_int_equal(c.n, 1);
	c.n = 0;
	assert_int_equal(kb_store_search(f->st, "tiba", 0, collect, &c), 0);
	assert_int_equal(c.n, 1); /* the title's word; the old body's is gone */
	c.n = 0;
	assert_int_equal(kb_store_search(f->st, "Makassar", 0, collect, &c), 0);
	assert_int_equal(c.n, 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO article_fts(article_fts, rank)"
					  " VALUES ('integrity-check', 1)", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
}

/* How many article_entity rows the cache at path holds for article id. */
static int links_of(const char *path, int64_t id)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM article_entity"
					       " WHERE article_id = ?1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void links_of_a_batch_survive_a_savepoint_rolled_back(void **state)
{
	struct fixture *f = *state;
	/* the links of a transaction are written at its commit; an article
	 * changed inside a savepoint has its links written then, and when
	 * the savepoint is rolled back they are still there at the commit */
	struct kb_article a = { .origin = "f|a", .origin_key = "f|a", .hash = "h1",
				.title = "Feri tiba", .body = "Kapal feri tiba di Makassar." };
	struct kb_article b = a;
	b.hash = "h2";
	b.body = "Kapal feri berangkat dari Labuan Bajo.";
	struct kb_article c = { .origin = "f|c", .origin_key = "f|c", .hash = "h3",
				.title = "Kapal", .body = "Kapal lain." };
	struct kb_mention_in m[] = { { "place", "makassar", "Makassar", false, 20, 28 },
				     { "person", "orangsatu", "Orang Satu", false, 0, 5 } };
	int64_t id = 0, id2 = 0, idc = 0;
	assert_int_equal(kb_store_begin(f->st), 0);
	assert_int_equal(kb_store_put_article(f->st, &a, &id), KB_PUT_NEW);
	assert_int_equal(kb_store_put_mentions(f->st, id, m, 2), 0);
	assert_int_equal(kb_store_savepoint(f->st), 0);
	assert_int_equal(kb_store_put_article(f->st, &b, &id2), KB_PUT_UPDATED);
	assert_int_equal(id2, id);
	assert_int_equal(kb_store_put_article(f->st, &c, &idc), KB_PUT_NEW);
	assert_int_equal(kb_store_put_mentions(f->st, idc, m, 1), 0);
	kb_store_rollback_to(f->st); /* b and c are gone, a is as it was */
	assert_int_equal(kb_store_commit(f->st), 0);
	assert_int_equal(links_of(f->path, id), 2);
	assert_int_equal(links_of(f->path, idc), 0);
	char *json = NULL;
	assert_int_equal(kb_store_get_json(f->st, id, &json), 1);
	assert_contains(json, "Makassar");
	assert_contains(json, "Orang Satu");
	free(json);
	/* and a later transaction adds to them as usual */
	assert_int_equal(kb_store_begin(f->st), 0);
	assert_int_equal(kb_store_put_article(f->st, &c, &idc), KB_PUT_NEW);
	assert_int_equal(kb_store_put_mentions(f->st, idc, m, 1), 0);
	assert_int_equal(kb_store_commit(f->st), 0);
	assert_int_equal(links_of(f->path, idc), 1);
	assert_int_equal(links_of(f->path, id), 2);
}

/* Caches written by earlier kabar builds (made by building the old code
 * and importing the first three sample articles: schema 1 before the
 * entities, schema 2 by kabar 0.1.0, schema 3 before subscriptions) open,
 * migrate in one transaction and keep everything they held. */
static void migrates_schema(struct fixture *f, int version)
{
	const char *src = getenv("KABAR_SRCDIR");
	char from[1024], to[1024], cmd[3200];
	snprintf(from, sizeof from, "%s/tests/data/cache-v%d.db", src ? src : ".", version);
	snprintf(to, sizeof to, "%s/v%d.db", f->dir, version);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s' && chmod u+w '%s'", from, to, to);
	assert_int_equal(system(cmd), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(to, &db), SQLITE_OK);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), version);
	sqlite3_finalize(s);
	sqlite3_close(db);

	char *err = NULL;
	struct kb_store *st = kb_store_open(to, &err);
	if (!st)
		fail_msg("open: %s", err);
	assert_int_equal(kb_store_schema_version(st), KB_SCHEMA_VERSION);
	assert_int_equal(kb_store_count(st), 3);
	struct kb_article_view v;
	assert_int_equal(kb_store_get(st, 2, &v), 1);
	assert_contains(v.title, "Belitung");
	kb_article_view_free(&v);
	struct collect c = { 0 };
	assert_int_equal(kb_store_search(st, "Belitung", 0, collect, &c), 0);
	assert_int_equal(c.n, 3);
	/* new articles go in beside the old ones */
	int64_t id = 0;
	assert_int_equal(put_copy(st, "file:/feed.xml|guid:g1", "h1", "guid:g1", NULL,
				  "Kapal feri itu tiba di Makassar.", NULL, &id), KB_PUT_NEW);
	assert_int_equal(id, 4);
	kb_store_close(st);
	/* the reader's filter indexes were made, and the planner takes them */
	assert_int_equal(sqlite3_open(to, &db), SQLITE_OK);
	static const char *const plans[][2] = {
		{ "SELECT id FROM article WHERE source IS 'x' ORDER BY ord, id LIMIT 5",
		  "article_by_source" },
		{ "SELECT id FROM article WHERE read_at IS NULL ORDER BY ord, id LIMIT 5",
		  "article_unread" },
	};
	for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
		char q[256];
		snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", plans[i][0]);
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_contains((const char *)sqlite3_column_text(s, 3), plans[i][1]);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

static void migrates_a_schema_1_cache(void **state)
{
	migrates_schema(*state, 1);
}

static void migrates_a_schema_2_cache(void **state)
{
	migrates_schema(*state, 2);
}

static void migrates_a_schema_3_cache(void **state)
{
	migrates_schema(*state, 3);
}

/* A mark-read that finds the cache locked by a writer (past the busy
 * timeout) is kept and written once the writer is done, never lost. */
static void keeps_a_mark_the_cache_was_busy_for(void **state)
{
	struct fixture *f = *state;
	int64_t a;
	assert_int_equal(put(f->st, "file:/a", "h1", "Satu", NULL, &a), KB_PUT_NEW);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE counter SET value = value",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kb_store_mark_read(f->st, a), 1); /* kept */
	size_t dropped = 9;
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kb_store_retry_marks(f->st, &dropped), 0);
	assert_int_equal(dropped, 0);
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT read_at IS NOT NULL FROM article WHERE id = ?1",
					    -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, a);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 1);
	sqlite3_reset(s);
	/* marked not read while locked: the kept mark is the last one made */
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE counter SET value = value",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kb_store_mark_unread(f->st, a), 1);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(kb_store_retry_marks(f->st, &dropped), 0);
	assert_int_equal(dropped, 0);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void refuses_newer_schema_and_non_databases(void **state)
{
	struct fixture *f = *state;
	kb_store_close(f->st);
	f->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char *err = NULL;
	assert_null(kb_store_open(f->path, &err));
	assert_contains(err, "newer");
	assert_contains(err, f->path);
	free(err);

	char junk[256];
	snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
	FILE *fp = fopen(junk, "w");
	fputs("this is not a database, just some text that is long enough to matter\n", fp);
	fclose(fp);
	err = NULL;
	assert_null(kb_store_open(junk, &err));
	assert_contains(err, junk);
	free(err);
	f->st = kb_store_open(f->path, &err) ; /* still refused; teardown copes */
	free(err);
}

static void stores_once_and_updates_by_origin(void **state)
{
	struct fixture *f = *state;
	int64_t a, b;
	assert_int_equal(put(f->st, "file:/a", "h1", "Satu", NULL, &a), KB_PUT_NEW);
	assert_int_equal(put(f->st, "file:/a", "h1", "Satu", NULL, &b), KB_PUT_UNCHANGED);
	assert_int_equal(a, b);
	/* the same content from elsewhere is stored once */
	assert_int_equal(put(f->st, "file:/copy", "h1", "Satu", NULL, &b), KB_PUT_UNCHANGED);
	assert_int_equal(a, b);
	assert_int_equal(kb_store_count(f->st), 1);
	/* a changed origin updates its article in place */
	assert_int_equal(put(f->st, "file:/a", "h2", "Satu (revisi)", "2024-01-02", &b),
			 KB_PUT_UPDATED);
	assert_int_equal(a, b);
	assert_int_equal(kb_store_count(f->st), 1);
	struct kb_article_view v;
	assert_int_equal(kb_store_get(f->st, a, &v), 1);
	assert_string_equal(v.title, "Satu (revisi)");
	assert_string_equal(v.published, "2024-01-02");
	assert_int_equal(v.n_bylines, 2);
	assert_string_equal(v.byline_role[0], "author");
	assert_string_equal(v.byline_name[1], "Galih / POOL");
	kb_article_view_free(&v);
	assert_int_equal(kb_store_get(f->st, 999, &v), 0);
}

static void rollback_leaves_nothing(void **state)
{
	struct fixture *f = *state;
	struct kb_article a = { .origin = "x", .origin_key = "file:/x", .hash = "hx",
				.title = "T", .body = "B" };
	int64_t id;
	assert_int_equal(kb_store_begin(f->st), 0);
	assert_int_equal(kb_store_put_article(f->st, &a, &id), KB_PUT_NEW);
	kb_store_rollback(f->st);
	assert_int_equal(kb_store_count(f->st), 0);
	struct collect c = { 0 };
	assert_int_equal(kb_store_search(f->st, "B", 0, collect, &c), 0);
	assert_int_equal(c.n, 0);
}

static void lists_newest_first_undated_last(void **state)
{
	struct fixture *f = *state;
	int64_t u1, d1, d2, u2, d3;
	put(f->st, "k:u1", "u1", "undated one", NULL, &u1);
	put(f->st, "k:d1", "d1", "older", "2023-05-09", &d1);
	put(f->st, "k:d2", "d2", "newest", "2024-11-29T10:00:00+07:00", &d2);
	put(f->st, "k:u2", "u2", "undated two", NULL, &u2);
	put(f->st, "k:d3", "d3", "month only", "2024-06", &d3);
	struct collect c = { 0 };
	struct kb_list_query q = { 0 };
	assert_int_equal(kb_store_list(f->st, &q, collect, &c), 0);
	assert_int_equal(c.n, 5);
	int64_t want[] = { d2, d3, d1, u1, u2 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(c.ids[i], want[i]);

	/* keyset paging: two at a time gives the same order */
	struct collect all = { 0 };
	struct kb_list_query page = { .limit = 2 };
	for (;;) {
		struct collect pc = { 0 };
		assert_int_equal(kb_store_list(f->st, &page, collect, &pc), 0);
		for (int i = 0; i < pc.n; i++)
			all.ids[all.n++] = pc.ids[i];
		if (pc.n < 2)
			break;
		page.after = true;
		page.after_ord = pc.ords[pc.n - 1];
		page.after_id = pc.ids[pc.n - 1];
	}
	assert_int_equal(all.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(all.ids[i], want[i]);

	/* date filters */
	struct collect dc = { 0 };
	struct kb_list_query dq = { .date = "2024" };
	assert_int_equal(kb_store_list(f->st, &dq, collect, &dc), 0);
	assert_int_equal(dc.n, 2);
	memset(&dc, 0, sizeof dc);
	dq.date = "2024-11-29";
	assert_int_equal(kb_store_list(f->st, &dq, collect, &dc), 0);
	assert_int_equal(dc.n, 1);
	assert_int_equal(dc.ids[0], d2);
	memset(&dc, 0, sizeof dc);
	dq.date = "2024-1";
	assert_int_equal(kb_store_list(f->st, &dq, collect, &dc), -1);
	assert_contains(kb_store_error(f->st), "not a date");
}

static void searches_words_phrases_prefixes(void **state)
{
	struct fixture *f = *state;
	struct kb_article base = { .body = "", .hash = "" };
	const char *titles[] = { "Kim Jong-un bertemu Menteri", "Pelabuhan Makassar dibuka",
				 "Nguyễn Văn Thành tiba di Tokyo" };
	const char *bodies[] = { "Pertemuan di Pyongyang membahas kerja sama.",
				 "Kapal feri dari Makassar berangkat pukul delapan.",
				 "Insinyur itu membahas kode keselamatan kapal feri." };
	for (int i = 0; i < 3; i++) {
		char key[16], hash[16];
		snprintf(key, sizeof key, "k:%d", i);
		snprintf(hash, sizeof hash, "h%d", i);
		struct kb_article a = base;
		a.origin = a.origin_key = key;
		a.hash = hash;
		a.title = titles[i];
		a.body = bodies[i];
		int64_t id;
		kb_store_begin(f->st);
		assert_int_equal(kb_store_put_article(f->st, &a, &id), KB_PUT_NEW);
		kb_store_commit(f->st);
	}
	struct collect c = { 0 };
	assert_int_equal(kb_store_search(f->st, "Jong-un", 0, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], 1);
	memset(&c, 0, sizeof c);
	assert_int_equal(kb_store_search(f->st, "nguyen thanh", 0, collect, &c), 0);
	assert_int_equal(c.n, 1); /* diacritics do not matter */
	memset(&c, 0, sizeof c);
	assert_int_equal(kb_store_search(f->st, "kapal feri", 0, collect, &c), 0);
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof c);
	assert_int_equal(kb_store_search(f->st, "\"feri dari\"", 0, collect, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ids[0], 2);
	assert_contains(c.snippets[0], "\x02" "feri dari" "\x03");
	memset(&c, 0, sizeof c);
	assert_int_equal(kb_store_search(f->st, "pelab*", 0, collect, &c), 0);
	assert_int_equal(c.n, 1);
	memset(&c, 0, sizeof c);
	/* a title hit ranks above a body hit */
	assert_int_equal(kb_store_search(f->st, "makassar", 0, collect, &c), 0);
	assert_int_equal(c.n, 1);
	memset(&c, 0, sizeof c);
	assert_int_equal(kb_store_search(f->st, "tokyo OR pyongyang", 0, collect, &c), 0);
	assert_int_equal(c.n, 2);
	memset(&c, 0, sizeof c);
	/* FTS syntax typed by a person is literal, never an error */
	assert_int_equal(kb_store_search(f->st, "NEAR( \" AND -x", 0, collect, &c), 0);
	assert_int_equal(kb_store_search(f->st, "  \"\" ", 0, collect, &c), 1);
}

struct first_hit {
	int64_t id;
	int n;
};

static int first_row(const struct kb_row *r, void *ctx)
{
	struct first_hit *f = ctx;
	if (f->n++ == 0)
		f->id = r->id;
	return 0;
}

static void search_with_a_limit_ranks_the_newest_matches(void **state)
{
	struct fixture *f = *state;
	/* the first article matches best ("lumba" three times in its title);
	 * 2,100 later ones match once */
	enum { N = 2101 };
	assert_int_equal(kb_store_begin(f->st), 0);
	for (int i = 0; i < N; i++) {
		char key[16], hash[16];
		snprintf(key, sizeof key, "k:%d", i);
		snprintf(hash, sizeof hash, "h%d", i);
		struct kb_article a = {
			.origin = key, .origin_key = key, .hash = hash,
			.title = i == 0 ? "Lumba lumba lumba terdampar" : "Berita pelabuhan",
			.body = "Seekor lumba terlihat di teluk.",
		};
		int64_t id;
		assert_int_equal(kb_store_put_article(f->st, &a, &id), KB_PUT_NEW);
	}
	assert_int_equal(kb_store_commit(f->st), 0);
	struct collect c = { 0 };
	/* without a limit every match is ranked: the first article first */
	struct first_hit all = { 0, 0 };
	assert_int_equal(kb_store_search(f->st, "lumba", 0, first_row, &all), 0);
	assert_int_equal(all.n, N);
	assert_int_equal(all.id, 1);
	/* with one, the newest 2,000 matches are ranked: a bounded cost */
	assert_int_equal(kb_store_search(f->st, "lumba", 5, collect, &c), 0);
	assert_int_equal(c.n, 5);
	for (int i = 0; i < c.n; i++)
		assert_true(c.ids[i] > N - 2000);
}

static void json_is_built_by_sqlite(void **state)
{
	struct fixture *f = *state;
	int64_t id;
	put(f->st, "k:j", "hj", "Kutip \"kata\" itu", "2024-06", &id);
	char *json = NULL;
	assert_int_equal(kb_store_get_json(f->st, id, &json), 1);
	assert_contains(json, "\"title\":\"Kutip \\\"kata\\\" itu\"");
	assert_contains(json, "\"published\":\"2024-06\"");
	assert_contains(json, "\"published_inferred\":false");
	assert_contains(json, "\"bylines\":[{\"role\":\"author\",\"name\":\"Rina Hapsari\"}");
	assert_contains(json, "\"mentions\":[]");
	free(json);
	assert_int_equal(kb_store_get_json(f->st, id + 100, &json), 0);
	assert_null(json);
}

static void canonical_names(void **state)
{
	struct fixture *f = *state;
	/* two spellings of a full name used once each; the surname alone is
	 * written like the second twice */
	const char *forms[2][2] = { { "Dmitri Kalinnin", "Kalinin" },
				    { "Dmitri Kalinin", "Kalinin" } };
	int64_t ids[2];
	for (int i = 0; i < 2; i++) {
		char key[8];
		snprintf(key, sizeof key, "k:%d", i);
		put(f->st, key, key, "Judul", NULL, &ids[i]);
		struct kb_mention_in m[2] = {
			{ "person", "dmitrikalinin", forms[i][0], false, 0, 5 },
			{ "person", "dmitrikalinin", forms[i][1], false, 10, 15 },
		};
		assert_int_equal(kb_store_begin(f->st), 0);
		assert_int_equal(kb_store_put_mentions(f->st, ids[i], m, 2), 0);
		assert_int_equal(kb_store_commit(f->st), 0);
	}
	int64_t e = kb_store_entity_find(f->st, "person", "dmitrikalinin", NULL);
	assert_true(e > 0);
	char *json = NULL;
	assert_int_equal(kb_store_get_json(f->st, ids[0], &json), 1);
	assert_contains(json, "\"name\":\"Dmitri Kalinin\"");
	assert_contains(json, "\"mentions\":2");
	free(json);
	/* a pinned name stays */
	assert_int_equal(kb_store_begin(f->st), 0);
	assert_int_equal(kb_store_entity_rename(f->st, e, "D. Kalinin"), 0);
	assert_int_equal(kb_store_commit(f->st), 0);
	assert_int_equal(kb_store_entity_find(f->st, NULL, NULL, "D. Kalinin"), e);
	assert_int_equal(kb_store_entity_find(f->st, NULL, NULL, "dmitri kalinnin"), e); /* by alias */
}

static int count_event(const struct kb_event_row *r, void *ctx)
{
	int64_t *max = ctx;
	if (r->articles > max[0])
		max[0] = r->articles;
	max[1]++;
	return 0;
}

static void events_do_not_chain(void **state)
{
	struct fixture *f = *state;
	/* article i, dated day i, names persons i and i+1: every neighbour
	 * shares a rare person, but the first and the last have nothing in
	 * common and are weeks apart */
	enum { N = 20 };
	int64_t ids[N];
	for (int i = 0; i < N; i++) {
		char key[16], date[16], k1[16], k2[16];
		snprintf(key, sizeof key, "k:%d", i);
		snprintf(date, sizeof date, "2024-03-%02d", i + 1);
		snprintf(k1, sizeof k1, "orang%c", 'a' + i);
		snprintf(k2, sizeof k2, "orang%c", 'a' + i + 1);
		put(f->st, key, key, "Judul", date, &ids[i]);
		struct kb_mention_in m[2] = {
			{ "person", k1, k1, false, 0, 5 },
			{ "person", k2, k2, false, 10, 15 },
		};
		assert_int_equal(kb_store_begin(f->st), 0);
		assert_int_equal(kb_store_put_mentions(f->st, ids[i], m, 2), 0);
		assert_int_equal(kb_store_commit(f->st), 0);
	}
	assert_int_equal(kb_store_begin(f->st), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(kb_store_event_link(f->st, ids[i]), 0);
	assert_int_equal(kb_store_commit(f->st), 0);
	int64_t max[2] = { 0, 0 };
	assert_int_equal(kb_store_events(f->st, count_event, max), 0);
	assert_true(max[1] >= N / 4); /* neighbours do group */
	assert_true(max[0] >= 2);
	assert_true(max[0] <= 4); /* but never into one chain */
	/* an event's articles are all within a week of its first */
	for (int i = 0; i < N; i++) {
		int64_t ev = kb_store_article_event(f->st, ids[i]);
		for (int j = 0; ev > 0 && j < N; j++)
			if (j != i && kb_store_article_event(f->st, ids[j]) == ev)
				assert_true(abs(i - j) <= 7);
	}
}

static int event_date(const struct kb_event_row *r, void *ctx)
{
	snprintf(ctx, 16, "%s", r->date ? r->date : "");
	return 1;
}

static void events_with_partial_dates(void **state)
{
	struct fixture *f = *state;
	/* a year alone says nothing about the day: such an article links
	 * like an undated one, and the event is dated by the full date */
	const char *dates[] = { "2024", "2024-06-01", "2023", "2022-01-01" };
	int64_t ids[4];
	for (int i = 0; i < 4; i++) {
		char key[16];
		snprintf(key, sizeof key, "k:%d", i);
		put(f->st, key, key, "Judul", dates[i], &ids[i]);
		struct kb_mention_in m[1] = { { "person", i < 2 ? "orangsama" : "oranglain",
						"Orang", false, 0, 5 } };
		assert_int_equal(kb_store_begin(f->st), 0);
		assert_int_equal(kb_store_put_mentions(f->st, ids[i], m, 1), 0);
		assert_int_equal(kb_store_commit(f->st), 0);
	}
	assert_int_equal(kb_store_begin(f->st), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(kb_store_event_link(f->st, ids[i]), 0);
	assert_int_equal(kb_store_commit(f->st), 0);
	int64_t ev = kb_store_article_event(f->st, ids[0]);
	assert_true(ev > 0);
	assert_int_equal(kb_store_article_event(f->st, ids[1]), ev);
	assert_int_equal(kb_store_article_event(f->st, ids[2]), 0);
	char date[16] = "";
	assert_int_equal(kb_store_events(f->st, event_date, date), 0);
	assert_string_equal(date, "2024-06-01");
}

/* An article with the given body, date and mentions, in a transaction. */
static int64_t put_with(struct kb_store *st, const char *key, const char *body, const char *date,
			const struct kb_mention_in *m, size_t n)
{
	struct kb_article a = { .origin = key, .origin_key = key, .hash = key, .title = "Judul",
				.body = body, .published = date };
	int64_t id;
	assert_int_equal(kb_store_begin(st), 0);
	assert_int_equal(kb_store_put_article(st, &a, &id), KB_PUT_NEW);
	assert_int_equal(kb_store_put_mentions(st, id, m, n), 0);
	assert_int_equal(kb_store_commit(st), 0);
	return id;
}

static void undated_articles_need_a_place_in_time(void **state)
{
	struct fixture *f = *state;
	/* each pair shares a rare person; the second of each is undated */
	struct kb_mention_in p1[] = { { "person", "orangsatu", "Orang Satu", false, 0, 5 } };
	struct kb_mention_in p2[] = { { "person", "orangdua", "Orang Dua", false, 0, 5 } };
	struct kb_mention_in p3[] = { { "person", "orangtiga", "Orang Tiga", false, 0, 5 },
				      { "date", "2024-03-05", "5 Maret 2024", false, 10, 20 } };
	struct kb_mention_in p3d[] = { { "person", "orangtiga", "Orang Tiga", false, 0, 5 } };
	struct kb_mention_in p4[] = { { "person", "orangempat", "Orang Empat", false, 0, 5 } };
	struct kb_mention_in p5[] = { { "person", "oranglima", "Orang Lima", false, 0, 5 },
				      { "place", "kotalima", "Kota Lima", false, 10, 15 } };
	/* 2024-11-29 was a Friday: an undated report of "hari Jumat" fits */
	int64_t a = put_with(f->st, "k:a", "Rapat digelar.", "2024-11-29", p1, 1);
	int64_t b = put_with(f->st, "k:b", "Mereka bertemu pada hari Jumat.", NULL, p1, 1);
	/* 2023-09-13 was a Wednesday: Thursday and Saturday do not */
	int64_t c = put_with(f->st, "k:c", "Rapat digelar.", "2023-09-13", p2, 1);
	int64_t d = put_with(f->st, "k:d", "Ia tiba pada Kamis dan pulang Sabtu.", NULL, p2, 1);
	/* a full date two days off places it too */
	int64_t e = put_with(f->st, "k:e", "Rapat digelar.", "2024-03-03", p3d, 1);
	int64_t g = put_with(f->st, "k:g", "Rapat digelar pada 5 Maret 2024.", NULL, p3, 2);
	/* two undated ones: one person is not enough, a person and a place are */
	int64_t h = put_with(f->st, "k:h", "Rapat.", NULL, p4, 1);
	int64_t i = put_with(f->st, "k:i", "Rapat.", NULL, p4, 1);
	int64_t j = put_with(f->st, "k:j", "Rapat.", NULL, p5, 2);
	int64_t k = put_with(f->st, "k:k", "Rapat.", NULL, p5, 2);
	int64_t all[] = { a, b, c, d, e, g, h, i, j, k };
	assert_int_equal(kb_store_begin(f->st), 0);
	for (size_t n = 0; n < sizeof all / sizeof all[0]; n++)
		assert_int_equal(kb_store_event_link(f->st, all[n]), 0);
	assert_int_equal(kb_store_commit(f->st), 0);
	int64_t ev = kb_store_article_event(f->st, a);
	assert_true(ev > 0);
	assert_int_equal(kb_store_article_event(f->st, b), ev);
	assert_int_equal(kb_store_article_event(f->st, c), 0);
	assert_int_equal(kb_store_article_event(f->st, d), 0);
	assert_true(kb_store_article_event(f->st, e) > 0);
	assert_int_equal(kb_store_article_event(f->st, g), kb_store_article_event(f->st, e));
	assert_int_equal(kb_store_article_event(f->st, h), 0);
	assert_int_equal(kb_store_article_event(f->st, i), 0);
	assert_true(kb_store_article_event(f->st, j) > 0);
	assert_int_equal(kb_store_article_event(f->st, k), kb_store_article_event(f->st, j));
}

static void date_keys_sort_newest_first(void **state)
{
	(void)state;
	assert_true(kb_store_date_ord("2024-11-29") < kb_store_date_ord("2024-11-28"));
	assert_true(kb_store_date_ord("2024-11-29T10:00:00") < kb_store_date_ord("2024-11-29"));
	assert_true(kb_store_date_ord("2024-06") < kb_store_date_ord("2023-12-31"));
	assert_true(kb_store_date_ord("1945") < 0);
	assert_int_equal(kb_store_date_ord(NULL), 0);
	assert_int_equal(kb_store_date_ord("soon"), 0);
	assert_int_equal(kb_store_date_ord("2024-11-29"), -20241129000000LL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(opens_and_migrates, setup, teardown),
		cmocka_unit_test_setup_teardown(one_article_through_every_door, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_a_schema_1_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_a_schema_2_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_a_schema_3_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(keeps_a_mark_the_cache_was_busy_for, setup, teardown),
		cmocka_unit_test_setup_teardown(updates_what_this_transaction_stored, setup, teardown),
		cmocka_unit_test_setup_teardown(links_of_a_batch_survive_a_savepoint_rolled_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(events_do_not_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(events_with_partial_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(undated_articles_need_a_place_in_time, setup, teardown),
		cmocka_unit_test_setup_teardown(search_with_a_limit_ranks_the_newest_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_newer_schema_and_non_databases, setup, teardown),
		cmocka_unit_test_setup_teardown(stores_once_and_updates_by_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(lists_newest_first_undated_last, setup, teardown),
		cmocka_unit_test_setup_teardown(searches_words_phrases_prefixes, setup, teardown),
		cmocka_unit_test_setup_teardown(json_is_built_by_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(canonical_names, setup, teardown),
		cmocka_unit_test(date_keys_sort_newest_first),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
