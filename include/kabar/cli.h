/* cli.h - the command line: kabar [--db PATH] COMMAND [OPTIONS] [ARGS]. */
#ifndef KABAR_CLI_H
#define KABAR_CLI_H

/* Exit statuses (SPEC "Command line"). */
enum {
	KB_EXIT_OK = 0,
	KB_EXIT_FAILED = 1, /* some input failed, the rest was done */
	KB_EXIT_USAGE = 2,
};

/* Runs kabar with argv as given to main; returns the exit status. */
int kb_cli_main(int argc, char **argv);

/* The cache path: $KABAR_DB, else $XDG_DATA_HOME/kabar/kabar.db, else
 * ~/.local/share/kabar/kabar.db (malloc'd). */
char *kb_cli_default_db(void);

#endif
