/* test_tui.c - the reader's state and rendering, without a terminal. */
#include "testutil.h"

#include "kabar/extract.h"
#include "kabar/ingest.h"
#include "kabar/store.h"
#include "kabar/tui.h"

#include <unistr.h>

static char *dir;
static struct kb_store *st;

/* One cache of the sample corpus for every test. */
static int setup_group(void **state)
{
	(void)state;
	dir = test_dir("tui");
	char path[512], *err = NULL;
	snprintf(path, sizeof path, "%s/kabar.db", dir);
	st = kb_store_open(path, &err);
	if (!st)
		return -1;
	struct kb_extractor *ex = kb_extractor_open(&err);
	if (!ex)
		return -1;
	const char *src = getenv("KABAR_SRCDIR");
	char sample[512];
	snprintf(sample, sizeof sample, "%s/assets/sample", src ? src : ".");
	char *paths[] = { sample };
	struct kb_import_opts o = { .format = KB_FORMAT_AUTO, .extractor = ex };
	struct kb_import_stats s;
	int rc = kb_import_paths(st, paths, 1, &o, &s);
	kb_extractor_free(ex);
	return rc == 0 && s.imported == 24 ? 0 : -1;
}

static int teardown_group(void **state)
{
	(void)state;
	kb_store_close(st);
	test_rmdir(dir);
	return 0;
}

static int collect_ids(const struct kb_row *r, void *ctx)
{
	int64_t *ids = ctx;
	int n = (int)ids[0]++;
	ids[1 + n] = r->id;
	return 0;
}

static void starts_on_the_newest_article(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	assert_int_equal(t.total, 24);
	assert_int_equal(t.sel, 0);
	assert_int_equal(t.pos, 0);
	assert_true(t.nrows == 24);
	int64_t ids[32] = { 0 };
	struct kb_list_query q = { 0 };
	kb_store_list(st, &q, collect_ids, ids);
	assert_int_equal(t.rows[0].id, ids[1]);
	assert_int_equal(t.article, ids[1]); /* opened */
	assert_true(t.nside > 0);
	assert_int_equal(t.focus, KB_PANE_LIST);
	kb_tui_free(&t);
}

static void scrolling_walks_the_whole_list_in_order(void **state)
{
	(void)state;
	int64_t ids[32] = { 0 };
	struct kb_list_query q = { 0 };
	kb_store_list(st, &q, collect_ids, ids);
	struct kb_tui t;
	kb_tui_init(&t, st, 80, 8); /* six rows at a time */
	assert_int_equal(t.nrows, 6);
	for (int i = 0; i < 24; i++) {
		assert_int_equal(t.pos + t.sel, i);
		assert_int_equal(t.rows[t.sel].id, ids[1 + i]);
		kb_tui_do(&t, KB_ACT_DOWN);
	}
	/* at the end it stays */
	assert_int_equal(t.pos + t.sel, 23);
	assert_string_equal(t.message, "end of the list");
	for (int i = 23; i >= 0; i--) {
		assert_int_equal(t.rows[t.sel].id, ids[1 + i]);
		kb_tui_do(&t, KB_ACT_UP);
	}
	kb_tui_do(&t, KB_ACT_BOTTOM);
	assert_int_equal(t.pos + t.sel, 23);
	assert_int_equal(t.rows[t.sel].id, ids[24]);
	kb_tui_do(&t, KB_ACT_PAGE_UP);
	assert_int_equal(t.rows[t.sel].id, ids[1 + t.pos + t.sel]);
	kb_tui_do(&t, KB_ACT_TOP);
	assert_int_equal(t.pos + t.sel, 0);
	kb_tui_do(&t, KB_ACT_PAGE_DOWN);
	assert_int_equal(t.rows[t.sel].id, ids[1 + t.pos + t.sel]);
	assert_true(t.pos + t.sel > 0);
	kb_tui_free(&t);
}

static void history_goes_back_and_forward(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 12); /* short, so that the reader scrolls */
	int64_t first = t.article;
	kb_tui_do(&t, KB_ACT_DOWN);
	kb_tui_do(&t, KB_ACT_DOWN);
	kb_tui_do(&t, KB_ACT_OPEN);
	int64_t third = t.article;
	assert_int_not_equal(first, third);
	assert_int_equal(t.focus, KB_PANE_READER);
	kb_tui_do(&t, KB_ACT_DOWN); /* scrolls the reader */
	kb_tui_do(&t, KB_ACT_BACK);
	assert_int_equal(t.article, first);
	assert_int_equal(t.focus, KB_PANE_LIST);
	assert_int_equal(t.sel, 2); /* where it was when it opened the third */
	kb_tui_do(&t, KB_ACT_FORWARD);
	assert_int_equal(t.article, third);
	assert_int_equal(t.focus, KB_PANE_READER);
	assert_int_equal(t.scroll, 1); /* the reader's scroll came back too */
	kb_tui_do(&t, KB_ACT_FORWARD);
	assert_string_equal(t.message, "nothing to go forward to");
	kb_tui_free(&t);
}

/* The sidebar row of the first entity named name, or -1. */
static int side_row(const struct kb_tui *t, const char *name)
{
	for (int i = 0; i < t->nside; i++)
		if (strcmp(t->side[i].name, name) == 0)
			return i;
	return -1;
}

