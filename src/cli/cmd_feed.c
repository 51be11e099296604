/* cmd_feed.c - kabar feed add|list|remove|import|export: subscriptions. */
#include "config.h"

#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kabar/subs.h"
#include "kabar/text.h"
#include "kabar/util.h"

#define SUBS_MAX_BYTES (16u << 20)

static int parse_yes_no(const char *cmd, const char *opt, const char *v, int *out)
{
	if (strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0)
		*out = 0;
	else
		return kb_cli_usage_error(cmd, "%s: '%s' is not one of yes|no", opt, v), -1;
	return 0;
}

/* The shortest and longest time between two fetches of a feed. */
#define MIN_INTERVAL 60L
#define MAX_INTERVAL (30 * 86400L)

/* "90", "90s", "30m", "2h", "1d" in seconds, within the bounds. */
static int parse_every(const char *v, int64_t *out)
{
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	long long unit = 1;
	if (end == v || n <= 0 || errno)
		goto bad;
	if (*end && !end[1]) {
		switch (*end) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		default: goto bad;
		}
	} else if (*end) {
		goto bad;
	}
	if (n > MAX_INTERVAL || n * unit < MIN_INTERVAL || n * unit > MAX_INTERVAL) {
		kb_cli_usage_error("feed add", "--every: '%s' is not between 1m and 30d", v);
		return -1;
	}
	*out = n * unit;
	return 0;
bad:
	kb_cli_usage_error("feed add", "--every: '%s' is not a duration (90s, 30m, 2h, 1d)", v);
	return -1;
}

/* "30m", "2h", "1d" or seconds: the interval as a user writes it. */
static void fmt_interval(char *out, size_t n, int64_t secs)
{
	if (secs % 86400 == 0)
		snprintf(out, n, "%lldd", (long long)(secs / 86400));
	else if (secs % 3600 == 0)
		snprintf(out, n, "%lldh", (long long)(secs / 3600));
	else if (secs % 60 == 0)
		snprintf(out, n, "%lldm", (long long)(secs / 60));
	else
		snprintf(out, n, "%llds", (long long)secs);
}

/* A URL to print: without its password, and safe for a terminal. */
static char *shown_url(const char *url)
{
	char *redacted = kb_url_redact(url);
	char *shown = kb_print_safe_line(redacted);
	free(redacted);
	return shown;
}

static int feed_add(struct kb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tag", required_argument, NULL, 't' },
		{ "title", required_argument, NULL, 'T' },
		{ "full-text", required_argument, NULL, 'F' },
		{ "every", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const char **tags = kb_xcalloc((size_t)argc + 1, sizeof *tags);
	size_t nt = 0;
	const char *title = NULL;
	int full_text = -1, c, rc = KB_EXIT_USAGE;
	int64_t every = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!*optarg) {
				kb_cli_usage_error("feed add", "--tag needs a name");
				goto out;
			}
			tags[nt++] = optarg;
			break;
		case 'T':
			title = optarg;
			break;
		case 'F':
			if (parse_yes_no("feed add", "--full-text", optarg, &full_text) < 0)
				goto out;
			break;
		case 'e':
			if (parse_every(optarg, &every) < 0)
				goto out;
			break;
		default:
			kb_cli_bad_option("feed add", c, argv);
			goto out;
		}
	}
	if (optind != argc - 1) {
		kb_cli_usage_error("feed add", optind >= argc ? "no URL to add" : "one URL at a time");
		goto out;
	}
	const char *url = argv[optind];
	if (!kb_sub_url_ok(url)) {
		char *shown = shown_url(url);
		kb_cli_usage_error("feed add", "'%s' is not an http(s) URL", shown);
		free(shown);
		goto out;
	}
	struct kb_store *st = kb_cli_store(cli);
	rc = KB_EXIT_FAILED;
	if (!st)
		goto out;
	int64_t id = 0;
	struct kb_feed_spec spec = { .url = url, .title = title, .tags = tags, .n_tags = nt,
				     .full_text = full_text, .interval = every };
	int r = kb_store_feed_add(st, &spec, &id);
	if (r < 0) {
		kb_error("feed add: %s", kb_store_error(st));
		goto out;
	}
	char *shown = shown_url(url);
	printf("%s %lld %s\n", r ? "added" : "updated", (long long)id, shown);
	free(shown);
	rc = KB_EXIT_OK;
out:
	free(tags);
	return rc;
}

