/* internal.h - what the storage files share; nothing outside src/store/. */
#ifndef KABAR_STORE_INTERNAL_H
#define KABAR_STORE_INTERNAL_H

#include <sqlite3.h>

#include "kabar/store.h"

struct kb_store {
	sqlite3 *db;
	char *path;
	char err[512];
	sqlite3_stmt *find_origin, *find_hash, *insert, *update, *del_bylines,
		*add_byline;
};

/* Records the database's last error, prefixed by what, in st->err. */
int kb_store_fail(struct kb_store *st, const char *what);
/* Prepares sql; on failure records the error and returns NULL. */
sqlite3_stmt *kb_store_prepare(struct kb_store *st, const char *sql);

#endif
