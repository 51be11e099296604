/* import.c - walking paths, refusing bad input, storing each article once. */
#include "config.h"

#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "kabar/extract.h"
#include "kabar/pipeline.h"
#include "kabar/text.h"
#include "kabar/util.h"

static const char *const format_names[] = {
	[KB_FORMAT_AUTO] = "auto",     [KB_FORMAT_TEXT] = "text",
	[KB_FORMAT_HTML] = "html",     [KB_FORMAT_RSS] = "rss",
	[KB_FORMAT_NEWSBOAT] = "newsboat",
};

int kb_format_from_name(const char *name)
{
	for (size_t i = 0; i < KB_ARRAY_LEN(format_names); i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

const char *kb_format_name(enum kb_format f)
{
	return format_names[f];
}

static bool has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), k = strlen(ext);
	return n > k && strcasecmp(name + n - k, ext) == 0;
}

enum kb_format kb_format_sniff(const char *name, const char *head, size_t n)
{
	if (n >= 16 && memcmp(head, "SQLite format 3", 16) == 0)
		return KB_FORMAT_NEWSBOAT;
	/* the first 4 KB as ASCII: UTF-16 (with its BOM) loses its NULs */
	bool utf16 = n >= 2 && (memcmp(head, "\xff\xfe", 2) == 0 || memcmp(head, "\xfe\xff", 2) == 0);
	char probe[4097];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof probe - 1; i++)
		if (head[i] != '\0' || !utf16)
			probe[k++] = head[i] ? head[i] : ' ';
	probe[k] = '\0';
	/* markup starts near the top (junk before <?xml is a malformed feed) */
	char *lt = memchr(probe, '<', k < 1024 ? k : 1024);
	if (lt) {
		if (strstr(lt, "<rss") || strstr(lt, "<feed") || strstr(lt, "<rdf:RDF") ||
		    strstr(lt, "<RDF"))
			return KB_FORMAT_RSS;
		if (strcasestr(lt, "<html") || strcasestr(lt, "<!doctype html") ||
		    strcasestr(lt, "<head") || strcasestr(lt, "<body"))
			return KB_FORMAT_HTML;
	}
	if (name && (has_ext(name, ".html") || has_ext(name, ".htm") || has_ext(name, ".xhtml")))
		return KB_FORMAT_HTML;
	if (name && (has_ext(name, ".rss") || has_ext(name, ".atom") || has_ext(name, ".rdf")))
		return KB_FORMAT_RSS;
	return KB_FORMAT_TEXT;
}

/* ---- progress ------------------------------------------------------- */

struct run {
	struct kb_store *st;
	const struct kb_import_opts *opts;
	struct kb_import_stats *stats;
	uint64_t total; /* files expected (progress only) */
	uint64_t done;
	double start, last_draw;
	bool drawn;
	/* what the open batch stored: counted in stats once it commits */
	uint64_t pend_imported, pend_updated, pend_unchanged;
	bool stopped; /* a write failed for good, or a signal came: no more */
	struct kb_import_opts batch_opts; /* opts, with batched set */
	bool in_batch;
	size_t batch_n, batch_max;
	double batch_start;
	struct kb_pipe *pipe;
	struct kb_extractor **workers; /* one per pipeline worker, or NULL */
	int n_workers;
	/* with opts->stages: the importing thread's counter and what it had
	 * spent at the start, and each worker's counter (opened on it) */
	struct kb_counter counter;
	struct kb_cost cost0, main_extract;
	struct kb_counter *worker_counters;
	bool *worker_counting;
};

