/* event.c - grouping articles about the same happening. */
#include "config.h"

#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kabar/util.h"

/* Two articles report one happening when they share rare participants:
 * entities (people, organisations, places) that few articles mention, and
 * when both are dated, their dates are close.  "Rare" is relative to the
 * cache and bounded, so no event can swallow a corpus about one story and
 * linking one article touches a bounded number of rows. */
#define EVENT_RARE_SHARE 100  /* rare: in at most 1/100 of the articles... */
#define EVENT_RARE_MIN 4      /* ...or in four, in a small cache */
#define EVENT_RARE_MAX 100    /* ...and never in more: one happening's coverage */
#define EVENT_MAX_DAYS 3      /* dated articles this far apart can link */
#define EVENT_SPAN_DAYS 7     /* and join an event that began this long before */

struct candidate {
	int64_t id, event;
	int shared, persons;
	double days; /* < 0: one of the two is undated */
	int placed;  /* see PLACED below: 1 yes, 0 no, 2 both undated */
};

/* A rare person in common links two articles whose dates are close or
 * unknown; two rare places or organisations link close dated ones.  An
 * undated article links to a dated one only when its text places it at
 * that date (PLACED); two undated ones need two rare participants. */
static bool links(const struct candidate *c)
{
	if (c->days > EVENT_MAX_DAYS)
		return false;
	if (c->placed == 0 || (c->placed == 2 && c->shared < 2))
		return false;
	return c->persons >= 1 || (c->days >= 0 && c->shared >= 2);
}

/* Whether the text of article `art` (undated) places it at `day`, the
 * date of the article it would join: it names that day's weekday (as
 * "pada hari Jumat", "on Friday" name the day a happening was reported or
 * took place; FTS5, diacritics and case folded) or mentions a full date
 * within EVENT_MAX_DAYS of it. */
#define PLACED(art, day)                                                                 \
	"(EXISTS (SELECT 1 FROM article_fts WHERE article_fts MATCH"                       \
	"  (CASE strftime('%w', " day ") WHEN '0' THEN 'minggu OR ahad OR sunday'"          \
	"   WHEN '1' THEN 'senin OR monday' WHEN '2' THEN 'selasa OR tuesday'"               \
	"   WHEN '3' THEN 'rabu OR wednesday' WHEN '4' THEN 'kamis OR thursday'"             \
	"   WHEN '5' THEN 'jumat OR \"jum at\" OR friday' ELSE 'sabtu OR saturday' END)"    \
	"  AND rowid = " art ")"                                                             \
	" OR EXISTS (SELECT 1 FROM article_entity de JOIN entity de_e ON de_e.id = de.entity_id" \
	"  WHERE de.article_id = " art " AND de_e.type = 'date' AND length(de_e.name) = 10"  \
	"  AND abs(julianday(de_e.name) - julianday(" day ")) <= " KB_STR(EVENT_MAX_DAYS) "))"

/* The day of a publication date in SQL, or NULL when it is not a full
 * date: "2024-03" and "2024" say too little to place an article within
 * days (and SQLite would read "2024" as a Julian day number). */
#define DAY(col)                                                                       \
	"(CASE WHEN " col " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'"          \
	" THEN substr(" col ", 1, 10) END)"

/* Names the event after its rarest shared participants and dates it by
 * its earliest article (by its earliest partial date when none has a day). */
static int relabel(struct kb_store *st, int64_t event)
{
	static const char sql[] =
		"UPDATE event SET"
		" date = (SELECT coalesce(min(" DAY("a.published") "), min(substr(a.published, 1, 10)))"
		"   FROM event_article ea JOIN article a ON a.id = ea.article_id WHERE ea.event_id = ?1),"
		" label = coalesce((SELECT group_concat(name, ' · ') FROM"
		"   (SELECT e.name FROM event_article ea JOIN article_entity ae"
		"     ON ae.article_id = ea.article_id JOIN entity e ON e.id = ae.entity_id"
		"    WHERE ea.event_id = ?1 AND e.type IN ('person', 'place', 'org')"
		"     AND e.ignored = 0"
		"    GROUP BY e.id HAVING count(*) >= 2"
		"    ORDER BY e.type = 'person' DESC, e.articles, count(*) DESC, e.name LIMIT 2)),"
		"   label)"
		" WHERE id = ?1";
	return kb_store_int(st, &st->ev_label, sql, event, 0) < 0 ? -1 : 0;
}

