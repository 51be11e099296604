/* term.c - the terminal: curses in, the cell grid out.  The only file
 * that calls curses. */
#include "config.h"

#include "kabar/tui.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "kabar/util.h"

struct term {
	bool color;
	attr_t attr[KB_ST_COUNT];
};

/* The monochrome theme: what reads without colour (NO_COLOR, vt100). */
static const attr_t mono[KB_ST_COUNT] = {
	[KB_ST_NORMAL] = A_NORMAL,     [KB_ST_BORDER] = A_NORMAL,
	[KB_ST_BORDER_FOCUS] = A_REVERSE | A_BOLD, [KB_ST_HEADER] = A_BOLD,
	[KB_ST_SELECTED] = A_UNDERLINE, [KB_ST_CURSOR] = A_REVERSE,
	[KB_ST_UNREAD] = A_BOLD,       [KB_ST_TITLE] = A_BOLD,
	[KB_ST_META] = A_DIM,          [KB_ST_PERSON] = A_BOLD,
	[KB_ST_PLACE] = A_UNDERLINE,   [KB_ST_ORG] = A_BOLD | A_UNDERLINE,
	[KB_ST_DATE] = A_DIM | A_UNDERLINE, [KB_ST_STATUS] = A_REVERSE,
	[KB_ST_MESSAGE] = A_REVERSE | A_BOLD,
};

/* Colours on top of it: foreground, background (-1: the terminal's). */
static const short palette[KB_ST_COUNT][2] = {
	[KB_ST_NORMAL] = { -1, -1 },          [KB_ST_BORDER] = { COLOR_BLUE, -1 },
	[KB_ST_BORDER_FOCUS] = { COLOR_BLACK, COLOR_CYAN },
	[KB_ST_HEADER] = { COLOR_CYAN, -1 },  [KB_ST_SELECTED] = { -1, -1 },
	[KB_ST_CURSOR] = { COLOR_BLACK, COLOR_CYAN },
	[KB_ST_UNREAD] = { -1, -1 },          [KB_ST_TITLE] = { COLOR_YELLOW, -1 },
	[KB_ST_META] = { COLOR_CYAN, -1 },    [KB_ST_PERSON] = { COLOR_GREEN, -1 },
	[KB_ST_PLACE] = { COLOR_MAGENTA, -1 }, [KB_ST_ORG] = { COLOR_YELLOW, -1 },
	[KB_ST_DATE] = { COLOR_CYAN, -1 },    [KB_ST_STATUS] = { COLOR_BLACK, COLOR_WHITE },
	[KB_ST_MESSAGE] = { COLOR_BLACK, COLOR_YELLOW },
};

static attr_t cfg_attr(int a)
{
	return (a & KB_ATTR_BOLD ? A_BOLD : 0) | (a & KB_ATTR_REVERSE ? A_REVERSE : 0) |
	       (a & KB_ATTR_UNDERLINE ? A_UNDERLINE : 0) | (a & KB_ATTR_DIM ? A_DIM : 0);
}

static void theme(struct term *tm, const struct kb_tui_config *cfg)
{
	const char *no_color = getenv("NO_COLOR");
	tm->color = has_colors() && !(no_color && *no_color);
	if (tm->color) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < KB_ST_COUNT; i++) {
		tm->attr[i] = mono[i];
		short fg = palette[i][0], bg = palette[i][1];
		if (cfg->color[i].set) {
			fg = cfg->color[i].fg;
			bg = cfg->color[i].bg;
			tm->attr[i] = cfg_attr(cfg->color[i].attr);
		}
		if (tm->color && (fg >= 0 || bg >= 0) && i + 1 < COLOR_PAIRS && fg < COLORS &&
		    bg < COLORS) {
			init_pair((short)(i + 1), fg, bg);
			/* with colour, reverse video is not needed to see a
			 * selection, and a mention is marked by its colour alone:
			 * bold or underline on top would cost every mention
			 * drawn 13 bytes more (an sgr and an sgr0 beside the
			 * colour: \E[0;1;4m\017 ... \E[m\017) */
			if (!cfg->color[i].set) {
				tm->attr[i] &= ~(attr_t)A_REVERSE;
				if (i == KB_ST_PERSON || i == KB_ST_PLACE || i == KB_ST_ORG ||
				    i == KB_ST_DATE)
					tm->attr[i] = 0;
			}
			tm->attr[i] |= COLOR_PAIR(i + 1);
		}
	}
}

static void draw(const struct term *tm, const struct kb_grid *g)
{
	erase();
	for (int y = 0; y < g->h; y++) {
		for (int x = 0; x < g->w; x++) {
			const struct kb_cell *c = &g->cells[y * g->w + x];
			if (c->width == 0)
				continue;
			attrset(tm->attr[c->style]);
			mvaddstr(y, x, c->text);
		}
	}
	attrset(A_NORMAL);
	wnoutrefresh(stdscr);
	doupdate();
}

static int map_key(wint_t ch, int kind)
{
	if (kind != KEY_CODE_YES)
		return ch == '\r' ? KB_KEY_ENTER : (int)ch;
	switch (ch) {
	case KEY_DOWN: return KB_KEY_DOWN;
	case KEY_UP: return KB_KEY_UP;
	case KEY_LEFT: return KB_KEY_LEFT;
	case KEY_RIGHT: return KB_KEY_RIGHT;
	case KEY_NPAGE: return KB_KEY_NPAGE;
	case KEY_PPAGE: return KB_KEY_PPAGE;
	case KEY_HOME: return KB_KEY_HOME;
	case KEY_END: return KB_KEY_END;
	case KEY_BTAB: return KB_KEY_BTAB;
	case KEY_BACKSPACE: return KB_KEY_BACKSPACE2;
	case KEY_ENTER: return KB_KEY_ENTER;
	case KEY_RESIZE: return KB_KEY_RESIZE;
	default: return -1;
	}
}