/* What this thread has spent (r->counter is the importing thread's). */
static void spent(const struct kb_counter *c, struct kb_cost *out)
{
	kb_counter_read(c, out);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(struct run *r)
{
	if (r->drawn) {
		fputs("\r\033[K", stderr);
		r->drawn = false;
	}
}

static void draw_progress(struct run *r, bool force)
{
	if (!r->opts->progress)
		return;
	double t = now();
	if (!force && t - r->last_draw < 0.1)
		return;
	r->last_draw = t;
	double el = t - r->start, rate = el > 0 ? (double)r->done / el : 0;
	uint64_t articles = r->stats->imported + r->stats->updated + r->stats->unchanged;
	fprintf(stderr, "\r\033[Kimporting %llu", (unsigned long long)r->done);
	if (r->total)
		fprintf(stderr, "/%llu", (unsigned long long)r->total);
	if (articles > r->done) /* feeds and caches hold many articles */
		fprintf(stderr, " files, %llu articles  %.0f articles/s", (unsigned long long)articles,
			el > 0 ? (double)articles / el : 0);
	else
		fprintf(stderr, " files  %.0f/s", rate);
	fprintf(stderr, "  %.1f MB", (double)r->stats->bytes / 1e6);
	if (r->total > r->done && rate > 0)
		fprintf(stderr, "  ETA %.0fs", (double)(r->total - r->done) / rate);
	r->drawn = true;
}

static void fail(struct run *r, const char *what, const char *why)
{
	clear_progress(r);
	kb_error("%s: %s", what, why);
	r->stats->failed++;
}

/* ---- what identifies an article -------------------------------------- */

char *kb_item_key(const struct kb_doc *doc)
{
	const char *g = doc->guid && *doc->guid ? doc->guid : doc->url;
	if (!g || !*g || (doc->format && strcmp(doc->format, "rss") != 0 &&
			  strcmp(doc->format, "newsboat") != 0))
		return NULL;
	return kb_xasprintf("guid:%s|%s", doc->source ? doc->source : "", g);
}

/* ---- the sink every reader ends in ---------------------------------- */

static void hash_field(XXH3_state_t *h, const char *s)
{
	if (s)
		XXH3_128bits_update(h, s, strlen(s) + 1);
	else
		XXH3_128bits_update(h, "", 1);
}

static void content_hash(const struct kb_doc *doc, char out[33])
{
	XXH3_state_t *h = XXH3_createState();
	if (!h)
		kb_die("out of memory");
	XXH3_128bits_reset(h);
	hash_field(h, doc->title);
	hash_field(h, doc->body);
	hash_field(h, doc->source);
	hash_field(h, doc->url);
	hash_field(h, doc->published);
	for (size_t i = 0; i < doc->n_bylines; i++) {
		hash_field(h, doc->bylines[i].role);
		hash_field(h, doc->bylines[i].name);
	}
	XXH128_hash_t v = XXH3_128bits_digest(h);
	XXH3_freeState(h);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)v.high64,
		 (unsigned long long)v.low64);
}

/* The article and its mentions, whole or not at all: a savepoint inside
 * the batch's transaction, or a transaction of its own. */
static enum kb_put store_doc(struct kb_store *st, const struct kb_article *a,
			     const struct kb_extraction *x, int64_t *id, bool batched, bool link)
{
	if ((batched ? kb_store_savepoint(st) : kb_store_begin(st)) < 0)
		return KB_PUT_ERROR;
	enum kb_put res = kb_store_put_article(st, a, id);
	if (res == KB_PUT_NEW || res == KB_PUT_UPDATED) {
		for (size_t i = 0; i < x->n_links && res != KB_PUT_ERROR; i++)
			if (kb_store_link_key(st, x->links[i].type, x->links[i].key_known,
					      x->links[i].key_new) < 0)
				res = KB_PUT_ERROR;
		if (res != KB_PUT_ERROR && kb_store_put_mentions(st, *id, x->m, x->n) < 0)
			res = KB_PUT_ERROR;
		/* linked into events at the end of the import, or of the next
		 * one when this one never gets there */
		if (res != KB_PUT_ERROR && link && kb_store_event_pending(st, *id) < 0)
			res = KB_PUT_ERROR;
	}
	if (batched) {
		if (res == KB_PUT_ERROR || kb_store_release(st) < 0) {
			kb_store_rollback_to(st);
			return KB_PUT_ERROR;
		}
		return res;
	}
	if (res == KB_PUT_ERROR || kb_store_commit(st) < 0) {
		kb_store_rollback(st);
		return KB_PUT_ERROR;
	}
	return res;
}

/* A document without a title (a page with no <title> and no heading)
 * is named by the first twelve words of its first line; a title longer
 * than KB_MAX_TITLE_BYTES ends at a character boundary before it, in
 * "…". */
static void cut_title(struct kb_doc *doc)
{
	if ((!doc->title || !doc->title[0]) && doc->body) {
		const char *p = doc->body, *end = p + strcspn(p, "\n");
		for (int words = 0; p < end && words < 12; words++) {
			p += strspn(p, " ");
			p += strcspn(p, " \n");
		}
		free(doc->title);
		doc->title = kb_xstrndup(doc->body, (size_t)(p - doc->body));
	}
	if (!doc->title || strnlen(doc->title, KB_MAX_TITLE_BYTES + 1) <= KB_MAX_TITLE_BYTES)
		return;
	size_t n = KB_MAX_TITLE_BYTES - 3;
	while (n > 0 && ((unsigned char)doc->title[n] & 0xc0) == 0x80)
		n--;
	memcpy(doc->title + n, "\xe2\x80\xa6", 4);
}

/* A document made ready for the cache: the overrides applied, its URL
 * normalised, hashed and keyed.  The article points into doc and into the
 * keys here. */
