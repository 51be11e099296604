/* cmd_entity.c - kabar entities, related, events and alias. */
#include "config.h"

#include "internal.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kabar/extract.h"
#include "kabar/text.h"
#include "kabar/util.h"

static const char *const entity_types[] = { "person", "place", "org", "date" };

static bool known_type(const char *t, bool event_any)
{
	for (size_t i = 0; i < KB_ARRAY_LEN(entity_types); i++)
		if (strcmp(t, entity_types[i]) == 0)
			return true;
	return event_any && (strcmp(t, "any") == 0 || strcmp(t, "event") == 0);
}

struct entity_out {
	enum kb_out fmt;
	unsigned long rows;
	bool per_article;
	const char *group;
};

static const char *group_title(const char *type)
{
	if (strcmp(type, "person") == 0)
		return "People";
	if (strcmp(type, "place") == 0)
		return "Places";
	if (strcmp(type, "org") == 0)
		return "Organisations";
	return "Dates";
}

static int print_entity(const struct kb_entity_row *r, void *ctx)
{
	struct entity_out *o = ctx;
	switch (o->fmt) {
	case KB_OUT_JSON:
		printf("%s\n%s", o->rows ? "," : "", r->json);
		break;
	case KB_OUT_TSV:
		printf("%lld\t%s\t", (long long)r->id, r->type);
		kb_print_tsv_field(stdout, r->name);
		printf("\t%lld\n", (long long)(o->per_article ? r->n : r->articles));
		break;
	case KB_OUT_TEXT: {
		if (!o->group || strcmp(o->group, r->type) != 0) {
			printf("%s%s\n", o->rows ? "\n" : "", group_title(r->type));
			o->group = r->type;
		}
		char *name = kb_print_safe_line(r->name);
		printf("  %6lld  %-40s %5lld %s\n", (long long)r->id, name,
		       (long long)(o->per_article ? r->n : r->articles),
		       o->per_article ? "mentions" : "articles");
		free(name);
		break;
	}
	}
	o->rows++;
	return 0;
}

