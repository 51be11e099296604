/* store.c - opening and migrating the cache, storing articles. */
#include "config.h"

#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kabar/util.h"

/* Each entry moves the schema from version i to i + 1.  Never edit a
 * released entry: add a new one. */
static const char *const migrations[] = {
	/* 1: articles, bylines, full-text index, kept counts. */
	"CREATE TABLE article ("
	"  id INTEGER PRIMARY KEY,"
	"  origin TEXT NOT NULL,"
	"  origin_key TEXT NOT NULL UNIQUE,"
	"  content_hash TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  source TEXT,"
	"  url TEXT,"
	"  published TEXT,"
	"  published_inferred INTEGER NOT NULL DEFAULT 0,"
	"  ord INTEGER NOT NULL DEFAULT 0," /* see kb_store_date_ord */
	"  imported_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  read_at TEXT"
	");"
	"CREATE INDEX article_hash ON article(content_hash);"
	"CREATE INDEX article_order ON article(ord, id);"
	"CREATE TABLE byline ("
	"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  PRIMARY KEY (article_id, role, name)"
	") WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE article_fts USING fts5(title, body,"
	"  content='article', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	/* merge index segments 16 at a time, not 4: a third less work per
	 * imported article, for a few more segments to read per search */
	"INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 16);"
	/* article_fts is kept by the store itself, not by triggers: FTS5
	 * flushes its pending terms at every savepoint, and a trigger runs in
	 * one, which made indexing four times slower.  New articles are
	 * indexed in one go when their transaction commits. */
	"CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO counter VALUES ('articles', 0);"
	"CREATE TRIGGER article_count_ai AFTER INSERT ON article BEGIN"
	"  UPDATE counter SET value = value + 1 WHERE name = 'articles';"
	"END;"
	"CREATE TRIGGER article_count_ad AFTER DELETE ON article BEGIN"
	"  UPDATE counter SET value = value - 1 WHERE name = 'articles';"
	"END;",

	/* 2: entities, the keys and surface forms that resolve to them, their
	 * mentions, per-article links (with the article's order key, so
	 * "articles sharing this entity, by date" is one index walk), user
	 * corrections and events.  alias.n counts the mentions written in each
	 * form and entity.articles the articles; the store keeps both, adding
	 * up a transaction's changes and writing them once at commit. */
	"CREATE TABLE entity ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL CHECK (type IN ('person', 'place', 'org', 'date')),"
	"  name TEXT NOT NULL,"         /* canonical: the most used full form */
	"  pinned INTEGER NOT NULL DEFAULT 0," /* name set by 'alias rename' */
	"  ignored INTEGER NOT NULL DEFAULT 0,"
	"  articles INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE entity_key ("
	"  type TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (type, key)"
	") WITHOUT ROWID;"
	"CREATE INDEX entity_key_by_entity ON entity_key(entity_id);"
	"CREATE TABLE alias ("
	"  entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	"  surface TEXT NOT NULL,"
	"  n INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (entity_id, surface)"
	") WITHOUT ROWID;"
	"CREATE INDEX alias_by_surface ON alias(surface COLLATE NOCASE);"
	/* Every mention of an article, as [in_title, start, end, entity_id]
	 * rows of one JSON array: read whole with the article, never searched
	 * (article_entity is what is searched). */
	"CREATE TABLE article_mention ("
	"  article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,"
	"  data TEXT NOT NULL"
	");"
	"CREATE TABLE article_entity ("
	"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,"
	"  entity_id INTEGER NOT NULL REFERENCES entity(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"
	"  ord INTEGER NOT NULL,"
	"  PRIMARY KEY (article_id, entity_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX article_entity_by_entity ON article_entity(entity_id, ord, article_id);"
	"CREATE TRIGGER article_ord_au AFTER UPDATE OF ord ON article BEGIN"
	"  UPDATE article_entity SET ord = new.ord WHERE article_id = new.id;"
	"END;"
	"CREATE TABLE correction ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('merge', 'rename', 'ignore')),"
	"  a TEXT NOT NULL,"
	"  b TEXT"
	");"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY,"
	"  label TEXT NOT NULL,"
	"  date TEXT"
	");"
	"CREATE TABLE event_article ("
	"  article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE,"
	"  event_id INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE"
	");"
	"CREATE INDEX event_article_by_event ON event_article(event_id, article_id);",

	/* 3: one article, whatever door it came through.  A feed item, the
	 * newsboat cache of that feed and the saved page of its link are one
	 * article: found by the item's guid, by its URL, or by its content.
	 * article_origin holds the other doors an article came through, each
	 * with the content hash that door last gave, so that importing any of
	 * them again changes nothing. */
	"ALTER TABLE article ADD COLUMN guid TEXT;"
	"CREATE INDEX article_guid ON article(guid) WHERE guid IS NOT NULL;"
	"CREATE INDEX article_url ON article(url) WHERE url IS NOT NULL;"
	"CREATE TABLE article_origin ("
	"  key TEXT PRIMARY KEY,"
	"  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,"
	"  hash TEXT NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX article_origin_by_article ON article_origin(article_id);",

	/* 4: subscriptions.  tags is a JSON array of strings; full_text 1
	 * fetches the page of every new item, 0 only of teasers; etag and
	 * last_modified are what the last 200 gave, for conditional GET;
	 * last_status is "ok", "not modified" or the last error in one line;
	 * items counts the articles that came through the feed; a feed is
	 * due when next_due (last fetch + interval seconds) has passed or is
	 * NULL. */
	"CREATE TABLE feed ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  tags TEXT NOT NULL DEFAULT '[]',"
	"  full_text INTEGER NOT NULL DEFAULT 0,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  last_fetch TEXT,"
	"  last_status TEXT,"
	"  items INTEGER NOT NULL DEFAULT 0,"
	"  interval INTEGER NOT NULL DEFAULT 1800,"
	"  next_due TEXT,"
	"  added TEXT NOT NULL"
	");"
	"CREATE INDEX feed_due ON feed(next_due);",

	/* 5: the reader's filters read an index, not the whole order: one
	 * outlet's articles in order, and the articles not read in order
	 * (partial: marking read removes the row from it). */
	"CREATE INDEX article_by_source ON article(source, ord, id);"
	"CREATE INDEX article_unread ON article(ord, id) WHERE read_at IS NULL;",

	/* 6: the articles stored but not linked into events yet.  An import
	 * links events after everything is in; a row here outlives a crash
	 * or an interrupt between the two, so that the next import links
	 * what the last one stored, and the cache ends as one whole run
	 * would have left it. */
	"CREATE TABLE event_pending ("
	"  article_id INTEGER PRIMARY KEY REFERENCES article(id) ON DELETE CASCADE"
	");",
};