struct prepared {
	struct kb_article a;
	char hash[33];
	char *guid, *content_key;
	struct kb_extraction x;
	bool extracted;
	struct kb_cost x_cost; /* what the extraction cost, when measured */
};

static void prepare(struct prepared *p, struct kb_doc *doc, const char *origin,
		    const char *origin_key, const struct kb_import_opts *opts)
{
	memset(p, 0, sizeof *p);
	if (opts->source) {
		free(doc->source);
		doc->source = kb_xstrdup(opts->source);
	}
	if (opts->published) {
		free(doc->published);
		doc->published = kb_xstrdup(opts->published);
	}
	char *url = kb_url_normalize(doc->url);
	free(doc->url);
	doc->url = url;
	cut_title(doc);
	content_hash(doc, p->hash);
	p->guid = kb_item_key(doc);
	if (!origin_key)
		p->content_key = kb_xasprintf("content:%s", p->hash);
	p->a = (struct kb_article){
		.origin = origin,
		.origin_key = origin_key ? origin_key : p->content_key,
		.hash = p->hash,
		.format = doc->format ? doc->format : "text",
		.title = doc->title,
		.body = doc->body,
		.source = doc->source,
		.url = doc->url,
		.guid = p->guid,
		.published = doc->published,
		.bylines = doc->bylines,
		.n_bylines = doc->n_bylines,
		.read = doc->read,
	};
}

/* The extraction: pure, on any thread with an extractor of its own;
 * measured by c (the thread's counter) when it is not NULL. */
static void extract(struct prepared *p, const struct kb_extractor *ex, const struct kb_counter *c)
{
	if (!ex || p->extracted)
		return;
	struct kb_cost before, after;
	if (c)
		spent(c, &before);
	kb_extract(ex, p->a.title, p->a.body, p->a.published, &p->x);
	p->extracted = true;
	if (c) {
		spent(c, &after);
		kb_cost_add_since(&p->x_cost, &after, &before);
	}
}

/* Stores a prepared document (the writer's thread): unchanged when the
 * cache holds it already, else stored with its mentions, extracted here
 * when no worker did. */
static enum kb_put commit(struct kb_store *st, struct prepared *p,
			  const struct kb_import_opts *opts, const struct kb_counter *c, int64_t *id)
{
	int seen = kb_store_seen(st, &p->a, id);
	if (seen != 0) { /* unchanged (1) or an error (-1): nothing to store */
		enum kb_put res = seen > 0 ? KB_PUT_UNCHANGED : KB_PUT_ERROR;
		/* what was read elsewhere (newsboat) is read here too */
		if (res == KB_PUT_UNCHANGED && p->a.read && kb_store_mark_read(st, *id) < 0)
			res = KB_PUT_ERROR;
		return res;
	}
	extract(p, opts->extractor, c);
	if (!p->a.published && p->x.published[0]) {
		p->a.published = p->x.published;
		p->a.published_inferred = true;
	}
	return store_doc(st, &p->a, &p->x, id, opts->batched, opts->extractor != NULL);
}

static void prepared_free(struct prepared *p)
{
	kb_extraction_free(&p->x);
	free(p->content_key);
	free(p->guid);
}

enum kb_put kb_import_doc(struct kb_store *st, struct kb_doc *doc, const char *origin,
			  const char *origin_key, const struct kb_import_opts *opts,
			  int64_t *id)
{
	struct prepared p;
	prepare(&p, doc, origin, origin_key, opts);
	enum kb_put res = commit(st, &p, opts, NULL, id);
	prepared_free(&p);
	return res;
}

/* ---- one input ------------------------------------------------------ */

/* Set by a signal (SIGINT, SIGTERM): the import commits its batch and
 * stops. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

int kb_import_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGINT, &sa, NULL) == 0 && sigaction(SIGTERM, &sa, NULL) == 0 ? 0 : -1;
}

int kb_import_interrupted(void)
{
	return (int)interrupted;
}

/* A write that failed for good (a full disk, an I/O error, a read-only
 * cache, a lock never released) stops the import with one line: every
 * later article would fail the same way. */
static void stop(struct run *r, const char *why)
{
	if (r->stopped)
		return;
	r->stopped = true;
	r->stats->stopped = true;
	r->stats->failed++;
	clear_progress(r);
	kb_error("%s: cannot write the cache: %s; the import stopped here",
		 kb_store_path(r->st), why);
}

