/* cli.c - global options, the command table, help and version. */
#include "config.h"

#include "internal.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kabar/tui.h"
#include "kabar/util.h"

struct command {
	const char *name;
	int (*run)(struct kb_cli *cli, int argc, char **argv);
	const char *args;
	const char *help;
};

static const struct command commands[] = {
	{ "import", kb_cmd_import,
	  "[--format auto|text|html|rss|newsboat] [--published DATE] [--source NAME] [--jobs N]"
	  " [--stages] PATH|URL... | -",
	  "import text files, saved HTML pages, RSS/Atom feeds, newsboat caches and http(s)"
	  " URLs (fetched once; directories recursively, - for standard input)" },
	{ "list", kb_cmd_list,
	  "[--person NAME] [--entity ID] [--date YYYY[-MM[-DD]]] [--feed URL|ID] [--outlet NAME]"
	  " [--unread] [--format text|tsv|json]",
	  "list articles, newest first" },
	{ "show", kb_cmd_show, "ID [--format text|json]", "print one article" },
	{ "entities", kb_cmd_entities,
	  "[--type person|place|org|date] [--article ID] [--format text|tsv|json]",
	  "people, places, organisations and dates, most mentioned first" },
	{ "related", kb_cmd_related,
	  "ID [--by person|place|org|date|event|any] [--limit N] [--format text|tsv|json]",
	  "articles sharing entities with article ID, rarest shared first" },
	{ "search", kb_cmd_search, "QUERY [--limit N] [--format text|tsv|json]",
	  "full-text search over titles and bodies" },
	{ "events", kb_cmd_events, "[--format text|tsv|json]",
	  "groups of articles about the same happening" },
	{ "alias", kb_cmd_alias, "merge NAME NAME | alias rename NAME NEWNAME | alias ignore NAME",
	  "correct entities: merge two, rename one, ignore one" },
	{ "feed", kb_cmd_feed,
	  "add URL [--tag T]... [--full-text yes|no] [--every DURATION]"
	  " | feed list [--format text|tsv|json]"
	  " | feed remove URL|ID... | feed import FILE | feed export",
	  "subscriptions: add, list, remove, import (newsboat urls file or OPML), export (OPML)" },
	{ "update", kb_cmd_update, "[--all] [--verbose] [--format text|json] [URL|ID...]",
	  "fetch the due feeds (those named, or --all), import new items, then the full text of"
	  " teasers" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: kabar [--db PATH]                 open the reader\n");
	for (size_t i = 0; i < KB_ARRAY_LEN(commands); i++)
		fprintf(f, "       kabar [--db PATH] %s %s\n", commands[i].name, commands[i].args);
	fprintf(f, "       kabar --version | --help | COMMAND --help\n");
}

static void help(void)
{
	printf("kabar %s - a terminal browser for news read offline\n\n", PACKAGE_VERSION);
	usage(stdout);
	printf("\ncommands:\n");
	for (size_t i = 0; i < KB_ARRAY_LEN(commands); i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].help);
	printf("\nThe cache is --db PATH, else $KABAR_DB, else "
	       "$XDG_DATA_HOME/kabar/kabar.db\n(~/.local/share/kabar/kabar.db), created on "
	       "first use.\nExit status: 0 success, 1 some input failed, 2 usage error,\n"
	       "130 or 143 interrupted (SIGINT, SIGTERM: what was stored stays).\n"
	       "See kabar(1) for more.\n");
}

int kb_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kabar: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'kabar %s%s--help')\n", cmd ? cmd : "", cmd ? " " : "");
	return KB_EXIT_USAGE;
}