int kb_store_fail(struct kb_store *st, const char *what)
{
	st->errcode = sqlite3_extended_errcode(st->db);
	/* a write refused for a full disk or a file-size limit */
	bool space = st->errcode == SQLITE_IOERR_WRITE || st->errcode == SQLITE_FULL;
	snprintf(st->err, sizeof st->err, "%s: %s%s", what, sqlite3_errmsg(st->db),
		 space ? " (no space left, or the file-size limit)" : "");
	return -1;
}

sqlite3_stmt *kb_store_prepare(struct kb_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		kb_store_fail(st, "prepare");
		return NULL;
	}
	return s;
}

sqlite3_stmt *kb_store_cached(struct kb_store *st, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot)
		*slot = kb_store_prepare(st, sql);
	else
		sqlite3_reset(*slot);
	return *slot;
}

int64_t kb_store_int(struct kb_store *st, sqlite3_stmt **slot, const char *sql, int64_t a,
		     int64_t b)
{
	sqlite3_stmt *s = kb_store_cached(st, slot, sql);
	if (!s)
		return -1;
	int np = sqlite3_bind_parameter_count(s);
	if (np >= 1)
		sqlite3_bind_int64(s, 1, a);
	if (np >= 2)
		sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s);
	int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? v : kb_store_fail(st, sql);
}

const char *kb_store_error(const struct kb_store *st)
{
	return st->err;
}

bool kb_store_fatal(const struct kb_store *st)
{
	switch (st->errcode & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_READONLY:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_PERM:
		return true;
	default:
		return false;
	}
}

bool kb_store_readonly(const struct kb_store *st)
{
	return st->readonly;
}