static void count(struct run *r, enum kb_put res, const char *what)
{
	switch (res) {
	case KB_PUT_NEW: r->pend_imported++; break;
	case KB_PUT_UPDATED: r->pend_updated++; break;
	case KB_PUT_UNCHANGED: r->pend_unchanged++; break;
	case KB_PUT_ERROR:
		if (kb_store_fatal(r->st))
			stop(r, kb_store_error(r->st));
		else
			fail(r, what, kb_store_error(r->st));
		break;
	}
}

/* Files are stored in batches: one transaction for up to BATCH_ARTICLES
 * articles or BATCH_SECONDS, each file in a savepoint of its own.  A batch
 * touches pages all over the (entity, ord) index and the entity rows, and
 * each touched page is written twice (the WAL, then the checkpoint), so
 * big batches write much less: at 100,000 articles, 4,000-article batches
 * wrote a quarter of what 500-article ones did, in half the time.  The time
 * bound keeps the write lock short for a reader open meanwhile.  A crash
 * loses at most the last batch, which the next import stores again. */
#define BATCH_ARTICLES 4000
#define BATCH_SECONDS 2.0 /* well under the 5 s a reader waits for the lock */

/* Commits the open batch; only then do its articles count.  When the
 * commit fails the batch is gone (nothing of it is stored), and so are
 * its counts. */
static int batch_end(struct run *r)
{
	if (!r->in_batch)
		return 0;
	r->in_batch = false;
	int rc = kb_store_commit(r->st);
	if (rc < 0)
		kb_store_rollback(r->st);
	else {
		r->stats->imported += r->pend_imported;
		r->stats->updated += r->pend_updated;
		r->stats->unchanged += r->pend_unchanged;
	}
	r->pend_imported = r->pend_updated = r->pend_unchanged = 0;
	return rc;
}

/* Whether the import goes on; a signal ends it after the batch. */
static bool going_on(struct run *r)
{
	if (!r->stopped && interrupted) {
		r->stopped = true;
		r->stats->interrupted = (int)interrupted;
		if (batch_end(r) < 0)
			stop(r, kb_store_error(r->st));
		r->stopped = true;
	}
	return !r->stopped;
}

static int batch_begin(struct run *r)
{
	if (r->in_batch && (r->batch_n >= r->batch_max || now() - r->batch_start > BATCH_SECONDS))
		if (batch_end(r) < 0)
			return -1;
	if (!r->in_batch) {
		if (kb_store_begin(r->st) < 0)
			return -1;
		r->in_batch = true;
		r->batch_n = 0;
		r->batch_start = now();
	}
	r->batch_n++;
	return 0;
}

/* ---- the pipeline: read here, extract on the workers, store here ------ */

/* A document on its way: read on the importing thread, extracted by a
 * worker, stored back on the importing thread in the order it was read. */
struct item {
	struct kb_doc doc; /* the reader's, moved here */
	char *what, *key;
	struct prepared p;
	bool known; /* the cache held it when it was read: no extraction */
};

static void item_work(void *item, int worker, void *ctx)
{
	struct item *it = item;
	struct run *r = ctx;
	if (it->known)
		return;
	const struct kb_counter *c = NULL;
	if (r->opts->stages) {
		if (!r->worker_counting[worker]) {
			kb_counter_open(&r->worker_counters[worker]);
			r->worker_counting[worker] = true;
		}
		c = &r->worker_counters[worker];
	}
	extract(&it->p, r->workers[worker], c);
}

/* Stores one document in the current batch (the extraction is there, or
 * is made now when the cache changed since the document was read). */
static void item_done(void *item, void *ctx)
{
	struct item *it = item;
	struct run *r = ctx;
	if (going_on(r)) {
		int64_t id = 0;
		enum kb_put res = KB_PUT_ERROR;
		struct kb_cost before, after;
		const struct kb_counter *c = r->opts->stages ? &r->counter : NULL;
		if (c)
			spent(c, &before);
		bool extracted = it->p.extracted;
		if (batch_begin(r) == 0)
			res = commit(r->st, &it->p, &r->batch_opts, c, &id);
		if (c) {
			struct kb_import_stages *g = &r->stats->stage;
			spent(c, &after);
			kb_cost_add_since(&g->store, &after, &before);
			struct kb_cost none = { 0 };
			if (!extracted) { /* made here: not the writer's cost */
				kb_cost_add_since(&g->store, &none, &it->p.x_cost);
				kb_cost_add_since(&r->main_extract, &it->p.x_cost, &none);
			}
			kb_cost_add_since(&g->extract, &it->p.x_cost, &none);
			g->documents++;
		}
		count(r, res, it->what);
		if (r->stopped && r->in_batch) {
			/* what the batch holds before the failed article may still fit */
			if (batch_end(r) < 0)
				kb_store_rollback(r->st);
		}
		if (r->opts->on_item && !r->stopped)
			r->opts->on_item(r->opts->on_item_ctx, &it->doc, res, id);
	}
	prepared_free(&it->p);
	kb_doc_free(&it->doc);
	free(it->what);
	free(it->key);
	free(it);
}

