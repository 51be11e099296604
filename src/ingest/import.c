/* import.c - walking paths, refusing bad input, storing each article once. */
#include "config.h"

#include "internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xxhash.h>

#include "kabar/extract.h"
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
	int64_t *changed; /* articles stored or updated: linked into events last */
	size_t n_changed, cap_changed;
	struct kb_import_opts batch_opts; /* opts, with batched set */
	bool in_batch;
	size_t batch_n;
	double batch_start;
};

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

static bool tracking_param(const char *p, size_t n)
{
	static const char *const names[] = { "fbclid", "gclid", "mc_cid", "mc_eid", "ref_src" };
	if (n >= 4 && strncasecmp(p, "utm_", 4) == 0)
		return true;
	size_t k = 0;
	while (k < n && p[k] != '=')
		k++;
	for (size_t i = 0; i < KB_ARRAY_LEN(names); i++)
		if (strlen(names[i]) == k && strncasecmp(p, names[i], k) == 0)
			return true;
	return false;
}

char *kb_url_normalize(const char *url)
{
	if (!url)
		return NULL;
	while (*url == ' ')
		url++;
	size_t n = strcspn(url, "#");
	while (n && url[n - 1] == ' ')
		n--;
	if (!n)
		return NULL;
	struct kb_buf b = { 0 };
	const char *sep = strstr(url, "://");
	size_t i = 0;
	if (sep && (size_t)(sep - url) < n) { /* scheme://host in lower case */
		size_t host_end = (size_t)(sep - url) + 3;
		host_end += strcspn(url + host_end, "/?#");
		if (host_end > n)
			host_end = n;
		for (; i < host_end; i++)
			kb_buf_addc(&b, (char)tolower((unsigned char)url[i]));
	}
	size_t q = i;
	while (q < n && url[q] != '?')
		q++;
	kb_buf_add(&b, url + i, q - i);
	char lead = '?';
	for (size_t p = q + 1; p < n;) {
		size_t e = p;
		while (e < n && url[e] != '&')
			e++;
		if (e > p && !tracking_param(url + p, e - p)) {
			kb_buf_addc(&b, lead);
			kb_buf_add(&b, url + p, e - p);
			lead = '&';
		}
		p = e + 1;
	}
	return kb_buf_steal(&b);
}

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
			     const struct kb_extraction *x, int64_t *id, bool batched)
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

enum kb_put kb_import_doc(struct kb_store *st, struct kb_doc *doc, const char *origin,
			  const char *origin_key, const struct kb_import_opts *opts,
			  int64_t *id)
{
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
	char hash[33];
	content_hash(doc, hash);
	char *guid = kb_item_key(doc);
	char *key = origin_key ? NULL : kb_xasprintf("content:%s", hash);
	struct kb_article a = {
		.origin = origin,
		.origin_key = origin_key ? origin_key : key,
		.hash = hash,
		.format = doc->format ? doc->format : "text",
		.title = doc->title,
		.body = doc->body,
		.source = doc->source,
		.url = doc->url,
		.guid = guid,
		.published = doc->published,
		.bylines = doc->bylines,
		.n_bylines = doc->n_bylines,
		.read = doc->read,
	};
	enum kb_put res;
	struct kb_extraction x = { 0 };
	int seen = kb_store_seen(st, &a, id);
	if (seen != 0) { /* unchanged (1) or an error (-1): nothing to extract */
		res = seen > 0 ? KB_PUT_UNCHANGED : KB_PUT_ERROR;
		/* what was read elsewhere (newsboat) is read here too */
		if (res == KB_PUT_UNCHANGED && doc->read && kb_store_mark_read(st, *id) < 0)
			res = KB_PUT_ERROR;
	} else {
		if (opts->extractor) {
			kb_extract(opts->extractor, doc->title, doc->body, doc->published, &x);
			if (!doc->published && x.published[0]) {
				a.published = x.published;
				a.published_inferred = true;
			}
		}
		res = store_doc(st, &a, &x, id, opts->batched);
		kb_extraction_free(&x);
	}
	free(key);
	free(guid);
	return res;
}

