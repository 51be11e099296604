/* cmd_import.c - kabar import. */
#include "config.h"

#include "internal.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kabar/date.h"
#include "kabar/extract.h"
#include "kabar/ingest.h"
#include "kabar/util.h"

int kb_cmd_import(struct kb_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "published", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_import_opts io = { .format = KB_FORMAT_AUTO };
	char published[40];
	bool quiet = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":q", opts, NULL)) != -1) {
		switch (c) {
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
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = kb_import_paths(st, argv + optind, (size_t)(argc - optind), &io, &stats);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kb_extractor_free(ex);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (!quiet)
		fprintf(stderr,
			"%llu imported, %llu updated, %llu unchanged, %llu failed"
			" (%.1f MB in %.2f s)\n",
			(unsigned long long)stats.imported, (unsigned long long)stats.updated,
			(unsigned long long)stats.unchanged, (unsigned long long)stats.failed,
			(double)stats.bytes / 1e6, secs);
	return rc ? KB_EXIT_FAILED : KB_EXIT_OK;
}
