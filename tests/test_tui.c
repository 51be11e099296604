/* test_tui.c - the reader's state and rendering, without a terminal. */
#include "testutil.h"

#include "kabar/extract.h"
#include "kabar/ingest.h"
#include "kabar/store.h"
#include "kabar/tui.h"

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
	kb_tui_key(&t, 'N');
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
	kb_tui_init(&t, st, 100, 30);
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
	};
	return cmocka_run_group_tests_name("tui", tests, setup_group, teardown_group);
}
