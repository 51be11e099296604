/* feed.c - subscriptions: the only SQL about feeds.
 *
 * Feeds are few and their statements run a few times per command, so
 * each is prepared when it runs and finalized after (nothing is kept in
 * struct kb_store). */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kabar/util.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static sqlite3_stmt *prep(struct kb_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		kb_store_fail(st, "prepare");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Steps s to its end; 0, or -1 with the error recorded.  Finalizes s. */
static int run_once(struct kb_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	int res = rc == SQLITE_DONE ? 0 : kb_store_fail(st, what);
	sqlite3_finalize(s);
	return res;
}

/* A JSON array of strings, built by SQLite (malloc'd), or NULL. */
static char *json_strings(struct kb_store *st, const char *const *v, size_t n)
{
	char *arr = kb_xstrdup("[]");
	sqlite3_stmt *s = prep(st, "SELECT json_insert(json(?1), '$[#]', ?2)");
	if (!s) {
		free(arr);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(s, 1, arr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, v[i], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_ROW) {
			kb_store_fail(st, "tags");
			free(arr);
			arr = NULL;
			break;
		}
		char *next = kb_xstrdup((const char *)sqlite3_column_text(s, 0));
		free(arr);
		arr = next;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return arr;
}

int64_t kb_store_feed_find(struct kb_store *st, const char *arg)
{
	sqlite3_stmt *s = prep(st, "SELECT id FROM feed WHERE url = ?1"
				   " OR (?1 NOT GLOB '*[^0-9]*' AND id = CAST(?1 AS INTEGER))"
				   " ORDER BY url = ?1 DESC LIMIT 1");
	if (!s)
		return -1;
	bind_text(s, 1, arg);
	int rc = sqlite3_step(s);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		id = kb_store_fail(st, "feed");
	sqlite3_finalize(s);
	return id;
}

int kb_store_feed_add(struct kb_store *st, const struct kb_feed_spec *f, int64_t *id)
{
	const char *url = f->url, *title = f->title;
	char *arr = json_strings(st, f->tags, f->n_tags);
	if (!arr)
		return -1;
	int64_t old = kb_store_feed_find(st, url);
	if (old < 0) {
		free(arr);
		return -1;
	}
	/* tags keep the order they were first given in, each once */
	sqlite3_stmt *s = prep(st,
		"INSERT INTO feed (url, title, tags, full_text, interval, added)"
		" VALUES (?1, ?2, ?3, coalesce(?4, 0), coalesce(?5, 1800), " NOW ")"
		" ON CONFLICT (url) DO UPDATE SET title = coalesce(?2, title),"
		"  full_text = coalesce(?4, full_text),"
		"  interval = coalesce(?5, interval),"
		/* a new interval counts from the last fetch */
		"  next_due = CASE WHEN ?5 IS NULL OR last_fetch IS NULL THEN next_due ELSE"
		"   strftime('%Y-%m-%dT%H:%M:%SZ', last_fetch, '+' || ?5 || ' seconds') END,"
		"  tags = (SELECT json_group_array(value) FROM"
		"   (SELECT value, min(o) AS o FROM"
		"    (SELECT value, key AS o FROM json_each(feed.tags)"
		"     UNION ALL SELECT value, 1000000 + key FROM json_each(?3))"
		"    GROUP BY value ORDER BY o))"
		" RETURNING id");
	if (!s) {
		free(arr);
		return -1;
	}
	bind_text(s, 1, url);
	bind_text(s, 2, title && *title ? title : NULL);
	bind_text(s, 3, arr);
	if (f->full_text >= 0)
		sqlite3_bind_int(s, 4, f->full_text ? 1 : 0);
	if (f->interval > 0)
		sqlite3_bind_int64(s, 5, f->interval);
	free(arr);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	int res = rc == SQLITE_DONE ? (old > 0 ? 0 : 1) : kb_store_fail(st, "feed add");
	sqlite3_finalize(s);
	return res;
}

int kb_store_feed_remove(struct kb_store *st, int64_t id)
{
	sqlite3_stmt *s = prep(st, "DELETE FROM feed WHERE id = ?1");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (run_once(st, s, "feed remove") < 0)
		return -1;
	return sqlite3_changes(st->db) > 0 ? 1 : 0;
}

/* url_redact(url): kb_url_redact in SQL, for the JSON of a feed. */
static void sql_url_redact(sqlite3_context *c, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *url = (const char *)sqlite3_value_text(argv[0]);
	if (!url) {
		sqlite3_result_null(c);
		return;
	}
	sqlite3_result_text(c, kb_url_redact(url), -1, free);
}

int kb_store_feeds(struct kb_store *st, bool due_only, int64_t id, kb_feed_fn fn, void *ctx)
{
	if (sqlite3_create_function(st->db, "url_redact", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				    sql_url_redact, NULL, NULL) != SQLITE_OK)
		return kb_store_fail(st, "feeds");
	sqlite3_stmt *s = prep(st,
		"SELECT id, url, title, tags, full_text, etag, last_modified, last_fetch,"
		" last_status, items, next_due, interval,"
		" (SELECT group_concat(value, ',') FROM json_each(feed.tags)),"
		" json_object('id', id, 'url', url_redact(url), 'title', title, 'tags', json(tags),"
		"  'full_text', json(CASE WHEN full_text THEN 'true' ELSE 'false' END),"
		"  'last_fetch', last_fetch, 'status', last_status, 'items', items,"
		"  'interval', interval, 'next_due', next_due)"
		" FROM feed WHERE (?1 = 0 OR next_due IS NULL OR next_due <= " NOW ")"
		" AND (?2 <= 0 OR id = ?2) ORDER BY id");
	if (!s)
		return -1;
	sqlite3_bind_int(s, 1, due_only ? 1 : 0);
	sqlite3_bind_int64(s, 2, id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_feed f = {
			.id = sqlite3_column_int64(s, 0),
			.url = (const char *)sqlite3_column_text(s, 1),
			.title = (const char *)sqlite3_column_text(s, 2),
			.tags = (const char *)sqlite3_column_text(s, 3),
			.full_text = sqlite3_column_int(s, 4) != 0,
			.etag = (const char *)sqlite3_column_text(s, 5),
			.last_modified = (const char *)sqlite3_column_text(s, 6),
			.last_fetch = (const char *)sqlite3_column_text(s, 7),
			.last_status = (const char *)sqlite3_column_text(s, 8),
			.items = sqlite3_column_int64(s, 9),
			.next_due = (const char *)sqlite3_column_text(s, 10),
			.interval = sqlite3_column_int64(s, 11),
			.tag_list = (const char *)sqlite3_column_text(s, 12),
			.json = (const char *)sqlite3_column_text(s, 13),
		};
		if (fn(&f, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	int res = rc == SQLITE_DONE ? 0 : kb_store_fail(st, "feeds");
	sqlite3_finalize(s);
	return res;
}

/* Every key that starts with prefix sorts before this (malloc'd). */
static char *prefix_upper(const char *prefix)
{
	char *upper = kb_xstrdup(prefix);
	upper[strlen(upper) - 1]++;
	return upper;
}

int kb_store_feed_range(struct kb_store *st, int64_t id, char **lo, char **hi)
{
	*lo = *hi = NULL;
	sqlite3_stmt *s = prep(st, "SELECT url FROM feed WHERE id = ?1");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*lo = kb_url_items_prefix((const char *)sqlite3_column_text(s, 0));
		*hi = prefix_upper(*lo);
	} else if (rc == SQLITE_DONE) {
		snprintf(st->err, sizeof st->err, "feed %lld: no such feed", (long long)id);
	} else {
		kb_store_fail(st, "feed");
	}
	sqlite3_finalize(s);
	return *lo ? 0 : -1;
}

int kb_store_feed_outlets(struct kb_store *st, int limit, kb_outlet_fn fn, void *ctx)
{
	sqlite3_stmt *s = prep(st, "SELECT id, url, coalesce(title, url) FROM feed ORDER BY id LIMIT ?1");
	sqlite3_stmt *c = prep(st,
		"SELECT count(*), coalesce(sum(a.read_at IS NULL), 0), coalesce(min(a.ord), 0) FROM "
		KB_FEED_ARTICLES("?1", "?2") " f CROSS JOIN article a ON a.id = f.fid");
	int rc = SQLITE_ERROR;
	if (!s || !c)
		goto out;
	sqlite3_bind_int64(s, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char *lo = kb_url_items_prefix((const char *)sqlite3_column_text(s, 1));
		char *hi = prefix_upper(lo);
		sqlite3_bind_text(c, 1, lo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(c, 2, hi, -1, SQLITE_TRANSIENT);
		free(lo);
		free(hi);
		if (sqlite3_step(c) != SQLITE_ROW) {
			rc = SQLITE_ERROR;
			break;
		}
		struct kb_outlet_row r = {
			.source = (const char *)sqlite3_column_text(s, 2),
			.articles = sqlite3_column_int64(c, 0),
			.unread = sqlite3_column_int64(c, 1),
			.newest_ord = sqlite3_column_int64(c, 2),
			.feed = sqlite3_column_int64(s, 0),
		};
		int stop = fn(&r, ctx);
		sqlite3_reset(c);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
out:
	sqlite3_finalize(s);
	sqlite3_finalize(c);
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, "feeds");
}

int kb_store_feed_fetched(struct kb_store *st, int64_t id, const struct kb_feed_fetch *r)
{
	sqlite3_stmt *s = prep(st,
		"UPDATE feed SET last_fetch = " NOW ", last_status = ?2,"
		" etag = CASE WHEN ?3 THEN ?4 ELSE etag END,"
		" last_modified = CASE WHEN ?3 THEN ?5 ELSE last_modified END,"
		" title = coalesce(title, ?6),"
		" next_due = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
		"  '+' || max(interval, ?9) || ' seconds'),"
		" items = CASE WHEN ?7 IS NULL THEN items ELSE"
		"  (SELECT count(*) FROM " KB_FEED_ARTICLES("?7", "?8") ") END"
		" WHERE id = ?1");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, r->status);
	sqlite3_bind_int(s, 3, r->fetched ? 1 : 0);
	bind_text(s, 4, r->etag);
	bind_text(s, 5, r->last_modified);
	bind_text(s, 6, r->title && *r->title ? r->title : NULL);
	char *upper = r->key_prefix && *r->key_prefix ? prefix_upper(r->key_prefix) : NULL;
	bind_text(s, 7, upper ? r->key_prefix : NULL);
	bind_text(s, 8, upper);
	sqlite3_bind_int64(s, 9, r->wait > 0 ? r->wait : 0);
	free(upper);
	return run_once(st, s, "feed");
}

char *kb_store_update_json(struct kb_store *st, const struct kb_update_row *rows, size_t n,
			   uint64_t bytes, uint64_t errors)
{
	sqlite3_stmt *add = prep(st,
		"SELECT json_insert(json(?1), '$[#]', json_object('url', ?2, 'status', ?3,"
		" 'new', ?4, 'updated', ?5, 'pages', ?6, 'error', ?7))");
	sqlite3_stmt *doc = prep(st,
		"SELECT json_object('feeds', json(?1), 'new',"
		" (SELECT coalesce(sum(json_extract(value, '$.new')), 0) FROM json_each(?1)), 'updated',"
		" (SELECT coalesce(sum(json_extract(value, '$.updated')), 0) FROM json_each(?1)), 'pages',"
		" (SELECT coalesce(sum(json_extract(value, '$.pages')), 0) FROM json_each(?1)),"
		" 'bytes', ?2, 'errors', ?3)");
	char *arr = kb_xstrdup("[]"), *out = NULL;
	if (!add || !doc)
		goto done;
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(add, 1, arr, -1, SQLITE_TRANSIENT);
		bind_text(add, 2, rows[i].url);
		bind_text(add, 3, rows[i].status);
		sqlite3_bind_int64(add, 4, (sqlite3_int64)rows[i].new_items);
		sqlite3_bind_int64(add, 5, (sqlite3_int64)rows[i].updated);
		sqlite3_bind_int64(add, 6, (sqlite3_int64)rows[i].pages);
		bind_text(add, 7, rows[i].error);
		if (sqlite3_step(add) != SQLITE_ROW) {
			kb_store_fail(st, "json");
			goto done;
		}
		char *next = kb_xstrdup((const char *)sqlite3_column_text(add, 0));
		free(arr);
		arr = next;
		sqlite3_reset(add);
	}
	sqlite3_bind_text(doc, 1, arr, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(doc, 2, (sqlite3_int64)bytes);
	sqlite3_bind_int64(doc, 3, (sqlite3_int64)errors);
	if (sqlite3_step(doc) == SQLITE_ROW)
		out = kb_xstrdup((const char *)sqlite3_column_text(doc, 0));
	else
		kb_store_fail(st, "json");
done:
	sqlite3_finalize(add);
	sqlite3_finalize(doc);
	free(arr);
	return out;
}
