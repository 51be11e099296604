/* tui.h - the reader: its state as plain C, a cell grid it draws into,
 * and the terminal loop.
 *
 * Every key is an action declared once in KB_TUI_ACTIONS; the default
 * bindings, the config file, the help screen and the dispatcher all read
 * that table.  The model (selection, history, filters, jumps) never
 * touches curses: tests drive it with kb_tui_do() and read the grid that
 * kb_tui_render() fills. */
#ifndef KABAR_TUI_H
#define KABAR_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kabar/store.h"

/* X(NAME, "config-name", "what it does") */
#define KB_TUI_ACTIONS(X)                                                            \
	X(QUIT, "quit", "quit (from the top level), or close this help")            \
	X(FOCUS_NEXT, "focus-next", "move focus to the next pane")                  \
	X(FOCUS_PREV, "focus-prev", "move focus to the previous pane")              \
	X(DOWN, "down", "move down")                                                \
	X(UP, "up", "move up")                                                      \
	X(PAGE_DOWN, "page-down", "page down")                                      \
	X(PAGE_UP, "page-up", "page up")                                            \
	X(TOP, "top", "go to the top")                                              \
	X(BOTTOM, "bottom", "go to the bottom")                                     \
	X(OPEN, "open", "open the article, or list the articles of the entity")    \
	X(NEXT_SHARED, "next-shared", "next article (by date) sharing the entity")  \
	X(PREV_SHARED, "prev-shared", "previous article sharing the entity")        \
	X(RELATED, "related", "articles related to this one, ranked")               \
	X(EVENT, "event", "the articles of this article's event")                   \
	X(SEARCH, "search", "full-text search")                                     \
	X(SEARCH_NEXT, "search-next", "next search hit")                            \
	X(SEARCH_PREV, "search-prev", "previous search hit")                        \
	X(OUTLETS, "outlets", "feeds and outlets, with unread and article counts")       \
	X(TOGGLE_READ, "toggle-read", "mark the article read or not read")          \
	X(MARK_ALL_READ, "mark-all-read", "mark every article of this list read")   \
	X(UNREAD_ONLY, "unread-only", "list only the articles not read, or all")    \
	X(UPDATE, "update", "run kabar update in the background")                   \
	X(BROWSER, "open-browser", "open the article's URL in $BROWSER")            \
	X(BACK, "back", "go back in history")                                       \
	X(FORWARD, "forward", "go forward in history")                              \
	X(TOGGLE_SIDEBAR, "toggle-sidebar", "show or hide the entity sidebar")      \
	X(READING_MODE, "reading-mode", "reading mode: the article alone, full width") \
	X(HELP, "help", "show every key binding")                                   \
	X(REDRAW, "redraw", "repaint the whole screen")

enum kb_action {
	KB_ACT_NONE,
#define KB_ACT_ENUM(name, str, help) KB_ACT_##name,
	KB_TUI_ACTIONS(KB_ACT_ENUM)
#undef KB_ACT_ENUM
	KB_ACT_COUNT
};

const char *kb_action_name(enum kb_action a);
const char *kb_action_help(enum kb_action a);
enum kb_action kb_action_from_name(const char *name);

/* ---- key bindings ------------------------------------------------------ */

/* Keys are ncurses key codes or characters (wide characters included);
 * KB_KEY_* names the special keys the bindings use. */
enum {
	KB_KEY_TAB = '\t',
	KB_KEY_ENTER = '\n',
	KB_KEY_BACKSPACE = 0x7f,
	KB_KEY_CTRL_L = 0x0c,
	KB_KEY_BASE = 0x110000, /* above Unicode: special keys */
	KB_KEY_DOWN,
	KB_KEY_UP,
	KB_KEY_LEFT,
	KB_KEY_RIGHT,
	KB_KEY_NPAGE,
	KB_KEY_PPAGE,
	KB_KEY_HOME,
	KB_KEY_END,
	KB_KEY_BTAB,
	KB_KEY_BACKSPACE2, /* the terminal's own backspace key */
	KB_KEY_RESIZE,
};

struct kb_keymap {
	struct kb_binding {
		int key;
		enum kb_action action;
	} *b;
	size_t n;
};

/* The default bindings (SPEC "The TUI"). */
void kb_keymap_defaults(struct kb_keymap *km);
void kb_keymap_free(struct kb_keymap *km);
enum kb_action kb_keymap_lookup(const struct kb_keymap *km, int key);
/* Parses a key name: "j", "Enter", "Tab", "S-Tab", "Space", "PgDn",
 * "Backspace", "C-l", "Down"...  Returns -1 when it is no key. */
