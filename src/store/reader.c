/* reader.c - what the reader asks of the cache: an article's mentions,
 * stepping through the articles of an entity, an article's event. */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kabar/util.h"

long kb_store_mentions(struct kb_store *st, int64_t id, struct kb_mention **out)
{
	*out = NULL;
	sqlite3_stmt *s = kb_store_cached(st, &st->rd_mentions,
		"SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, e.type"
		" FROM article_mention am, json_each(am.data) j JOIN entity e ON e.id = j.value ->> 3"
		" WHERE am.article_id = ?1 ORDER BY 1 DESC, 2");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = kb_xrealloc(*out, cap * sizeof **out);
		}
		const char *type = (const char *)sqlite3_column_text(s, 4);
		(*out)[n++] = (struct kb_mention){
			.in_title = sqlite3_column_int(s, 0) != 0,
			.start = (uint32_t)sqlite3_column_int64(s, 1),
			.end = (uint32_t)sqlite3_column_int64(s, 2),
			.entity = sqlite3_column_int64(s, 3),
			.type = type && strcmp(type, "place") == 0 ? 'l' : type ? type[0] : '?',
		};
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return kb_store_fail(st, "mentions");
	}
	return (long)n;
}

int64_t kb_store_article_ord(struct kb_store *st, int64_t id)
{
	/* ord is <= 0, so 1 tells a missing article from an undated one */
	int64_t ord = kb_store_int(st, &st->rd_ord,
				   "SELECT coalesce((SELECT ord FROM article WHERE id = ?1), 1)", id, 0);
	return ord == 1 ? -1 : ord;
}

int64_t kb_store_entity_step(struct kb_store *st, int64_t entity, int64_t article, int dir)
{
	int64_t ord = kb_store_article_ord(st, article);
	if (ord == -1)
		return -1;
	sqlite3_stmt *s = dir > 0
		? kb_store_cached(st, &st->rd_next,
			"SELECT article_id FROM article_entity WHERE entity_id = ?1"
			" AND (ord, article_id) > (?2, ?3) ORDER BY ord, article_id LIMIT 1")
		: kb_store_cached(st, &st->rd_prev,
			"SELECT article_id FROM article_entity WHERE entity_id = ?1"
			" AND (ord, article_id) < (?2, ?3) ORDER BY ord DESC, article_id DESC LIMIT 1");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, entity);
	sqlite3_bind_int64(s, 2, ord);
	sqlite3_bind_int64(s, 3, article);
	int rc = sqlite3_step(s);
	int64_t next = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? next : kb_store_fail(st, "step");
}

int kb_store_entity_rank(struct kb_store *st, int64_t entity, int64_t article, int64_t *rank,
			 int64_t *total)
{
	int64_t ord = kb_store_article_ord(st, article);
	sqlite3_stmt *s = kb_store_cached(st, &st->rd_rank,
		"SELECT (SELECT count(*) FROM article_entity WHERE entity_id = ?1"
		"  AND (ord, article_id) < (?2, ?3)),"
		" (SELECT articles FROM entity WHERE id = ?1)");
	if (ord == -1 || !s)
		return -1;
	sqlite3_bind_int64(s, 1, entity);
	sqlite3_bind_int64(s, 2, ord);
	sqlite3_bind_int64(s, 3, article);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*rank = sqlite3_column_int64(s, 0) + 1;
		*total = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : kb_store_fail(st, "rank");
}

int64_t kb_store_article_event(struct kb_store *st, int64_t id)
{
	return kb_store_int(st, &st->rd_event,
			    "SELECT event_id FROM event_article WHERE article_id = ?1", id, 0);
}

int kb_store_event_articles(struct kb_store *st, int64_t event, kb_row_fn fn, void *ctx)
{
	sqlite3_stmt *s = kb_store_cached(st, &st->rd_event_rows,
		"SELECT " KB_ROW_COLUMNS ") FROM event_article ea JOIN article a"
		" ON a.id = ea.article_id WHERE ea.event_id = ?1 ORDER BY a.ord, a.id");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, event);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_row r = { 0 };
		kb_store_fill_row(s, &r);
		if (fn(&r, ctx))
			break;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : kb_store_fail(st, "event");
}

