/* cmd_read.c - kabar list, show and search. */
#include "config.h"

#include "internal.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kabar/extract.h"
#include "kabar/text.h"
#include "kabar/util.h"

/* Options every reading command shares: --format, plus --date, --person
 * and --entity for list and --limit for search. */
struct read_opts {
	enum kb_out fmt;
	const char *date;
	const char *person;
	long long entity;
	const char *feed, *outlet;
	bool unread;
	int limit; /* 0: all */
	const char *arg; /* the one positional argument, when wanted */
};

enum { OPT_FILTERS = 1, OPT_LIMIT = 2 }; /* what a command takes besides --format */

static int parse(struct kb_cli *cli, int argc, char **argv, bool allow_tsv, unsigned allow,
		 const char *arg_name, struct read_opts *ro)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "date", required_argument, NULL, 'D' },
		{ "person", required_argument, NULL, 'P' },
		{ "entity", required_argument, NULL, 'E' },
		{ "limit", required_argument, NULL, 'L' },
		{ "feed", required_argument, NULL, 'F' },
		{ "outlet", required_argument, NULL, 'O' },
		{ "unread", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	opterr = 0;
	ro->fmt = KB_OUT_TEXT;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (kb_cli_format(cli->cmd, optarg, allow_tsv, &ro->fmt) < 0)
				return KB_EXIT_USAGE;
			break;
		case 'D':
		case 'P':
		case 'E':
		case 'F':
		case 'O':
		case 'U':
			if (!(allow & OPT_FILTERS))
				return kb_cli_foreign_option(cli->cmd, argv);
			if (c == 'D')
				ro->date = optarg;
			else if (c == 'P')
				ro->person = optarg;
			else if (c == 'F')
				ro->feed = optarg;
			else if (c == 'O')
				ro->outlet = optarg;
			else if (c == 'U')
				ro->unread = true;
			else if (!kb_cli_parse_id(optarg, &ro->entity))
				return kb_cli_usage_error(cli->cmd, "--entity: '%s' is not an entity id",
							  optarg);
			break;
		case 'L':
			if (!(allow & OPT_LIMIT))
				return kb_cli_foreign_option(cli->cmd, argv);
			if (!kb_cli_parse_limit(optarg, &ro->limit))
				return kb_cli_usage_error(cli->cmd, "--limit: '%s' is not a positive number",
							  optarg);
			break;
		default:
			return kb_cli_bad_option(cli->cmd, c, argv);
		}
	}
	int extra = argc - optind;
	if (arg_name && extra < 1)
		return kb_cli_usage_error(cli->cmd, "missing %s", arg_name);
	if (extra > (arg_name ? 1 : 0))
		return kb_cli_usage_error(cli->cmd, "unexpected argument '%s'",
					  argv[optind + (arg_name ? 1 : 0)]);
	ro->arg = arg_name ? argv[optind] : NULL;
	return KB_EXIT_OK;
}

int kb_cmd_list(struct kb_cli *cli, int argc, char **argv)
{
	struct read_opts ro = { 0 };
	int rc = parse(cli, argc, argv, true, OPT_FILTERS, NULL, &ro);
	if (rc)
		return rc;
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	if ((ro.person || ro.entity) && ro.feed)
		return kb_cli_usage_error(cli->cmd, "--feed goes with --date, --outlet and --unread,"
						    " not with --person or --entity");
	struct kb_list_query q = { .date = ro.date, .entity = ro.entity, .source = ro.outlet,
				   .unread = ro.unread };
	if (ro.feed) {
		q.feed = kb_store_feed_find(st, ro.feed);
		if (q.feed <= 0) {
			kb_error("list: --feed: %s: %s", ro.feed,
				 q.feed < 0 ? kb_store_error(st) : "no such feed (see 'kabar feed list')");
			return KB_EXIT_FAILED;
		}
	}
	if (ro.person) {
		char *key = kb_name_key(ro.person, strlen(ro.person));
		q.entity = kb_store_entity_find(st, "person", *key ? key : NULL, ro.person);
		free(key);
		if (q.entity <= 0) {
			kb_error("list: --person: %s", q.entity < 0 ? kb_store_error(st)
								     : "no such person");
			return KB_EXIT_FAILED;
		}
	}
	struct kb_printer p;
	if (ro.date && (strlen(ro.date) != 4 && strlen(ro.date) != 7 && strlen(ro.date) != 10))
		return kb_cli_usage_error(cli->cmd, "--date: '%s' is not YYYY, YYYY-MM or YYYY-MM-DD",
					  ro.date);
	kb_print_begin(&p, ro.fmt, false);
	if (kb_store_list(st, &q, kb_print_row, &p) < 0) {
		kb_print_end(&p);
		if (ro.date)
			return kb_cli_usage_error(cli->cmd, "--date: %s", kb_store_error(st));
		kb_error("list: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	kb_print_end(&p);
	return KB_EXIT_OK;
}

int kb_cmd_search(struct kb_cli *cli, int argc, char **argv)
{
	struct read_opts ro = { 0 };
	int rc = parse(cli, argc, argv, true, OPT_LIMIT, "QUERY", &ro);
	if (rc)
		return rc;
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	struct kb_printer p;
	kb_print_begin(&p, ro.fmt, true);
	rc = kb_store_search(st, ro.arg, ro.limit, kb_print_row, &p);
	kb_print_end(&p);
	if (rc == 1)
		return kb_cli_usage_error(cli->cmd, "QUERY has no word to search for");
	if (rc < 0) {
		kb_error("search: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}

static void print_field(const char *label, const char *value)
{
	if (value && *value) {
		printf("%-9s ", label);
		kb_text_safe_puts(stdout, value, false);
		putchar('\n');
	}
}

int kb_cmd_show(struct kb_cli *cli, int argc, char **argv)
{
	struct read_opts ro = { 0 };
	int rc = parse(cli, argc, argv, false, 0, "ID", &ro);
	if (rc)
		return rc;
	long long id;
	if (!kb_cli_parse_id(ro.arg, &id))
		return kb_cli_usage_error(cli->cmd, "'%s' is not an article id", ro.arg);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	if (ro.fmt == KB_OUT_JSON) {
		char *json = NULL;
		rc = kb_store_get_json(st, id, &json);
		if (rc > 0)
			printf("%s\n", json);
		free(json);
	} else {
		struct kb_article_view v;
		rc = kb_store_get(st, id, &v);
		if (rc > 0) {
			kb_text_safe_puts(stdout, v.title, false);
			fputs("\n\n", stdout);
			if (v.published) {
				printf("%-9s ", "Date:");
				kb_text_safe_puts(stdout, v.published, false);
				puts(v.published_inferred ? " (inferred)" : "");
			}
			print_field("Source:", v.source);
			static const char *const roles[][2] = {
				{ "author", "Author:" }, { "editor", "Editor:" },
				{ "photo", "Photo:" },  { "via", "Via:" },
			};
			for (size_t r = 0; r < KB_ARRAY_LEN(roles); r++)
				for (size_t i = 0; i < v.n_bylines; i++)
					if (strcmp(v.byline_role[i], roles[r][0]) == 0)
						print_field(roles[r][1], v.byline_name[i]);
			print_field("URL:", v.url);
			print_field("Origin:", v.origin);
			putchar('\n');
			kb_text_safe_puts(stdout, v.body, true);
			putchar('\n');
			kb_article_view_free(&v);
		}
	}
	if (rc == 0) {
		kb_error("show: no article %lld", id);
		return KB_EXIT_FAILED;
	}
	if (rc < 0) {
		kb_error("show: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}
