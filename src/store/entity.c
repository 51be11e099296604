/* entity.c - entities, their keys and surface forms, mentions, corrections
 * and related articles. */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "kabar/util.h"

#define cached kb_store_cached

static int step_done(struct kb_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, what);
}

static int exec_id(struct kb_store *st, const char *sql, int64_t a, int64_t b, const char *what)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, what);
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, what);
}

/* ---- the key cache: type + key -> entity id, for one connection ------ */

static uint64_t key_hash(const char *type, const char *key)
{
	/* the type's first two letters tell the four types apart */
	uint64_t seed = (uint64_t)(unsigned char)type[0] << 8 | (unsigned char)type[1];
	uint64_t h = XXH3_64bits_withSeed(key, strlen(key), seed);
	return h ? h : 1;
}

/* Returns the cached id (negative: ignored) or 0. */
static int64_t cache_get(const struct kb_store *st, uint64_t h)
{
	if (!st->idc)
		return 0;
	const struct kb_idcache *c = &st->idc[h & (IDCACHE_SIZE - 1)];
	return c->h == h ? c->id : 0;
}

static void cache_put(struct kb_store *st, uint64_t h, int64_t id)
{
	if (!st->idc)
		st->idc = kb_xcalloc(IDCACHE_SIZE, sizeof *st->idc);
	st->idc[h & (IDCACHE_SIZE - 1)] = (struct kb_idcache){ h, id };
}

/* Merges, ignores and new keys change what keys resolve to. */
static void cache_clear(struct kb_store *st)
{
	if (st->idc)
		memset(st->idc, 0, IDCACHE_SIZE * sizeof *st->idc);
}

static void touch(struct kb_store *st, int64_t id)
{
	if (st->n_touched == st->cap_touched) {
		st->cap_touched = st->cap_touched ? st->cap_touched * 2 : 256;
		st->touched = kb_xrealloc(st->touched, st->cap_touched * sizeof *st->touched);
	}
	st->touched[st->n_touched++] = id;
}

/* The entity a key resolves to, creating it (named surface) if none;
 * *ignored tells whether the user ignored it.  Returns -1 on error. */
static int64_t resolve(struct kb_store *st, const char *type, const char *key,
		       const char *surface, bool *ignored)
{
	uint64_t h = key_hash(type, key);
	int64_t hit = cache_get(st, h);
	if (hit) {
		*ignored = hit < 0;
		return hit < 0 ? -hit : hit;
	}
	int64_t id = 0;
	sqlite3_stmt *s = cached(st, &st->find_key,
		"SELECT k.entity_id, e.ignored FROM entity_key k JOIN entity e ON e.id = k.entity_id"
		" WHERE k.type = ?1 AND k.key = ?2");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		*ignored = sqlite3_column_int(s, 1) != 0;
		sqlite3_reset(s);
		cache_put(st, h, *ignored ? -id : id);
		return id;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return kb_store_fail(st, "find entity");
	*ignored = false;
	bool is_date = strcmp(type, "date") == 0;
	s = cached(st, &st->add_entity, "INSERT INTO entity (type, name, pinned) VALUES (?1, ?2, ?3)");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, is_date ? key : surface, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, is_date); /* a date is named by its ISO value */
	if (step_done(st, s, "add entity") < 0)
		return -1;
	id = sqlite3_last_insert_rowid(st->db);
	s = cached(st, &st->add_key, "INSERT INTO entity_key (type, key, entity_id) VALUES (?1, ?2, ?3)");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, id);
	if (step_done(st, s, "add entity key") < 0)
		return -1;
	cache_put(st, h, id);
	return id;
}

/* The canonical name: the most used form, full names before a surname;
 * between full names used as often, the one whose last word is written
 * the way the surname alone is written most ("Andrei Belousov" when
 * "Belousov" outnumbers "Beloussov"), then the longer. */