int kb_key_parse(const char *name);
/* The name of a key, for the help screen. */
void kb_key_name(int key, char *out, size_t outsz);
/* Reads config lines ("bind KEY ACTION", "color ELEMENT FG BG [ATTR]",
 * "set sidebar-width N", "set list-width N", "set reader-full yes|no",
 * "# comment").  Errors are
 * written to err (one line, naming the line number) and the line is
 * skipped; returns the number of bad lines. */
struct kb_tui_config;
int kb_config_read(struct kb_keymap *km, struct kb_tui_config *cfg, const char *text,
		   const char *path, char *err, size_t errsz);

/* ---- the cell grid ----------------------------------------------------- */

enum kb_style {
	KB_ST_NORMAL,
	KB_ST_BORDER,
	KB_ST_BORDER_FOCUS,
	KB_ST_HEADER,
	KB_ST_SELECTED,
	KB_ST_CURSOR, /* the selection of the focused pane */
	KB_ST_UNREAD,
	KB_ST_TITLE,
	KB_ST_META,
	KB_ST_PERSON,
	KB_ST_PLACE,
	KB_ST_ORG,
	KB_ST_DATE,
	KB_ST_STATUS,
	KB_ST_MESSAGE,
	KB_ST_COUNT
};

struct kb_cell {
	char text[16];  /* one grapheme cluster, NUL-terminated; "" after a wide one */
	uint8_t width;  /* 0, 1 or 2 */
	uint8_t style;  /* enum kb_style */
};

struct kb_grid {
	int w, h;
	struct kb_cell *cells;
	bool ascii; /* the terminal cannot show UTF-8: ASCII borders */
};

void kb_grid_resize(struct kb_grid *g, int w, int h);
void kb_grid_free(struct kb_grid *g);
/* The text of row y (trailing spaces removed), for tests. */
void kb_grid_row(const struct kb_grid *g, int y, char *out, size_t outsz);

/* ---- the model --------------------------------------------------------- */

enum kb_pane { KB_PANE_LIST, KB_PANE_READER, KB_PANE_SIDEBAR, KB_PANE_COUNT };

enum kb_source_kind {
	KB_SRC_ALL,
	KB_SRC_ENTITY,
	KB_SRC_RELATED,
	KB_SRC_EVENT,
	KB_SRC_SEARCH,
	KB_SRC_OUTLETS, /* the subscriptions, then the outlets, one row each */
	KB_SRC_OUTLET,  /* the articles of one outlet (label: its name) */
	KB_SRC_FEED,    /* the articles of one subscription (id: the feed) */
};

/* What the list shows. */
struct kb_source {
	enum kb_source_kind kind;
	int64_t id;      /* entity, article (related) or event */
	char label[128]; /* the breadcrumb's last part */
	char outlet[256]; /* KB_SRC_OUTLET: the source ("": articles without one) */
};

struct kb_list_row {
	int64_t id, ord;
	char date[12];
	char source[48];
	char title[256];
	bool inferred, read;
	int64_t articles, unread; /* an outlet's row (KB_SRC_OUTLETS) */
	int64_t feed;             /* there, > 0: a subscription's row */
};

struct kb_side_row {
	int64_t id;
	char type;      /* 'p', 'l', 'o', 'd' */
	char name[96];
	int64_t others; /* other articles that share it */
};

struct kb_tui_config {
	int sidebar_width;
	int list_width; /* percent of the screen */
	bool reader_full; /* opening an article enters reading mode */
	struct {
		short fg, bg;
		int attr; /* KB_ATTR_* */
		bool set;
	} color[KB_ST_COUNT];
};
enum { KB_ATTR_BOLD = 1, KB_ATTR_REVERSE = 2, KB_ATTR_UNDERLINE = 4, KB_ATTR_DIM = 8 };

struct kb_history_entry {
	struct kb_source src;
	int64_t top_ord, top_id; /* first row shown */
	int64_t pos;             /* its place in the list */
	int sel;
	int64_t article;
	int scroll;
	enum kb_pane focus;
	int side_sel;
};

#define KB_HISTORY_MAX 256

struct kb_tui {
	struct kb_store *st;
	int w, h; /* screen size */