/* An event left with fewer than two articles is no event. */
static int drop_if_small(struct kb_store *st, int64_t event)
{
	int64_t n = kb_store_int(st, &st->ev_size,
			    "SELECT count(*) FROM event_article WHERE event_id = ?1", event, 0);
	if (n < 0)
		return -1;
	if (n >= 2)
		return relabel(st, event);
	return kb_store_int(st, &st->ev_drop, "DELETE FROM event WHERE id = ?1", event, 0) < 0 ? -1 : 0;
}

static int64_t rare_limit(struct kb_store *st)
{
	int64_t total = kb_store_count(st);
	int64_t rare = total / EVENT_RARE_SHARE;
	if (rare < EVENT_RARE_MIN)
		rare = EVENT_RARE_MIN;
	if (rare > EVENT_RARE_MAX)
		rare = EVENT_RARE_MAX;
	if (rare * 2 > total) /* never half of a small cache */
		rare = total / 2;
	return rare;
}

/* How well an event fits article id: its size, and whether their dates are
 * too far apart (both known and more than EVENT_SPAN_DAYS apart). */
static int event_fit(struct kb_store *st, int64_t id, int64_t event, int64_t *size, bool *far)
{
	sqlite3_stmt *s = kb_store_cached(st, &st->ev_fit,
		"SELECT (SELECT count(*) FROM event_article WHERE event_id = ?2),"
		" coalesce((SELECT abs(julianday(" DAY("a.published") ") - julianday(" DAY("ev.date") "))"
		"  FROM article a, event ev WHERE a.id = ?1 AND ev.id = ?2), 0)");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, event);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*size = sqlite3_column_int64(s, 0);
		*far = sqlite3_column_double(s, 1) > EVENT_SPAN_DAYS;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : kb_store_fail(st, "events");
}

/* The event article id joins: among the events of its linked candidates,
 * the one it links to most, provided it links to at least half of that
 * event's articles and is dated within EVENT_SPAN_DAYS of its start.  This
 * is what keeps events from growing into chains: one shared name with one
 * member is not enough to join a large event. */
static int64_t best_event(struct kb_store *st, int64_t id, const struct candidate *c, size_t n)
{
	int64_t best = 0, best_links = 0;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].event)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = c[j].event == c[i].event;
		if (seen)
			continue;
		int64_t links = 0, size = 0;
		for (size_t j = i; j < n; j++)
			links += c[j].event == c[i].event;
		bool far = false;
		if (event_fit(st, id, c[i].event, &size, &far) < 0)
			return -1;
		if (far || links * 2 < size)
			continue;
		if (links > best_links || (links == best_links && c[i].event < best)) {
			best = c[i].event;
			best_links = links;
		}
	}
	return best;
}

static int join(struct kb_store *st, int64_t id, int64_t event)
{
	return kb_store_int(st, &st->ev_join,
			    "INSERT OR IGNORE INTO event_article (article_id, event_id) VALUES (?1, ?2)",
			    id, event) < 0 ? -1 : 0;
}

int kb_store_event_pending(struct kb_store *st, int64_t id)
{
	return kb_store_int(st, &st->ev_pend_add,
			    "INSERT OR IGNORE INTO event_pending (article_id) VALUES (?1)", id, 0) < 0
		       ? -1
		       : 0;
}

int64_t kb_store_event_next_pending(struct kb_store *st, int64_t after)
{
	return kb_store_int(st, &st->ev_pend_next,
			    "SELECT article_id FROM event_pending WHERE article_id > ?1"
			    " ORDER BY article_id LIMIT 1",
			    after, 0);
}