static int rename_from_aliases(struct kb_store *st, int64_t id)
{
	sqlite3_stmt *s = cached(st, &st->best_name,
		"UPDATE entity SET name = coalesce((SELECT a.surface FROM alias a"
		"  WHERE a.entity_id = ?1 AND a.n > 0"
		"  ORDER BY instr(a.surface, ' ') > 0 DESC, a.n DESC,"
		"   coalesce((SELECT b.n FROM alias b WHERE b.entity_id = ?1 AND b.surface ="
		"    substr(a.surface, length(rtrim(a.surface, replace(a.surface, ' ', ''))) + 1)"
		"    AND instr(a.surface, ' ') > 0), 0) DESC,"
		"   length(a.surface) DESC, a.surface LIMIT 1), name)"
		" WHERE id = ?1 AND pinned = 0");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return step_done(st, s, "name entity");
}

/* Takes back what an article's mentions added (before the article
 * changes or its mentions are replaced): alias counts, links, the list. */
int kb_store_retract_mentions(struct kb_store *st, int64_t article_id)
{
	if (kb_store_flush_links(st) < 0)
		return -1;
	sqlite3_stmt *s = cached(st, &st->old_links,
		"SELECT entity_id FROM article_entity WHERE article_id = ?1");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, article_id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		touch(st, sqlite3_column_int64(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return kb_store_fail(st, "retract mentions");
	s = cached(st, &st->retract_alias,
		"INSERT INTO alias (entity_id, surface, n)"
		" SELECT j.value ->> 3, CAST(substr(CAST(CASE WHEN j.value ->> 0 THEN a.title"
		"  ELSE a.body END AS BLOB), (j.value ->> 1) + 1, (j.value ->> 2) - (j.value ->> 1))"
		"  AS TEXT), -count(*)"
		" FROM article_mention am JOIN article a ON a.id = am.article_id, json_each(am.data) j"
		" WHERE am.article_id = ?1 GROUP BY 1, 2"
		" ON CONFLICT (entity_id, surface) DO UPDATE SET n = n + excluded.n");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, article_id);
	if (step_done(st, s, "retract mentions") < 0)
		return -1;
	if (kb_store_int(st, &st->retract_counts,
			 "UPDATE entity SET articles = articles - 1 WHERE id IN"
			 " (SELECT entity_id FROM article_entity WHERE article_id = ?1)",
			 article_id, 0) < 0 ||
	    kb_store_int(st, &st->del_links, "DELETE FROM article_entity WHERE article_id = ?1",
			 article_id, 0) < 0 ||
	    kb_store_int(st, &st->del_mentions, "DELETE FROM article_mention WHERE article_id = ?1",
			 article_id, 0) < 0)
		return -1;
	return 0;
}

static void count_add(struct kb_store *st, int64_t id, const char *surface, int64_t n)
{
	if (st->n_counts == st->cap_counts) {
		st->cap_counts = st->cap_counts ? st->cap_counts * 2 : 1024;
		st->counts = kb_xrealloc(st->counts, st->cap_counts * sizeof *st->counts);
	}
	st->counts[st->n_counts++] = (struct kb_count){ id, surface ? kb_xstrdup(surface) : NULL, n };
}

void kb_store_drop_counts(struct kb_store *st, size_t mark)
{
	while (st->n_counts > mark)
		free(st->counts[--st->n_counts].surface);
}

static int cmp_count(const void *a, const void *b)
{
	const struct kb_count *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (!x->surface || !y->surface)
		return !x->surface ? (y->surface ? -1 : 0) : 1;
	return strcmp(x->surface, y->surface);
}

int kb_store_flush_counts(struct kb_store *st)
{
	if (st->n_counts)
		qsort(st->counts, st->n_counts, sizeof *st->counts, cmp_count);
	int rc = 0;
	for (size_t i = 0; i < st->n_counts && rc == 0;) {
		size_t j = i;
		int64_t n = 0;
		while (j < st->n_counts && cmp_count(&st->counts[i], &st->counts[j]) == 0)
			n += st->counts[j++].n;
		sqlite3_stmt *s;
		if (st->counts[i].surface) {
			/* a form other than the name gained mentions: the name may
			 * change (it is the most used form) */
			sqlite3_stmt *nm = cached(st, &st->entity_name,
						  "SELECT name = ?2, pinned FROM entity WHERE id = ?1");
			if (nm) {
				sqlite3_bind_int64(nm, 1, st->counts[i].id);
				sqlite3_bind_text(nm, 2, st->counts[i].surface, -1, SQLITE_STATIC);
				if (sqlite3_step(nm) == SQLITE_ROW && !sqlite3_column_int(nm, 0) &&
				    !sqlite3_column_int(nm, 1))
					touch(st, st->counts[i].id);
				sqlite3_reset(nm);
			}
			s = cached(st, &st->add_alias,
				   "INSERT INTO alias (entity_id, surface, n) VALUES (?1, ?2, ?3)"
				   " ON CONFLICT (entity_id, surface) DO UPDATE SET n = n + excluded.n");
			if (s) {
				sqlite3_bind_int64(s, 1, st->counts[i].id);
				sqlite3_bind_text(s, 2, st->counts[i].surface, -1, SQLITE_STATIC);
				sqlite3_bind_int64(s, 3, n);
			}
		} else {
			s = cached(st, &st->count_articles,
				   "UPDATE entity SET articles = articles + ?2 WHERE id = ?1");
			if (s) {
				sqlite3_bind_int64(s, 1, st->counts[i].id);
				sqlite3_bind_int64(s, 2, n);
			}
		}
		rc = s ? step_done(st, s, "count mentions") : -1;
		i = j;
	}
	kb_store_drop_counts(st, 0);
	return rc;
}

/* ",N" without printf: this runs for every mention. */
static void put_number(struct kb_buf *b, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tmp[--k] = ',';
	kb_buf_add(b, tmp + k, sizeof tmp - k);
}

struct tally {
	int64_t id;
	const char *surface; /* NULL: counts the entity */
	int64_t n;
};

static void tally(struct tally *t, size_t *nt, int64_t id, const char *surface)
{
	for (size_t k = 0; k < *nt; k++)
		if (t[k].id == id && (surface ? t[k].surface && strcmp(t[k].surface, surface) == 0
					      : !t[k].surface)) {
			t[k].n++;
			return;
		}
	t[(*nt)++] = (struct tally){ id, surface, 1 };
}

int kb_store_put_mentions(struct kb_store *st, int64_t article_id,
			  const struct kb_mention_in *m, size_t n)
{
	struct tally *t = kb_xcalloc(2 * n + 1, sizeof *t);
	size_t nt = 0;
	struct kb_buf data = { 0 };
	int rc = 0;
	kb_buf_addc(&data, '[');
	for (size_t i = 0; i < n; i++) {
		bool ignored;
		int64_t id = resolve(st, m[i].type, m[i].key, m[i].surface, &ignored);
		if (id < 0) {
			rc = -1;
			break;
		}
		if (ignored)
			continue;
		if (data.len > 1)
			kb_buf_addc(&data, ',');
		kb_buf_addc(&data, '[');
		kb_buf_addc(&data, m[i].in_title ? '1' : '0');
		put_number(&data, m[i].start);
		put_number(&data, m[i].end);
		put_number(&data, (uint64_t)id);
		kb_buf_addc(&data, ']');
		tally(t, &nt, id, NULL);
		tally(t, &nt, id, m[i].surface);
	}
	kb_buf_addc(&data, ']');
	sqlite3_stmt *s;
	int64_t ord = 0;
	if (nt && (s = cached(st, &st->article_ord, "SELECT ord FROM article WHERE id = ?1"))) {
		sqlite3_bind_int64(s, 1, article_id);
		if (sqlite3_step(s) == SQLITE_ROW)
			ord = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	for (size_t k = 0; k < nt && rc == 0; k++) {
		if (t[k].surface) {
			count_add(st, t[k].id, t[k].surface, t[k].n);
			continue;
		}
		if (st->n_links == st->cap_links) {
			st->cap_links = st->cap_links ? st->cap_links * 2 : 1024;
			st->links = kb_xrealloc(st->links, st->cap_links * sizeof *st->links);
		}
		st->links[st->n_links++] = (struct kb_link){ t[k].id, ord, article_id,
							     (int32_t)t[k].n, KB_LINK_PENDING };
		st->links_pending++;
		count_add(st, t[k].id, NULL, 1);
	}
	/* outside a transaction nothing commits them later */
	if (rc == 0 && sqlite3_get_autocommit(st->db))
		rc = kb_store_flush_links(st);
	if (rc == 0) {
		s = cached(st, &st->add_mentions,
			   "INSERT OR REPLACE INTO article_mention (article_id, data) VALUES (?1, ?2)");
		if (!s) {
			rc = -1;
		} else {
			sqlite3_bind_int64(s, 1, article_id);
			sqlite3_bind_text(s, 2, data.p, (int)data.len, SQLITE_STATIC);
			rc = step_done(st, s, "add mentions");
		}
	}
	kb_buf_free(&data);
	free(t);
	return rc;
}

static int cmp_link(const void *a, const void *b)
{
	const struct kb_link *x = a, *y = b;
	if (x->entity_id != y->entity_id)
		return x->entity_id < y->entity_id ? -1 : 1;
	if (x->ord != y->ord)
		return x->ord < y->ord ? -1 : 1;
	return x->article_id < y->article_id ? -1 : x->article_id > y->article_id;
}

static int cmp_link_ref(const void *a, const void *b)
{
	return cmp_link(*(struct kb_link *const *)a, *(struct kb_link *const *)b);
}

static int write_link(struct kb_store *st, const struct kb_link *l)
{
	sqlite3_stmt *s = cached(st, &st->add_link,
				 "INSERT INTO article_entity (article_id, entity_id, n, ord)"
				 " VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, l->article_id);
	sqlite3_bind_int64(s, 2, l->entity_id);
	sqlite3_bind_int64(s, 3, l->n);
	sqlite3_bind_int64(s, 4, l->ord);
	return step_done(st, s, "link entity");
}

/* In the order of article_entity_by_entity, the index the rows scatter
 * over (one entity's articles are together there, in date order): each
 * of its pages is then visited once, its rows added together, instead of
 * being read and written again for each article. */
int kb_store_flush_links(struct kb_store *st)
{
	if (!st->links_pending)
		return 0;
	if (!st->in_sp) {
		/* no savepoint to roll back: none is needed after this (at a
		 * commit, this is the way), so they are sorted where they are */
		qsort(st->links, st->n_links, sizeof *st->links, cmp_link);
		int rc = 0;
		for (size_t i = 0; i < st->n_links && rc == 0; i++)
			if (st->links[i].state == KB_LINK_PENDING)
				rc = write_link(st, &st->links[i]);
		if (rc == 0)
			st->n_links = st->links_pending = 0;
		return rc;
	}
	struct kb_link **todo = kb_xcalloc(st->links_pending, sizeof *todo);
	size_t n = 0;
	for (size_t i = 0; i < st->n_links; i++)
		if (st->links[i].state == KB_LINK_PENDING && n < st->links_pending)
			todo[n++] = &st->links[i];
	qsort(todo, n, sizeof *todo, cmp_link_ref);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = write_link(st, todo[i]);
		if (rc == 0) {
			todo[i]->state = KB_LINK_WRITTEN_IN_SP;
			st->links_pending--;
		}
	}
	free(todo);
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int kb_store_flush_names(struct kb_store *st)
{
	if (st->n_touched)
		qsort(st->touched, st->n_touched, sizeof *st->touched, cmp_id);
	int rc = 0;
	for (size_t i = 0; i < st->n_touched && rc == 0; i++)
		if (i == 0 || st->touched[i] != st->touched[i - 1])
			rc = rename_from_aliases(st, st->touched[i]);
	st->n_touched = 0;
	return rc;
}

int kb_store_entity_merge(struct kb_store *st, int64_t into, int64_t from)
{
	if (into == from)
		return 0;
	static const char *const steps[] = {
		"UPDATE entity_key SET entity_id = ?1 WHERE entity_id = ?2",
		"INSERT INTO alias (entity_id, surface, n) SELECT ?1, surface, n FROM alias"
		" WHERE entity_id = ?2 AND true ON CONFLICT (entity_id, surface)"
		" DO UPDATE SET n = n + excluded.n",
		"DELETE FROM alias WHERE entity_id = ?2",
		"UPDATE article_mention SET data = (SELECT json_group_array(CASE WHEN"
		" value ->> 3 = ?2 THEN json_array(value ->> 0, value ->> 1, value ->> 2, ?1)"
		" ELSE json(value) END) FROM json_each(data)) WHERE article_id IN"
		" (SELECT article_id FROM article_entity WHERE entity_id = ?2)",
		"INSERT INTO article_entity (article_id, entity_id, n, ord)"
		" SELECT article_id, ?1, n, ord FROM article_entity WHERE entity_id = ?2 AND true"
		" ON CONFLICT (article_id, entity_id) DO UPDATE SET n = n + excluded.n",
		"DELETE FROM article_entity WHERE entity_id = ?2",
		"INSERT INTO correction (kind, a, b) SELECT 'merge',"
		" (SELECT name FROM entity WHERE id = ?1), name FROM entity WHERE id = ?2",
		"DELETE FROM entity WHERE id = ?2",
	};
	cache_clear(st);
	if (kb_store_flush_links(st) < 0 || kb_store_flush_counts(st) < 0)
		return -1;
	for (size_t i = 0; i < KB_ARRAY_LEN(steps); i++)
		if (exec_id(st, steps[i], into, from, "merge entities") < 0)
			return -1;
	if (exec_id(st, "UPDATE entity SET articles = (SELECT count(*) FROM article_entity"
			" WHERE entity_id = ?1) WHERE id = ?1", into, 0, "merge entities") < 0)
		return -1;
	return rename_from_aliases(st, into);
}

int kb_store_entity_rename(struct kb_store *st, int64_t id, const char *name)
{
	sqlite3_stmt *s = NULL;
	const char *sql[] = {
		"INSERT INTO correction (kind, a, b) SELECT 'rename', name, ?2 FROM entity WHERE id = ?1",
		"UPDATE entity SET name = ?2, pinned = 1 WHERE id = ?1",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(sql); i++) {
		if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) != SQLITE_OK)
			return kb_store_fail(st, "rename entity");
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return kb_store_fail(st, "rename entity");
	}
	return 0;
}

int kb_store_entity_ignore(struct kb_store *st, int64_t id)
{
	static const char *const steps[] = {
		"INSERT INTO correction (kind, a) SELECT 'ignore', name FROM entity WHERE id = ?1",
		"UPDATE entity SET ignored = 1 WHERE id = ?1",
		"UPDATE article_mention SET data = (SELECT json_group_array(json(value))"
		" FROM json_each(data) WHERE value ->> 3 != ?1) WHERE article_id IN"
		" (SELECT article_id FROM article_entity WHERE entity_id = ?1)",
		"DELETE FROM alias WHERE entity_id = ?1",
		"DELETE FROM article_entity WHERE entity_id = ?1",
		"UPDATE entity SET articles = 0 WHERE id = ?1",
	};
	cache_clear(st);
	if (kb_store_flush_links(st) < 0 || kb_store_flush_counts(st) < 0)
		return -1;
	for (size_t i = 0; i < KB_ARRAY_LEN(steps); i++)
		if (exec_id(st, steps[i], id, 0, "ignore entity") < 0)
			return -1;
	return 0;
}

int kb_store_link_key(struct kb_store *st, const char *type, const char *key_known,
		      const char *key_new)
{
	bool ign;
	int64_t known = resolve(st, type, key_known, key_known, &ign);
	if (known < 0)
		return -1;
	uint64_t h = key_hash(type, key_new);
	int64_t other = cache_get(st, h);
	if (other < 0)
		other = -other;
	if (!other) {
		sqlite3_stmt *s = cached(st, &st->find_key_only,
			"SELECT entity_id FROM entity_key WHERE type = ?1 AND key = ?2");
		if (!s)
			return -1;
		sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, key_new, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		other = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return kb_store_fail(st, "link key");
	}
	if (other) /* known already: nothing changes, or the two are one */
		return other == known ? 0 : kb_store_entity_merge(st, known, other);
	sqlite3_stmt *s = cached(st, &st->add_key,
				 "INSERT INTO entity_key (type, key, entity_id) VALUES (?1, ?2, ?3)");
	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key_new, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, known);
	if (step_done(st, s, "link key") < 0)
		return -1;
	cache_put(st, h, ign ? -known : known);
	return 0;
}

