/* store.h - the article cache.  The only module that speaks SQL. */
#ifndef KABAR_STORE_H
#define KABAR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kb_store;

/* Schema version this build writes (PRAGMA user_version). */
#define KB_SCHEMA_VERSION 6

/* Opens (creating when needed, with parent directories) and migrates the
 * cache at path, all migration steps in one transaction.  A file or
 * directory kabar may not write is opened read-only (writes then fail
 * with "PATH is read-only"); a directory, a file that is not SQLite, an
 * SQLite database that is not a kabar cache and a cache from a newer
 * kabar are refused before anything is written.  On failure returns NULL
 * and sets *err to a malloc'd one-line message the caller frees. */
struct kb_store *kb_store_open(const char *path, char **err);
void kb_store_close(struct kb_store *st);

/* Tunes the connection for a long import: a bigger (bounded) page cache
 * and fewer, larger checkpoints. */
void kb_store_bulk(struct kb_store *st);
/* Last error message of st (valid until the next call). */
const char *kb_store_error(const struct kb_store *st);
/* Whether the last error means no more can be written now (a full disk,
 * an I/O error, a read-only or corrupt cache, a lock held too long):
 * an import stops there instead of failing every later article. */
bool kb_store_fatal(const struct kb_store *st);
/* Whether the cache was opened read-only. */
bool kb_store_readonly(const struct kb_store *st);
int kb_store_schema_version(struct kb_store *st);

int kb_store_begin(struct kb_store *st);
/* Indexes the articles stored in the transaction for search, refreshes
 * changed entity names, and commits. */
int kb_store_commit(struct kb_store *st);
void kb_store_rollback(struct kb_store *st);
/* A savepoint inside a transaction: one file of a batch, kept whole or
 * rolled back whole (which keeps the last error message). */
int kb_store_savepoint(struct kb_store *st);
int kb_store_release(struct kb_store *st);
void kb_store_rollback_to(struct kb_store *st);

/* A byline or credit: role is "author", "editor", "photo" or "via". */
struct kb_byline {
	const char *role;
	const char *name;
};

/* An article ready to be stored.  Strings are UTF-8; NULL means unknown. */
struct kb_article {
	const char *origin;     /* the path or URL as given */
	const char *origin_key; /* identifies the origin across imports */
	const char *hash;       /* content hash, hex */
	const char *format;     /* "text", ... */
	const char *title;
	const char *body;
	const char *source;
	const char *url;
	const char *guid; /* a feed item's identity across doors (kb_item_key) */
	const char *published; /* ISO 8601 */
	bool published_inferred;
	const struct kb_byline *bylines;
	size_t n_bylines;
	bool read; /* stored as read (a new article only) */
};

enum kb_put {
	KB_PUT_ERROR = -1,
	KB_PUT_NEW,
	KB_PUT_UPDATED,
	KB_PUT_UNCHANGED,
};

/* Stores a, keyed by its origin (the door it came through: a file, an
 * item of one feed file or cache) and deduplicated: an article is the one
 * already stored with a's origin, content hash, guid or URL.  A changed
 * origin updates its article; a copy through another door (the same item
 * in a newsboat cache, the saved page of an item's link) replaces the
 * stored text in place only when it is much richer (the full text of a
 * teaser), and otherwise changes nothing.  Call inside
 * kb_store_begin/commit.  *id receives the article id. */
enum kb_put kb_store_put_article(struct kb_store *st, const struct kb_article *a,
				 int64_t *id);

/* Whether kb_store_put_article would leave a as it is stored: 1 when
 * nothing would change, 0 when it must be stored, -1 on error.  *id
 * receives the stored article's id when 1. */
int kb_store_seen(struct kb_store *st, const struct kb_article *a, int64_t *id);

/* One row of a listing; strings live until the callback returns. */
struct kb_row {
	int64_t id;
	int64_t ord; /* position key: rows sort by (ord, id) */
	const char *title;
	const char *source;
	const char *origin;
	const char *published;
	bool published_inferred;
	bool read;
	const char *snippet; /* search only: matches between \x02 and \x03 */
	const char *json;    /* the row as a JSON object */
};

typedef int (*kb_row_fn)(const struct kb_row *row, void *ctx);

struct kb_list_query {
	const char *date;   /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", or NULL */
	int64_t entity;     /* > 0: only articles that mention this entity */
	bool after;         /* keyset: only rows after (after_ord, after_id) */
	bool before;        /* or only rows before it, nearest first */
	int64_t after_ord;
	int64_t after_id;
	int limit;          /* <= 0: no limit */
	/* the reader's filters, each served by an index of its own */
	const char *source; /* non-NULL: only this outlet ("" for none) */
	bool unread;        /* only articles not read */
	int64_t feed;       /* > 0: only articles that came through this
	                       subscription (read through its key range and
	                       sorted: as many as the feed brought) */
};

