/* query.c - reading the cache: listings, search, whole articles. */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kabar/util.h"

#define ROW_COLUMNS KB_ROW_COLUMNS

static const char *col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

void kb_store_fill_row(sqlite3_stmt *s, struct kb_row *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->ord = sqlite3_column_int64(s, 1);
	r->title = col_text(s, 2);
	r->source = col_text(s, 3);
	r->origin = col_text(s, 4);
	r->published = col_text(s, 5);
	r->published_inferred = sqlite3_column_int(s, 6) != 0;
	r->read = sqlite3_column_int(s, 7) != 0;
	r->json = col_text(s, 8);
}

/* Steps s to the end, handing every row to fn; finalizes s. */
static int each_row(struct kb_store *st, sqlite3_stmt *s, bool snippet, kb_row_fn fn,
		    void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_row r = { 0 };
		kb_store_fill_row(s, &r);
		if (snippet)
			r.snippet = col_text(s, KB_ROW_NCOLS);
		if (fn(&r, ctx))
			break;
	}
	int ret = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : kb_store_fail(st, "query");
	sqlite3_finalize(s);
	return ret;
}

/* The ord range covering every date that starts with prefix. */
static int date_range(const char *prefix, int64_t *lo, int64_t *hi)
{
	size_t n = strlen(prefix);
	if (n != 4 && n != 7 && n != 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool dash = (i == 4 || i == 7);
		if (dash ? prefix[i] != '-' : (prefix[i] < '0' || prefix[i] > '9'))
			return -1;
	}
	int64_t first = -kb_store_date_ord(prefix); /* YYYYMMDD000000 with zeros */
	int64_t span = n == 4 ? 10000000000LL : n == 7 ? 100000000LL : 1000000LL;
	*hi = -first;
	*lo = -(first + span - 1);
	return 0;
}

/* What a listing's WHERE binds: the date range and a feed's key range. */
struct where {
	const char *ord; /* the order column */
	int64_t lo, hi;
	char *feed_lo, *feed_hi;
};

static void where_free(struct where *w)
{
	free(w->feed_lo);
	free(w->feed_hi);
}

/* The FROM and WHERE of a listing: ?1 ?2 the date range, ?3 ?4 the keyset
 * bound, ?6 the entity, ?7 the source, ?9 ?10 a feed's key range. */
static int list_where(struct kb_store *st, const struct kb_list_query *q, struct kb_buf *sql,
		      struct where *w)
{
	if (q->entity > 0) { /* walks article_entity(entity_id, ord, article_id) */
		kb_buf_adds(sql, " FROM article_entity ae"
				 " JOIN article a ON a.id = ae.article_id"
				 " WHERE ae.entity_id = ?6");
	} else if (q->feed > 0) {
		/* the articles that came through the feed, by the ranges of
		 * both key indexes, then sorted: as many as the feed brought */
		if (kb_store_feed_range(st, q->feed, &w->feed_lo, &w->feed_hi) < 0)
			return -1;
		kb_buf_adds(sql, " FROM " KB_FEED_ARTICLES("?9", "?10")
				 " f CROSS JOIN article a ON a.id = f.fid WHERE 1");
	} else {
		kb_buf_adds(sql, " FROM article a WHERE 1");
	}
	const char *ord = q->entity > 0 ? "ae.ord" : "a.ord";
	w->ord = ord;
	if (q->date) {
		if (date_range(q->date, &w->lo, &w->hi) < 0) {
			snprintf(st->err, sizeof st->err, "%s: not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
				 q->date);
			return -1;
		}
		kb_buf_printf(sql, " AND %s BETWEEN ?1 AND ?2", ord);
	}
	if (q->source)
		kb_buf_adds(sql, " AND a.source IS ?7");
	if (q->unread)
		kb_buf_adds(sql, " AND a.read_at IS NULL");
	if (q->after)
		kb_buf_printf(sql, " AND (%s, a.id) > (?3, ?4)", ord);
	else if (q->before)
		kb_buf_printf(sql, " AND (%s, a.id) < (?3, ?4)", ord);
	return 0;
}