static int print_feed(const struct kb_feed *f, void *ctx)
{
	struct kb_printer *p = ctx;
	char every[32];
	fmt_interval(every, sizeof every, f->interval);
	/* what the cache holds may come from a feed, its server or another
	 * program: nothing in it reaches the terminal as a control, and a
	 * password in a URL is never shown */
	char *url = shown_url(f->url), *title = f->title ? kb_print_safe_line(f->title) : NULL;
	char *tags = f->tag_list ? kb_print_safe_line(f->tag_list) : NULL;
	char *status = kb_print_safe_line(f->last_status ? f->last_status : "never fetched");
	char *fetched = kb_print_safe_line(f->last_fetch), *due = kb_print_safe_line(f->next_due);
	switch (p->fmt) {
	case KB_OUT_JSON:
		fprintf(p->out, "%s\n%s", p->rows ? "," : "", f->json);
		break;
	case KB_OUT_TSV:
		fprintf(p->out, "%lld\t%s\t%s\t%s\t%lld\t%s\t%s\t%lld\t%s\n", (long long)f->id, url,
			title ? title : "", tags ? tags : "", (long long)f->items, fetched,
			f->last_status ? status : "", (long long)f->interval, due);
		break;
	case KB_OUT_TEXT: {
		struct kb_buf col = { 0 }; /* 20 cells, never half a character */
		kb_text_put_cells(&col, status, 20, true);
		fprintf(p->out, "%4lld  %s %6lld items  every %-4s next %-20s  %s%s%s%s%s%s\n",
			(long long)f->id, col.p ? col.p : "", (long long)f->items, every,
			f->next_due ? due : "now", url, title ? "  " : "", title ? title : "",
			tags ? "  [" : "", tags ? tags : "", tags ? "]" : "");
		kb_buf_free(&col);
		break;
	}
	}
	free(url);
	free(title);
	free(tags);
	free(status);
	free(fetched);
	free(due);
	p->rows++;
	return 0;
}

