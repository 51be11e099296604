/* cmd_import.c - kabar import. */
#include "config.h"

#include "internal.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kabar/date.h"
#include "kabar/extract.h"
#include "kabar/fetch.h"
#include "kabar/ingest.h"
#include "kabar/subs.h"
#include "kabar/pipeline.h"
#include "kabar/util.h"

/* The URLs among the arguments, fetched (in parallel) before anything is
 * imported: no write transaction waits on the network. */
struct fetched {
	char *body;   /* NULL when it failed */
	size_t len;
	char *error;
};

static bool is_url(const char *arg)
{
	return strncmp(arg, "http://", 7) == 0 || strncmp(arg, "https://", 8) == 0;
}

static void fetched_one(const struct kb_response *r, void *ctx)
{
	(void)ctx;
	struct fetched *f = r->ctx;
	if (r->error) {
		f->error = kb_xstrdup(r->error);
	} else {
		f->body = kb_xmalloc(r->len + 1);
		memcpy(f->body, r->body, r->len);
		f->body[r->len] = '\0';
		f->len = r->len;
	}
}

static struct fetched *fetch_urls(char **args, size_t n, size_t *failed)
{
	size_t urls = 0;
	for (size_t i = 0; i < n; i++)
		urls += is_url(args[i]);
	if (!urls)
		return NULL;
	struct fetched *res = kb_xcalloc(n, sizeof *res);
	struct kb_fetch_opts fo;
	kb_cli_fetch_opts(&fo);
	char *err = NULL;
	struct kb_fetch *f = kb_fetch_new(&fo, &err);
	for (size_t i = 0; i < n; i++) {
		if (!is_url(args[i]))
			continue;
		if (!f) {
			res[i].error = kb_xstrdup(err);
			continue;
		}
		if (!kb_sub_url_ok(args[i])) {
			res[i].error = kb_xstrdup("not a URL kabar can fetch");
			continue;
		}
		struct kb_request req = { .url = args[i], .ctx = &res[i] };
		kb_fetch_add(f, &req);
	}
	if (f && kb_fetch_run(f, fetched_one, NULL) < 0)
		for (size_t i = 0; i < n; i++)
			if (is_url(args[i]) && !res[i].body && !res[i].error)
				res[i].error = kb_xstrdup("the HTTP library failed");
	if (f)
		kb_fetch_free(f);
	free(err);
	for (size_t i = 0; i < n; i++)
		if (is_url(args[i]) && !res[i].body) {
			char *shown = kb_url_redact(args[i]);
			kb_error("%s: %s", shown, res[i].error ? res[i].error : "not fetched");
			free(shown);
			++*failed;
		}
	return res;
}

/* One stage's cost per document: "NAME 123 us" and its instructions. */
static void print_stage(const char *name, const struct kb_cost *c, double n, bool instr)
{
	fprintf(stderr, "  %-8s %8.1f us", name, c->cpu / n * 1e6);
	if (instr)
		fprintf(stderr, " %8.2f M instructions", (double)c->instr / n / 1e6);
	fputc('\n', stderr);
}

/* What --stages prints: each stage's CPU time per document, and the rates
 * those costs allow.  The importing thread reads and stores one document
 * after another while the workers extract, so with C cores a document
 * costs the larger of (read + store) and (read + extract + store) / C,
 * and the events at the end come after. */
static void print_stages(const struct kb_import_stages *g)
{
	if (!g->documents)
		return;
	double n = (double)g->documents;
	fprintf(stderr, "stages, per document (%llu documents, CPU time%s):\n",
		(unsigned long long)g->documents, g->instr ? " and instructions" : "");
	print_stage("read", &g->read, n, g->instr);
	print_stage("extract", &g->extract, n, g->instr);
	print_stage("store", &g->store, n, g->instr);
	print_stage("events", &g->events, n, g->instr);
	if (!g->instr)
		fprintf(stderr, "  (instructions are not counted on this machine)\n");
	double rd = g->read.cpu / n, x = g->extract.cpu / n, st = g->store.cpu / n,
	       ev = g->events.cpu / n;
	if (st + ev > 0)
		fprintf(stderr, "the writer alone: %.0f documents/s\n", 1 / (st + ev));
	for (int cores = 1; cores <= 8; cores *= 2) {
		double serial = rd + st, all = (rd + x + st) / cores;
		double per = (serial > all ? serial : all) + ev;
		if (per > 0)
			fprintf(stderr, "projected with %d core%s: %.0f documents/s (%s)\n", cores,
				cores > 1 ? "s" : "", 1 / per,
				serial > all ? "the importing thread limits" : "extraction limits");
	}
}