/* One document of a reader into the cache (doc is taken: the reader's
 * copy is left empty). */
static void store(struct run *r, struct kb_doc *doc, const char *what, const char *key)
{
	if (!going_on(r))
		return;
	struct item *it = kb_xcalloc(1, sizeof *it);
	it->doc = *doc;
	memset(doc, 0, sizeof *doc);
	it->doc.format = it->doc.format ? it->doc.format : "text";
	it->what = kb_xstrdup(what);
	it->key = key ? kb_xstrdup(key) : NULL;
	prepare(&it->p, &it->doc, it->what, it->key, &r->batch_opts);
	/* with workers, what the cache holds already is not extracted (the
	 * store looks again when it comes back); without, the store does it
	 * after its own look */
	int64_t id;
	struct kb_cost before, after;
	if (r->opts->stages)
		spent(&r->counter, &before);
	it->known = !r->workers || kb_store_seen(r->st, &it->p.a, &id) != 0;
	if (r->opts->stages) {
		spent(&r->counter, &after);
		kb_cost_add_since(&r->stats->stage.store, &after, &before);
	}
	kb_pipe_push(r->pipe, it);
}

/* A page or a plain-text file, whole in memory. */
static void import_bytes(struct run *r, const char *what, const char *key, const char *raw,
			 size_t n, enum kb_format f)
{
	struct kb_doc doc = { 0 };
	const char *why = NULL;
	if (f == KB_FORMAT_HTML) {
		doc.format = "html";
		if (kb_parse_html(raw, n, &doc, &why) < 0)
			fail(r, what, why);
		else
			store(r, &doc, what, key);
		kb_doc_free(&doc);
		return;
	}
	struct kb_buf text = { 0 };
	enum kb_decode d = kb_text_decode(raw, n, &text, &why);
	if (d == KB_DECODE_BINARY || d == KB_DECODE_INVALID)
		fail(r, what, why);
	else if (kb_parse_text(text.p ? text.p : "", text.len, &doc, &why) < 0)
		fail(r, what, text.len ? why : "empty file");
	else
		store(r, &doc, what, key);
	kb_doc_free(&doc);
	kb_buf_free(&text);
}

/* ---- feeds and newsboat caches: one article an item ------------------ */

/* Where an input's bytes come from: a file descriptor, or memory (a
 * document fetched over HTTP). */
struct input {
	int fd;
	const char *mem; /* when not NULL: mem[off..n) is what is left */
	size_t n, off;
};

static long input_read(struct input *in, char *buf, size_t n)
{
	if (in->mem) {
		size_t k = in->n - in->off < n ? in->n - in->off : n;
		memcpy(buf, in->mem + in->off, k);
		in->off += k;
		return (long)k;
	}
	for (;;) {
		ssize_t k = read(in->fd, buf, n);
		if (k >= 0)
			return (long)k;
		if (errno != EINTR)
			return -1;
	}
}

struct items {
	struct run *r;
	const char *what;
	const char *key; /* the file's origin key, NULL for standard input */
	struct input *in;
	/* the door keys of this file so far (hashes, 0 for an empty slot) */
	uint64_t *keys;
	size_t n_keys, cap_keys;
};

/* How many times this file gave key h before (and records it once more):
 * a feed that repeats a guid or a link gives each copy a door of its own,
 * so that importing it again finds every copy unchanged instead of the
 * copies updating each other in turn. */
static unsigned repeats(struct items *it, uint64_t h)
{
	if (h == 0)
		h = 1;
	if (2 * (it->n_keys + 1) > it->cap_keys) {
		size_t cap = it->cap_keys ? it->cap_keys * 2 : 256;
		uint64_t *t = kb_xcalloc(cap, sizeof *t);
		for (size_t i = 0; i < it->cap_keys; i++)
			for (size_t j = it->keys[i] & (cap - 1); it->keys[i]; j = (j + 1) & (cap - 1))
				if (!t[j]) {
					t[j] = it->keys[i];
					break;
				}
		free(it->keys);
		it->keys = t;
		it->cap_keys = cap;
	}
	unsigned n = 0;
	for (;;) { /* h, then h + 1 ... for each repeat */
		size_t j = (h + n) & (it->cap_keys - 1);
		while (it->keys[j] && it->keys[j] != h + n)
			j = (j + 1) & (it->cap_keys - 1);
		if (!it->keys[j]) {
			it->keys[j] = h + n;
			it->n_keys++;
			return n;
		}
		n++;
	}
}