static const struct option common_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "type", required_argument, NULL, 't' },
	{ "article", required_argument, NULL, 'a' },
	{ "by", required_argument, NULL, 'b' },
	{ "limit", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

int kb_cmd_entities(struct kb_cli *cli, int argc, char **argv)
{
	struct kb_entity_query q = { 0 };
	struct entity_out o = { .fmt = KB_OUT_TEXT };
	int c;
	long long id;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", common_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (kb_cli_format(cli->cmd, optarg, true, &o.fmt) < 0)
				return KB_EXIT_USAGE;
			break;
		case 't':
			if (!known_type(optarg, false))
				return kb_cli_usage_error(cli->cmd,
					"--type: '%s' is not one of person|place|org|date", optarg);
			q.type = optarg;
			break;
		case 'a':
			if (!kb_cli_parse_id(optarg, &id))
				return kb_cli_usage_error(cli->cmd, "--article: '%s' is not an article id",
							  optarg);
			q.article = id;
			break;
		case 'b':
		case 'l':
			return kb_cli_foreign_option(cli->cmd, argv);
		default:
			return kb_cli_bad_option(cli->cmd, c, argv);
		}
	}
	if (optind < argc)
		return kb_cli_usage_error(cli->cmd, "unexpected argument '%s'", argv[optind]);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	if (q.article) {
		struct kb_article_view v;
		int rc = kb_store_get(st, q.article, &v);
		kb_article_view_free(&v);
		if (rc <= 0) {
			kb_error("entities: no article %lld", (long long)q.article);
			return KB_EXIT_FAILED;
		}
	}
	o.per_article = q.article > 0;
	if (o.fmt == KB_OUT_JSON)
		fputs("[", stdout);
	else if (o.fmt == KB_OUT_TSV)
		printf("id\ttype\tname\t%s\n", o.per_article ? "mentions" : "articles");
	int rc = kb_store_entities(st, &q, print_entity, &o);
	if (o.fmt == KB_OUT_JSON)
		fputs(o.rows ? "\n]\n" : "]\n", stdout);
	if (rc < 0) {
		kb_error("entities: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}

static int print_related(const struct kb_related_row *r, void *ctx)
{
	struct kb_printer *p = ctx;
	if (p->fmt == KB_OUT_JSON)
		return kb_print_row(&r->row, p);
	if (p->fmt == KB_OUT_TSV) {
		printf("%lld\t%.4f\t", (long long)r->row.id, r->score);
		kb_print_tsv_field(stdout, r->row.title);
		putchar('\t');
		kb_print_tsv_field(stdout, r->shared);
		putchar('\n');
		p->rows++;
		return 0;
	}
	struct kb_buf b = { 0 };
	kb_buf_printf(&b, "%6lld %7.3f  ", (long long)r->row.id, r->score);
	char *title = kb_print_safe_line(r->row.title), *shared = kb_print_safe_line(r->shared);
	kb_text_put_cells(&b, title, p->tty ? (p->width > 30 ? p->width - 16 : 14) : 10000, false);
	printf("%s\n        shared: %s\n", b.p, shared);
	free(title);
	free(shared);
	kb_buf_free(&b);
	p->rows++;
	return 0;
}

int kb_cmd_related(struct kb_cli *cli, int argc, char **argv)
{
	const char *by = "any";
	long long id;
	int limit = 10;
	enum kb_out fmt = KB_OUT_TEXT;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", common_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (kb_cli_format(cli->cmd, optarg, true, &fmt) < 0)
				return KB_EXIT_USAGE;
			break;
		case 'b':
			if (!known_type(optarg, true))
				return kb_cli_usage_error(cli->cmd,
					"--by: '%s' is not one of person|place|org|date|event|any", optarg);
			by = optarg;
			break;
		case 'l':
			if (!kb_cli_parse_limit(optarg, &limit))
				return kb_cli_usage_error(cli->cmd, "--limit: '%s' is not a positive number",
							  optarg);
			break;
		case 't':
		case 'a':
			return kb_cli_foreign_option(cli->cmd, argv);
		default:
			return kb_cli_bad_option(cli->cmd, c, argv);
		}
	}
	if (optind >= argc)
		return kb_cli_usage_error(cli->cmd, "missing ID");
	if (optind + 1 < argc)
		return kb_cli_usage_error(cli->cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (!kb_cli_parse_id(argv[optind], &id))
		return kb_cli_usage_error(cli->cmd, "'%s' is not an article id", argv[optind]);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	struct kb_article_view v;
	int rc = kb_store_get(st, id, &v);
	kb_article_view_free(&v);
	if (rc <= 0) {
		kb_error("related: no article %lld", id);
		return KB_EXIT_FAILED;
	}
	struct kb_printer p;
	kb_print_begin(&p, fmt == KB_OUT_TSV ? KB_OUT_TEXT : fmt, false);
	p.fmt = fmt;
	if (fmt == KB_OUT_TSV)
		printf("id\tscore\ttitle\tshared\n");
	rc = kb_store_related(st, id, by, limit, print_related, &p);
	kb_print_end(&p);
	if (rc < 0) {
		kb_error("related: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}

/* An entity named on the command line: by name or alias, any type. */
static int64_t find_named(struct kb_cli *cli, struct kb_store *st, const char *name)
{
	char *key = kb_name_key(name, strlen(name));
	int64_t id = kb_store_entity_find(st, NULL, *key ? key : NULL, name);
	free(key);
	if (id == 0)
		kb_error("%s: no entity named '%s'", cli->cmd, name);
	else if (id < 0)
		kb_error("%s: %s", cli->cmd, kb_store_error(st));
	return id;
}

int kb_cmd_alias(struct kb_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return kb_cli_usage_error(cli->cmd, "missing merge, rename or ignore");
	const char *op = argv[1];
	int want = strcmp(op, "merge") == 0 || strcmp(op, "rename") == 0 ? 2
		   : strcmp(op, "ignore") == 0			      ? 1
									      : -1;
	if (want < 0)
		return kb_cli_usage_error(cli->cmd, "'%s' is not merge, rename or ignore", op);
	if (argc - 2 != want)
		return kb_cli_usage_error(cli->cmd, "%s takes %d name%s", op, want,
					  want > 1 ? "s" : "");
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	int64_t a = find_named(cli, st, argv[2]);
	if (a <= 0)
		return KB_EXIT_FAILED;
	int64_t b = 0;
	if (strcmp(op, "merge") == 0 && (b = find_named(cli, st, argv[3])) <= 0)
		return KB_EXIT_FAILED;
	int rc = kb_store_begin(st);
	if (rc == 0) {
		if (strcmp(op, "merge") == 0)
			rc = kb_store_entity_merge(st, a, b);
		else if (strcmp(op, "rename") == 0)
			rc = *argv[3] ? kb_store_entity_rename(st, a, argv[3]) : -1;
		else
			rc = kb_store_entity_ignore(st, a);
	}
	if (rc < 0 || kb_store_commit(st) < 0) {
		kb_store_rollback(st);
		kb_error("alias %s: %s", op, *kb_store_error(st) ? kb_store_error(st) : "empty name");
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}

struct event_out {
	enum kb_out fmt;
	unsigned long rows;
};

static int print_event(const struct kb_event_row *r, void *ctx)
{
	struct event_out *o = ctx;
	if (o->fmt == KB_OUT_JSON) {
		printf("%s\n%s", o->rows ? "," : "", r->json);
	} else if (o->fmt == KB_OUT_TSV) {
		printf("%lld\t%s\t", (long long)r->id, r->date ? r->date : "");
		kb_print_tsv_field(stdout, r->label);
		printf("\t%lld\n", (long long)r->articles);
	} else {
		char *label = kb_print_safe_line(r->label);
		printf("%6lld  %-10s  %s  (%lld articles)\n", (long long)r->id,
		       r->date ? r->date : "", label, (long long)r->articles);
		free(label);
		/* each member, and why it is in the event */
		for (const char *p = r->members; p && *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			char *line = kb_xstrndup(p, n), *f[4] = { line, NULL, NULL, NULL };
			for (int i = 1; i < 4 && f[i - 1]; i++) {
				char *tab = strchr(f[i - 1], '\t');
				if (tab) {
					*tab = '\0';
					f[i] = tab + 1;
				}
			}
			char *title = kb_print_safe_line(f[2]), *shared = kb_print_safe_line(f[3]);
			printf("        %6s  %-10s  %s\n%28s%s%s\n", f[0], f[1] ? f[1] : "", title, "",
			       shared[0] ? "shares: " : "", shared);
			free(title);
			free(shared);
			free(line);
			p += n + (nl ? 1 : 0);
		}
	}
	o->rows++;
	return 0;
}

int kb_cmd_events(struct kb_cli *cli, int argc, char **argv)
{
	struct event_out o = { .fmt = KB_OUT_TEXT };
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", common_opts, NULL)) != -1) {
		if (c == 'f') {
			if (kb_cli_format(cli->cmd, optarg, true, &o.fmt) < 0)
				return KB_EXIT_USAGE;
		} else if (c == ':' || c == '?') {
			return kb_cli_bad_option(cli->cmd, c, argv);
		} else {
			return kb_cli_foreign_option(cli->cmd, argv);
		}
	}
	if (optind < argc)
		return kb_cli_usage_error(cli->cmd, "unexpected argument '%s'", argv[optind]);
	struct kb_store *st = kb_cli_store(cli);
	if (!st)
		return KB_EXIT_FAILED;
	if (o.fmt == KB_OUT_JSON)
		fputs("[", stdout);
	else if (o.fmt == KB_OUT_TSV)
		printf("id\tdate\tlabel\tarticles\n");
	int rc = kb_store_events(st, print_event, &o);
	if (o.fmt == KB_OUT_JSON)
		fputs(o.rows ? "\n]\n" : "]\n", stdout);
	if (rc < 0) {
		kb_error("events: %s", kb_store_error(st));
		return KB_EXIT_FAILED;
	}
	return KB_EXIT_OK;
}