int kb_store_event_link(struct kb_store *st, int64_t id)
{
	if (kb_store_flush_links(st) < 0)
		return -1;
	sqlite3_stmt *s = kb_store_cached(st, &st->ev_candidates,
		/* CROSS JOIN keeps this order: from the article's own rare
		 * entities out, never from all the rare entities of the cache in.
		 * An article with a day only looks at articles dated within
		 * EVENT_MAX_DAYS (a range of the (entity, ord) index), at undated
		 * ones and at those dated only by its year or month (their order
		 * keys); dates and events are looked up once per candidate, after
		 * grouping. */
		"WITH a0 AS (SELECT " DAY("published") " AS day, substr(published, 1, 10) AS part"
		"  FROM article WHERE id = ?1),"
		" a AS (SELECT day, part,"
		"   -CAST(strftime('%Y%m%d', day, '+" KB_STR(EVENT_MAX_DAYS) " days') AS INTEGER)"
		"    * 1000000 - 235959 AS lo,"
		"   -CAST(strftime('%Y%m%d', day, '-" KB_STR(EVENT_MAX_DAYS) " days') AS INTEGER)"
		"    * 1000000 AS hi,"
		"   -CAST(substr(part, 1, 4) AS INTEGER) * 10000000000 AS yord,"
		"   -CAST(substr(part, 1, 4) || substr(part, 6, 2) AS INTEGER) * 100000000 AS mord"
		"  FROM a0),"
		" mine AS (SELECT me.entity_id, e.type FROM article_entity me"
		"  CROSS JOIN entity e ON e.id = me.entity_id"
		"  WHERE me.article_id = ?1 AND e.type IN ('person', 'place', 'org')"
		"   AND e.ignored = 0 AND e.articles <= ?2),"
		" o AS (SELECT o.article_id AS aid, m.type FROM a, mine m"
		"   CROSS JOIN article_entity o ON o.entity_id = m.entity_id"
		"   WHERE a.lo IS NULL"
		"  UNION ALL SELECT o.article_id, m.type FROM a, mine m"
		"   CROSS JOIN article_entity o ON o.entity_id = m.entity_id"
		"    AND o.ord BETWEEN a.lo AND a.hi"
		"   WHERE a.lo IS NOT NULL"
		"  UNION ALL SELECT o.article_id, m.type FROM a, mine m"
		"   CROSS JOIN article_entity o ON o.entity_id = m.entity_id"
		"    AND o.ord IN (0, a.yord, a.mord)"
		"   WHERE a.lo IS NOT NULL),"
		" c AS (SELECT aid, count(*) AS shared, sum(type = 'person') AS persons FROM o"
		"  WHERE aid != ?1 GROUP BY aid HAVING persons >= 1 OR shared >= 2),"
		" b AS (SELECT c.*, ev.event_id, " DAY("p.published") " AS day,"
		"   substr(p.published, 1, 10) AS part"
		"  FROM c JOIN article p ON p.id = c.aid"
		"  LEFT JOIN event_article ev ON ev.article_id = c.aid)"
		" SELECT b.aid, coalesce(b.event_id, 0), b.shared, b.persons,"
		/* days apart: unknown (-1) when either is undated or one is only
		 * a year or a month that holds the other's date; far when a
		 * partial date rules the other out */
		"  CASE WHEN a.day IS NOT NULL AND b.day IS NOT NULL"
		"   THEN abs(julianday(a.day) - julianday(b.day))"
		"   WHEN a.part IS NULL OR b.part IS NULL THEN -1"
		"   WHEN substr(a.part, 1, min(length(a.part), length(b.part)))"
		"     = substr(b.part, 1, min(length(a.part), length(b.part))) THEN -1"
		"   ELSE 1e9 END,"
		/* whether the undated one of the two is placed at the other's day */
		"  CASE WHEN a.part IS NOT NULL AND b.part IS NOT NULL THEN 1"
		"   WHEN a.part IS NULL AND b.part IS NULL THEN 2"
		"   WHEN a.day IS NOT NULL THEN " PLACED("b.aid", "a.day")
		"   WHEN b.day IS NOT NULL THEN " PLACED("?1", "b.day")
		"   ELSE 0 END"
		" FROM b, a");
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, rare_limit(st));
	struct candidate *c = NULL;
	size_t n = 0;
	int rc;
	int top = 0; /* the most entities an undated pair in no event shares */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct candidate k = {
			.id = sqlite3_column_int64(s, 0),
			.event = sqlite3_column_int64(s, 1),
			.shared = sqlite3_column_int(s, 2),
			.persons = sqlite3_column_int(s, 3),
			.days = sqlite3_column_double(s, 4),
			.placed = sqlite3_column_int(s, 5),
		};
		if (!links(&k))
			continue;
		if (k.days < 0 && !k.event && k.shared > top)
			top = k.shared;
		c = kb_xrealloc(c, (n + 1) * sizeof *c);
		c[n++] = k;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(c);
		return kb_store_fail(st, "events");
	}

	/* Leave the event the article was in (it may have changed), then join
	 * the event that fits best, or else start one with the linked articles
	 * that are in none.  Without a date to hold it, only the undated
	 * partners that share the most with the article come along. */
	int64_t old = kb_store_int(st, &st->ev_old,
			      "SELECT event_id FROM event_article WHERE article_id = ?1", id, 0);
	int ret = old < 0 ? -1 : 0;
	if (ret == 0 && old &&
	    kb_store_int(st, &st->ev_leave, "DELETE FROM event_article WHERE article_id = ?1", id, 0) < 0)
		ret = -1;
	int64_t event = ret == 0 ? best_event(st, id, c, n) : 0;
	if (event < 0)
		ret = -1;
	if (ret == 0 && !event) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!c[i].event && (c[i].days >= 0 || c[i].shared == top))
				c[m++] = c[i];
		n = m;
		if (n > 0) {
			ret = kb_store_int(st, &st->ev_new, "INSERT INTO event (label) VALUES ('')", 0, 0) < 0 ? -1 : 0;
			event = sqlite3_last_insert_rowid(st->db);
		}
		for (size_t i = 0; i < n && ret == 0; i++)
			ret = join(st, c[i].id, event);
	}
	if (ret == 0 && event && (join(st, id, event) < 0 || relabel(st, event) < 0))
		ret = -1;
	if (ret == 0 && old && old != event && drop_if_small(st, old) < 0)
		ret = -1;
	if (ret == 0 && kb_store_int(st, &st->ev_pend_del,
				     "DELETE FROM event_pending WHERE article_id = ?1", id, 0) < 0)
		ret = -1;
	free(c);
	return ret;
}

