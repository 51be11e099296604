/* cmd_update.c - kabar update: fetch the due feeds, import their new
 * items, then fetch the pages of teaser items.
 *
 * Every fetch runs outside any write transaction: a response is imported
 * (one short transaction of its own) when it is complete, while the other
 * requests wait in libcurl.  A feed that fails is one stderr line and a
 * status in the cache; the others go on. */
#include "config.h"

#include "internal.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kabar/extract.h"
#include "kabar/fetch.h"
#include "kabar/ingest.h"
#include "kabar/subs.h"
#include "kabar/util.h"

/* A new item whose text is shorter than this is a teaser: its page is
 * fetched for the full text. */
#define TEASER_BYTES 600

/* However long a server asks kabar to wait (Cache-Control max-age,
 * Retry-After), a feed is due again after a day at the latest. */
#define MAX_SERVER_WAIT (24 * 3600L)

struct feed_job {
	int64_t id;
	char *url, *etag, *last_modified;
	char *shown; /* url without credentials: what is printed and stored */
	bool have_title, full_text;
	char *key_prefix; /* the origin keys of its items */
	struct kb_update_row row;
	char *error;
	unsigned pending; /* its pages still being fetched */
	bool fetched;     /* its own response came */
};

struct page_job {
	struct feed_job *feed;
	char *link;
};

/* A request's ctx: which of the two it is. */
struct job {
	struct feed_job *feed;
	struct page_job *page;
};

struct update {
	struct kb_store *st;
	struct kb_extractor *ex;
	struct kb_fetch *f;
	struct feed_job *feeds;
	size_t n_feeds, feeds_done;
	uint64_t items, bytes, errors, page_errors;
	bool tty;
	bool verbose;   /* every request on stderr */
	int progress_fd;
	double start, last_draw;
	bool drawn;
	/* filled by on_item while one feed is imported */
	struct feed_job *importing;
	char *first_source;
	char **links;
	size_t n_links, cap_links;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_progress(struct update *u)
{
	if (u->drawn) {
		fputs("\r\033[K", stderr);
		u->drawn = false;
	}
}

static void draw_progress(struct update *u, bool force)
{
	if (!u->tty)
		return;
	double t = now();
	if (!force && t - u->last_draw < 0.1)
		return;
	u->last_draw = t;
	double el = t - u->start;
	fprintf(stderr, "\r\033[Kupdating %zu/%zu feeds, %llu items, %.1f MB, %llu errors",
		u->feeds_done, u->n_feeds, (unsigned long long)u->items, (double)u->bytes / 1e6,
		(unsigned long long)u->errors);
	if (u->feeds_done && u->feeds_done < u->n_feeds)
		fprintf(stderr, "  ETA %.0fs",
			el / (double)u->feeds_done * (double)(u->n_feeds - u->feeds_done));
	u->drawn = true;
}

static void report_line(struct update *u)
{
	if (u->progress_fd < 0)
		return;
	char line[160];
	int k = snprintf(line, sizeof line, "feeds %zu/%zu items %llu bytes %llu errors %llu\n",
			 u->feeds_done, u->n_feeds, (unsigned long long)u->items,
			 (unsigned long long)u->bytes, (unsigned long long)u->errors);
	const char *p = line;
	while (k > 0) {
		ssize_t w = write(u->progress_fd, p, (size_t)k);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) { /* the reader went away: stop telling it */
			u->progress_fd = -1;
			return;
		}
		p += w;
		k -= (int)w;
	}
}

static void feed_finished(struct update *u, struct feed_job *fj)
{
	u->feeds_done++;
	report_line(u);
	draw_progress(u, true);
	(void)fj;
}

/* How long the server asked for before the next fetch, in seconds. */
static int64_t server_wait(const struct kb_response *r)
{
	long w = r->max_age > r->retry_after ? r->max_age : r->retry_after;
	if (w <= 0)
		return 0;
	return w < MAX_SERVER_WAIT ? w : MAX_SERVER_WAIT;
}

/* Records a fetch in a transaction of its own: it waits for a busy cache
 * as every writer does (kb_store_begin retries for about a minute). */