int kb_cli_bad_option(const char *cmd, int c, char **argv)
{
	/* An unknown short option inside a bundle ("-Makassar") is optopt;
	 * anything else is the argument getopt just passed. */
	if (c == ':')
		return kb_cli_usage_error(cmd, "%s needs a value", argv[optind - 1]);
	if (optopt)
		return kb_cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return kb_cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int kb_cli_foreign_option(const char *cmd, char **argv)
{
	/* getopt has taken the option and, given apart, its value: name the
	 * option, not the value */
	const char *o = argv[optind - 1];
	if (optarg && o == optarg && optind >= 2)
		o = argv[optind - 2];
	return kb_cli_usage_error(cmd, "unknown option '%s'", o);
}

int kb_cli_format(const char *cmd, const char *value, bool allow_tsv, enum kb_out *out)
{
	if (strcmp(value, "text") == 0)
		*out = KB_OUT_TEXT;
	else if (allow_tsv && strcmp(value, "tsv") == 0)
		*out = KB_OUT_TSV;
	else if (strcmp(value, "json") == 0)
		*out = KB_OUT_JSON;
	else
		return kb_cli_usage_error(cmd, "--format: '%s' is not one of text%s|json", value,
					  allow_tsv ? "|tsv" : ""),
		       -1;
	return 0;
}

bool kb_cli_parse_id(const char *s, long long *id)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		return false;
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return false;
	*id = v;
	return true;
}

bool kb_cli_parse_limit(const char *s, int *limit)
{
	long long v;
	if (!kb_cli_parse_id(s, &v) || v > 1000000000)
		return false;
	*limit = (int)v;
	return true;
}

char *kb_cli_default_db(void)
{
	const char *env = getenv("KABAR_DB");
	if (env && *env)
		return kb_xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg == '/')
		return kb_xasprintf("%s/kabar/kabar.db", xdg);
	const char *home = getenv("HOME");
	return kb_xasprintf("%s/.local/share/kabar/kabar.db", home && *home ? home : ".");
}

struct kb_store *kb_cli_store(struct kb_cli *cli)
{
	if (cli->st)
		return cli->st;
	char *err = NULL;
	cli->st = kb_store_open(cli->db_path, &err);
	if (!cli->st) {
		kb_error("%s", err);
		free(err);
	}
	return cli->st;
}

int kb_cli_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_cli cli = { 0 };
	int c;
	opterr = 0;
	/* '+': stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			cli.db_path = optarg;
			break;
		case 'h':
			help();
			return KB_EXIT_OK;
		case 'V':
			printf("kabar %s\n", PACKAGE_VERSION);
			return KB_EXIT_OK;
		default:
			return kb_cli_bad_option(NULL, c, argv);
		}
	}
	if (cli.db_path && !*cli.db_path)
		return kb_cli_usage_error(NULL, "--db needs a path");
	if (!cli.db_path)
		cli.db_path = cli.db_default = kb_cli_default_db();

	int rc;
	if (optind >= argc) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			kb_error("the reader needs a terminal (for scripts: kabar list)");
			rc = KB_EXIT_FAILED;
		} else {
			struct kb_store *st = kb_cli_store(&cli);
			rc = st ? kb_tui_run(st) : KB_EXIT_FAILED;
		}
	} else {
		const char *name = argv[optind];
		const struct command *cmd = NULL;
		for (size_t i = 0; i < KB_ARRAY_LEN(commands); i++)
			if (strcmp(commands[i].name, name) == 0)
				cmd = &commands[i];
		if (!cmd) {
			rc = kb_cli_usage_error(NULL, "unknown command '%s'", name);
		} else {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			bool want_help = false;
			for (int i = 1; i < sub_argc; i++) {
				if (strcmp(sub_argv[i], "--") == 0)
					break;
				if (strcmp(sub_argv[i], "--help") == 0)
					want_help = true;
			}
			if (want_help) {
				printf("usage: kabar [--db PATH] %s %s\n\n%s.\n", cmd->name, cmd->args,
				       cmd->help);
				rc = KB_EXIT_OK;
			} else {
				cli.cmd = cmd->name;
				optind = 0; /* full getopt reset for the command */
				rc = cmd->run(&cli, sub_argc, sub_argv);
			}
		}
	}
	kb_store_close(cli.st);
	free(cli.db_default);
	return rc;
}