static void entity_filter_and_jumps(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	/* find an article with Yevgeny Sorokin (the Singapore arbitration) */
	char *key = kb_name_key("Evgeny Sorokin", 14);
	int64_t sorokin = kb_store_entity_find(st, "person", key, NULL);
	free(key);
	assert_true(sorokin > 0);
	int64_t rank, total;
	int64_t first = kb_store_entity_step(st, sorokin, t.rows[0].id, 1); /* older than the newest */
	assert_true(first > 0);
	assert_int_equal(kb_store_entity_rank(st, sorokin, first, &rank, &total), 0);
	assert_int_equal(rank, 1);
	assert_true(total >= 3);

	/* open it through the list: walk down to it */
	while (t.rows[t.sel].id != first)
		kb_tui_do(&t, KB_ACT_DOWN);
	kb_tui_do(&t, KB_ACT_OPEN);
	kb_tui_do(&t, KB_ACT_FOCUS_NEXT);
	assert_int_equal(t.focus, KB_PANE_SIDEBAR);
	int row = -1;
	for (int i = 0; i < t.nside; i++)
		if (t.side[i].id == sorokin)
			row = i;
	assert_true(row >= 0);
	while (t.side_sel < row)
		kb_tui_do(&t, KB_ACT_DOWN);
	/* ] goes to the next article by date that mentions him */
	kb_tui_do(&t, KB_ACT_NEXT_SHARED);
	assert_int_not_equal(t.article, first);
	assert_int_equal(t.side[t.side_sel].id, sorokin);
	assert_int_equal(kb_store_entity_rank(st, sorokin, t.article, &rank, &total), 0);
	assert_int_equal(rank, 2);
	char want[64];
	snprintf(want, sizeof want, " 2/%lld", (long long)total);
	assert_contains(t.message, want);
	kb_tui_do(&t, KB_ACT_PREV_SHARED);
	assert_int_equal(t.article, first);
	kb_tui_do(&t, KB_ACT_BACK);
	kb_tui_do(&t, KB_ACT_BACK);
	assert_int_equal(t.article, first);

	/* Enter filters the list to the entity, Backspace comes back */
	kb_tui_do(&t, KB_ACT_OPEN);
	assert_int_equal(t.src.kind, KB_SRC_ENTITY);
	assert_int_equal(t.total, total);
	assert_int_equal(t.nrows, total);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	char line[1024];
	kb_grid_row(&g, g.h - 1, line, sizeof line);
	assert_contains(line, "All › ");
	assert_contains(line, t.src.label);
	kb_tui_do(&t, KB_ACT_BACK);
	assert_int_equal(t.src.kind, KB_SRC_ALL);
	assert_int_equal(t.total, 24);
	kb_grid_free(&g);
	assert_true(side_row(&t, "no such entity") < 0);
	kb_tui_free(&t);
}

static void search_related_and_event(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	const char *typed = "/arbitrase\n";
	for (const char *p = typed; *p; p++)
		kb_tui_key(&t, (unsigned char)*p);
	assert_int_equal(t.src.kind, KB_SRC_SEARCH);
	assert_true(t.nfixed >= 2);
	assert_contains(t.message, "hit 1/");
	int64_t hit1 = t.article;
	kb_tui_key(&t, 'n');
	assert_contains(t.message, "hit 2/");
	assert_int_not_equal(t.article, hit1);
	kb_tui_key(&t, 'p'); /* previous hit (N is toggle-read) */
	assert_int_equal(t.article, hit1);

	kb_tui_key(&t, 'r'); /* related to the open article */
	assert_int_equal(t.src.kind, KB_SRC_RELATED);
	assert_true(t.nfixed > 0);
	kb_tui_key(&t, KB_KEY_BACKSPACE);
	assert_int_equal(t.src.kind, KB_SRC_SEARCH);

	int64_t ev = kb_store_article_event(st, hit1);
	kb_tui_key(&t, 'e');
	if (ev > 0) {
		assert_int_equal(t.src.kind, KB_SRC_EVENT);
		assert_true(t.nfixed >= 2);
	} else {
		assert_string_equal(t.message, "this article is in no event");
	}
	kb_tui_free(&t);
}

static void the_reader_wraps_only_what_it_shows(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 8); /* six lines of reader */
	size_t body = strlen(t.view.body);
	assert_true(t.wrap_next < body); /* the end is not wrapped yet */
	int first = t.nlines;
	kb_tui_do(&t, KB_ACT_OPEN);
	kb_tui_do(&t, KB_ACT_DOWN);
	assert_int_equal(t.scroll, 1);
	kb_tui_do(&t, KB_ACT_BOTTOM);
	assert_int_equal(t.wrap_next, body);
	assert_true(t.nlines > first);
	assert_int_equal(t.scroll, t.nlines - 6);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	char head[256];
	kb_grid_row(&g, 0, head, sizeof head);
	assert_contains(head, "Reader 100%");
	kb_tui_do(&t, KB_ACT_TOP);
	assert_int_equal(t.scroll, 0);
	kb_grid_free(&g);
	kb_tui_free(&t);
}

static void resize_keeps_the_selection(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	for (int i = 0; i < 20; i++)
		kb_tui_do(&t, KB_ACT_DOWN);
	int64_t id = t.rows[t.sel].id;
	kb_tui_resize(&t, 60, 20);
	assert_int_equal(t.rows[t.sel].id, id);
	assert_true(t.nrows <= 18);
	kb_tui_resize(&t, 120, 40);
	assert_int_equal(t.rows[t.sel].id, id);
	struct kb_layout l;
	kb_tui_layout(&t, &l);
	assert_true(l.sidebar);
	kb_tui_resize(&t, 80, 24);
	kb_tui_layout(&t, &l);
	assert_false(l.sidebar); /* folded below 100 columns */
	kb_tui_do(&t, KB_ACT_TOGGLE_SIDEBAR);
	kb_tui_layout(&t, &l);
	assert_false(t.sidebar_on);
	kb_tui_do(&t, KB_ACT_TOGGLE_SIDEBAR);
	kb_tui_layout(&t, &l);
	assert_true(l.sidebar); /* asked for: shown, and focused */
	assert_int_equal(t.focus, KB_PANE_SIDEBAR);
	/* the reader is narrower now, and wrapped to its new width */
	assert_int_equal(t.wrap_width, l.reader_w - 2);
	kb_tui_do(&t, KB_ACT_FOCUS_NEXT); /* back to the list: the sidebar folds */
	kb_tui_layout(&t, &l);
	assert_false(l.sidebar);
	assert_int_equal(t.wrap_width, l.reader_w - 2);
	kb_tui_free(&t);
}