/* Lists articles newest first, undated ones last in import order.  The
 * callback returns non-zero to stop.  Returns 0, or -1 on error. */
int kb_store_list(struct kb_store *st, const struct kb_list_query *q,
		  kb_row_fn fn, void *ctx);

/* Full-text search over title and body, best first.  query is what a
 * person types: words are ANDed, "quoted phrases" kept, a trailing '*'
 * makes a prefix.  Returns 0, 1 when the query has no searchable word, or
 * -1 on error. */
int kb_store_search(struct kb_store *st, const char *query, int limit,
		    kb_row_fn fn, void *ctx);

/* A whole article; every string malloc'd (NULL when unknown). */
struct kb_article_view {
	int64_t id;
	char *title, *body, *source, *origin, *url, *published, *imported_at;
	bool published_inferred;
	char **byline_role, **byline_name;
	size_t n_bylines;
};

/* Returns 1 and fills v when the article exists, 0 when not, -1 on error. */
int kb_store_get(struct kb_store *st, int64_t id, struct kb_article_view *v);
void kb_article_view_free(struct kb_article_view *v);
/* The article as one JSON document (malloc'd), or NULL (see kb_store_get). */
int kb_store_get_json(struct kb_store *st, int64_t id, char **json);

int64_t kb_store_count(struct kb_store *st);

/* Position key of a publication date: articles sort by it ascending. */
int64_t kb_store_date_ord(const char *iso);


/* ---- entities (see src/store/entity.c) -------------------------------- */

/* A mention ready to be stored: the entity is found (or created) by its
 * type and resolution key. */
struct kb_mention_in {
	const char *type;    /* "person", "place", "org" or "date" */
	const char *key;     /* what resolves spelling variants to one entity */
	const char *surface; /* the text as written */
	bool in_title;
	uint32_t start, end; /* bytes into the title or the body */
};

/* Replaces the mentions of an article (inside its transaction).  Entities
 * the user ignored are skipped; new keys create entities. */
int kb_store_put_mentions(struct kb_store *st, int64_t article_id,
			  const struct kb_mention_in *m, size_t n);

/* Renames the entities whose mentions changed since the last call after
 * their most used full form (done once per batch, not per article). */
int kb_store_flush_names(struct kb_store *st);

/* Makes key_new resolve to the entity key_known resolves to (merging the
 * two entities when both exist): learnt aliases such as an acronym. */
int kb_store_link_key(struct kb_store *st, const char *type, const char *key_known,
		      const char *key_new);

struct kb_entity_row {
	int64_t id;
	const char *type;
	const char *name;
	int64_t articles; /* articles that mention it */
	int64_t n;        /* with an article filter: its mentions there */
	const char *json;
};
typedef int (*kb_entity_fn)(const struct kb_entity_row *row, void *ctx);

struct kb_entity_query {
	const char *type;   /* or NULL for all */
	int64_t article;    /* > 0: that article's entities */
	int limit;
};

/* Entities, most widely mentioned first. */
int kb_store_entities(struct kb_store *st, const struct kb_entity_query *q,
		      kb_entity_fn fn, void *ctx);

/* Finds an entity by key (when key is not NULL) or else by a name or
 * surface form (any case).  type may be NULL.  Returns the id, 0 when
 * none, -1 on error. */
int64_t kb_store_entity_find(struct kb_store *st, const char *type, const char *key,
			     const char *name);

/* Corrections, stored and kept across re-imports: merge folds `from` into
 * `into`, rename pins a name, ignore drops an entity and its mentions. */
int kb_store_entity_merge(struct kb_store *st, int64_t into, int64_t from);
int kb_store_entity_rename(struct kb_store *st, int64_t id, const char *name);
int kb_store_entity_ignore(struct kb_store *st, int64_t id);

/* Articles sharing entities with article id, weighted by rarity.  by is
 * "person", "place", "org", "date", "any" or "event".  Rows carry score
 * and shared (JSON array of canonical names) in their JSON. */
struct kb_related_row {
	struct kb_row row;
	double score;
	const char *shared; /* JSON array */
};
typedef int (*kb_related_fn)(const struct kb_related_row *row, void *ctx);
int kb_store_related(struct kb_store *st, int64_t id, const char *by, int limit,
		     kb_related_fn fn, void *ctx);

/* ---- events (see src/store/event.c) ---------------------------------- */

/* Puts article id (after its mentions are stored) into the event of the
 * articles it shares rare participants with, merging events it bridges;
 * an article linked to nothing is in no event. */