static void list_bind(sqlite3_stmt *s, const struct kb_list_query *q, const struct where *w)
{
	if (q->date) {
		sqlite3_bind_int64(s, 1, w->lo);
		sqlite3_bind_int64(s, 2, w->hi);
	}
	if (q->after || q->before) {
		sqlite3_bind_int64(s, 3, q->after_ord);
		sqlite3_bind_int64(s, 4, q->after_id);
	}
	if (q->entity > 0)
		sqlite3_bind_int64(s, 6, q->entity);
	if (q->source) {
		if (*q->source)
			sqlite3_bind_text(s, 7, q->source, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(s, 7);
	}
	if (w->feed_lo) {
		sqlite3_bind_text(s, 9, w->feed_lo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 10, w->feed_hi, -1, SQLITE_TRANSIENT);
	}
}

int kb_store_list(struct kb_store *st, const struct kb_list_query *q, kb_row_fn fn,
		  void *ctx)
{
	/* prepared per call: a listing runs once per screen, not per row */
	struct kb_buf sql = { 0 };
	struct where w = { 0 };
	kb_buf_adds(&sql, "SELECT " ROW_COLUMNS ")");
	if (list_where(st, q, &sql, &w) < 0) {
		kb_buf_free(&sql);
		where_free(&w);
		return -1;
	}
	if (q->before) /* nearest first: the caller reverses the rows */
		kb_buf_printf(&sql, " ORDER BY %s DESC, a.id DESC LIMIT ?5", w.ord);
	else
		kb_buf_printf(&sql, " ORDER BY %s, a.id LIMIT ?5", w.ord);

	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL) != SQLITE_OK) {
		kb_buf_free(&sql);
		where_free(&w);
		return kb_store_fail(st, "list");
	}
	kb_buf_free(&sql);
	list_bind(s, q, &w);
	where_free(&w);
	sqlite3_bind_int64(s, 5, q->limit > 0 ? q->limit : -1);
	return each_row(st, s, false, fn, ctx);
}

int64_t kb_store_list_count(struct kb_store *st, const struct kb_list_query *q, int64_t cap)
{
	struct kb_buf sql = { 0 };
	struct where w = { 0 };
	kb_buf_adds(&sql, "SELECT count(*) FROM (SELECT 1");
	if (list_where(st, q, &sql, &w) < 0) {
		kb_buf_free(&sql);
		where_free(&w);
		return -1;
	}
	kb_buf_adds(&sql, " LIMIT ?5)");
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL) != SQLITE_OK) {
		kb_buf_free(&sql);
		where_free(&w);
		return kb_store_fail(st, "count");
	}
	kb_buf_free(&sql);
	list_bind(s, q, &w);
	where_free(&w);
	sqlite3_bind_int64(s, 5, cap >= 0 ? cap : -1);
	int rc = sqlite3_step(s);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? n : kb_store_fail(st, "count");
}