/* Display column of the byte offset in a grid row's text. */
static void separators_line_up(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 100, 30);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	struct kb_layout l;
	kb_tui_layout(&t, &l);
	bool cjk = false;
	for (int y = 0; y < g.h - 1; y++) {
		/* every row has the separator in the same cell, whatever it holds */
		assert_string_equal(g.cells[y * g.w + l.list_w].text, "│");
		char row[2048];
		kb_grid_row(&g, y, row, sizeof row);
		cjk |= strstr(row, "東京") != NULL;
	}
	assert_true(cjk); /* the Tokyo article's title is on screen */
	/* ASCII borders where UTF-8 cannot be shown */
	struct kb_grid a = { .ascii = true };
	kb_tui_render(&t, &a);
	assert_string_equal(a.cells[1 * a.w + l.list_w].text, "|");
	for (int i = 0; i < a.w * a.h; i++)
		for (const char *p = a.cells[i].text; *p; p++)
			assert_true((unsigned char)*p < 0x80);
	kb_grid_free(&a);
	kb_grid_free(&g);
	kb_tui_free(&t);
}

/* Some row of the grid contains text. */
static bool grid_has(const struct kb_grid *g, const char *text)
{
	for (int y = 0; y < g->h; y++) {
		char row[2048];
		kb_grid_row(g, y, row, sizeof row);
		if (strstr(row, text))
			return true;
	}
	return false;
}

static void reading_mode_takes_the_whole_width(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 12);
	kb_tui_do(&t, KB_ACT_OPEN);
	for (int i = 0; i < 6; i++)
		kb_tui_do(&t, KB_ACT_DOWN);
	/* the first body byte at the top of the three-pane reader */
	int k = t.scroll;
	while (t.lines[k].kind != 0)
		k++;
	uint32_t anchor = t.lines[k].start;
	int64_t article = t.article;

	assert_int_equal(kb_keymap_lookup(&t.keys, 'z'), KB_ACT_READING_MODE);
	kb_tui_key(&t, 'z');
	assert_true(t.full);
	assert_int_equal(t.focus, KB_PANE_READER);
	assert_int_equal(t.article, article);
	struct kb_layout l;
	kb_tui_layout(&t, &l);
	assert_int_equal(l.list_w, 0);
	assert_false(l.sidebar);
	assert_int_equal(l.reader_x, 0);
	assert_int_equal(l.reader_w, 120);
	assert_int_equal(l.body_h, 10);
	assert_int_equal(t.wrap_width, 118);
	/* the text at the top stays at the top, wrapped to the new width */
	k = t.scroll;
	while (t.lines[k].kind != 0)
		k++;
	assert_true(t.lines[k].start <= anchor && anchor < t.lines[k].end);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	char row[1024];
	kb_grid_row(&g, 0, row, sizeof row);
	assert_true(strncmp(row, " Reader", 7) == 0);
	assert_false(grid_has(&g, "│"));
	assert_false(grid_has(&g, "Articles"));
	assert_false(grid_has(&g, "Entities"));
	kb_grid_row(&g, g.h - 1, row, sizeof row);
	assert_contains(row, "All"); /* the status line stays */
	int widest = 0;
	for (int y = 1; y < g.h - 1; y++) {
		kb_grid_row(&g, y, row, sizeof row);
		int n = (int)strlen(row);
		widest = n > widest ? n : widest;
	}
	assert_true(widest > 100); /* lines run across the screen */
	int scroll = t.scroll;
	kb_tui_key(&t, 'j');
	assert_int_equal(t.scroll, scroll + 1);
	assert_true(t.full);

	/* z again: the panes are back, with the focus it had */
	kb_tui_key(&t, 'z');
	assert_false(t.full);
	assert_int_equal(t.focus, KB_PANE_READER);
	kb_tui_layout(&t, &l);
	assert_true(l.list_w > 0);
	assert_true(l.sidebar);
	kb_tui_render(&t, &g);
	assert_true(grid_has(&g, "Articles"));

	/* from the list: z reads, z gives the list its focus back */
	kb_tui_do(&t, KB_ACT_FOCUS_PREV);
	assert_int_equal(t.focus, KB_PANE_LIST);
	kb_tui_do(&t, KB_ACT_READING_MODE);
	assert_true(t.full);
	assert_int_equal(t.focus, KB_PANE_READER);
	kb_tui_do(&t, KB_ACT_OPEN); /* Enter: the article is open already */
	assert_true(t.full);
	assert_int_equal(t.article, article);
	kb_tui_do(&t, KB_ACT_QUIT); /* q leaves the mode first */
	assert_false(t.quit);
	assert_false(t.full);
	assert_int_equal(t.focus, KB_PANE_LIST);

	/* Tab and S-Tab bring the panes back and move on from the reader */
	kb_tui_do(&t, KB_ACT_READING_MODE);
	kb_tui_do(&t, KB_ACT_FOCUS_NEXT);
	assert_false(t.full);
	assert_int_equal(t.focus, KB_PANE_SIDEBAR);
	kb_tui_do(&t, KB_ACT_READING_MODE);
	kb_tui_do(&t, KB_ACT_FOCUS_PREV);
	assert_false(t.full);
	assert_int_equal(t.focus, KB_PANE_LIST);

	/* s: back to the panes with the sidebar shown */
	kb_tui_do(&t, KB_ACT_TOGGLE_SIDEBAR); /* off */
	kb_tui_do(&t, KB_ACT_READING_MODE);
	kb_tui_do(&t, KB_ACT_TOGGLE_SIDEBAR);
	assert_false(t.full);
	assert_true(t.sidebar_on);

	/* resizing keeps the mode */
	kb_tui_do(&t, KB_ACT_READING_MODE);
	kb_tui_resize(&t, 60, 20);
	kb_tui_layout(&t, &l);
	assert_true(t.full);
	assert_int_equal(l.reader_w, 60);
	assert_int_equal(t.wrap_width, 58);
	kb_tui_render(&t, &g);
	assert_false(grid_has(&g, "│"));
	kb_tui_resize(&t, 120, 12);
	kb_grid_free(&g);
	kb_tui_free(&t);
}