/* ---- one input ------------------------------------------------------ */

static void count(struct run *r, enum kb_put res, const char *what, int64_t id)
{
	if (res == KB_PUT_NEW || res == KB_PUT_UPDATED) {
		if (r->n_changed == r->cap_changed) {
			r->cap_changed = r->cap_changed ? r->cap_changed * 2 : 256;
			r->changed = kb_xrealloc(r->changed, r->cap_changed * sizeof *r->changed);
		}
		r->changed[r->n_changed++] = id;
	}
	switch (res) {
	case KB_PUT_NEW: r->stats->imported++; break;
	case KB_PUT_UPDATED: r->stats->updated++; break;
	case KB_PUT_UNCHANGED: r->stats->unchanged++; break;
	case KB_PUT_ERROR: fail(r, what, kb_store_error(r->st)); break;
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

static int batch_end(struct run *r)
{
	if (!r->in_batch)
		return 0;
	r->in_batch = false;
	if (kb_store_commit(r->st) < 0) {
		kb_store_rollback(r->st);
		return -1;
	}
	return 0;
}

static int batch_begin(struct run *r)
{
	if (r->in_batch && (r->batch_n >= BATCH_ARTICLES || now() - r->batch_start > BATCH_SECONDS))
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

/* One document of a reader into the cache, in the current batch. */
static void store(struct run *r, struct kb_doc *doc, const char *what, const char *key)
{
	int64_t id = 0;
	enum kb_put res = KB_PUT_ERROR;
	if (batch_begin(r) == 0)
		res = kb_import_doc(r->st, doc, what, key, &r->batch_opts, &id);
	count(r, res, what, id);
	if (r->opts->on_item)
		r->opts->on_item(r->opts->on_item_ctx, doc, res, id);
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
	return 0;
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
	if (kb_parse_feed(head, n, read_more, &it, take_item, &it, why, sizeof why) != 0)
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
	int rc;
	while ((rc = kb_newsboat_next(nb, &item)) > 0) {
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

struct kb_import *kb_import_begin(struct kb_store *st, const struct kb_import_opts *opts,
				  struct kb_import_stats *stats)
{
	struct kb_import *im = kb_xcalloc(1, sizeof *im);
	struct run *r = &im->r;
	*r = (struct run){ .st = st, .opts = opts, .stats = stats, .start = now() };
	r->batch_opts = *opts;
	r->batch_opts.batched = true;
	memset(stats, 0, sizeof *stats);
	kb_store_bulk(st);
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
	char *url = kb_url_normalize(origin);
	char *key = kb_xasprintf("url:%s", url ? url : origin);
	struct input in = { .fd = -1, .mem = data ? data : "", .n = n };
	import_input(r, origin, NULL, &in, key, n);
	free(key);
	free(url);
	r->done++;
	draw_progress(r, false);
}

int kb_import_end(struct kb_import *im)
{
	struct run *r = &im->r;
	struct kb_store *st = r->st;
	struct kb_import_stats *stats = r->stats;
	if (batch_end(r) < 0) {
		clear_progress(r);
		kb_error("import: %s", kb_store_error(st));
		stats->failed++;
	}
	/* Events are linked once everything is in, so that rarity is judged
	 * against all of it. */
	for (size_t i = 0; i < r->n_changed && r->opts->extractor; i++) {
		if (batch_begin(r) < 0 || kb_store_event_link(st, r->changed[i]) < 0) {
			kb_store_rollback(st);
			r->in_batch = false;
			clear_progress(r);
			kb_error("events: %s", kb_store_error(st));
			stats->failed++;
			break;
		}
	}
	if (batch_end(r) < 0) {
		clear_progress(r);
		kb_error("events: %s", kb_store_error(st));
		stats->failed++;
	}
	free(r->changed);
	clear_progress(r);
	free(im);
	return stats->failed ? 1 : 0;
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