/* An item's door is its file and its guid (else its link; else only its
 * content): one feed file imported again changes nothing. */
static int take_item(struct kb_doc *doc, void *ctx)
{
	struct items *it = ctx;
	if (!doc->format)
		doc->format = "rss";
	char *ident = kb_item_key(doc);
	const char *id = ident;
	char *key = NULL;
	if (id) {
		unsigned n = repeats(it, XXH3_64bits(id, strlen(id)));
		key = n ? kb_xasprintf("%s|%s#%u", it->key ? it->key : "-", id, n + 1)
			: kb_xasprintf("%s|%s", it->key ? it->key : "-", id);
	}
	store(it->r, doc, it->what, key);
	free(key);
	free(ident);
	draw_progress(it->r, false);
	return it->r->stopped ? 1 : 0;
}

static long read_more(void *ctx, char *buf, size_t n)
{
	struct items *it = ctx;
	long k = input_read(it->in, buf, n);
	if (k > 0)
		it->r->stats->bytes += (uint64_t)k;
	return k;
}

/* A feed is streamed from its input after the head already read: a feed
 * of any size imports in bounded memory. */
static void import_feed(struct run *r, const char *what, const char *key, struct input *in,
			const char *head, size_t n)
{
	struct items it = { .r = r, .what = what, .key = key, .in = in };
	char why[256];
	if (kb_parse_feed(head, n, read_more, &it, take_item, &it, why, sizeof why) > 0 &&
	    !r->stopped)
		fail(r, what, why);
	free(it.keys);
}

static void import_newsboat(struct run *r, const char *path, const char *key)
{
	struct kb_newsboat *nb = NULL;
	char *err = NULL;
	if (kb_newsboat_open(path, &nb, &err) <= 0) {
		fail(r, path, err);
		free(err);
		return;
	}
	struct items it = { .r = r, .what = path, .key = key };
	struct kb_newsboat_item item;
	int rc = 0;
	while (going_on(r) && (rc = kb_newsboat_next(nb, &item)) > 0) {
		struct kb_doc doc = { .format = "newsboat" };
		const char *why;
		if (kb_newsboat_doc(&item, &doc, &why) < 0) {
			char *what = kb_xasprintf("%s: item %lld", path, (long long)item.id);
			fail(r, what, why);
			free(what);
		} else {
			take_item(&doc, &it);
		}
		kb_doc_free(&doc);
	}
	if (rc < 0)
		fail(r, path, kb_newsboat_error(nb));
	free(it.keys);
	kb_newsboat_close(nb);
}

/* ---- one input ------------------------------------------------------ */

/* Reads up to n bytes (fewer only at the end of the input). */
static long read_head(struct input *in, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		long k = input_read(in, buf + got, n - got);
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (long)got;
}

/* Reads the rest of the input, at most KB_MAX_ARTICLE_BYTES + 1. */
static int read_all(struct input *in, struct kb_buf *b)
{
	char chunk[65536];
	for (;;) {
		if (b->len > KB_MAX_ARTICLE_BYTES)
			return 0;
		long k = input_read(in, chunk, sizeof chunk);
		if (k < 0)
			return -1;
		if (k == 0)
			return 0;
		kb_buf_add(b, chunk, (size_t)k);
	}
}

/* size: the file's, or 0 when only "more than the limit" is known (a
 * pipe, which is read no further). */
static void too_large(struct run *r, const char *what, unsigned long long size)
{
	char why[96];
	if (size)
		snprintf(why, sizeof why, "too large (%.1f MiB; the limit is %u MiB)",
			 (double)size / 1048576.0, KB_MAX_ARTICLE_BYTES >> 20);
	else
		snprintf(why, sizeof why, "too large (more than the limit of %u MiB)",
			 KB_MAX_ARTICLE_BYTES >> 20);
	fail(r, what, why);
}

/* How much of an input is read to tell its format. */
#define HEAD_BYTES 16384

/* Imports what an input holds: path is the file's (NULL for standard
 * input and fetched documents), size its size when known. */