int kb_store_event_link(struct kb_store *st, int64_t id);
/* Records that article id awaits kb_store_event_link (schema 5's
 * event_pending, kept across a crash); kb_store_event_link clears it. */
int kb_store_event_pending(struct kb_store *st, int64_t id);
/* The first pending article after id `after` (0 when none, -1 on error). */
int64_t kb_store_event_next_pending(struct kb_store *st, int64_t after);

struct kb_event_row {
	int64_t id;
	const char *label;
	const char *date; /* earliest article, or NULL */
	int64_t articles;
	/* {"id","label","date","articles":[ids],"members":[{"id","title",
	 * "published","shared":[names]}]}: shared says why each is in it */
	const char *json;
	/* the members as lines "id TAB date TAB title TAB shared, names" */
	const char *members;
};
typedef int (*kb_event_fn)(const struct kb_event_row *row, void *ctx);

/* Events, newest first. */
int kb_store_events(struct kb_store *st, kb_event_fn fn, void *ctx);

/* ---- what the reader needs (see src/store/reader.c) -------------------- */

/* A mention of an article, for highlighting. */
struct kb_mention {
	bool in_title;
	uint32_t start, end;
	int64_t entity;
	char type; /* 'p'erson, 'l'ocation (place), 'o'rg, 'd'ate */
};

/* The article's mentions in text order (title first); *out malloc'd.
 * Returns the count, or -1 on error. */
long kb_store_mentions(struct kb_store *st, int64_t id, struct kb_mention **out);

/* The next (dir > 0) or previous (dir < 0) article, by date as listings
 * order them, that mentions entity; returns its id, 0 when there is none,
 * -1 on error. */
int64_t kb_store_entity_step(struct kb_store *st, int64_t entity, int64_t article, int dir);

/* Where article stands among the articles of entity (1-based) and how
 * many there are; -1 on error. */
int kb_store_entity_rank(struct kb_store *st, int64_t entity, int64_t article, int64_t *rank,
			 int64_t *total);

/* The event of an article (0 when none). */
int64_t kb_store_article_event(struct kb_store *st, int64_t id);

/* Rows of an event, in listing order. */
int kb_store_event_articles(struct kb_store *st, int64_t event, kb_row_fn fn, void *ctx);

/* The order key of an article (0 when undated), or -1 when it is unknown. */
int64_t kb_store_article_ord(struct kb_store *st, int64_t id);

/* Marks an article read: 0 when done, -1 on error (a read-only cache:
 * "PATH is read-only"), 1 when the cache is locked by a writer for longer
 * than the busy timeout: the mark is kept and kb_store_retry_marks
 * writes it later. */
int kb_store_mark_read(struct kb_store *st, int64_t id);
/* Tries the kept marks (read and not read) again (a reader calls it as it polls); returns
 * how many are still waiting.  A mark that has waited more than a minute
 * is given up: *dropped (when not NULL) counts those, and the store's
 * error says why. */
size_t kb_store_retry_marks(struct kb_store *st, size_t *dropped);
/* Marks an article not read: the same returns (a kept mark replaces an
 * earlier one of the same article, and a mark written at once drops it). */
int kb_store_mark_unread(struct kb_store *st, int64_t id);

/* Marks read, in one UPDATE, every article of a listing: q's entity,
 * source and date filters (its keyset bounds and limit are ignored), or,
 * when ids is not NULL, the n articles listed there.  Returns how many
 * changed, or -1 on error. */
int64_t kb_store_mark_all_read(struct kb_store *st, const struct kb_list_query *q,
			       const int64_t *ids, size_t n);

/* How many rows kb_store_list(q) gives (its keyset bound included, its
 * limit ignored), counting at most cap (cap < 0: all of them). */
int64_t kb_store_list_count(struct kb_store *st, const struct kb_list_query *q, int64_t cap);

/* PRAGMA data_version: changes when another connection commits. */
int64_t kb_store_data_version(struct kb_store *st);

/* The path the cache was opened at. */
const char *kb_store_path(const struct kb_store *st);

/* An outlet (the articles' source) among the newest `window` articles. */
struct kb_outlet_row {
	const char *source; /* NULL: articles without one */
	int64_t articles, unread;
	int64_t newest_ord;
	int64_t feed;       /* kb_store_feed_outlets: the subscription */
};
typedef int (*kb_outlet_fn)(const struct kb_outlet_row *row, void *ctx);
/* The outlets of the newest `window` articles (one walk of the order
 * index: there is no index on source), the one with the newest article
 * first, at most limit of them. */
int kb_store_outlets(struct kb_store *st, int64_t window, int limit, kb_outlet_fn fn, void *ctx);
/* The subscriptions as outlet rows (source: the title, else the URL),
 * with the articles that came through each, those not read, in the order
 * they were added; at most limit.  Each count costs the feed's articles. */