	enum kb_pane focus;
	bool sidebar_on;   /* wanted (toggled with s) */
	/* reading mode: the reader alone, across the whole width, so that a
	 * one-line scroll is a terminal scroll (a pane between others is
	 * redrawn whole: terminals scroll only whole rows).  The focus is
	 * the reader while it lasts; full_prev is the focus to go back to. */
	bool full;
	enum kb_pane full_prev;
	bool help;         /* the help screen is up */
	bool prompt;       /* typing a search */
	char input[256];
	size_t input_len;
	char message[160];
	bool quit;

	/* the list: a window of rows at most the pane high */
	struct kb_source src;
	struct kb_list_row *rows;
	int nrows, cap_rows;
	int sel;
	int64_t pos;   /* index of rows[0] in the whole list */
	int64_t total; /* rows in the list (-1: unknown) */
	/* fixed lists (related, event, search) are held whole */
	struct kb_list_row *fixed;
	int nfixed;

	/* the reader */
	int64_t article;
	struct kb_article_view view;
	struct kb_mention *mentions;
	long nmentions;
	int scroll;
	struct kb_wrapped {
		bool title;
		uint32_t start, end; /* bytes of the title or body */
		uint8_t kind;        /* 0 text, 1 title, 2 meta, 3 blank */
	} *lines;
	int nlines;
	int wrap_width;
	size_t wrap_next; /* body bytes wrapped so far: the rest waits */

	/* the sidebar: the article's entities */
	struct kb_side_row *side;
	int nside, side_sel, side_top;

	/* history, like a browser's */
	struct kb_history_entry hist[KB_HISTORY_MAX];
	int hist_len, hist_pos;

	/* search */
	char query[256];

	/* only articles not read, in every list (u) */
	bool unread_only;
	bool total_more; /* total is a floor: the count stopped there */
	int64_t data_version; /* of the cache when the list was read */

	/* kabar update in the background (R) */
	char exe[1024];     /* this program, for its update command */
	int upd_pid;        /* 0: none running */
	int upd_fd;         /* the read end of its progress pipe */
	char upd_buf[256];  /* a progress line being read */
	size_t upd_len;
	char upd_line[128]; /* the last whole line */
	char bg_status[160]; /* shown while it runs, when there is no message */

	/* a URL the terminal is to hand to $BROWSER (o) */
	char browse[2048];

	struct kb_keymap keys;
	struct kb_tui_config cfg;
};

/* Starts on the whole cache, newest first, at w x h. */
void kb_tui_init(struct kb_tui *t, struct kb_store *st, int w, int h);
void kb_tui_free(struct kb_tui *t);
void kb_tui_resize(struct kb_tui *t, int w, int h);
/* Performs an action; returns true when the screen must be redrawn. */
bool kb_tui_do(struct kb_tui *t, enum kb_action a);
/* A key: an action through the keymap, or typing into the search prompt. */
bool kb_tui_key(struct kb_tui *t, int key);
/* What happens without a key: reads the progress of a background update
 * (and reaps it), and reloads the list when another process changed the
 * cache (PRAGMA data_version), keeping the selection.  Returns true when
 * the screen must be redrawn.  The terminal loop calls it about every
 * second. */
bool kb_tui_poll(struct kb_tui *t);
/* Reloads the list as it stands, keeping the selected article (by id)
 * and the scroll position; at the top of the list, new articles that sort
 * above the selection appear above it. */
void kb_tui_refresh(struct kb_tui *t);
/* The argv for $BROWSER (browser) and url: split on spaces, "%s" replaced
 * by the URL, else the URL appended.  NULL-terminated, malloc'd (free
 * with kb_tui_argv_free); NULL when browser holds no word. */
char **kb_tui_browser_argv(const char *browser, const char *url);
void kb_tui_argv_free(char **argv);
/* Parses "feeds D/T items I bytes B errors E"; returns true when it is one. */
bool kb_tui_progress_parse(const char *line, long long *done, long long *total,
			   long long *items, long long *bytes, long long *errors);

/* Draws the whole screen into g (resized to the model's size). */
void kb_tui_render(const struct kb_tui *t, struct kb_grid *g);

/* Geometry the model and the renderer share.  In reading mode list_w is
 * 0, sidebar false and the reader spans the screen (reader_x 0). */
struct kb_layout {
	int list_x, list_w, reader_x, reader_w, side_x, side_w, body_h;
	bool sidebar;
};
void kb_tui_layout(const struct kb_tui *t, struct kb_layout *l);

/* The terminal loop: opens curses, runs until quit.  Returns an exit
 * status. */
int kb_tui_run(struct kb_store *st);

#endif