static void record_fetch(struct update *u, struct feed_job *fj, const struct kb_feed_fetch *ff)
{
	if (kb_store_begin(u->st) == 0 && kb_store_feed_fetched(u->st, fj->id, ff) == 0 &&
	    kb_store_commit(u->st) == 0)
		return;
	clear_progress(u);
	kb_error("update: %s: %s", fj->shown, kb_store_error(u->st));
	kb_store_rollback(u->st);
}

static void feed_failed(struct update *u, struct feed_job *fj, const char *why,
			const struct kb_response *resp)
{
	clear_progress(u);
	kb_error("update: %s: %s", fj->shown, why);
	free(fj->error);
	fj->error = kb_xstrdup(why);
	fj->row.status = "failed";
	fj->row.error = fj->error;
	u->errors++;
	struct kb_feed_fetch r = { .status = why, .wait = server_wait(resp) };
	record_fetch(u, fj, &r);
}

static void on_item(void *ctx, const struct kb_doc *doc, enum kb_put res, int64_t id)
{
	struct update *u = ctx;
	struct feed_job *fj = u->importing;
	(void)id;
	if (!fj)
		return;
	if (!u->first_source && doc->source && *doc->source)
		u->first_source = kb_xstrdup(doc->source);
	if (res == KB_PUT_NEW)
		fj->row.new_items++;
	else if (res == KB_PUT_UPDATED)
		fj->row.updated++;
	if (res != KB_PUT_NEW || !doc->url || !kb_sub_url_ok(doc->url))
		return;
	if (!fj->full_text && doc->body && strlen(doc->body) >= TEASER_BYTES)
		return;
	if (u->n_links == u->cap_links) {
		u->cap_links = u->cap_links ? 2 * u->cap_links : 16;
		u->links = kb_xrealloc(u->links, u->cap_links * sizeof *u->links);
	}
	u->links[u->n_links++] = kb_xstrdup(doc->url);
}

/* Imports one fetched document in a transaction of its own. */
static int import_doc(struct update *u, struct feed_job *fj, const char *origin,
		      const struct kb_response *r, struct kb_import_stats *stats)
{
	struct kb_import_opts io = {
		.format = KB_FORMAT_AUTO,
		.extractor = u->ex,
		.on_item = on_item,
		.on_item_ctx = u,
	};
	u->importing = fj;
	struct kb_import *im = kb_import_begin(u->st, &io, stats);
	kb_import_memory(im, origin, r->body, r->len);
	int rc = kb_import_end(im);
	u->importing = NULL;
	return rc;
}

static void done(const struct kb_response *r, void *ctx);

static void feed_response(struct update *u, struct feed_job *fj, const struct kb_response *r)
{
	fj->fetched = true;
	if (r->error) {
		feed_failed(u, fj, r->error, r);
		feed_finished(u, fj);
		return;
	}
	if (r->not_modified) {
		fj->row.status = "not modified";
		struct kb_feed_fetch ff = { .status = "not modified", .wait = server_wait(r) };
		record_fetch(u, fj, &ff);
		feed_finished(u, fj);
		return;
	}
	size_t head = r->len < 16384 ? r->len : 16384;
	if (kb_format_sniff(NULL, r->body, head) != KB_FORMAT_RSS) {
		feed_failed(u, fj, "not a feed (no RSS or Atom document)", r);
		feed_finished(u, fj);
		return;
	}
	struct kb_import_stats stats;
	u->n_links = 0;
	free(u->first_source);
	u->first_source = NULL;
	int rc = import_doc(u, fj, fj->shown, r, &stats);
	u->items += stats.imported;
	if (kb_import_interrupted()) { /* nothing recorded: the next update fetches it again */
		u->n_links = 0;
		feed_finished(u, fj);
		return;
	}
	struct kb_feed_fetch ff = {
		.status = rc ? "some items could not be read" : "ok",
		.fetched = true,
		.etag = r->etag,
		.last_modified = r->last_modified,
		.title = fj->have_title ? NULL : u->first_source,
		.key_prefix = fj->key_prefix,
		.wait = server_wait(r),
	};
	fj->row.status = "ok";
	if (rc) { /* the import said why, naming the feed */
		u->errors++;
		fj->row.status = "failed";
		fj->row.error = "some items could not be read";
	}
	record_fetch(u, fj, &ff);
	for (size_t i = 0; i < u->n_links; i++) {
		struct page_job *pj = kb_xcalloc(1, sizeof *pj);
		pj->feed = fj;
		pj->link = u->links[i];
		struct job *j = kb_xcalloc(1, sizeof *j);
		j->page = pj;
		struct kb_request req = { .url = pj->link, .ctx = j };
		kb_fetch_add(u->f, &req);
		fj->pending++;
	}
	u->n_links = 0;
	if (!fj->pending)
		feed_finished(u, fj);
}