#define ENTITY_JSON                                                              \
	"json_object('id', e.id, 'type', e.type, 'name', e.name,"                \
	" 'aliases', (SELECT json_group_array(surface) FROM (SELECT surface FROM" \
	"   alias WHERE entity_id = e.id AND n > 0 ORDER BY n DESC, surface)),"   \
	" 'articles', e.articles"

int kb_store_entities(struct kb_store *st, const struct kb_entity_query *q,
		      kb_entity_fn fn, void *ctx)
{
	struct kb_buf sql = { 0 };
	if (q->article > 0)
		kb_buf_adds(&sql, "SELECT e.id, e.type, e.name, e.articles, ae.n, " ENTITY_JSON
				  ", 'mentions', ae.n) FROM article_entity ae JOIN entity e"
				  " ON e.id = ae.entity_id WHERE ae.article_id = ?2");
	else
		kb_buf_adds(&sql, "SELECT e.id, e.type, e.name, e.articles, 0, " ENTITY_JSON
				  ") FROM entity e WHERE e.articles > 0");
	kb_buf_adds(&sql, " AND e.ignored = 0 AND (?1 IS NULL OR e.type = ?1)"
			  " ORDER BY CASE e.type WHEN 'person' THEN 0 WHEN 'place' THEN 1"
			  " WHEN 'org' THEN 2 ELSE 3 END, e.articles DESC,");
	kb_buf_adds(&sql, q->article > 0 ? " ae.n DESC, e.name" : " e.name");
	kb_buf_adds(&sql, " LIMIT ?3");
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql.p, -1, &s, NULL);
	kb_buf_free(&sql);
	if (rc != SQLITE_OK)
		return kb_store_fail(st, "entities");
	if (q->type)
		sqlite3_bind_text(s, 1, q->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, q->article);
	sqlite3_bind_int64(s, 3, q->limit > 0 ? q->limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_entity_row r = {
			.id = sqlite3_column_int64(s, 0),
			.type = (const char *)sqlite3_column_text(s, 1),
			.name = (const char *)sqlite3_column_text(s, 2),
			.articles = sqlite3_column_int64(s, 3),
			.n = sqlite3_column_int64(s, 4),
			.json = (const char *)sqlite3_column_text(s, 5),
		};
		if (fn(&r, ctx))
			break;
	}
	int ret = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : kb_store_fail(st, "entities");
	sqlite3_finalize(s);
	return ret;
}

