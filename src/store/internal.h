/* internal.h - what the storage files share; nothing outside src/store/. */
#ifndef KABAR_STORE_INTERNAL_H
#define KABAR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "kabar/store.h"

struct kb_idcache {
	uint64_t h;
	int64_t id; /* negative: an ignored entity */
};

struct kb_store {
	sqlite3 *db;
	char *path;
	char err[512];
	sqlite3_stmt *find_origin, *find_hash, *insert, *update, *del_bylines,
		*add_byline;
	/* entity.c, prepared on first use */
	sqlite3_stmt *find_key, *add_entity, *add_key, *best_name, *add_mentions, *add_link,
		*add_alias, *old_links, *retract_alias, *del_links, *del_mentions;
	sqlite3_stmt *begin, *commit, *savepoint, *release, *rollback_to;
	struct kb_idcache *idc; /* type + key -> entity id */
	int64_t *touched;       /* entities whose name may change */
	size_t n_touched, cap_touched;
};

/* The columns every article listing starts with, in struct kb_row order;
 * the JSON object is left open for callers to add fields and close. */
#define KB_ROW_COLUMNS                                                           \
	"a.id, a.ord, a.title, a.source, a.origin, a.published,"                 \
	" a.published_inferred,"                                                 \
	" json_object('id', a.id, 'title', a.title, 'source', a.source,"         \
	" 'origin', a.origin, 'published', a.published,"                         \
	" 'published_inferred', json(CASE WHEN a.published_inferred"             \
	" THEN 'true' ELSE 'false' END)"

#define KB_STR_(x) #x
#define KB_STR(x) KB_STR_(x)

/* Reads the KB_ROW_COLUMNS of the current row of s into r. */
void kb_store_fill_row(sqlite3_stmt *s, struct kb_row *r);

/* Takes back an article's mentions (entity.c) before it changes. */
int kb_store_retract_mentions(struct kb_store *st, int64_t article_id);

/* Records the database's last error, prefixed by what, in st->err. */
int kb_store_fail(struct kb_store *st, const char *what);
/* Prepares sql; on failure records the error and returns NULL. */
sqlite3_stmt *kb_store_prepare(struct kb_store *st, const char *sql);

#endif