static void reading_mode_follows_jumps_and_leaves_for_lists(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	kb_tui_do(&t, KB_ACT_OPEN);
	/* an article whose distinctive entity has a next article */
	int64_t from = 0;
	for (int i = 0; i < 24 && !from; i++) {
		kb_tui_do(&t, KB_ACT_READING_MODE);
		int64_t a = t.article;
		kb_tui_do(&t, KB_ACT_NEXT_SHARED);
		if (t.article != a)
			from = a;
		else {
			kb_tui_do(&t, KB_ACT_READING_MODE); /* out */
			kb_tui_do(&t, KB_ACT_FOCUS_PREV);
			kb_tui_do(&t, KB_ACT_DOWN);
			kb_tui_do(&t, KB_ACT_OPEN);
		}
	}
	assert_true(from > 0);
	/* ] keeps the mode; so do back and forward */
	assert_true(t.full);
	assert_int_equal(t.focus, KB_PANE_READER);
	int64_t to = t.article;
	kb_tui_do(&t, KB_ACT_BACK);
	assert_true(t.full);
	assert_int_equal(t.article, from);
	assert_int_equal(t.focus, KB_PANE_READER);
	kb_tui_do(&t, KB_ACT_FORWARD);
	assert_true(t.full);
	assert_int_equal(t.article, to);
	/* a list (related, event, search) leaves it, to be seen */
	kb_tui_do(&t, KB_ACT_RELATED);
	assert_false(t.full);
	assert_int_equal(t.focus, KB_PANE_LIST);
	kb_tui_free(&t);

	/* set reader-full yes: opening an article enters the mode */
	kb_tui_init(&t, st, 80, 24);
	char err[256];
	assert_int_equal(kb_config_read(&t.keys, &t.cfg, "set reader-full yes\n", "c", err,
					sizeof err), 0);
	assert_true(t.cfg.reader_full);
	kb_tui_do(&t, KB_ACT_DOWN);
	kb_tui_do(&t, KB_ACT_OPEN);
	assert_true(t.full);
	assert_int_equal(t.article, t.rows[1].id);
	kb_tui_do(&t, KB_ACT_QUIT); /* back to the list, to open the next */
	assert_false(t.full);
	assert_int_equal(t.focus, KB_PANE_LIST);
	assert_int_equal(kb_config_read(&t.keys, &t.cfg, "set reader-full no\nset reader-full maybe\n",
					"c", err, sizeof err), 1);
	assert_string_equal(err, "c:2: not yes or no");
	assert_false(t.cfg.reader_full);
	kb_tui_free(&t);
}

static void help_lists_every_action(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 100, 34); /* a row for every action */
	kb_tui_do(&t, KB_ACT_HELP);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	char all[8192] = "";
	for (int y = 0; y < g.h; y++) {
		char row[512];
		kb_grid_row(&g, y, row, sizeof row);
		strncat(all, row, sizeof all - strlen(all) - 2);
		strcat(all, "\n");
	}
	for (int a = 1; a < KB_ACT_COUNT; a++)
		assert_contains(all, kb_action_help((enum kb_action)a));
	assert_contains(all, "Backspace h Left");
	kb_tui_do(&t, KB_ACT_DOWN); /* any key closes it */
	assert_false(t.help);
	/* at 80x24 the actions outnumber the rows: two columns, each action
	 * with its keys and the start of its help */
	kb_tui_resize(&t, 80, 24);
	kb_tui_do(&t, KB_ACT_HELP);
	kb_tui_render(&t, &g);
	all[0] = '\0';
	for (int y = 0; y < g.h; y++) {
		char row[512];
		kb_grid_row(&g, y, row, sizeof row);
		strncat(all, row, sizeof all - strlen(all) - 2);
		strcat(all, "\n");
	}
	for (int a = 1; a < KB_ACT_COUNT; a++) {
		char start[16];
		snprintf(start, sizeof start, "%.12s", kb_action_help((enum kb_action)a));
		assert_contains(all, start);
	}
	const char *rm = strstr(all, "reading mode");
	assert_non_null(rm);
	const char *z = rm;
	while (z > all && z[-1] != '\n' && *z != 'z')
		z--;
	assert_true(*z == 'z' && z[-1] == ' ' && z[1] == ' '); /* its key, z, before it */
	kb_grid_free(&g);
	kb_tui_free(&t);
}

static void keys_and_config(void **state)
{
	(void)state;
	assert_int_equal(kb_key_parse("j"), 'j');
	assert_int_equal(kb_key_parse("Enter"), KB_KEY_ENTER);
	assert_int_equal(kb_key_parse("S-Tab"), KB_KEY_BTAB);
	assert_int_equal(kb_key_parse("C-l"), 12);
	assert_int_equal(kb_key_parse("ü"), 0xfc);
	assert_int_equal(kb_key_parse("jj"), -1);
	char name[16];
	kb_key_name(KB_KEY_NPAGE, name, sizeof name);
	assert_string_equal(name, "PgDn");
	struct kb_keymap km;
	kb_keymap_defaults(&km);
	assert_int_equal(kb_keymap_lookup(&km, ']'), KB_ACT_NEXT_SHARED);
	assert_int_equal(kb_keymap_lookup(&km, KB_KEY_BACKSPACE2), KB_ACT_BACK);
	struct kb_tui_config cfg = { 0 };
	char err[256];
	int bad = kb_config_read(&km, &cfg,
				 "# my keys\nbind J next-shared\nbind ] none\n"
				 "color person red default bold\nset sidebar-width 30\n"
				 "bind x frobnicate\n",
				 "config", err, sizeof err);
	assert_int_equal(bad, 1);
	assert_string_equal(err, "config:6: unknown action");
	assert_int_equal(kb_keymap_lookup(&km, 'J'), KB_ACT_NEXT_SHARED);
	assert_int_equal(kb_keymap_lookup(&km, ']'), KB_ACT_NONE);
	assert_true(cfg.color[KB_ST_PERSON].set);
	assert_int_equal(cfg.color[KB_ST_PERSON].fg, 1);
	assert_int_equal(cfg.color[KB_ST_PERSON].attr, KB_ATTR_BOLD);
	assert_int_equal(cfg.sidebar_width, 30);
	kb_keymap_free(&km);
	assert_int_equal(kb_action_from_name("search"), KB_ACT_SEARCH);
	assert_string_equal(kb_action_name(KB_ACT_BACK), "back");
}