int64_t kb_store_mark_all_read(struct kb_store *st, const struct kb_list_query *q,
			       const int64_t *ids, size_t n)
{
	if (kb_store_readonly(st)) {
		snprintf(st->err, sizeof st->err, "the cache is read-only: nothing is marked");
		return -1;
	}
	struct kb_buf sql = { 0 };
	kb_buf_adds(&sql, "UPDATE article SET read_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
			  " WHERE read_at IS NULL AND id IN (");
	if (ids) {
		kb_buf_adds(&sql, "SELECT value FROM json_each(?8)");
	} else {
		struct kb_list_query all = *q;
		all.after = all.before = false;
		all.unread = false;
		struct where w = { 0 };
		kb_buf_adds(&sql, "SELECT a.id");
		if (list_where(st, &all, &sql, &w) < 0) {
			kb_buf_free(&sql);
			where_free(&w);
			return -1;
		}
		kb_buf_addc(&sql, ')');
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL) != SQLITE_OK) {
			kb_buf_free(&sql);
			where_free(&w);
			return kb_store_fail(st, "mark read");
		}
		kb_buf_free(&sql);
		list_bind(s, &all, &w);
		where_free(&w);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		return rc == SQLITE_DONE ? (int64_t)sqlite3_changes(st->db) : kb_store_fail(st, "mark read");
	}
	kb_buf_addc(&sql, ')');
	struct kb_buf arr = { 0 };
	kb_buf_addc(&arr, '[');
	for (size_t i = 0; i < n; i++)
		kb_buf_printf(&arr, "%s%lld", i ? "," : "", (long long)ids[i]);
	kb_buf_addc(&arr, ']');
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL) != SQLITE_OK) {
		kb_buf_free(&sql);
		kb_buf_free(&arr);
		return kb_store_fail(st, "mark read");
	}
	kb_buf_free(&sql);
	sqlite3_bind_text(s, 8, arr.p, (int)arr.len, SQLITE_TRANSIENT);
	kb_buf_free(&arr);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? (int64_t)sqlite3_changes(st->db) : kb_store_fail(st, "mark read");
}

/* Turns what a person types into an FTS5 query: every word or "phrase"
 * becomes a quoted string (so punctuation such as "Jong-un" is literal),
 * a trailing '*' a prefix query, and OR between two terms stays OR. */
static char *fts_query(const char *in)
{
	struct kb_buf q = { 0 };
	const char *p = in;
	bool have = false, pending_or = false;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		const char *start, *end;
		if (*p == '"') {
			start = ++p;
			while (*p && *p != '"')
				p++;
			end = p;
			if (*p)
				p++;
		} else {
			start = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\n')
				p++;
			end = p;
		}
		bool prefix = end > start && end[-1] == '*';
		if (prefix)
			end--;
		if (end == start)
			continue;
		if (have && end - start == 2 && memcmp(start, "OR", 2) == 0 && *p) {
			pending_or = true;
			continue;
		}
		if (have)
			kb_buf_adds(&q, pending_or ? " OR " : " ");
		pending_or = false;
		kb_buf_addc(&q, '"');
		for (const char *c = start; c < end; c++) {
			if (*c == '"')
				kb_buf_addc(&q, '"');
			kb_buf_addc(&q, *c);
		}
		kb_buf_addc(&q, '"');
		if (prefix)
			kb_buf_addc(&q, '*');
		have = true;
	}
	if (!have) {
		kb_buf_free(&q);
		return NULL;
	}
	return kb_buf_steal(&q);
}

/* kb_rank(): bm25's saturation of term frequency and its length
 * normalisation, with a title word worth four of the body's, but without
 * bm25's inverse document frequencies.  Those count the articles holding
 * each word of the query by reading the word's whole index on every query
 * (50 ms for a common name in a million articles), and between the two or
 * three words of a query they change the order little.  Lower is better,
 * as with bm25(). */
#define RANK_K1 1.2
#define RANK_B 0.75

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int nval, sqlite3_value **val)
{
	(void)nval;
	(void)val;
	static const double weight[2] = { 4.0, 1.0 }; /* title, body */
	enum { MAX_PHRASES = 32 };
	double tf[MAX_PHRASES][2] = { { 0 } };
	int nphrase = api->xPhraseCount(fts), ninst = 0;
	if (nphrase > MAX_PHRASES)
		nphrase = MAX_PHRASES;
	sqlite3_int64 rows = 0;
	if (api->xInstCount(fts, &ninst) != SQLITE_OK || api->xRowCount(fts, &rows) != SQLITE_OK) {
		sqlite3_result_error(ctx, "kb_rank: no match information", -1);
		return;
	}
	for (int i = 0; i < ninst; i++) {
		int phrase, col, off;
		if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase < nphrase &&
		    col >= 0 && col < 2)
			tf[phrase][col] += 1;
	}
	double score = 0;
	for (int col = 0; col < 2 && col < api->xColumnCount(fts); col++) {
		sqlite3_int64 total = 0;
		int len = 0;
		api->xColumnTotalSize(fts, col, &total);
		api->xColumnSize(fts, col, &len);
		double avg = rows > 0 && total > 0 ? (double)total / (double)rows : 1.0;
		double norm = RANK_K1 * (1 - RANK_B + RANK_B * len / avg);
		for (int p = 0; p < nphrase; p++)
			if (tf[p][col] > 0)
				score += weight[col] * tf[p][col] * (RANK_K1 + 1) / (tf[p][col] + norm);
	}
	sqlite3_result_double(ctx, -score);
}

