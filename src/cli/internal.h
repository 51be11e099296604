/* internal.h - what the command-line files share; nothing outside src/cli/. */
#ifndef KABAR_CLI_INTERNAL_H
#define KABAR_CLI_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "kabar/cli.h"
#include "kabar/store.h"

enum kb_out { KB_OUT_TEXT, KB_OUT_TSV, KB_OUT_JSON };

struct kb_cli {
	const char *db_path;
	char *db_default; /* owned when db_path came from the environment */
	struct kb_store *st;
	const char *cmd;
};

/* Opens the cache once; prints the error and returns NULL on failure. */
struct kb_store *kb_cli_store(struct kb_cli *cli);

/* Parses --format VALUE; prints a usage error and returns -1 when VALUE
 * is not one of the allowed outputs. */
int kb_cli_format(const char *cmd, const char *value, bool allow_tsv, enum kb_out *out);
/* Prints "kabar: CMD: MESSAGE" and the usage hint; returns KB_EXIT_USAGE. */
int kb_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Reports what getopt returned c for (':' a missing value, '?' an
 * unknown option) as a usage error; returns KB_EXIT_USAGE. */
int kb_cli_bad_option(const char *cmd, int c, char **argv);
/* Reports an option getopt knows but this command does not take as a
 * usage error naming it; returns KB_EXIT_USAGE. */
int kb_cli_foreign_option(const char *cmd, char **argv);
/* Parses an article id; returns false when s is not one. */
bool kb_cli_parse_id(const char *s, long long *id);
/* A --limit value: a positive number, at most a billion. */
bool kb_cli_parse_limit(const char *s, int *limit);

/* Row printers shared by list and search. */
struct kb_printer {
	enum kb_out fmt;
	FILE *out;
	bool tty;    /* stdout is a terminal: fit lines to its width */
	bool bold;   /* highlight snippet matches with terminal bold */
	int width;   /* terminal width when tty */
	unsigned long rows;
	bool snippets;
};
void kb_print_begin(struct kb_printer *p, enum kb_out fmt, bool snippets);
int kb_print_row(const struct kb_row *row, void *printer);
void kb_print_end(struct kb_printer *p);

int kb_cmd_import(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_list(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_show(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_search(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_entities(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_related(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_events(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_alias(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_feed(struct kb_cli *cli, int argc, char **argv);
int kb_cmd_update(struct kb_cli *cli, int argc, char **argv);

/* HTTP options from the environment: KABAR_HTTP_TIMEOUT_MS (connect and
 * total), KABAR_HTTP_MAX_BYTES; the fetch module's defaults otherwise. */
struct kb_fetch_opts;
void kb_cli_fetch_opts(struct kb_fetch_opts *o);

/* A TSV field (tabs, line breaks and snippet marks become spaces or go),
 * made safe for a terminal. */
void kb_print_tsv_field(FILE *out, const char *s);
/* s on one line with nothing a terminal obeys (kb_text_safe); malloc'd,
 * "" for NULL. */
char *kb_print_safe_line(const char *s);

#endif