static int mark_now(struct kb_store *st, int64_t id, bool read)
{
	if (st->readonly) {
		st->errcode = SQLITE_READONLY;
		snprintf(st->err, sizeof st->err, "the cache is read-only: nothing is marked");
		return -1;
	}
	sqlite3_stmt *s = read ? kb_store_cached(st, &st->rd_read,
		"UPDATE article SET read_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
		" WHERE id = ?1 AND read_at IS NULL")
			       : kb_store_cached(st, &st->rd_unread,
		"UPDATE article SET read_at = NULL WHERE id = ?1");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, read ? "mark read" : "mark unread");
}

static double clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool locked(const struct kb_store *st)
{
	int c = st->errcode & 0xff;
	return c == SQLITE_BUSY || c == SQLITE_LOCKED;
}

/* How long a mark waits for the cache before it is given up. */
#define MARK_PATIENCE 60.0

/* Drops the kept mark of article id, if any. */
static void forget_mark(struct kb_store *st, int64_t id)
{
	size_t keep = 0;
	for (size_t i = 0; i < st->n_marks; i++)
		if (st->marks[i].id != id)
			st->marks[keep++] = st->marks[i];
	st->n_marks = keep;
}

/* Marks now, or keeps the mark when a writer holds the cache; the last
 * mark of an article is the one that counts. */
static int mark(struct kb_store *st, int64_t id, bool read)
{
	if (mark_now(st, id, read) == 0) {
		forget_mark(st, id);
		return 0;
	}
	if (!locked(st) || !sqlite3_get_autocommit(st->db))
		return -1;
	for (size_t i = 0; i < st->n_marks; i++)
		if (st->marks[i].id == id) {
			st->marks[i].read = read;
			return 1;
		}
	if (st->n_marks == st->cap_marks) {
		st->cap_marks = st->cap_marks ? st->cap_marks * 2 : 16;
		st->marks = kb_xrealloc(st->marks, st->cap_marks * sizeof *st->marks);
	}
	st->marks[st->n_marks++] = (struct kb_mark){ id, read, clock_now() };
	return 1;
}

int kb_store_mark_read(struct kb_store *st, int64_t id)
{
	return mark(st, id, true);
}

int kb_store_mark_unread(struct kb_store *st, int64_t id)
{
	return mark(st, id, false);
}

size_t kb_store_retry_marks(struct kb_store *st, size_t *dropped)
{
	size_t keep = 0, gone = 0;
	char why[sizeof st->err] = "";
	for (size_t i = 0; i < st->n_marks; i++) {
		if (mark_now(st, st->marks[i].id, st->marks[i].read) == 0)
			continue;
		if (locked(st) && clock_now() - st->marks[i].since < MARK_PATIENCE) {
			st->marks[keep++] = st->marks[i];
		} else {
			gone++;
			memcpy(why, st->err, sizeof why);
		}
	}
	st->n_marks = keep;
	if (gone)
		memcpy(st->err, why, sizeof why);
	if (dropped)
		*dropped = gone;
	return keep;
}

int64_t kb_store_data_version(struct kb_store *st)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "PRAGMA data_version", -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "data version");
	int rc = sqlite3_step(s);
	int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? v : kb_store_fail(st, "data version");
}

const char *kb_store_path(const struct kb_store *st)
{
	return st->path;
}

int kb_store_outlets(struct kb_store *st, int64_t window, int limit, kb_outlet_fn fn, void *ctx)
{
	/* the window is a walk of article_order, newest first; each row it
	 * passes is read for its source and read_at */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT source, count(*), sum(read_at IS NULL), min(ord) FROM"
			       " (SELECT source, read_at, ord FROM article ORDER BY ord, id LIMIT ?1)"
			       " GROUP BY source ORDER BY min(ord), source LIMIT ?2",
			       -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "outlets");
	sqlite3_bind_int64(s, 1, window > 0 ? window : -1);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_outlet_row r = {
			.source = (const char *)sqlite3_column_text(s, 0),
			.articles = sqlite3_column_int64(s, 1),
			.unread = sqlite3_column_int64(s, 2),
			.newest_ord = sqlite3_column_int64(s, 3),
		};
		if (fn(&r, ctx))
			break;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : kb_store_fail(st, "outlets");
}