static void import_input(struct run *r, const char *what, const char *path, struct input *in,
			 const char *key, unsigned long long size)
{
	char head[HEAD_BYTES];
	long n = read_head(in, head, sizeof head);
	if (n < 0) {
		fail(r, what, strerror(errno));
		return;
	}
	if (n == 0) {
		fail(r, what, "empty file");
		return;
	}
	enum kb_format f = r->opts->format;
	if (f == KB_FORMAT_AUTO)
		f = kb_format_sniff(path, head, (size_t)n);
	if (f == KB_FORMAT_NEWSBOAT) {
		if (!path)
			fail(r, what, "a newsboat cache must be given as a file name");
		else
			import_newsboat(r, path, key);
		r->stats->bytes += size ? size : (uint64_t)n;
		return;
	}
	if (f == KB_FORMAT_RSS) {
		r->stats->bytes += (uint64_t)n;
		import_feed(r, what, key, in, head, (size_t)n);
		return;
	}
	if (size > KB_MAX_ARTICLE_BYTES) { /* known from the file system */
		too_large(r, what, size);
		return;
	}
	struct kb_buf raw = { 0 };
	kb_buf_add(&raw, head, (size_t)n);
	if (read_all(in, &raw) < 0)
		fail(r, what, strerror(errno));
	else if (raw.len > KB_MAX_ARTICLE_BYTES)
		too_large(r, what, 0);
	else
		import_bytes(r, what, key, raw.p, raw.len, f);
	r->stats->bytes += raw.len;
	kb_buf_free(&raw);
}

static void import_file(struct run *r, const char *path)
{
	if (!going_on(r))
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		fail(r, path, strerror(errno));
		if (fd >= 0)
			close(fd);
	} else if (!S_ISREG(sb.st_mode)) {
		close(fd);
		fail(r, path, "not a regular file");
	} else {
		char *real = realpath(path, NULL);
		char *key = kb_xasprintf("file:%s", real ? real : path);
		struct input in = { .fd = fd };
		import_input(r, path, path, &in, key, (unsigned long long)sb.st_size);
		free(key);
		free(real);
		close(fd);
	}
	r->done++;
	draw_progress(r, false);
}

static void import_stdin(struct run *r)
{
	struct input in = { .fd = STDIN_FILENO };
	import_input(r, "-", NULL, &in, NULL, 0);
	r->done++;
}

static int skip_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Walks a directory in name order; with r NULL only counts files. */
static uint64_t walk(struct run *r, const char *dir, int depth)
{
	struct dirent **names = NULL;
	uint64_t files = 0;
	int n = scandir(dir, &names, skip_hidden, alphasort);
	if (n < 0) {
		if (r)
			fail(r, dir, strerror(errno));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		if (r && !going_on(r)) {
			free(names[i]);
			continue;
		}
		char *path = kb_xasprintf("%s%s%s", dir,
					  dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]->d_name);
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (depth < 64)
				files += walk(r, path, depth + 1);
		} else {
			files++;
			if (r)
				import_file(r, path);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return files;
}

struct kb_import {
	struct run r;
};

/* The stages' costs, once the import is done: events are what the end
 * cost after the last commit (ev0), reading what the importing thread
 * spent besides storing, extracting and events. */
static void stages_end(struct run *r, const struct kb_cost *ev0)
{
	struct kb_import_stages *g = &r->stats->stage;
	struct kb_cost end, none = { 0 };
	spent(&r->counter, &end);
	kb_cost_add_since(&g->events, &end, ev0);
	struct kb_cost main = { 0 }; /* the importing thread, in all */
	kb_cost_add_since(&main, &end, &r->cost0);
	g->read = main;
	kb_cost_add_since(&g->read, &none, &g->store);
	kb_cost_add_since(&g->read, &none, &g->events);
	g->instr = kb_counter_counts(&r->counter);
	for (int i = 0; i < r->n_workers; i++) {
		if (r->worker_counting[i]) {
			g->instr = g->instr && kb_counter_counts(&r->worker_counters[i]);
			kb_counter_close(&r->worker_counters[i]);
		}
	}
	kb_cost_add_since(&g->read, &none, &r->main_extract);
	kb_counter_close(&r->counter);
	free(r->worker_counters);
	free(r->worker_counting);
}