static int exec(struct kb_store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		st->errcode = sqlite3_extended_errcode(st->db);
		snprintf(st->err, sizeof st->err, "%s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int kb_store_schema_version(struct kb_store *st)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

_Static_assert(KB_ARRAY_LEN(migrations) == KB_SCHEMA_VERSION,
	       "KB_SCHEMA_VERSION is the number of migrations");

/* Every step from the cache's schema to this build's, in one transaction:
 * a cache is migrated whole or not at all.  The version is read again
 * once the write lock is held (another kabar may have migrated it). */
static int migrate(struct kb_store *st)
{
	if (kb_store_schema_version(st) == (int)KB_ARRAY_LEN(migrations))
		return 0;
	if (exec(st, "BEGIN IMMEDIATE;") < 0)
		return -1;
	int v = kb_store_schema_version(st), from = v;
	for (; v >= 0 && v < (int)KB_ARRAY_LEN(migrations); v++) {
		if (exec(st, migrations[v]) < 0) {
			char why[sizeof st->err];
			memcpy(why, st->err, sizeof why);
			sqlite3_exec(st->db, "ROLLBACK;", NULL, NULL, NULL);
			snprintf(st->err, sizeof st->err,
				 "migration from schema %d to %d failed at %d (nothing changed): %.400s",
				 from, (int)KB_ARRAY_LEN(migrations), v + 1, why);
			return -1;
		}
	}
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", v);
	if (exec(st, pragma) < 0 || exec(st, "COMMIT;") < 0) {
		sqlite3_exec(st->db, "ROLLBACK;", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* What the cache file holds, before anything is written to it: NULL when
 * kabar may use it, else why not (a message in st->err). */
static const char *check_schema(struct kb_store *st)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master"
					    " WHERE name NOT LIKE 'sqlite_%'", -1, &s, NULL);
	int64_t objects = 0;
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		objects = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_ROW) {
		kb_store_fail(st, "cannot read the cache");
		sqlite3_finalize(s);
		return st->err;
	}
	sqlite3_finalize(s);
	int v = kb_store_schema_version(st);
	if (v < 0) {
		kb_store_fail(st, "cannot read the cache");
		return st->err;
	}
	if (v == 0 && objects > 0) {
		snprintf(st->err, sizeof st->err,
			 "an SQLite database, but not a kabar cache (left as it is)");
		return st->err;
	}
	if (v > (int)KB_ARRAY_LEN(migrations)) {
		snprintf(st->err, sizeof st->err,
			 "cache schema %d is from a newer kabar; kabar %s reads schemas up to %d"
			 " (left as it is)",
			 v, PACKAGE_VERSION, (int)KB_ARRAY_LEN(migrations));
		return st->err;
	}
	if (st->readonly && v < (int)KB_ARRAY_LEN(migrations)) {
		snprintf(st->err, sizeof st->err,
			 "the cache is read-only and schema %d needs migrating to %d", v,
			 (int)KB_ARRAY_LEN(migrations));
		return st->err;
	}
	return NULL;
}

/* mkdir -p for the directory part of path. */
static int make_parent_dirs(const char *path)
{
	char *dir = kb_xstrdup(path);
	int rc = 0;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(dir);
	return rc;
}

static int prepare_all(struct kb_store *st)
{
	st->find_origin = kb_store_prepare(st,
		"SELECT id, content_hash FROM article WHERE origin_key = ?1");
	st->find_hash = kb_store_prepare(st,
		"SELECT id FROM article WHERE content_hash = ?1 LIMIT 1");
	st->find_door = kb_store_prepare(st,
		"SELECT o.article_id, o.hash, length(a.body), a.content_hash = o.hash"
		" FROM article_origin o JOIN article a ON a.id = o.article_id WHERE o.key = ?1");
	st->find_guid = kb_store_prepare(st,
		"SELECT id, length(body) FROM article WHERE guid = ?1 ORDER BY id LIMIT 1");
	/* two feed items are one only by their guids (feeds where every
	 * item links to the home page exist); a page is matched by its URL */
	st->find_url = kb_store_prepare(st,
		"SELECT id, length(body) FROM article WHERE url = ?1"
		" AND (?2 NOT IN ('rss', 'newsboat') OR format NOT IN ('rss', 'newsboat'))"
		" ORDER BY id LIMIT 1");
	st->add_door = kb_store_prepare(st,
		"INSERT INTO article_origin (key, article_id, hash) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (key) DO UPDATE SET article_id = ?2, hash = ?3");
	st->keep_door = kb_store_prepare(st,
		"INSERT OR IGNORE INTO article_origin (key, article_id, hash)"
		" SELECT origin_key, id, content_hash FROM article WHERE id = ?1");
	st->old_fields = kb_store_prepare(st,
		"SELECT source, url, published, published_inferred FROM article WHERE id = ?1");
	st->insert = kb_store_prepare(st,
		"INSERT INTO article (origin, origin_key, content_hash, format, title, body,"
		" source, url, published, published_inferred, ord, imported_at, updated_at,"
		" guid, read_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
		" strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
		" ?13, CASE WHEN ?14 THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END)");
	st->update = kb_store_prepare(st,
		"UPDATE article SET origin = coalesce(?1, origin), content_hash = ?3, format = ?4, title = ?5,"
		" body = ?6, source = ?7, url = ?8, published = ?9, published_inferred = ?10,"
		" ord = ?11, guid = coalesce(?13, guid),"
		" updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?12");
	st->del_bylines = kb_store_prepare(st, "DELETE FROM byline WHERE article_id = ?1");
	st->add_byline = kb_store_prepare(st,
		"INSERT OR IGNORE INTO byline (article_id, role, name) VALUES (?1, ?2, ?3)");
	return st->find_origin && st->find_hash && st->find_door && st->find_guid && st->find_url &&
			       st->add_door && st->keep_door && st->old_fields && st->insert &&
			       st->update && st->del_bylines && st->add_byline
		       ? 0
		       : -1;
}

/* Whether path can be used as a cache file at all: NULL, or why not. */
static const char *check_file(const char *path, bool *exists, bool *readonly)
{
	static char why[128];
	struct stat sb;
	*exists = stat(path, &sb) == 0;
	*readonly = false;
	if (!*exists)
		return errno == ENOENT ? NULL : strerror(errno);
	if (S_ISDIR(sb.st_mode))
		return "is a directory, not a cache file";
	if (!S_ISREG(sb.st_mode))
		return "not a regular file";
	if (sb.st_size > 0) {
		char head[16];
		FILE *f = fopen(path, "rb");
		if (!f) {
			snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
			return why;
		}
		size_t n = fread(head, 1, sizeof head, f);
		fclose(f);
		if (n < sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
			return "not an SQLite database, so not a kabar cache (left as it is)";
	}
	/* a file or directory kabar may not write: read it, write nothing */
	char *dir = kb_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	*readonly = access(path, W_OK) != 0 || access(dir, W_OK | X_OK) != 0;
	free(dir);
	return NULL;
}

/* A URI that opens path read-only as a file nobody changes meanwhile:
 * how a WAL cache in a directory kabar cannot write (no -shm) is read. */
static char *immutable_uri(const char *path)
{
	struct kb_buf b = { 0 };
	kb_buf_adds(&b, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#') {
			char esc[4];
			snprintf(esc, sizeof esc, "%%%02X", (unsigned char)*p);
			kb_buf_adds(&b, esc);
		} else {
			kb_buf_addc(&b, *p);
		}
	}
	kb_buf_adds(&b, "?immutable=1");
	return kb_buf_steal(&b);
}

struct kb_store *kb_store_open(const char *path, char **err)
{
	struct kb_store *st = kb_xcalloc(1, sizeof *st);
	st->path = kb_xstrdup(path);
	bool exists;
	const char *why = check_file(path, &exists, &st->readonly);
	if (why) {
		*err = kb_xasprintf("%s: %s", path, why);
		kb_store_close(st);
		return NULL;
	}
	if (!exists)
		make_parent_dirs(path);
	int flags = st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		*err = kb_xasprintf("%s: cannot open cache: %s", path,
				    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		kb_store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, 5000);
	if (st->readonly && sqlite3_exec(st->db, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL,
					 NULL) != SQLITE_OK) {
		sqlite3_close_v2(st->db);
		st->db = NULL;
		char *uri = immutable_uri(path);
		int rc = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
		free(uri);
		if (rc != SQLITE_OK) {
			*err = kb_xasprintf("%s: cannot open cache: %s", path,
					    st->db ? sqlite3_errmsg(st->db) : "out of memory");
			kb_store_close(st);
			return NULL;
		}
	}
	if ((why = check_schema(st)) ||
	    exec(st, st->readonly ? "PRAGMA foreign_keys = ON;"
				  : "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
				    " PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;") < 0 ||
	    (!st->readonly && migrate(st) < 0) || prepare_all(st) < 0) {
		*err = kb_xasprintf("%s: %s", path, st->err);
		kb_store_close(st);
		return NULL;
	}
	return st;
}

void kb_store_bulk(struct kb_store *st)
{
	/* 16 MB instead of 2: the (entity, ord) index and the FTS segments
	 * an import writes all over stay in memory instead of being read
	 * back from the file system page by page.  The importer stays well
	 * under 64 MB whatever it imports. */
	exec(st, "PRAGMA cache_size = -16384;");
}

void kb_store_close(struct kb_store *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->find_origin);
	sqlite3_finalize(st->find_hash);
	sqlite3_finalize(st->find_door);
	sqlite3_finalize(st->find_guid);
	sqlite3_finalize(st->find_url);
	sqlite3_finalize(st->add_door);
	sqlite3_finalize(st->keep_door);
	sqlite3_finalize(st->old_fields);
	sqlite3_finalize(st->insert);
	sqlite3_finalize(st->update);
	sqlite3_finalize(st->del_bylines);
	sqlite3_finalize(st->add_byline);
	sqlite3_stmt *const entity_stmts[] = {
		st->find_key, st->add_entity, st->add_key, st->best_name, st->add_mentions,
		st->add_link, st->add_alias, st->old_links, st->retract_alias, st->del_links,
		st->del_mentions, st->begin, st->commit, st->savepoint, st->release, st->rollback_to,
		st->fts_add, st->fts_del, st->fts_text, st->count_articles, st->retract_counts,
		st->article_ord, st->count, st->find_key_only, st->entity_name, st->ev_candidates, st->ev_old, st->ev_leave,
		st->ev_new, st->ev_drop, st->ev_join, st->ev_size, st->ev_label, st->ev_fit,
		st->rd_mentions, st->rd_ord, st->rd_next, st->rd_prev, st->rd_rank, st->rd_event,
		st->rd_event_rows, st->rd_read, st->rd_unread,
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(entity_stmts); i++)
		sqlite3_finalize(entity_stmts[i]);
	sqlite3_finalize(st->ev_pend_add);
	sqlite3_finalize(st->ev_pend_next);
	sqlite3_finalize(st->ev_pend_del);
	free(st->marks);
	free(st->idc);
	free(st->touched);
	free(st->fts_ids);
	free(st->links);
	kb_store_drop_counts(st, 0);
	free(st->counts);
	if (st->db)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

/* Runs one of the transaction statements, prepared once. */
static int control(struct kb_store *st, sqlite3_stmt **slot, const char *sql)
{
	if (!*slot && !(*slot = kb_store_prepare(st, sql)))
		return -1;
	int rc = sqlite3_step(*slot);
	sqlite3_reset(*slot);
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, sql);
}

/* A writer that finds the cache locked waits (the busy timeout, 5 s),
 * then tries again with a growing pause: about a minute in all before
 * "database is locked" is an error.  Readers never block a writer in WAL
 * mode; only another writer's batch does, and a batch is at most 2 s. */
#define WRITE_TRIES 10

int kb_store_begin(struct kb_store *st)
{
	if (st->readonly) {
		st->errcode = SQLITE_READONLY;
		snprintf(st->err, sizeof st->err, "the cache is read-only");
		return -1;
	}
	for (int i = 0;; i++) {
		if (control(st, &st->begin, "BEGIN IMMEDIATE") == 0)
			return 0;
		if ((st->errcode & 0xff) != SQLITE_BUSY || i + 1 >= WRITE_TRIES)
			return -1;
		struct timespec pause = { .tv_nsec = (long)(i < 4 ? 100 << i : 1000) * 1000000L };
		if (pause.tv_nsec >= 1000000000L)
			pause = (struct timespec){ .tv_sec = 1 };
		nanosleep(&pause, NULL);
	}
}

static int run(struct kb_store *st, sqlite3_stmt *s, const char *what);

/* Indexes the articles stored since the transaction began.  The text is
 * read first and bound to a one-row INSERT ... VALUES: an INSERT ...
 * SELECT runs in a statement savepoint, and FTS5 flushes at each one. */
static int flush_fts(struct kb_store *st)
{
	if (st->n_fts && !st->fts_add &&
	    (!(st->fts_add = kb_store_prepare(st, "INSERT INTO article_fts (rowid, title, body)"
						  " VALUES (?1, ?2, ?3)")) ||
	     !(st->fts_text = kb_store_prepare(st, "SELECT title, body FROM article WHERE id = ?1"))))
		return -1;
	for (size_t i = 0; i < st->n_fts; i++) {
		sqlite3_bind_int64(st->fts_text, 1, st->fts_ids[i]);
		if (sqlite3_step(st->fts_text) != SQLITE_ROW) {
			sqlite3_reset(st->fts_text);
			return kb_store_fail(st, "index article");
		}
		sqlite3_bind_int64(st->fts_add, 1, st->fts_ids[i]);
		sqlite3_bind_value(st->fts_add, 2, sqlite3_column_value(st->fts_text, 0));
		sqlite3_bind_value(st->fts_add, 3, sqlite3_column_value(st->fts_text, 1));
		int rc = run(st, st->fts_add, "index article");
		sqlite3_reset(st->fts_text);
		if (rc < 0)
			return -1;
	}
	st->n_fts = 0;
	return 0;
}

int kb_store_commit(struct kb_store *st)
{
	if (kb_store_flush_links(st) < 0 || flush_fts(st) < 0 || kb_store_flush_counts(st) < 0 ||
	    kb_store_flush_names(st) < 0)
		return -1;
	int rc = control(st, &st->commit, "COMMIT");
	if (rc == 0)
		st->n_links = st->links_pending = 0;
	return rc;
}

/* The entity ids cached in memory may name rows a rollback took away
 * (the "FOREIGN KEY constraint failed" of every later article). */
static void forget_ids(struct kb_store *st)
{
	if (st->idc)
		memset(st->idc, 0, IDCACHE_SIZE * sizeof *st->idc);
}

int kb_store_savepoint(struct kb_store *st)
{
	st->sp_fts = st->n_fts;
	st->sp_touched = st->n_touched;
	st->sp_counts = st->n_counts;
	st->sp_links = st->n_links;
	for (size_t i = 0; i < st->n_links; i++)
		if (st->links[i].state == KB_LINK_WRITTEN_IN_SP)
			st->links[i].state = KB_LINK_WRITTEN;
	st->in_sp = true;
	return control(st, &st->savepoint, "SAVEPOINT one");
}

int kb_store_release(struct kb_store *st)
{
	st->in_sp = false;
	return control(st, &st->release, "RELEASE one");
}

void kb_store_rollback_to(struct kb_store *st)
{
	char keep[sizeof st->err];
	memcpy(keep, st->err, sizeof keep);
	if (control(st, &st->rollback_to, "ROLLBACK TO one") == 0)
		kb_store_release(st);
	memcpy(st->err, keep, sizeof keep);
	st->n_fts = st->sp_fts;
	st->n_touched = st->sp_touched;
	/* what was added since the savepoint is gone, and what was written
	 * since is to be written again */
	if (st->sp_links < st->n_links)
		st->n_links = st->sp_links;
	st->links_pending = 0;
	for (size_t i = 0; i < st->n_links; i++) {
		if (st->links[i].state == KB_LINK_WRITTEN_IN_SP)
			st->links[i].state = KB_LINK_PENDING;
		st->links_pending += st->links[i].state == KB_LINK_PENDING;
	}
	st->in_sp = false;
	kb_store_drop_counts(st, st->sp_counts);
	forget_ids(st);
}

void kb_store_rollback(struct kb_store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK;", NULL, NULL, NULL);
	st->n_fts = 0;
	st->n_touched = 0;
	st->n_links = st->links_pending = 0;
	st->in_sp = false;
	kb_store_drop_counts(st, 0);
	forget_ids(st);
}

static void fts_pending(struct kb_store *st, int64_t id)
{
	if (st->n_fts == st->cap_fts) {
		st->cap_fts = st->cap_fts ? st->cap_fts * 2 : 256;
		st->fts_ids = kb_xrealloc(st->fts_ids, st->cap_fts * sizeof *st->fts_ids);
	}
	st->fts_ids[st->n_fts++] = id;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Runs a statement that returns no rows, then resets it. */
static int run(struct kb_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		kb_store_fail(st, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

static int put_bylines(struct kb_store *st, int64_t id, const struct kb_article *a)
{
	sqlite3_bind_int64(st->del_bylines, 1, id);
	if (run(st, st->del_bylines, "delete bylines") < 0)
		return -1;
	for (size_t i = 0; i < a->n_bylines; i++) {
		sqlite3_bind_int64(st->add_byline, 1, id);
		bind_text(st->add_byline, 2, a->bylines[i].role);
		bind_text(st->add_byline, 3, a->bylines[i].name);
		if (run(st, st->add_byline, "store byline") < 0)
			return -1;
	}
	return 0;
}

static void bind_article(sqlite3_stmt *s, const struct kb_article *a)
{
	bind_text(s, 1, a->origin);
	if (sqlite3_bind_parameter_index(s, "?2"))
		bind_text(s, 2, a->origin_key);
	bind_text(s, 3, a->hash);
	bind_text(s, 4, a->format ? a->format : "text");
	bind_text(s, 5, a->title);
	bind_text(s, 6, a->body);
	bind_text(s, 7, a->source);
	bind_text(s, 8, a->url);
	bind_text(s, 9, a->published);
	sqlite3_bind_int(s, 10, a->published_inferred);
	sqlite3_bind_int64(s, 11, kb_store_date_ord(a->published));
}

/* Where an article stands against the cache:
 *   LOOKUP_SAME     nothing to store: this door gave this content before,
 *                   the content is stored already, or another door's copy
 *                   of the same item (guid) or page (URL) is as rich;
 *   LOOKUP_CHANGED  its door gave other content before: update in place;
 *   LOOKUP_RICHER   another door's copy of the same item or page is much
 *                   poorer (a teaser this full text replaces, same id);
 *   LOOKUP_NEW      nothing matches.
 * *id is the matching article. */
enum lookup {
	LOOKUP_ERROR = -1,
	LOOKUP_NEW,
	LOOKUP_SAME,
	LOOKUP_CHANGED,
	LOOKUP_DOOR_CHANGED, /* LOOKUP_CHANGED, for a door of article_origin */
	LOOKUP_RICHER,
};

/* A copy whose body is this much longer is the full text of a teaser; a
 * margin keeps two nearly equal copies from replacing each other. */
static bool richer(int64_t new_len, int64_t old_len)
{
	return new_len >= old_len + 200 && new_len * 4 >= old_len * 5;
}

/* Runs s (bound already) for one row: 1 with the row left for reading,
 * 0 when there is none (s reset), -1 on error. */
static int one_row(struct kb_store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kb_store_fail(st, "find article");
}

/* Another door's copy found by s (id, body length): richer or the same. */
static enum lookup other_copy(struct kb_store *st, sqlite3_stmt *s, const char *v,
			      int64_t len, int64_t *id)
{
	bind_text(s, 1, v);
	int rc = one_row(st, s);
	if (rc <= 0)
		return rc < 0 ? LOOKUP_ERROR : LOOKUP_NEW;
	*id = sqlite3_column_int64(s, 0);
	bool more = richer(len, sqlite3_column_int64(s, 1));
	sqlite3_reset(s);
	return more ? LOOKUP_RICHER : LOOKUP_SAME;
}

static enum lookup lookup(struct kb_store *st, const struct kb_article *a, int64_t *id)
{
	int64_t len = a->body ? (int64_t)strlen(a->body) : 0;
	/* a door recorded because the article holds another door's copy */
	sqlite3_stmt *s = st->find_door;
	bind_text(s, 1, a->origin_key);
	int rc = one_row(st, s);
	if (rc != 0) {
		if (rc < 0)
			return LOOKUP_ERROR;
		*id = sqlite3_column_int64(s, 0);
		bool same = strcmp((const char *)sqlite3_column_text(s, 1), a->hash) == 0;
		bool stored = sqlite3_column_int(s, 3); /* its copy is what is stored */
		bool poorer = richer(sqlite3_column_int64(s, 2), len);
		sqlite3_reset(s);
		if (same)
			return LOOKUP_SAME;
		return stored ? LOOKUP_DOOR_CHANGED : poorer ? LOOKUP_SAME : LOOKUP_RICHER;
	}
	s = st->find_origin;
	bind_text(s, 1, a->origin_key);
	if ((rc = one_row(st, s)) != 0) {
		if (rc < 0)
			return LOOKUP_ERROR;
		bool same = strcmp((const char *)sqlite3_column_text(s, 1), a->hash) == 0;
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return same ? LOOKUP_SAME : LOOKUP_CHANGED;
	}
	s = st->find_hash;
	bind_text(s, 1, a->hash);
	if ((rc = one_row(st, s)) != 0) {
		if (rc < 0)
			return LOOKUP_ERROR;
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return LOOKUP_SAME;
	}
	enum lookup l = LOOKUP_NEW;
	if (a->guid) /* the same feed item through another feed file or cache */
		l = other_copy(st, st->find_guid, a->guid, len, id);
	if (l == LOOKUP_NEW && a->url) { /* the page of a feed item, or its item */
		bind_text(st->find_url, 2, a->format ? a->format : "text");
		l = other_copy(st, st->find_url, a->url, len, id);
	}
	return l;
}

int kb_store_seen(struct kb_store *st, const struct kb_article *a, int64_t *id)
{
	enum lookup l = lookup(st, a, id);
	return l == LOOKUP_ERROR ? -1 : l == LOOKUP_SAME;
}

/* The fields a richer copy leaves unknown keep what the poorer one said,
 * and a date it only inferred gives way to one the poorer copy stated. */
static int fill_missing(struct kb_store *st, int64_t id, struct kb_article *a)
{
	sqlite3_stmt *s = st->old_fields;
	sqlite3_bind_int64(s, 1, id);
	int rc = one_row(st, s);
	if (rc <= 0)
		return rc;
	if (!a->source && sqlite3_column_type(s, 0) != SQLITE_NULL)
		a->source = kb_xstrdup((const char *)sqlite3_column_text(s, 0));
	if (!a->url && sqlite3_column_type(s, 1) != SQLITE_NULL)
		a->url = kb_xstrdup((const char *)sqlite3_column_text(s, 1));
	bool stated = sqlite3_column_type(s, 2) != SQLITE_NULL && !sqlite3_column_int(s, 3);
	if ((!a->published && sqlite3_column_type(s, 2) != SQLITE_NULL) ||
	    (a->published_inferred && stated)) {
		a->published = kb_xstrdup((const char *)sqlite3_column_text(s, 2));
		a->published_inferred = !stated;
	}
	sqlite3_reset(s);
	return 0;
}

/* Replaces the stored content of article id with a (same id). */
static int update(struct kb_store *st, int64_t id, const struct kb_article *a)
{
	if (kb_store_retract_mentions(st, id) < 0)
		return -1;
	if (!st->fts_del &&
	    !(st->fts_del = kb_store_prepare(st,
		"INSERT INTO article_fts (article_fts, rowid, title, body)"
		" SELECT 'delete', id, title, body FROM article WHERE id = ?1")))
		return -1;
	/* an article stored earlier in this transaction is not indexed yet
	 * (that happens at commit, with whatever text it has then) */
	bool pending = false;
	for (size_t i = st->n_fts; i-- > 0 && !pending;)
		pending = st->fts_ids[i] == id;
	sqlite3_bind_int64(st->fts_del, 1, id);
	if (!pending && run(st, st->fts_del, "unindex article") < 0)
		return -1;
	bind_article(st->update, a);
	sqlite3_bind_int64(st->update, 12, id);
	bind_text(st->update, 13, a->guid); /* a page's copy keeps the item's guid */
	if (run(st, st->update, "update article") < 0 || put_bylines(st, id, a) < 0)
		return -1;
	if (!pending)
		fts_pending(st, id);
	return 0;
}

/* Records that a's origin is a door to article id, with a's content. */
static int set_door(struct kb_store *st, int64_t id, const struct kb_article *a)
{
	bind_text(st->add_door, 1, a->origin_key);
	sqlite3_bind_int64(st->add_door, 2, id);
	bind_text(st->add_door, 3, a->hash);
	return run(st, st->add_door, "add origin");
}

/* The same, when a's content is about to replace the article's: its
 * origin keeps the content it gave, which is no longer stored. */
static int add_door(struct kb_store *st, int64_t id, const struct kb_article *a)
{
	sqlite3_bind_int64(st->keep_door, 1, id);
	if (run(st, st->keep_door, "keep origin") < 0)
		return -1;
	return set_door(st, id, a);
}

enum kb_put kb_store_put_article(struct kb_store *st, const struct kb_article *a,
				 int64_t *id)
{
	switch (lookup(st, a, id)) {
	case LOOKUP_ERROR:
		return KB_PUT_ERROR;
	case LOOKUP_SAME:
		return KB_PUT_UNCHANGED;
	case LOOKUP_CHANGED:
		return update(st, *id, a) < 0 ? KB_PUT_ERROR : KB_PUT_UPDATED;
	case LOOKUP_DOOR_CHANGED: {
		struct kb_article keep = *a;
		keep.origin = NULL; /* the article keeps the origin it had */
		return set_door(st, *id, a) < 0 || update(st, *id, &keep) < 0 ? KB_PUT_ERROR
									  : KB_PUT_UPDATED;
	}
	case LOOKUP_RICHER: {
		struct kb_article full = *a;
		int rc = fill_missing(st, *id, &full);
		if (rc == 0)
			rc = add_door(st, *id, a);
		if (rc == 0) {
			full.origin = NULL; /* the article keeps the origin it had */
			rc = update(st, *id, &full);
		}
		if (full.source != a->source)
			free((char *)full.source);
		if (full.url != a->url)
			free((char *)full.url);
		if (full.published != a->published)
			free((char *)full.published);
		return rc < 0 ? KB_PUT_ERROR : KB_PUT_UPDATED;
	}
	case LOOKUP_NEW:
		break;
	}
	bind_article(st->insert, a);
	bind_text(st->insert, 13, a->guid);
	sqlite3_bind_int(st->insert, 14, a->read);
	if (run(st, st->insert, "insert article") < 0)
		return KB_PUT_ERROR;
	*id = sqlite3_last_insert_rowid(st->db);
	if (put_bylines(st, *id, a) < 0)
		return KB_PUT_ERROR;
	fts_pending(st, *id);
	return KB_PUT_NEW;
}

int64_t kb_store_count(struct kb_store *st)
{
	return kb_store_int(st, &st->count, "SELECT value FROM counter WHERE name = 'articles'",
			    0, 0);
}

int64_t kb_store_date_ord(const char *iso)
{
	/* YYYY[-MM[-DD[THH:MM[:SS]]]] -> -YYYYMMDDHHMMSS; unknown -> 0, so
	 * ascending order is newest first with undated articles last. */
	if (!iso)
		return 0;
	int f[6] = { 0 };
	static const int width[6] = { 4, 2, 2, 2, 2, 2 };
	const char *p = iso;
	for (int i = 0; i < 6; i++) {
		if (i > 0) {
			if (!*p || !strchr("-T :", *p))
				break;
			p++;
		}
		int v = 0, k = 0;
		for (; k < width[i] && *p >= '0' && *p <= '9'; k++, p++)
			v = v * 10 + (*p - '0');
		if (k != width[i])
			break;
		f[i] = v;
	}
	if (f[0] == 0)
		return 0;
	int64_t key = f[0];
	for (int i = 1; i < 6; i++)
		key = key * 100 + f[i];
	return -key;
}