static int feed_list(struct kb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	enum kb_out fmt = KB_OUT_TEXT;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c != 'f')
			return kb_cli_bad_option("feed list", c, argv);
		if (kb_cli_format("feed list", optarg, true, &fmt) < 0)
			return KB_EXIT_USAGE;
	}
	if (optind < argc)
		return kb_cli_usage_error("feed list", "unexpected argument '%s'", argv[optind]);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	struct kb_printer p = { .fmt = fmt, .out = stdout };
	if (fmt == KB_OUT_JSON)
		fputs("[", stdout);
	else if (fmt == KB_OUT_TSV)
		fputs("id\turl\ttitle\ttags\titems\tlast_fetch\tstatus\tinterval\tnext_due\n", stdout);
	int rc = kb_store_feeds(st, false, 0, print_feed, &p);
	if (fmt == KB_OUT_JSON)
		fputs(p.rows ? "\n]\n" : "]\n", stdout);
	if (rc < 0) {
		kb_error("feed list: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}

static int feed_remove(struct kb_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return kb_cli_usage_error("feed remove", "no URL or ID to remove");
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return kb_cli_usage_error("feed remove", "unknown option '%s'", argv[i]);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	int rc = KB_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		int64_t id = kb_store_feed_find(st, argv[i]);
		if (id > 0 && kb_store_feed_remove(st, id) > 0) {
			char *shown = shown_url(argv[i]);
			printf("removed %lld %s\n", (long long)id, shown);
			free(shown);
			continue;
		}
		char *shown = shown_url(argv[i]);
		if (id < 0)
			kb_error("feed remove: %s: %s", shown, kb_store_error(st));
		else
			kb_error("feed remove: %s: no such feed", shown);
		free(shown);
		rc = KB_EXIT_FAILED;
	}
	return rc;
}

struct import_run {
	struct kb_store *st;
	const char *file;
	unsigned long added, known, skipped, failed;
};

static void import_one(const struct kb_sub *s, void *ctx)
{
	struct import_run *r = ctx;
	int64_t id;
	/* an OPML writer names an untitled feed by its URL */
	const char *title = s->title && strcmp(s->title, s->url) != 0 ? s->title : NULL;
	struct kb_feed_spec spec = { .url = s->url, .title = title, .tags = s->tags,
				     .n_tags = s->n_tags, .full_text = s->full_text };
	if (s->interval >= MIN_INTERVAL && s->interval <= MAX_INTERVAL)
		spec.interval = s->interval;
	int rc = kb_store_feed_add(r->st, &spec, &id);
	if (rc < 0) {
		char *shown = kb_url_redact(s->url);
		kb_error("%s: %s: %s", r->file, shown, kb_store_error(r->st));
		free(shown);
		r->failed++;
	} else if (rc) {
		r->added++;
	} else {
		r->known++;
	}
}

static void import_skip(unsigned line, const char *why, void *ctx)
{
	struct import_run *r = ctx;
	if (line)
		kb_error("%s:%u: %s", r->file, line, why);
	else
		kb_error("%s: %s", r->file, why);
	r->skipped++;
}

static int read_file(const char *path, struct kb_buf *b, const char **why)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	char chunk[65536];
	int rc = 0;
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof chunk);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			*why = strerror(errno);
			rc = -1;
			break;
		}
		if (k == 0)
			break;
		kb_buf_add(b, chunk, (size_t)k);
		if (b->len > SUBS_MAX_BYTES) {
			*why = "too large for a list of feeds";
			rc = -1;
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int feed_import(struct kb_cli *cli, int argc, char **argv)
{
	if (argc != 2)
		return kb_cli_usage_error("feed import", argc < 2 ? "no FILE to import"
								  : "one FILE at a time");
	if (argv[1][0] == '-' && argv[1][1])
		return kb_cli_usage_error("feed import", "unknown option '%s'", argv[1]);
	const char *path = argv[1];
	struct kb_buf b = { 0 };
	const char *why = NULL;
	if (read_file(path, &b, &why) < 0) {
		kb_error("%s: %s", path, why);
		kb_buf_free(&b);
		return KB_EXIT_FAILED;
	}
	struct kb_store *st = kb_cli_store(cli);
	if (!st) {
		kb_buf_free(&b);
		return KB_EXIT_FAILED;
	}
	struct import_run r = { .st = st, .file = path };
	int rc = KB_EXIT_OK;
	if (kb_store_begin(st) < 0) {
		kb_error("feed import: %s", kb_store_error(st));
		kb_buf_free(&b);
		return KB_EXIT_FAILED;
	}
	const char *data = b.p ? b.p : "";
	if (kb_subs_is_opml(data, b.len)) {
		char err[128];
		if (kb_subs_parse_opml(data, b.len, import_one, import_skip, &r, err, sizeof err) <
		    0) {
			kb_error("%s: %s", path, err);
			rc = KB_EXIT_FAILED;
		}
	} else {
		kb_subs_parse_urls(data, b.len, import_one, import_skip, &r);
	}
	kb_buf_free(&b);
	if (r.failed || rc != KB_EXIT_OK) {
		kb_store_rollback(st);
		return KB_EXIT_FAILED;
	}
	if (kb_store_commit(st) < 0) {
		kb_error("feed import: %s", kb_store_error(st));
		kb_store_rollback(st);
		return KB_EXIT_FAILED;
	}
	fprintf(stderr, "%lu added, %lu already subscribed, %lu skipped\n", r.added, r.known,
		r.skipped);
	return KB_EXIT_OK;
}

static int export_one(const struct kb_feed *f, void *ctx)
{
	kb_opml_add(ctx, f->url, f->title, f->tag_list, f->full_text, (long)f->interval);
	return 0;
}

static int feed_export(struct kb_cli *cli, int argc, char **argv)
{
	if (argc > 1)
		return kb_cli_usage_error("feed export", "unexpected argument '%s'", argv[1]);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	struct kb_opml *o = kb_opml_begin("kabar subscriptions");
	if (kb_store_feeds(st, false, 0, export_one, o) < 0) {
		kb_error("feed export: %s", kb_store_error(st));
		kb_opml_end(o, NULL);
		return KB_EXIT_FAILED;
	}
	if (kb_opml_end(o, stdout) < 0 || fflush(stdout) != 0) {
		kb_error("feed export: cannot write the OPML document");
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}

int kb_cmd_feed(struct kb_cli *cli, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct kb_cli *, int, char **);
	} subs[] = {
		{ "add", feed_add },       { "list", feed_list },     { "remove", feed_remove },
		{ "import", feed_import }, { "export", feed_export },
	};
	if (argc < 2)
		return kb_cli_usage_error(cli->cmd, "add, list, remove, import or export?");
	for (size_t i = 0; i < KB_ARRAY_LEN(subs); i++)
		if (strcmp(argv[1], subs[i].name) == 0) {
			optind = 0;
			return subs[i].run(cli, argc - 1, argv + 1);
		}
	return kb_cli_usage_error(cli->cmd, "unknown subcommand '%s'", argv[1]);
}