static void page_response(struct update *u, struct page_job *pj, const struct kb_response *r)
{
	struct feed_job *fj = pj->feed;
	if (r->error) {
		/* the teaser stays */
		clear_progress(u);
		char *shown = kb_url_redact(pj->link);
		kb_error("update: %s: %s (the item keeps its teaser)", shown, r->error);
		free(shown);
		u->page_errors++;
	} else if (!r->not_modified) {
		struct kb_import_stats stats;
		if (import_doc(u, NULL, pj->link, r, &stats) == 0)
			fj->row.pages++;
		else
			u->page_errors++;
	}
	if (--fj->pending == 0)
		feed_finished(u, fj);
}

static void done(const struct kb_response *r, void *ctx)
{
	struct update *u = ctx;
	struct job *j = r->ctx;
	u->bytes += r->bytes;
	if (u->verbose) {
		char *shown = kb_url_redact(r->url);
		clear_progress(u);
		if (r->status)
			kb_error("update: GET %s: %ld%s, %llu bytes", shown, r->status,
				 r->not_modified ? " not modified" : "", (unsigned long long)r->bytes);
		else
			kb_error("update: GET %s: no answer", shown);
		free(shown);
	}
	if (j->feed) {
		feed_response(u, j->feed, r);
	} else {
		page_response(u, j->page, r);
		free(j->page->link);
		free(j->page);
	}
	free(j);
	draw_progress(u, false);
}

struct collect {
	struct update *u;
	size_t cap;
};

static int add_feed(const struct kb_feed *f, void *ctx)
{
	struct collect *c = ctx;
	struct update *u = c->u;
	for (size_t i = 0; i < u->n_feeds; i++)
		if (u->feeds[i].id == f->id)
			return 0; /* named twice */
	if (u->n_feeds == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		u->feeds = kb_xrealloc(u->feeds, c->cap * sizeof *u->feeds);
	}
	struct feed_job *fj = &u->feeds[u->n_feeds++];
	*fj = (struct feed_job){
		.id = f->id,
		.url = kb_xstrdup(f->url),
		.shown = kb_url_redact(f->url),
		.etag = f->etag ? kb_xstrdup(f->etag) : NULL,
		.last_modified = f->last_modified ? kb_xstrdup(f->last_modified) : NULL,
		.have_title = f->title != NULL,
		.full_text = f->full_text,
		.key_prefix = kb_url_items_prefix(f->url),
	};
	fj->row.url = fj->shown;
	fj->row.status = "failed";
	return 0;
}

/* Timeouts and the size cap, from the environment (tests shorten them). */
static long env_long(const char *name, long dflt)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return dflt;
	char *end;
	long n = strtol(v, &end, 10);
	return *end || n <= 0 ? dflt : n;
}

void kb_cli_fetch_opts(struct kb_fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->total_timeout_ms = env_long("KABAR_HTTP_TIMEOUT_MS", 0);
	o->connect_timeout_ms = o->total_timeout_ms;
	o->max_bytes = (size_t)env_long("KABAR_HTTP_MAX_BYTES", 0);
	o->low_speed_s = env_long("KABAR_HTTP_LOW_SPEED_S", 0);
}

