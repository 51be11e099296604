/* internal.h - what the storage files share; nothing outside src/store/. */
#ifndef KABAR_STORE_INTERNAL_H
#define KABAR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "kabar/store.h"

/* entries of the key cache (type + key -> entity id) of a connection */
#define IDCACHE_SIZE (1u << 16)

struct kb_idcache {
	uint64_t h;
	int64_t id; /* negative: an ignored entity */
};

/* +n to entity.articles (surface NULL) or to alias.n of a surface. */
struct kb_count {
	int64_t id;
	char *surface;
	int64_t n;
};

/* A row of article_entity of the open transaction: kept until it ends,
 * so that a savepoint rolled back after the row was written puts it back
 * to be written again. */
struct kb_link {
	int64_t entity_id, ord, article_id;
	int32_t n;
	enum { KB_LINK_PENDING, KB_LINK_WRITTEN, KB_LINK_WRITTEN_IN_SP } state;
};

struct kb_store {
	sqlite3 *db;
	char *path;
	char err[512];
	int errcode;   /* the extended SQLite code of the last error */
	bool readonly; /* a file or directory kabar may not write */
	sqlite3_stmt *find_origin, *find_hash, *find_door, *find_guid, *find_url, *add_door, *keep_door,
		*old_fields, *insert, *update, *del_bylines, *add_byline;
	/* entity.c, prepared on first use */
	sqlite3_stmt *find_key, *add_entity, *add_key, *best_name, *add_mentions, *add_link,
		*add_alias, *old_links, *retract_alias, *del_links, *del_mentions;
	sqlite3_stmt *begin, *commit, *savepoint, *release, *rollback_to, *fts_add, *fts_del,
		*fts_text;
	int64_t *fts_ids; /* stored in this transaction, indexed at commit */
	size_t n_fts, cap_fts, sp_fts, sp_touched;
	/* count changes of this transaction (entity.articles, alias.n) */
	struct kb_count *counts;
	size_t n_counts, cap_counts, sp_counts;
	/* article_entity rows of this transaction, written at commit in the
	 * order of the (entity, ord) index */
	struct kb_link *links;
	size_t n_links, cap_links, sp_links, links_pending;
	bool in_sp; /* a savepoint is open */
	sqlite3_stmt *count_articles, *retract_counts, *article_ord, *count, *find_key_only,
		*entity_name;
	/* reader.c */
	sqlite3_stmt *rd_mentions, *rd_ord, *rd_next, *rd_prev, *rd_rank, *rd_event,
		*rd_event_rows, *rd_read, *rd_unread;
	/* event.c */
	sqlite3_stmt *ev_candidates, *ev_old, *ev_leave, *ev_new, *ev_drop, *ev_join,
		*ev_size, *ev_label, *ev_fit, *ev_pend_add, *ev_pend_next, *ev_pend_del;
	/* reader.c: articles whose mark (read or not) found the cache locked */
	struct kb_mark {
		int64_t id;
		bool read;    /* read, or not read */
		double since; /* when the first try failed */
	} *marks;
	size_t n_marks, cap_marks;
	bool rank_ready;        /* query.c: kb_rank() registered with FTS5 */
	struct kb_idcache *idc; /* type + key -> entity id */
	int64_t *touched;       /* entities whose name may change */
	size_t n_touched, cap_touched;
};

/* The columns every article listing starts with, in struct kb_row order;
 * the JSON object is left open for callers to add fields and close. */
#define KB_ROW_COLUMNS                                                           \
	"a.id, a.ord, a.title, a.source, a.origin, a.published,"                 \
	" a.published_inferred, a.read_at IS NOT NULL,"                          \
	" json_object('id', a.id, 'title', a.title, 'source', a.source,"         \
	" 'origin', a.origin, 'published', a.published,"                         \
	" 'published_inferred', json(CASE WHEN a.published_inferred"             \
	" THEN 'true' ELSE 'false' END)"

#define KB_STR_(x) #x
#define KB_STR(x) KB_STR_(x)

/* How many columns KB_ROW_COLUMNS makes (once its JSON is closed). */
#define KB_ROW_NCOLS 9

/* Reads the KB_ROW_COLUMNS of the current row of s into r. */
void kb_store_fill_row(sqlite3_stmt *s, struct kb_row *r);

/* Writes the transaction's count changes (entity.c); drops those made
 * after mark (a savepoint rolled back). */
int kb_store_flush_counts(struct kb_store *st);
void kb_store_drop_counts(struct kb_store *st, size_t mark);
/* Writes the transaction's article_entity rows (entity.c): before the
 * commit, and before anything reads or changes that table meanwhile. */
int kb_store_flush_links(struct kb_store *st);

/* Takes back an article's mentions (entity.c) before it changes. */
int kb_store_retract_mentions(struct kb_store *st, int64_t article_id);

/* Records the database's last error, prefixed by what, in st->err. */
int kb_store_fail(struct kb_store *st, const char *what);
/* The ids (column fid) of the articles that came through a feed whose
 * items' origin keys lie in [lo, hi) (SQL parameters): by the ranges of
 * both key indexes, the article's own origin and its other doors. */
#define KB_FEED_ARTICLES(lo, hi)                                                     \
	"(SELECT id AS fid FROM article WHERE origin_key >= " lo " AND origin_key < " hi \
	" UNION SELECT article_id FROM article_origin WHERE key >= " lo " AND key < " hi ")"

/* The origin keys [*lo, *hi) of the items of subscription id (malloc'd):
 * 0, or -1 with the error set (also when there is no such feed). */
int kb_store_feed_range(struct kb_store *st, int64_t id, char **lo, char **hi);

/* Prepares sql once per connection, caching it in *slot, and returns it
 * reset; NULL (with the error recorded) when it cannot be prepared. */
sqlite3_stmt *kb_store_cached(struct kb_store *st, sqlite3_stmt **slot, const char *sql);
/* Runs a cached statement with up to two integer parameters; returns
 * the first column of its first row, 0 when it returns none, -1 on
 * error. */
int64_t kb_store_int(struct kb_store *st, sqlite3_stmt **slot, const char *sql, int64_t a,
		     int64_t b);
/* Prepares sql; on failure records the error and returns NULL. */
sqlite3_stmt *kb_store_prepare(struct kb_store *st, const char *sql);

#endif
