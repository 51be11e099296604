/* newsboat.c - reading a newsboat cache.db. */