/* ---- what a newsboat user reaches for: N A u F R o, and the refresh ---- */

/* The status line of t, rendered. */
static void status_of(const struct kb_tui *t, char *out, size_t outsz)
{
	struct kb_grid g = { 0 };
	kb_tui_render(t, &g);
	kb_grid_row(&g, g.h - 1, out, outsz);
	kb_grid_free(&g);
}

static int count_unread(const struct kb_row *r, void *ctx)
{
	int64_t *n = ctx;
	n[0]++;
	if (!r->read)
		n[1]++;
	return 0;
}

/* Every article not read, as the tests that mark them start. */
static void all_unread(void)
{
	struct kb_list_query q = { 0 };
	int64_t ids[64] = { 0 };
	kb_store_list(st, &q, collect_ids, ids);
	for (int i = 0; i < ids[0]; i++)
		kb_store_mark_unread(st, ids[1 + i]);
}

static bool stored_read(int64_t id)
{
	int64_t ids[32] = { 0 };
	struct kb_list_query q = { 0 };
	kb_store_list(st, &q, collect_ids, ids);
	struct kb_list_query one = { .after = true, .limit = 1 };
	one.after_ord = kb_store_article_ord(st, id);
	one.after_id = id - 1;
	int64_t n[2] = { 0 };
	kb_store_list(st, &one, count_unread, n);
	return n[1] == 0;
}

static void toggle_read_and_unread_only(void **state)
{
	(void)state;
	all_unread();
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	kb_tui_key(&t, 'j');
	int64_t id = t.rows[1].id;
	assert_false(t.rows[1].read);
	kb_tui_key(&t, 'N');
	assert_true(t.rows[1].read);
	assert_true(stored_read(id));
	assert_string_equal(t.message, "marked read");
	kb_tui_key(&t, 'N');
	assert_false(t.rows[1].read);
	assert_false(stored_read(id));
	kb_tui_key(&t, 'N'); /* read again: the unread list leaves it out */

	int64_t n[2] = { 0 };
	struct kb_list_query all = { 0 };
	kb_store_list(st, &all, count_unread, n);
	kb_tui_key(&t, 'u');
	assert_true(t.unread_only);
	assert_int_equal(t.total, n[1]);
	assert_int_equal(t.nrows, n[1]);
	for (int i = 0; i < t.nrows; i++) {
		assert_false(t.rows[i].read);
		assert_int_not_equal(t.rows[i].id, id);
	}
	char row[512];
	status_of(&t, row, sizeof row);
	assert_contains(row, "All › unread");
	/* an article opened stays until the list is read again */
	kb_tui_key(&t, KB_KEY_ENTER);
	int64_t opened = t.article;
	assert_true(t.rows[t.sel].read);
	kb_tui_key(&t, KB_KEY_TAB);
	kb_tui_key(&t, KB_KEY_TAB);
	kb_tui_key(&t, KB_KEY_TAB); /* back to the list */
	kb_tui_refresh(&t);
	assert_int_equal(t.total, n[1] - 1);
	for (int i = 0; i < t.nrows; i++)
		assert_int_not_equal(t.rows[i].id, opened);
	kb_tui_key(&t, 'u');
	assert_false(t.unread_only);
	assert_int_equal(t.total, 24);
	status_of(&t, row, sizeof row);
	assert_not_contains(row, "unread");
	all_unread();
	kb_tui_free(&t);
}

static void outlets_view_filter_and_mark_all_read(void **state)
{
	(void)state;
	all_unread();
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	kb_tui_key(&t, 'F');
	assert_int_equal(t.src.kind, KB_SRC_OUTLETS);
	assert_int_equal(t.total, 11); /* 10 outlets and the articles without one */
	int at = -1;
	int64_t sum = 0;
	for (int i = 0; i < t.nrows; i++) {
		sum += t.rows[i].articles;
		if (strcmp(t.rows[i].title, "Pacific Wire") == 0)
			at = i;
	}
	assert_int_equal(sum, 24);
	assert_true(at >= 0);
	assert_int_equal(t.rows[at].articles, 5);
	assert_int_equal(t.rows[at].unread, 5);
	/* the first row holds the newest article */
	assert_string_equal(t.rows[0].title, "Wartatimur.com");
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	char row[512];
	kb_grid_row(&g, 0, row, sizeof row);
	assert_contains(row, " Feeds 1/11");
	kb_grid_free(&g);

	for (int i = 0; i < at; i++)
		kb_tui_key(&t, 'j');
	kb_tui_key(&t, KB_KEY_ENTER);
	assert_int_equal(t.src.kind, KB_SRC_OUTLET);
	assert_int_equal(t.total, 5);
	assert_int_equal(t.nrows, 5);
	status_of(&t, row, sizeof row);
	assert_contains(row, "All › Feeds › Pacific Wire");
	kb_tui_key(&t, 'A');
	assert_string_equal(t.message, "marked 5 articles read");
	for (int i = 0; i < t.nrows; i++)
		assert_true(t.rows[i].read);
	/* nothing else was marked */
	int64_t n[2] = { 0 };
	struct kb_list_query all = { 0 };
	kb_store_list(st, &all, count_unread, n);
	assert_int_equal(n[1], 19);
	kb_tui_key(&t, KB_KEY_BACKSPACE);
	assert_int_equal(t.src.kind, KB_SRC_OUTLETS);
	assert_int_equal(t.sel, at);
	assert_int_equal(t.rows[at].unread, 0);
	/* u in the outlets view: the ones with nothing new leave */
	kb_tui_key(&t, 'u');
	assert_int_equal(t.total, 10);
	kb_tui_key(&t, 'u');
	kb_tui_key(&t, KB_KEY_BACKSPACE);
	assert_int_equal(t.src.kind, KB_SRC_ALL);
	/* A in a search: its hits only, in one UPDATE of their ids */
	const char *typed = "/arbitrase\n";
	for (const char *p = typed; *p; p++)
		kb_tui_key(&t, (unsigned char)*p);
	int hits = t.nfixed;
	kb_tui_key(&t, 'A');
	assert_true(t.nrows > 0);
	for (int i = 0; i < t.nfixed; i++)
		assert_true(t.fixed[i].read);
	memset(n, 0, sizeof n);
	kb_store_list(st, &all, count_unread, n);
	assert_true(n[1] >= 19 - hits && n[1] < 19);
	all_unread();
	kb_tui_free(&t);
}