/* Registers kb_rank() with the connection's FTS5, the first time a search
 * needs it (no other command does). */
static int register_rank(struct kb_store *st)
{
	if (st->rank_ready)
		return 0;
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "full-text search");
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (!api || api->xCreateFunction(api, "kb_rank", NULL, rank_fn, NULL) != SQLITE_OK)
		return kb_store_fail(st, "full-text search");
	st->rank_ready = true;
	return 0;
}

/* With a limit, only the SEARCH_WINDOW newest matches (or the limit, if
 * larger) are ranked, so a query that matches half of a million articles
 * costs what one matching two thousand does; without one, every match is
 * ranked and printed. */
#define SEARCH_WINDOW 2000

int kb_store_search(struct kb_store *st, const char *query, int limit, kb_row_fn fn,
		    void *ctx)
{
	char *fq = fts_query(query);
	if (!fq) {
		snprintf(st->err, sizeof st->err, "nothing to search for");
		return 1;
	}
	if (register_rank(st) < 0) {
		free(fq);
		return -1;
	}
	int64_t floor = 0;
	if (limit > 0) {
		sqlite3_stmt *w = NULL;
		if (sqlite3_prepare_v2(st->db,
				       "SELECT rowid FROM article_fts WHERE article_fts MATCH ?1"
				       " ORDER BY rowid DESC LIMIT 1 OFFSET ?2",
				       -1, &w, NULL) != SQLITE_OK) {
			free(fq);
			return kb_store_fail(st, "search");
		}
		sqlite3_bind_text(w, 1, fq, -1, SQLITE_STATIC);
		sqlite3_bind_int(w, 2, (limit > SEARCH_WINDOW ? limit : SEARCH_WINDOW) - 1);
		int rc = sqlite3_step(w);
		if (rc == SQLITE_ROW)
			floor = sqlite3_column_int64(w, 0);
		sqlite3_finalize(w);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			free(fq);
			return kb_store_fail(st, "search");
		}
	}
	sqlite3_stmt *s = NULL;
	/* FTS5's own rank (kb_rank, above) and ORDER BY rank: FTS5 sorts
	 * before the snippets are made, so only the rows returned get one */
	const char *sql =
		"SELECT " ROW_COLUMNS ","
		" 'snippet', replace(replace(snip, char(2), ''), char(3), '')), snip"
		" FROM (SELECT rowid AS rid, rank,"
		"        snippet(article_fts, -1, char(2), char(3), '…', 16) AS snip"
		"       FROM article_fts WHERE article_fts MATCH ?1"
		"        AND rank MATCH 'kb_rank()' AND rowid >= ?3"
		"       ORDER BY rank LIMIT ?2) m"
		" JOIN article a ON a.id = m.rid ORDER BY m.rank";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		free(fq);
		return kb_store_fail(st, "search");
	}
	sqlite3_bind_text(s, 1, fq, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	sqlite3_bind_int64(s, 3, floor);
	free(fq);
	return each_row(st, s, true, fn, ctx);
}

static char *dup_col(sqlite3_stmt *s, int i)
{
	const char *t = col_text(s, i);
	return t ? kb_xstrdup(t) : NULL;
}