struct kb_import *kb_import_begin(struct kb_store *st, const struct kb_import_opts *opts,
				  struct kb_import_stats *stats)
{
	struct kb_import *im = kb_xcalloc(1, sizeof *im);
	struct run *r = &im->r;
	*r = (struct run){ .st = st, .opts = opts, .stats = stats, .start = now() };
	r->batch_opts = *opts;
	r->batch_opts.batched = true;
	/* smaller batches for tests that kill an import between commits */
	const char *b = getenv("KABAR_IMPORT_BATCH");
	long max = b ? strtol(b, NULL, 10) : 0;
	r->batch_max = max > 0 && max < BATCH_ARTICLES ? (size_t)max : BATCH_ARTICLES;
	memset(stats, 0, sizeof *stats);
	kb_store_bulk(st);
	/* extraction is what costs: with an extractor and more than one job,
	 * it runs on workers, each with the model shared and a word cache of
	 * its own */
	struct kb_pipe_opts po = { .jobs = opts->extractor ? opts->jobs : 1 };
	r->pipe = kb_pipe_new(&po, item_work, item_done, r);
	if (!r->pipe) { /* no threads: the import goes on without them */
		po.jobs = 1;
		r->pipe = kb_pipe_new(&po, item_work, item_done, r);
	}
	r->n_workers = kb_pipe_jobs(r->pipe);
	if (r->n_workers > 1) {
		r->workers = kb_xcalloc((size_t)r->n_workers, sizeof *r->workers);
		for (int i = 0; i < r->n_workers; i++)
			r->workers[i] = kb_extractor_share(opts->extractor);
	}
	if (opts->stages) {
		kb_counter_open(&r->counter);
		spent(&r->counter, &r->cost0);
		r->worker_counters = kb_xcalloc((size_t)r->n_workers, sizeof *r->worker_counters);
		r->worker_counting = kb_xcalloc((size_t)r->n_workers, sizeof *r->worker_counting);
	}
	return im;
}

void kb_import_expect(struct kb_import *im, uint64_t inputs)
{
	im->r.total += inputs;
}

void kb_import_path(struct kb_import *im, const char *path)
{
	struct run *r = &im->r;
	struct stat sb;
	if (!going_on(r))
		return;
	if (strcmp(path, "-") == 0)
		import_stdin(r);
	else if (stat(path, &sb) < 0)
		fail(r, path, strerror(errno));
	else if (S_ISDIR(sb.st_mode))
		walk(r, path, 0);
	else
		import_file(r, path);
}

void kb_import_memory(struct kb_import *im, const char *origin, const char *data, size_t n)
{
	struct run *r = &im->r;
	if (!going_on(r))
		return;
	char *key = kb_url_key(origin);
	struct input in = { .fd = -1, .mem = data ? data : "", .n = n };
	import_input(r, origin, NULL, &in, key, n);
	free(key);
	r->done++;
	draw_progress(r, false);
}

int kb_import_end(struct kb_import *im)
{
	struct run *r = &im->r;
	struct kb_store *st = r->st;
	struct kb_import_stats *stats = r->stats;
	kb_pipe_free(r->pipe); /* every document read is stored first */
	if (r->workers)
		for (int i = 0; i < r->n_workers; i++)
			kb_extractor_free(r->workers[i]);
	free(r->workers);
	struct kb_cost ev0 = { 0 }, last;
	if (r->opts->stages)
		spent(&r->counter, &last);
	if (batch_end(r) < 0) {
		if (kb_store_fatal(st))
			stop(r, kb_store_error(st));
		else {
			clear_progress(r);
			kb_error("import: %s", kb_store_error(st));
			stats->failed++;
		}
	}
	/* Events are linked once everything is in, so that rarity is judged
	 * against all of it: every article still pending, in id order, this
	 * import's and what an interrupted one left. */
	if (r->opts->stages) { /* the last commit is the writer's too */
		spent(&r->counter, &ev0);
		kb_cost_add_since(&stats->stage.store, &ev0, &last);
	}
	int64_t id = 0;
	while (r->opts->extractor && going_on(r) &&
	       (id = kb_store_event_next_pending(st, id)) != 0) {
		if (id < 0 || batch_begin(r) < 0 || kb_store_event_link(st, id) < 0) {
			bool fatal = kb_store_fatal(st);
			char why[512];
			snprintf(why, sizeof why, "%s", kb_store_error(st));
			kb_store_rollback(st);
			r->in_batch = false;
			if (fatal) {
				stop(r, why);
			} else {
				clear_progress(r);
				kb_error("events: %s", why);
				stats->failed++;
			}
			break;
		}
	}
	if (batch_end(r) < 0) {
		clear_progress(r);
		kb_error("events: %s", kb_store_error(st));
		stats->failed++;
	}
	if (r->opts->stages)
		stages_end(r, &ev0);
	clear_progress(r);
	free(im);
	return stats->failed || stats->interrupted ? 1 : 0;
}

int kb_import_paths(struct kb_store *st, char *const *paths, size_t n,
		    const struct kb_import_opts *opts, struct kb_import_stats *stats)
{
	struct kb_import *im = kb_import_begin(st, opts, stats);
	if (opts->progress) {
		for (size_t i = 0; i < n; i++) {
			struct stat sb;
			if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 &&
			    S_ISDIR(sb.st_mode))
				im->r.total += walk(NULL, paths[i], 0);
			else
				im->r.total++;
		}
	}
	for (size_t i = 0; i < n; i++)
		kb_import_path(im, paths[i]);
	return kb_import_end(im);
}
