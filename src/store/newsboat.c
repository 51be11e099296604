/* newsboat.c - the rows of a newsboat cache.db, read-only. */