int64_t kb_store_entity_find(struct kb_store *st, const char *type, const char *key,
			     const char *name)
{
	static const char *const sql[] = {
		"SELECT entity_id FROM entity_key WHERE (?1 IS NULL OR type = ?1) AND key = ?2"
		" LIMIT 1",
		"SELECT id FROM entity WHERE (?1 IS NULL OR type = ?1) AND name = ?3 COLLATE NOCASE"
		" AND ignored = 0 ORDER BY articles DESC LIMIT 1",
		"SELECT a.entity_id FROM alias a JOIN entity e ON e.id = a.entity_id"
		" WHERE a.surface = ?3 COLLATE NOCASE AND (?1 IS NULL OR e.type = ?1)"
		" AND e.ignored = 0 ORDER BY a.n DESC LIMIT 1",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(sql); i++) {
		if ((i == 0 && !key) || (i > 0 && !name))
			continue;
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(st->db, sql[i], -1, &s, NULL) != SQLITE_OK)
			return kb_store_fail(st, "find entity");
		if (type)
			sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
		if (key)
			sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
		if (name)
			sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_finalize(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return kb_store_fail(st, "find entity");
		if (id)
			return id;
	}
	return 0;
}

/* Entities mentioned by more than a quarter of the cache (at least 3,
 * at most 1,000 articles) say little and would make the query touch most
 * of it; they are left out.  The cap bounds the query at any size. */