/* ~/.config/kabar/config (or $XDG_CONFIG_HOME/kabar/config), if any. */
static void read_config(struct kb_tui *t)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path = xdg && *xdg == '/' ? kb_xasprintf("%s/kabar/config", xdg)
					: kb_xasprintf("%s/.config/kabar/config", home ? home : ".");
	FILE *f = fopen(path, "r");
	if (f) {
		struct kb_buf b = { 0 };
		char chunk[4096];
		size_t k;
		while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
			kb_buf_add(&b, chunk, k);
		fclose(f);
		char err[256];
		if (b.p && kb_config_read(&t->keys, &t->cfg, b.p, path, err, sizeof err) > 0)
			snprintf(t->message, sizeof t->message, "%.150s", err);
		kb_buf_free(&b);
	}
	free(path);
}

/* Microseconds from *t0 to now. */
static long usec_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)((t1.tv_sec - t0->tv_sec) * 1000000L + (t1.tv_nsec - t0->tv_nsec) / 1000);
}

/* o: the article's URL to $BROWSER, with curses put aside while it runs
 * (it may be a terminal program) and the screen restored after. */
static void browse(struct kb_tui *t)
{
	char **argv = kb_tui_browser_argv(getenv("BROWSER"), t->browse);
	t->browse[0] = '\0';
	if (!argv)
		return;
	def_prog_mode();
	endwin();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int status = 0;
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	if (pid < 0)
		snprintf(t->message, sizeof t->message, "$BROWSER: %s", strerror(errno));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(t->message, sizeof t->message, "cannot run %.100s", argv[0]);
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		snprintf(t->message, sizeof t->message, "%.100s failed", argv[0]);
	kb_tui_argv_free(argv);
}

/* How long the input wait lasts before the reader looks at the cache and
 * the background update: a second, a quarter of one while an update runs. */
static int wait_ms(const struct kb_tui *t)
{
	return t->upd_pid ? 250 : 1000;
}

int kb_tui_run(struct kb_store *st)
{
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	const char *codeset = nl_langinfo(CODESET);
	bool utf8 = codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
	/* newterm, not initscr: an unknown terminal is an error to report,
	 * not a reason for curses to exit the program */
	SCREEN *screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		kb_error("TERM=%s: unknown terminal type, cannot open the reader",
			 getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	/* the cursor is hidden: leave it where the last change was drawn
	 * instead of moving it back to the end of the screen after every
	 * update (a cursor address written to the terminal per key) */
	if (curs_set(0) != ERR)
		leaveok(stdscr, TRUE);
	idlok(stdscr, TRUE);

	struct kb_tui t;
	kb_tui_init(&t, st, COLS, LINES);
	/* this program, for R (kabar update): the binary, not a name a
	 * shell would look up */
	ssize_t n = readlink("/proc/self/exe", t.exe, sizeof t.exe - 1);
	t.exe[n > 0 ? n : 0] = '\0';
	read_config(&t);
	kb_tui_resize(&t, COLS, LINES); /* widths from the config */
	struct term tm;
	theme(&tm, &t.cfg);
	struct kb_grid g = { .ascii = !utf8 };

	/* $KABAR_KEYTIMES names a file that gets one line per key: how long
	 * kabar took from reading it to handing the screen to the terminal,
	 * in microseconds (what the benchmark reports beside its end-to-end
	 * times, which include the terminal); key 0 is the first screen,
	 * timed from the start of the interface */
	const char *kt_path = getenv("KABAR_KEYTIMES");
	FILE *kt = kt_path && *kt_path ? fopen(kt_path, "a") : NULL;

	kb_tui_render(&t, &g);
	draw(&tm, &g);
	if (kt) {
		fprintf(kt, "0 %ld\n", usec_since(&start));
		fflush(kt);
	}
	int fast_errors = 0; /* input errors before the timeout: no terminal */
	while (!t.quit) {
		wint_t ch;
		timeout(wait_ms(&t));
		struct timespec w0;
		clock_gettime(CLOCK_MONOTONIC, &w0);
		int kind = get_wch(&ch);
		if (kind == ERR) {
			/* the timeout (or a signal): no key, a look at the cache */
			if (errno != EINTR && usec_since(&w0) < 100000L * wait_ms(&t) / 200) {
				if (++fast_errors >= 10)
					break;
			} else {
				fast_errors = 0;
			}
			if (kb_tui_poll(&t)) {
				kb_tui_render(&t, &g);
				draw(&tm, &g);
			}
			continue;
		}
		fast_errors = 0;
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int key = map_key(ch, kind);
		if (key == KB_KEY_RESIZE) {
			kb_tui_resize(&t, COLS, LINES);
		} else if (key == KB_KEY_CTRL_L && !t.prompt) {
			clearok(curscr, TRUE); /* a full repaint, on request only */
		}
		if (key < 0)
			continue;
		kb_tui_key(&t, key);
		if (t.browse[0])
			browse(&t);
		kb_tui_poll(&t);
		kb_tui_render(&t, &g);
		draw(&tm, &g);
		if (kt) {
			fprintf(kt, "%d %ld\n", key, usec_since(&t0));
			fflush(kt);
		}
	}
	if (kt)
		fclose(kt);
	endwin();
	delscreen(screen);
	kb_grid_free(&g);
	/* marks still waiting for a busy cache: one last try, then say so */
	size_t dropped = 0, left = kb_store_retry_marks(t.st, &dropped);
	if (left + dropped)
		kb_error("%zu article%s not marked read: %s", left + dropped,
			 left + dropped == 1 ? "" : "s", kb_store_error(t.st));
	kb_tui_free(&t);
	return 0;
}
