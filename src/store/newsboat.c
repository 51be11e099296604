/* newsboat.c - the items of a newsboat cache.db, read-only.
 *
 * newsboat keeps every item of every feed in rss_item (content as HTML,
 * pubDate as Unix time, unread as 0/1, deleted items kept with a flag)
 * and feed titles in rss_feed.  The file is opened read-only, so kabar can
 * never change it; the columns are looked up by name, so caches of older
 * and newer newsboat releases read alike. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kabar/store.h"
#include "kabar/util.h"

struct kb_newsboat {
	sqlite3 *db;
	sqlite3_stmt *items;
	char err[256];
};

static bool has_column(sqlite3 *db, const char *table, const char *column)
{
	sqlite3_stmt *s = NULL;
	bool found = false;
	char *sql = sqlite3_mprintf("PRAGMA table_info(%Q)", table);
	if (sql && sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK)
		while (!found && sqlite3_step(s) == SQLITE_ROW)
			found = strcmp((const char *)sqlite3_column_text(s, 1), column) == 0;
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return found;
}

int kb_newsboat_open(const char *path, struct kb_newsboat **out, char **err)
{
	*out = NULL;
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		*err = kb_xstrdup(db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	static const char *const needed[] = { "guid", "title", "author", "url", "feedurl",
					      "pubDate", "content", "unread" };
	bool items = true;
	for (size_t i = 0; i < KB_ARRAY_LEN(needed) && items; i++)
		items = has_column(db, "rss_item", needed[i]);
	if (!items) {
		/* an unreadable file says so; a readable one is another database */
		int rc = sqlite3_exec(db, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL);
		*err = rc == SQLITE_OK ? kb_xstrdup("an SQLite database, but not a newsboat cache")
				       : kb_xstrdup(sqlite3_errmsg(db));
		sqlite3_close(db);
		return rc == SQLITE_OK ? 0 : -1;
	}
	bool feeds = has_column(db, "rss_feed", "rssurl") && has_column(db, "rss_feed", "title");
	char *sql = sqlite3_mprintf(
		"SELECT i.id, i.guid, i.title, i.author, i.url, i.content, %s, i.feedurl, %s,"
		" i.pubDate, i.unread FROM rss_item i %s %s ORDER BY i.id",
		has_column(db, "rss_item", "flags") ? "i.flags" : "NULL",
		feeds ? "coalesce(f.title, '')" : "''",
		feeds ? "LEFT JOIN rss_feed f ON f.rssurl = i.feedurl" : "",
		has_column(db, "rss_item", "deleted") ? "WHERE NOT i.deleted" : "");
	struct kb_newsboat *nb = kb_xcalloc(1, sizeof *nb);
	nb->db = db;
	int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &nb->items, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		*err = kb_xstrdup(sqlite3_errmsg(db));
		kb_newsboat_close(nb);
		return -1;
	}
	*out = nb;
	return 1;
}

static const char *text(sqlite3_stmt *s, int col)
{
	const char *v = (const char *)sqlite3_column_text(s, col);
	return v ? v : "";
}

int kb_newsboat_next(struct kb_newsboat *nb, struct kb_newsboat_item *it)
{
	int rc = sqlite3_step(nb->items);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		snprintf(nb->err, sizeof nb->err, "%s", sqlite3_errmsg(nb->db));
		return -1;
	}
	sqlite3_stmt *s = nb->items;
	*it = (struct kb_newsboat_item){
		.id = sqlite3_column_int64(s, 0),
		.guid = text(s, 1),
		.title = text(s, 2),
		.author = text(s, 3),
		.url = text(s, 4),
		.content = text(s, 5),
		.flags = text(s, 6),
		.feed_url = text(s, 7),
		.feed_title = text(s, 8),
		.published = sqlite3_column_int64(s, 9),
		.unread = sqlite3_column_int(s, 10) != 0,
	};
	return 1;
}

const char *kb_newsboat_error(const struct kb_newsboat *nb)
{
	return nb->err;
}

void kb_newsboat_close(struct kb_newsboat *nb)
{
	if (!nb)
		return;
	sqlite3_finalize(nb->items);
	sqlite3_close(nb->db);
	free(nb);
}