int kb_cmd_update(struct kb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "all", no_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	enum kb_out fmt = KB_OUT_TEXT;
	bool quiet = false, all = false, verbose = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qv", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (kb_cli_format(cli->cmd, optarg, false, &fmt) < 0)
				return KB_EXIT_USAGE;
			break;
		case 'q':
			quiet = true;
			break;
		case 'a':
			all = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			return kb_cli_bad_option(cli->cmd, c, argv);
		}
	}
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	struct update u = { .st = st, .progress_fd = -1, .start = now() };
	struct collect col = { .u = &u };
	int rc = KB_EXIT_OK;
	if (optind >= argc) {
		if (kb_store_feeds(st, !all, 0, add_feed, &col) < 0) {
			kb_error("update: %s", kb_store_error(st));
			return KB_EXIT_FAILED;
		}
	}
	for (int i = optind; i < argc; i++) {
		int64_t id = kb_store_feed_find(st, argv[i]);
		if (id < 0 || (id > 0 && kb_store_feeds(st, false, id, add_feed, &col) < 0)) {
			kb_error("update: %s: %s", argv[i], kb_store_error(st));
			rc = KB_EXIT_FAILED;
		} else if (id == 0) {
			kb_error("update: %s: no such feed (see 'kabar feed list')", argv[i]);
			rc = KB_EXIT_FAILED;
		}
	}
	const char *fd = getenv("KABAR_PROGRESS_FD");
	if (fd && *fd) {
		char *end;
		long n = strtol(fd, &end, 10);
		if (!*end && n >= 0 && n < 65536) {
			u.progress_fd = (int)n;
			/* a reader that quits closes the pipe: the update goes on */
			signal(SIGPIPE, SIG_IGN);
		}
	}
	u.tty = !quiet && isatty(STDERR_FILENO);
	u.verbose = verbose;
	kb_import_catch_signals(); /* Ctrl-C: the batch commits, then the summary */

	struct kb_fetch_opts fo;
	kb_cli_fetch_opts(&fo);
	char *err = NULL;
	if (u.n_feeds) {
		u.f = kb_fetch_new(&fo, &err);
		if (!u.f) {
			kb_error("update: %s", err);
			free(err);
			rc = KB_EXIT_FAILED;
			goto out;
		}
		if (verbose)
			kb_error("update: User-Agent: %s", kb_fetch_user_agent(u.f));
		u.ex = kb_extractor_open(&err);
		if (!u.ex) {
			kb_error("update: %s (no entities will be extracted)", err);
			free(err);
		}
	}
	for (size_t i = 0; i < u.n_feeds; i++) {
		struct job *j = kb_xcalloc(1, sizeof *j);
		j->feed = &u.feeds[i];
		struct kb_request req = { .url = u.feeds[i].url, .etag = u.feeds[i].etag,
					  .last_modified = u.feeds[i].last_modified, .ctx = j };
		kb_fetch_add(u.f, &req);
	}
	draw_progress(&u, true);
	if (u.f && kb_fetch_run(u.f, done, &u) < 0) {
		clear_progress(&u);
		kb_error("update: the HTTP library failed");
		rc = KB_EXIT_FAILED;
	}
	clear_progress(&u);
	if (u.errors)
		rc = KB_EXIT_FAILED;

	uint64_t new_items = 0, updated = 0, pages = 0;
	struct kb_update_row *rows = kb_xcalloc(u.n_feeds + 1, sizeof *rows);
	for (size_t i = 0; i < u.n_feeds; i++) {
		rows[i] = u.feeds[i].row;
		new_items += rows[i].new_items;
		updated += rows[i].updated;
		pages += rows[i].pages;
	}
	if (fmt == KB_OUT_JSON) {
		char *json = kb_store_update_json(st, rows, u.n_feeds, u.bytes, u.errors);
		if (json) {
			printf("%s\n", json);
			free(json);
		} else {
			kb_error("update: %s", kb_store_error(st));
			rc = KB_EXIT_FAILED;
		}
	}
	free(rows);
	if (!quiet)
		fprintf(stderr,
			"%zu feeds: %llu new, %llu updated, %llu pages, %llu failed"
			" (%.1f MB in %.2f s)%s\n",
			u.n_feeds, (unsigned long long)new_items, (unsigned long long)updated,
			(unsigned long long)pages, (unsigned long long)u.errors,
			(double)u.bytes / 1e6, now() - u.start,
			kb_import_interrupted() ? "; interrupted" : "");
	if (kb_import_interrupted())
		rc = 128 + kb_import_interrupted();
out:
	if (u.f)
		kb_fetch_free(u.f);
	kb_extractor_free(u.ex);
	for (size_t i = 0; i < u.n_feeds; i++) {
		free(u.feeds[i].url);
		free(u.feeds[i].shown);
		free(u.feeds[i].etag);
		free(u.feeds[i].last_modified);
		free(u.feeds[i].key_prefix);
		free(u.feeds[i].error);
	}
	free(u.feeds);
	free(u.links);
	free(u.first_source);
	return rc;
}