#define RELATED_SHARE 4
#define RELATED_MIN 3
#define RELATED_MAX 1000

/* Who took part says more about a story than where it was told from:
 * places are often named in passing ("Moskow" for the Russian government),
 * so a shared person counts double a shared place. */
#define WEIGHT_PERSON 1.0
#define WEIGHT_ORG 0.8
#define WEIGHT_DATE 0.7
#define WEIGHT_PLACE 0.5

int kb_store_related(struct kb_store *st, int64_t id, const char *by, int limit,
		     kb_related_fn fn, void *ctx)
{
	sqlite3_stmt *s = NULL;
	const char *sql;
	if (strcmp(by, "event") == 0)
		sql = "SELECT " KB_ROW_COLUMNS ", 'score', 1.0, 'shared', json_array(ev.label)),"
		      " 1.0, json_array(ev.label)"
		      " FROM event_article me JOIN event_article o ON o.event_id = me.event_id"
		      " AND o.article_id != me.article_id JOIN event ev ON ev.id = me.event_id"
		      " JOIN article a ON a.id = o.article_id WHERE me.article_id = ?1"
		      " ORDER BY a.ord, a.id LIMIT ?3";
	else
		sql = "WITH n(total) AS (SELECT max(value, 1) FROM counter WHERE name = 'articles'),"
		      " shared AS (SELECT o.article_id AS aid, e.name AS name,"
		      "   ln((SELECT total FROM n) * 1.0 / e.articles) * CASE e.type"
		      "    WHEN 'person' THEN " KB_STR(WEIGHT_PERSON) " WHEN 'org' THEN " KB_STR(WEIGHT_ORG)
		      "    WHEN 'date' THEN " KB_STR(WEIGHT_DATE) " ELSE " KB_STR(WEIGHT_PLACE) " END AS w"
		      "  FROM article_entity me CROSS JOIN entity e ON e.id = me.entity_id"
		      "  CROSS JOIN article_entity o ON o.entity_id = me.entity_id"
		      "   AND o.article_id != me.article_id"
		      "  WHERE me.article_id = ?1 AND e.ignored = 0"
		      "   AND (?2 = 'any' OR e.type = ?2)"
		      "   AND e.articles <= ?4),"
		      " scored AS (SELECT aid, sum(w) AS score,"
		      "   json_group_array(name) AS names FROM"
		      "   (SELECT * FROM shared ORDER BY w DESC) GROUP BY aid"
		      "  ORDER BY score DESC, aid LIMIT ?3)"
		      " SELECT " KB_ROW_COLUMNS ", 'score', round(scored.score, 4),"
		      "  'shared', json(scored.names)), scored.score, scored.names"
		      " FROM scored JOIN article a ON a.id = scored.aid"
		      " ORDER BY scored.score DESC, a.id";
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "related");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, limit > 0 ? limit : -1);
	int64_t cap = kb_store_count(st) / RELATED_SHARE;
	cap = cap < RELATED_MIN ? RELATED_MIN : cap > RELATED_MAX ? RELATED_MAX : cap;
	if (sqlite3_bind_parameter_count(s) >= 4)
		sqlite3_bind_int64(s, 4, cap);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_related_row r = { 0 };
		kb_store_fill_row(s, &r.row);
		r.score = sqlite3_column_double(s, KB_ROW_NCOLS);
		r.shared = (const char *)sqlite3_column_text(s, KB_ROW_NCOLS + 1);
		if (fn(&r, ctx))
			break;
	}
	int ret = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : kb_store_fail(st, "related");
	sqlite3_finalize(s);
	return ret;
}