/* Why an article is in its event: the people, organisations and places it
 * shares with another article of the event, rarest first (at most five). */
#define MEMBER_SHARED(ev, art)                                                          \
	"(SELECT json_group_array(name) FROM (SELECT e.name FROM article_entity ae"       \
	"  JOIN entity e ON e.id = ae.entity_id WHERE ae.article_id = " art                \
	"  AND e.type IN ('person', 'place', 'org') AND e.ignored = 0"                    \
	"  AND EXISTS (SELECT 1 FROM event_article o JOIN article_entity oe"              \
	"   ON oe.article_id = o.article_id WHERE o.event_id = " ev                        \
	"   AND o.article_id != ae.article_id AND oe.entity_id = ae.entity_id)"            \
	"  ORDER BY e.articles, e.name LIMIT 5))"

int kb_store_events(struct kb_store *st, kb_event_fn fn, void *ctx)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "WITH m AS (SELECT ea.event_id AS ev, a.id, a.title, a.published,"
			       "  " MEMBER_SHARED("ea.event_id", "a.id") " AS shared"
			       "  FROM event_article ea JOIN article a ON a.id = ea.article_id)"
			       " SELECT ev.id, ev.label, ev.date, json_object('id', ev.id, 'label',"
			       " ev.label, 'date', ev.date, 'articles', (SELECT json_group_array("
			       " article_id) FROM (SELECT article_id FROM event_article WHERE"
			       " event_id = ev.id ORDER BY article_id)),"
			       " 'members', (SELECT json_group_array(json_object('id', id, 'title', title,"
			       "  'published', published, 'shared', json(shared)))"
			       "  FROM (SELECT * FROM m WHERE m.ev = ev.id ORDER BY id))),"
			       " (SELECT count(*) FROM event_article WHERE event_id = ev.id),"
			       " (SELECT group_concat(line, char(10)) FROM (SELECT id || char(9) ||"
			       "  coalesce(substr(published, 1, 10), '') || char(9) || title || char(9) ||"
			       "  (SELECT group_concat(value, ', ') FROM json_each(shared)) AS line"
			       "  FROM m WHERE m.ev = ev.id ORDER BY id))"
			       " FROM event ev ORDER BY ev.date IS NULL, ev.date DESC, ev.id",
			       -1, &s, NULL) != SQLITE_OK)
		return kb_store_fail(st, "events");
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct kb_event_row r = {
			.id = sqlite3_column_int64(s, 0),
			.label = (const char *)sqlite3_column_text(s, 1),
			.date = (const char *)sqlite3_column_text(s, 2),
			.json = (const char *)sqlite3_column_text(s, 3),
			.articles = sqlite3_column_int64(s, 4),
			.members = (const char *)sqlite3_column_text(s, 5),
		};
		if (fn(&r, ctx))
			break;
	}
	int ret = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : kb_store_fail(st, "events");
	sqlite3_finalize(s);
	return ret;
}