/* A feed's items, imported as `kabar update` does: by the feed's URL. */
static void import_feed(struct kb_store *s, const char *url, const char *name, int items)
{
	char doc[4096];
	int k = snprintf(doc, sizeof doc,
			 "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>%s</title>",
			 name);
	for (int i = 0; i < items; i++)
		k += snprintf(doc + k, sizeof doc - (size_t)k,
			      "<item><title>%s item %d</title><link>https://%s.example/%d</link>"
			      "<guid>%s-%d</guid><pubDate>Mon, 0%d Dec 2025 08:00:00 GMT</pubDate>"
			      "<description>Item %d of %s, a short teaser.</description></item>",
			      name, i, name, i, name, i, i + 1, i, name);
	snprintf(doc + k, sizeof doc - (size_t)k, "</channel></rss>");
	struct kb_import_opts o = { .format = KB_FORMAT_AUTO };
	struct kb_import_stats stats;
	struct kb_import *im = kb_import_begin(s, &o, &stats);
	kb_import_memory(im, url, doc, strlen(doc));
	assert_int_equal(kb_import_end(im), 0);
	assert_int_equal(stats.imported, (uint64_t)items);
}

static void feeds_view_lists_subscriptions(void **state)
{
	(void)state;
	char db[512], *err = NULL;
	snprintf(db, sizeof db, "%s/feeds-view.db", dir);
	struct kb_store *s = kb_store_open(db, &err);
	assert_non_null(s);
	struct kb_feed_spec a = { .url = "https://harian.example/rss", .title = "Harian Teluk",
				  .full_text = -1 };
	struct kb_feed_spec b = { .url = "https://wire.example/atom", .full_text = -1 };
	int64_t ida, idb;
	assert_int_equal(kb_store_feed_add(s, &a, &ida), 1);
	assert_int_equal(kb_store_feed_add(s, &b, &idb), 1);
	/* the URL as fetched may differ in case and tracking parameters */
	import_feed(s, "https://HARIAN.example/rss?utm_source=x", "harian", 3);
	import_feed(s, "https://wire.example/atom", "wire", 1);
	import_feed(s, "https://other.example/rss", "other", 2); /* not subscribed */

	struct kb_tui t;
	kb_tui_init(&t, s, 120, 30);
	kb_tui_key(&t, 'F');
	assert_int_equal(t.src.kind, KB_SRC_OUTLETS);
	/* the subscriptions first, in the order added, then the outlets */
	assert_true(t.nrows >= 5);
	assert_int_equal(t.rows[0].feed, ida);
	assert_string_equal(t.rows[0].title, "Harian Teluk");
	assert_int_equal(t.rows[0].articles, 3);
	assert_int_equal(t.rows[0].unread, 3);
	assert_int_equal(t.rows[1].feed, idb);
	assert_string_equal(t.rows[1].title, "https://wire.example/atom"); /* no title */
	assert_int_equal(t.rows[1].articles, 1);
	assert_int_equal(t.rows[2].feed, 0);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	char row[512];
	kb_grid_row(&g, 1, row, sizeof row);
	assert_contains(row, "feed: Harian Teluk");
	assert_contains(row, "3/3");
	kb_grid_free(&g);

	kb_tui_key(&t, KB_KEY_ENTER);
	assert_int_equal(t.src.kind, KB_SRC_FEED);
	assert_int_equal(t.total, 3);
	assert_int_equal(t.nrows, 3);
	for (int i = 0; i < t.nrows; i++)
		assert_non_null(strstr(t.rows[i].title, "harian item"));
	assert_true(t.rows[0].ord <= t.rows[1].ord); /* newest first */
	status_of(&t, row, sizeof row);
	assert_contains(row, "All › Feeds › Harian Teluk");
	kb_tui_key(&t, 'A');
	assert_string_equal(t.message, "marked 3 articles read");
	kb_tui_key(&t, KB_KEY_BACKSPACE);
	assert_int_equal(t.src.kind, KB_SRC_OUTLETS);
	assert_int_equal(t.rows[0].unread, 0);
	assert_int_equal(t.rows[1].unread, 1);
	/* u: the feeds with nothing new leave */
	kb_tui_key(&t, 'u');
	for (int i = 0; i < t.nrows; i++)
		assert_true(t.rows[i].feed != ida);
	kb_tui_free(&t);
	kb_store_close(s);
}