int kb_store_get(struct kb_store *st, int64_t id, struct kb_article_view *v)
{
	memset(v, 0, sizeof *v);
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, title, body, source, origin, url, published,"
			       " published_inferred, imported_at FROM article WHERE id = ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "show");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return rc == SQLITE_DONE ? 0 : kb_store_fail(st, "show");
	}
	v->id = sqlite3_column_int64(s, 0);
	v->title = dup_col(s, 1);
	v->body = dup_col(s, 2);
	v->source = dup_col(s, 3);
	v->origin = dup_col(s, 4);
	v->url = dup_col(s, 5);
	v->published = dup_col(s, 6);
	v->published_inferred = sqlite3_column_int(s, 7) != 0;
	v->imported_at = dup_col(s, 8);
	sqlite3_finalize(s);

	if (sqlite3_prepare_v2(st->db,
			       "SELECT role, name FROM byline WHERE article_id = ?1"
			       " ORDER BY CASE role WHEN 'author' THEN 0 WHEN 'editor' THEN 1"
			       " WHEN 'photo' THEN 2 ELSE 3 END, name",
			       -1, &s, NULL) != SQLITE_OK) {
		kb_article_view_free(v);
		return kb_store_fail(st, "show");
	}
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v->byline_role = kb_xrealloc(v->byline_role, (v->n_bylines + 1) * sizeof(char *));
		v->byline_name = kb_xrealloc(v->byline_name, (v->n_bylines + 1) * sizeof(char *));
		v->byline_role[v->n_bylines] = dup_col(s, 0);
		v->byline_name[v->n_bylines] = dup_col(s, 1);
		v->n_bylines++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		kb_article_view_free(v);
		return kb_store_fail(st, "show");
	}
	return 1;
}

void kb_article_view_free(struct kb_article_view *v)
{
	free(v->title);
	free(v->body);
	free(v->source);
	free(v->origin);
	free(v->url);
	free(v->published);
	free(v->imported_at);
	for (size_t i = 0; i < v->n_bylines; i++) {
		free(v->byline_role[i]);
		free(v->byline_name[i]);
	}
	free(v->byline_role);
	free(v->byline_name);
	memset(v, 0, sizeof *v);
}

int kb_store_get_json(struct kb_store *st, int64_t id, char **json)
{
	sqlite3_stmt *s = NULL;
	*json = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT json_object('id', a.id, 'title', a.title,"
			       " 'source', a.source, 'origin', a.origin, 'url', a.url,"
			       " 'published', a.published, 'published_inferred',"
			       " json(CASE WHEN a.published_inferred THEN 'true' ELSE 'false' END),"
			       " 'imported', a.imported_at,"
			       " 'bylines', (SELECT json_group_array(json_object('role', b.role,"
			       "   'name', b.name)) FROM byline b WHERE b.article_id = a.id),"
			       " 'body', a.body,"
			       " 'entities', (SELECT json_group_array(json_object('id', e.id,"
			       "   'type', e.type, 'name', e.name, 'mentions', ae.n))"
			       "   FROM article_entity ae JOIN entity e ON e.id = ae.entity_id"
			       "   WHERE ae.article_id = a.id),"
			       " 'mentions', (SELECT json_group_array(json_object("
			       "   'text', CAST(substr(CAST(CASE WHEN m.t THEN a.title ELSE a.body END"
			       "     AS BLOB), m.s + 1, m.e - m.s) AS TEXT),"
			       "   'type', e.type, 'entity', e.name, 'entity_id', e.id,"
			       "   'start', m.s, 'end', m.e,"
			       "   'in', CASE WHEN m.t THEN 'title' ELSE 'body' END))"
			       "   FROM (SELECT j.value ->> 0 AS t, j.value ->> 1 AS s, j.value ->> 2 AS e,"
			       "     j.value ->> 3 AS eid FROM article_mention am, json_each(am.data) j"
			       "     WHERE am.article_id = a.id ORDER BY t DESC, s) m"
			       "   JOIN entity e ON e.id = m.eid))"
			       " FROM article a WHERE a.id = ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "show");
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*json = kb_xstrdup(col_text(s, 0));
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, "show");
}