int kb_store_feed_outlets(struct kb_store *st, int limit, kb_outlet_fn fn, void *ctx);

/* ---- newsboat caches, read-only (see src/store/newsboat.c) ------------ */

struct kb_newsboat;

/* One item of a newsboat cache; strings live until the next call. */
struct kb_newsboat_item {
	int64_t id;
	const char *guid, *title, *author, *url, *content, *flags;
	const char *feed_url, *feed_title; /* feed_title "" when unknown */
	int64_t published;                 /* Unix time, 0 when unknown */
	bool unread;
};

/* Opens path read-only (it is never written).  Returns 1 with *nb set
 * for a newsboat cache, 0 for an SQLite file that is not one, -1 when it
 * cannot be read; on 0 and -1 *err is a malloc'd reason. */
int kb_newsboat_open(const char *path, struct kb_newsboat **nb, char **err);
/* The next item not deleted in newsboat, in newsboat's order: 1 with
 * *it filled, 0 at the end, -1 on error (kb_newsboat_error says why). */
int kb_newsboat_next(struct kb_newsboat *nb, struct kb_newsboat_item *it);
const char *kb_newsboat_error(const struct kb_newsboat *nb);
void kb_newsboat_close(struct kb_newsboat *nb);

/* ---- subscriptions (see src/store/feed.c) ------------------------------ */

/* One subscribed feed; strings live until the callback returns. */
struct kb_feed {
	int64_t id;
	const char *url;
	const char *title;         /* or NULL */
	const char *tags;          /* JSON array of strings */
	const char *tag_list;      /* the same joined by commas, or NULL */
	bool full_text;            /* fetch the page of every new item */
	const char *etag, *last_modified; /* of the last 200, or NULL */
	const char *last_fetch;    /* ISO 8601 UTC, or NULL: never */
	const char *last_status;   /* "ok", "not modified", an error line, NULL */
	int64_t items;             /* articles that came through it */
	const char *next_due;      /* ISO 8601 UTC, or NULL: due now */
	int64_t interval;          /* seconds between fetches */
	const char *json;          /* the row as a JSON object (its url without
	                              user:password, see kb_url_redact) */
};
typedef int (*kb_feed_fn)(const struct kb_feed *f, void *ctx);

/* A subscription as given to kb_store_feed_add. */
struct kb_feed_spec {
	const char *url;            /* an http(s) URL, as given */
	const char *title;          /* or NULL: keep (none when new) */
	const char *const *tags;
	size_t n_tags;
	int full_text;              /* 1 or 0, or -1: keep (0 when new) */
	int64_t interval;           /* seconds, or 0: keep (1800 when new) */
};
/* Subscribes to f->url.  When it is there already, the tags are added to
 * its own and the rest replace its own where given (a new interval counts
 * from the last fetch).  Returns 1 when added, 0 when it was there, -1 on
 * error; *id receives its id. */
int kb_store_feed_add(struct kb_store *st, const struct kb_feed_spec *f, int64_t *id);
/* Finds a feed by its id (digits) or URL: its id, 0 when none, -1 on error. */
int64_t kb_store_feed_find(struct kb_store *st, const char *id_or_url);
/* Unsubscribes; the articles stay.  1 removed, 0 none such, -1 error. */
int kb_store_feed_remove(struct kb_store *st, int64_t id);
/* Feeds in the order they were added: all of them, or only those due
 * (never fetched, or their next_due passed); id > 0: only that one. */
int kb_store_feeds(struct kb_store *st, bool due_only, int64_t id, kb_feed_fn fn, void *ctx);

/* What one fetch of a feed gave, recorded by kb_store_feed_fetched. */
struct kb_feed_fetch {
	const char *status;     /* "ok", "not modified" or the error line */
	bool fetched;           /* a 200: etag and last_modified replace the old */
	const char *etag, *last_modified;
	const char *title;      /* the feed's title, set when it has none, or NULL */
	const char *key_prefix; /* origin keys of its items start so: recount */
	int64_t wait;           /* the server asks for at least this many
	                           seconds before the next fetch (max-age,
	                           Retry-After), or 0; next_due is the later
	                           of this and the feed's interval */
};
int kb_store_feed_fetched(struct kb_store *st, int64_t id, const struct kb_feed_fetch *r);

/* The report of one update as one JSON document (malloc'd), or NULL. */
struct kb_update_row {
	const char *url;
	const char *status; /* "ok", "not modified", "failed" */
	uint64_t new_items, updated, pages;
	const char *error;  /* or NULL */
};
char *kb_store_update_json(struct kb_store *st, const struct kb_update_row *rows, size_t n,
			   uint64_t bytes, uint64_t errors);

#endif