/* Imports one article through another connection, as another kabar would. */
static void import_elsewhere(const char *name, const char *title, const char *date)
{
	char path[512], *err = NULL;
	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n\nA short article about %s for the refresh test.\n", title, name);
	fclose(f);
	char db[512];
	snprintf(db, sizeof db, "%s/kabar.db", dir);
	struct kb_store *other = kb_store_open(db, &err);
	assert_non_null(other);
	char *paths[] = { path };
	struct kb_import_opts o = { .format = KB_FORMAT_AUTO, .published = date,
				    .source = "Refresh Post" };
	struct kb_import_stats s;
	assert_int_equal(kb_import_paths(other, paths, 1, &o, &s), 0);
	assert_int_equal(s.imported, 1);
	kb_store_close(other);
}

/* A cache holds what a feed sent: escape sequences (OSC 52, a title,
 * CSI), C1 controls, DEL, bidi overrides and isolates, and bytes that are
 * not UTF-8 (a bare 0x9b is CSI to a terminal in 8-bit mode).
 * No cell of the rendered screen holds one of them: the terminal is
 * given only text. */
static void no_control_reaches_a_cell(void **state)
{
	(void)state;
	char path[512], *err = NULL;
	snprintf(path, sizeof path, "%s/hostile.db", dir);
	struct kb_store *h = kb_store_open(path, &err);
	assert_non_null(h);
	const char *bad = "A\033]52;c;aGFja2Vk\aB\033[2J\033[HC\033]0;owned\aD\xc2\x9b"
			  "31mE\xe2\x80\xae" "F\xe2\x81\xa6" "G\x7f" "H\xe2\x80\xab" "I\xe2\x81\xa9" "J\x9b" "K\xff" "L";
	struct kb_doc d = { .title = kb_xasprintf("Judul %s", bad),
			    .body = kb_xasprintf("Kapal %s tiba.\n\nBaris %s kedua", bad, bad),
			    .source = kb_xstrdup(bad), .published = kb_xstrdup("2024-11-29") };
	struct kb_import_opts o = { .format = KB_FORMAT_AUTO };
	int64_t id = 0;
	assert_int_equal(kb_import_doc(h, &d, "hostile", NULL, &o, &id), KB_PUT_NEW);
	kb_doc_free(&d);
	struct kb_tui t;
	kb_tui_init(&t, h, 120, 30);
	struct kb_grid g = { 0 };
	kb_tui_render(&t, &g);
	bool title = false;
	for (int i = 0; i < g.w * g.h; i++) {
		const uint8_t *p = (const uint8_t *)g.cells[i].text;
		size_t n = strlen(g.cells[i].text);
		assert_null(u8_check(p, n));
		for (const uint8_t *q = p; q < p + n;) {
			ucs4_t c;
			q += u8_mbtouc(&c, q, (size_t)(p + n - q));
			assert_true(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f));
			assert_false((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
		}
	}
	for (int y = 0; y < g.h; y++) {
		char row[4096];
		kb_grid_row(&g, y, row, sizeof row);
		title |= strstr(row, "Judul A") != NULL;
	}
	assert_true(title); /* the row is drawn, its text kept */
	kb_grid_free(&g);
	kb_tui_free(&t);
	kb_store_close(h);
}

static void refresh_keeps_the_selection(void **state)
{
	(void)state;
	struct kb_tui t;
	kb_tui_init(&t, st, 80, 8); /* six rows */
	assert_false(kb_tui_poll(&t)); /* nothing changed */
	/* scrolled down: the top row and the selection stay */
	for (int i = 0; i < 9; i++)
		kb_tui_key(&t, 'j');
	int64_t pos = t.pos, top = t.rows[0].id, sel = t.rows[t.sel].id;
	int sel_row = t.sel;
	assert_true(pos > 0);
	import_elsewhere("newest", "Refresh Newest Article", "2031-01-01");
	assert_true(kb_tui_poll(&t));
	assert_int_equal(t.total, 25);
	assert_int_equal(t.rows[0].id, top);
	assert_int_equal(t.rows[t.sel].id, sel);
	assert_int_equal(t.sel, sel_row);
	assert_int_equal(t.pos, pos + 1); /* one more above */
	assert_false(kb_tui_poll(&t));

	/* at the top: what comes in above shows above the selection */
	kb_tui_key(&t, 'g');
	kb_tui_key(&t, 'j');
	sel = t.rows[1].id;
	import_elsewhere("newer", "Refresh Newer Article", "2032-01-01");
	assert_true(kb_tui_poll(&t));
	assert_int_equal(t.total, 26);
	assert_int_equal(t.pos, 0);
	assert_int_equal(t.rows[t.sel].id, sel);
	assert_int_equal(t.sel, 2);
	char title[256];
	snprintf(title, sizeof title, "%s", t.rows[0].title);
	assert_string_equal(title, "Refresh Newer Article");
	char row[512];
	status_of(&t, row, sizeof row);
	assert_contains(row, " 3/26  All");

	/* the outlets view is counted again too, its selection kept */
	kb_tui_key(&t, 'F');
	int64_t outlets = t.total;
	kb_tui_key(&t, 'j');
	snprintf(title, sizeof title, "%s", t.rows[t.sel].title);
	import_elsewhere("newest2", "Refresh Third Article", "2033-01-01");
	assert_true(kb_tui_poll(&t));
	assert_int_equal(t.total, outlets);
	assert_string_equal(t.rows[t.sel].title, title);
	assert_string_equal(t.rows[0].title, "Refresh Post");
	assert_int_equal(t.rows[0].articles, 3);
	kb_tui_free(&t);
}

static void write_script(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/* Polls until the update ends (30 s at most: valgrind is slow). */
static void wait_update(struct kb_tui *t)
{
	for (int i = 0; i < 3000 && t->upd_pid; i++) {
		kb_tui_poll(t);
		if (t->upd_pid)
			usleep(10000);
	}
	assert_int_equal(t->upd_pid, 0);
}

static void update_in_the_background(void **state)
{
	(void)state;
	char script[512], go[512], args[512], text[2048];
	snprintf(script, sizeof script, "%s/update.sh", dir);
	snprintf(go, sizeof go, "%s/go", dir);
	snprintf(args, sizeof args, "%s/args", dir);
	snprintf(text, sizeof text,
		 "#!/bin/sh\n"
		 "echo \"$*\" >'%s'\n"
		 "echo feeds 1/2 items 3 bytes 100 errors 0 >&\"$KABAR_PROGRESS_FD\"\n"
		 "while [ ! -e '%s' ]; do sleep 0.05; done\n"
		 "echo not a progress line >&\"$KABAR_PROGRESS_FD\"\n"
		 "echo feeds 2/2 items 5 bytes 200 errors 1 >&\"$KABAR_PROGRESS_FD\"\n"
		 "exit 0\n",
		 args, go);
	write_script(script, text);
	setenv("KABAR_UPDATE_CMD", script, 1);
	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	kb_tui_key(&t, 'R');
	assert_true(t.upd_pid > 0);
	assert_string_equal(t.bg_status, "updating…");
	for (int i = 0; i < 3000 && !strstr(t.bg_status, "feeds 1/2"); i++) {
		kb_tui_poll(&t);
		usleep(10000);
	}
	assert_string_equal(t.bg_status, "updating: feeds 1/2, 3 items, 0 errors");
	kb_tui_key(&t, 'j'); /* input goes on */
	assert_int_equal(t.sel, 1);
	char row[512];
	status_of(&t, row, sizeof row);
	assert_contains(row, "updating: feeds 1/2, 3 items, 0 errors");
	kb_tui_key(&t, 'R');
	assert_string_equal(t.message, "an update is running: feeds 1/2, 3 items, 0 errors");
	FILE *f = fopen(go, "w");
	assert_non_null(f);
	fclose(f);
	wait_update(&t);
	assert_string_equal(t.message, "update done: feeds 2/2, 5 items, 1 error");
	assert_string_equal(t.bg_status, "");
	f = fopen(args, "r");
	assert_non_null(f);
	char line[1024] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	char want[1024];
	snprintf(want, sizeof want, "--db %s/kabar.db update\n", dir);
	assert_string_equal(line, want);

	/* a failed update says so */
	write_script(script, "#!/bin/sh\nexit 3\n");
	kb_tui_key(&t, 'R');
	wait_update(&t);
	assert_string_equal(t.message, "update failed (exit 3): see kabar update");
	unsetenv("KABAR_UPDATE_CMD");
	kb_tui_free(&t);

	long long d, tt, i, b, e;
	assert_true(kb_tui_progress_parse("feeds 3/10 items 42 bytes 9000 errors 1", &d, &tt, &i, &b, &e));
	assert_true(d == 3 && tt == 10 && i == 42 && b == 9000 && e == 1);
	assert_false(kb_tui_progress_parse("feeds 3/10 items 42", &d, &tt, &i, &b, &e));
	assert_false(kb_tui_progress_parse("feeds 3/10 items 42 bytes 1 errors 0 x", &d, &tt, &i, &b, &e));
}

static void browser_argv_and_o(void **state)
{
	(void)state;
	const char *url = "https://example.org/a b";
	char **a = kb_tui_browser_argv("lynx", url);
	assert_string_equal(a[0], "lynx");
	assert_string_equal(a[1], url);
	assert_null(a[2]);
	kb_tui_argv_free(a);
	a = kb_tui_browser_argv("  w3m  -o x=1 %s  -dump ", url);
	assert_string_equal(a[0], "w3m");
	assert_string_equal(a[1], "-o");
	assert_string_equal(a[2], "x=1");
	assert_string_equal(a[3], url);
	assert_string_equal(a[4], "-dump");
	assert_null(a[5]);
	kb_tui_argv_free(a);
	a = kb_tui_browser_argv("ff --url=%s;$(rm)", url);
	assert_string_equal(a[1], "--url=https://example.org/a b;$(rm)");
	assert_null(a[2]);
	kb_tui_argv_free(a);
	assert_null(kb_tui_browser_argv("   ", url));
	assert_null(kb_tui_browser_argv(NULL, url));

	struct kb_tui t;
	kb_tui_init(&t, st, 120, 40);
	kb_tui_key(&t, KB_KEY_ENTER);
	kb_tui_key(&t, 'o'); /* a file has no URL */
	assert_string_equal(t.message, "this article has no URL");
	free(t.view.url);
	t.view.url = strdup("https://example.org/x");
	unsetenv("BROWSER");
	kb_tui_key(&t, 'o');
	assert_string_equal(t.message, "$BROWSER is not set: https://example.org/x");
	assert_string_equal(t.browse, "");
	setenv("BROWSER", "true %s", 1);
	kb_tui_key(&t, 'o');
	assert_string_equal(t.browse, "https://example.org/x");
	unsetenv("BROWSER");
	kb_tui_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(starts_on_the_newest_article),
		cmocka_unit_test(scrolling_walks_the_whole_list_in_order),
		cmocka_unit_test(history_goes_back_and_forward),
		cmocka_unit_test(entity_filter_and_jumps),
		cmocka_unit_test(search_related_and_event),
		cmocka_unit_test(the_reader_wraps_only_what_it_shows),
		cmocka_unit_test(resize_keeps_the_selection),
		cmocka_unit_test(separators_line_up),
		cmocka_unit_test(reading_mode_takes_the_whole_width),
		cmocka_unit_test(reading_mode_follows_jumps_and_leaves_for_lists),
		cmocka_unit_test(help_lists_every_action),
		cmocka_unit_test(keys_and_config),
		/* these change the cache: last */
		cmocka_unit_test(toggle_read_and_unread_only),
		cmocka_unit_test(outlets_view_filter_and_mark_all_read),
		cmocka_unit_test(feeds_view_lists_subscriptions),
		cmocka_unit_test(update_in_the_background),
		cmocka_unit_test(browser_argv_and_o),
		cmocka_unit_test(refresh_keeps_the_selection),
		cmocka_unit_test(no_control_reaches_a_cell),
	};
	return cmocka_run_group_tests_name("tui", tests, setup_group, teardown_group);
}