int kb_cmd_import(struct kb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "published", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "stages", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_import_opts io = { .format = KB_FORMAT_AUTO, .jobs = kb_jobs_default() };
	char published[40];
	bool quiet = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qj:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 || n > 256)
				return kb_cli_usage_error(cli->cmd,
					"--jobs: '%s' is not a number from 1 to 256", optarg);
			io.jobs = (int)n;
			break;
		}
		case 'f': {
			int f = kb_format_from_name(optarg);
			if (f < 0)
				return kb_cli_usage_error(cli->cmd,
					"--format: '%s' is not one of auto|text|html|rss|newsboat",
					optarg);
			io.format = (enum kb_format)f;
			break;
		}
		case 'p':
			if (!kb_date_parse(optarg, published, sizeof published))
				return kb_cli_usage_error(cli->cmd,
					"--published: '%s' is not a date (use YYYY-MM-DD)", optarg);
			io.published = published;
			break;
		case 's':
			if (!*optarg)
				return kb_cli_usage_error(cli->cmd, "--source needs a name");
			io.source = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'S':
			io.stages = true;
			break;
		default:
			return kb_cli_bad_option(cli->cmd, c, argv);
		}
	}
	if (optind >= argc)
		return kb_cli_usage_error(cli->cmd, "no PATH to import (use - for standard input)");
	size_t stdin_uses = 0;
	for (int i = optind; i < argc; i++)
		stdin_uses += strcmp(argv[i], "-") == 0;
	if (stdin_uses > 1)
		return kb_cli_usage_error(cli->cmd, "standard input (-) can be read only once");

	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	io.progress = !quiet && isatty(STDERR_FILENO);
	char *err = NULL;
	struct kb_extractor *ex = kb_extractor_open(&err);
	if (!ex) { /* articles still import; they get no entities */
		kb_error("import: %s (no entities will be extracted)", err);
		free(err);
	}
	io.extractor = ex;
	struct kb_import_stats stats;
	struct timespec t0, t1;
	kb_import_catch_signals(); /* Ctrl-C: the batch commits, then the summary */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n = (size_t)(argc - optind), fetch_failed = 0;
	char **args = argv + optind;
	struct fetched *got = fetch_urls(args, n, &fetch_failed);
	int rc;
	if (!got) {
		rc = kb_import_paths(st, args, n, &io, &stats);
	} else {
		struct kb_import *im = kb_import_begin(st, &io, &stats);
		kb_import_expect(im, n);
		for (size_t i = 0; i < n; i++) {
			if (!is_url(args[i])) {
				kb_import_path(im, args[i]);
			} else if (got[i].body) {
				/* the origin an article keeps names no credentials */
				char *shown = kb_url_redact(args[i]);
				kb_import_memory(im, shown, got[i].body, got[i].len);
				free(shown);
			}
			free(got[i].body);
			free(got[i].error);
		}
		free(got);
		rc = kb_import_end(im);
		stats.failed += fetch_failed;
		rc = rc || fetch_failed;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kb_extractor_free(ex);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (!quiet)
		fprintf(stderr,
			"%llu imported, %llu updated, %llu unchanged, %llu failed"
			" (%.1f MB in %.2f s)%s%s\n",
			(unsigned long long)stats.imported, (unsigned long long)stats.updated,
			(unsigned long long)stats.unchanged, (unsigned long long)stats.failed,
			(double)stats.bytes / 1e6, secs,
			stats.interrupted ? "; interrupted by " : stats.stopped ? "; stopped" : "",
			stats.interrupted == SIGINT	 ? "SIGINT"
			: stats.interrupted == SIGTERM ? "SIGTERM"
						       : "");
	if (io.stages)
		print_stages(&stats.stage);
	if (kb_import_interrupted())
		return 128 + kb_import_interrupted();
	return rc ? KB_EXIT_FAILED : KB_EXIT_OK;
}
