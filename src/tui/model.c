/* model.c - the reader's state and what every action does to it.
 * Plain C over the store: no curses here. */
#include "config.h"

#include "kabar/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unilbrk.h>
#include <unistr.h>

#include "kabar/text.h"
#include "kabar/util.h"

/* Fixed lists (related, event, search) hold at most this many rows. */
#define FIXED_MAX 500
/* The outlets view counts the newest OUTLET_WINDOW articles (there is no
 * index on source: each is read once). */
#define OUTLET_WINDOW 20000
/* A filtered list (outlet, unread) is counted up to this many rows: no
 * index serves those filters. */
#define COUNT_CAP 10000

extern char **environ;

void kb_tui_layout(const struct kb_tui *t, struct kb_layout *l)
{
	int side_w = t->cfg.sidebar_width ? t->cfg.sidebar_width : 28;
	int list_pct = t->cfg.list_width ? t->cfg.list_width : 38;
	memset(l, 0, sizeof *l);
	l->body_h = t->h - 2; /* pane titles above, the status line below */
	if (l->body_h < 1)
		l->body_h = 1;
	if (t->full) { /* reading mode: the reader alone, edge to edge */
		l->reader_w = t->w > 1 ? t->w : 1;
		return;
	}
	/* below 100 columns the sidebar folds away unless asked for */
	l->sidebar = t->sidebar_on && (t->w >= 100 || t->focus == KB_PANE_SIDEBAR);
	if (l->sidebar && side_w > t->w / 2)
		side_w = t->w / 2;
	int rest = t->w - (l->sidebar ? side_w + 1 : 0);
	l->list_w = rest * list_pct / 100;
	if (l->list_w < 20)
		l->list_w = rest < 40 ? rest / 2 : 20;
	l->list_x = 0;
	l->reader_x = l->list_w + 1;
	l->reader_w = rest - l->reader_x;
	if (l->reader_w < 1)
		l->reader_w = 1;
	if (l->sidebar) {
		l->side_x = rest + 1;
		l->side_w = t->w - l->side_x;
	}
}

static int list_height(const struct kb_tui *t)
{
	struct kb_layout l;
	kb_tui_layout(t, &l);
	return l.body_h;
}

static void message(struct kb_tui *t, const char *fmt, ...) KB_PRINTF(2, 3);
static void message(struct kb_tui *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->message, sizeof t->message, fmt, ap);
	va_end(ap);
}

/* ---- the list ------------------------------------------------------------ */

static void copy_row(struct kb_list_row *d, const struct kb_row *r)
{
	memset(d, 0, sizeof *d);
	d->id = r->id;
	d->ord = r->ord;
	if (r->published)
		snprintf(d->date, sizeof d->date, "%.10s", r->published);
	snprintf(d->source, sizeof d->source, "%s", r->source ? r->source : "");
	snprintf(d->title, sizeof d->title, "%s", r->title ? r->title : "");
	d->inferred = r->published_inferred;
	d->read = r->read;
}

struct collect {
	struct kb_list_row *rows;
	int n, cap;
};

static int collect_row(const struct kb_row *r, void *ctx)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->rows = kb_xrealloc(c->rows, (size_t)c->cap * sizeof *c->rows);
	}
	copy_row(&c->rows[c->n++], r);
	return c->n >= FIXED_MAX;
}

static int collect_related(const struct kb_related_row *r, void *ctx)
{
	return collect_row(&r->row, ctx);
}

static bool is_fixed(const struct kb_tui *t)
{
	return t->src.kind == KB_SRC_RELATED || t->src.kind == KB_SRC_EVENT ||
	       t->src.kind == KB_SRC_SEARCH || t->src.kind == KB_SRC_OUTLETS;
}

/* The filters of the list shown, for a keyset query. */
static void list_query(const struct kb_tui *t, struct kb_list_query *q)
{
	if (t->src.kind == KB_SRC_ENTITY)
		q->entity = t->src.id;
	if (t->src.kind == KB_SRC_OUTLET)
		q->source = t->src.outlet;
	if (t->src.kind == KB_SRC_FEED)
		q->feed = t->src.id;
	q->unread = t->unread_only;
}

static void set_rows(struct kb_tui *t, struct kb_list_row *rows, int n)
{
	if (t->cap_rows < n) {
		t->cap_rows = n;
		t->rows = kb_xrealloc(t->rows, (size_t)n * sizeof *t->rows);
	}
	if (n)
		memcpy(t->rows, rows, (size_t)n * sizeof *rows);
	t->nrows = n;
}

/* Loads up to a screenful of rows starting at (ord, id) inclusive (or
 * from the start); for fixed lists, from index pos. */
static void load_from(struct kb_tui *t, bool from_start, int64_t ord, int64_t id)
{
	int h = list_height(t);
	if (is_fixed(t)) {
		if (t->pos > t->nfixed - h)
			t->pos = t->nfixed - h;
		if (t->pos < 0)
			t->pos = 0;
		int n = t->nfixed - (int)t->pos < h ? t->nfixed - (int)t->pos : h;
		set_rows(t, t->fixed + t->pos, n < 0 ? 0 : n);
		return;
	}
	struct kb_list_query q = { .limit = h };
	list_query(t, &q);
	if (!from_start) {
		q.after = true;
		q.after_ord = ord;
		q.after_id = id - 1; /* (ord, id) >= (ord, id) */
	}
	struct collect c = { 0 };
	kb_store_list(t->st, &q, collect_row, &c);
	set_rows(t, c.rows, c.n);
	free(c.rows);
}

/* The screenful of rows that ends just before (ord, id) (or at the end). */
static int load_before(struct kb_tui *t, bool from_end, int64_t ord, int64_t id, int count)
{
	struct kb_list_query q = { .limit = count, .before = true,
				   .after_ord = from_end ? INT64_MAX : ord,
				   .after_id = from_end ? INT64_MAX : id };
	list_query(t, &q);
	struct collect c = { 0 };
	kb_store_list(t->st, &q, collect_row, &c);
	for (int i = 0; i < c.n / 2; i++) { /* nearest first: reverse */
		struct kb_list_row tmp = c.rows[i];
		c.rows[i] = c.rows[c.n - 1 - i];
		c.rows[c.n - 1 - i] = tmp;
	}
	if (c.n) {
		load_from(t, false, c.rows[0].ord, c.rows[0].id);
	}
	free(c.rows);
	return c.n;
}

/* A count that walks its index row by row, up to COUNT_CAP (then total_more). */
static int64_t capped_count(struct kb_tui *t)
{
	struct kb_list_query q = { 0 };
	list_query(t, &q);
	int64_t n = kb_store_list_count(t->st, &q, COUNT_CAP + 1);
	if (n > COUNT_CAP) {
		t->total_more = true;
		n = COUNT_CAP;
	}
	return n;
}

static int64_t source_total(struct kb_tui *t)
{
	t->total_more = false;
	switch (t->src.kind) {
	case KB_SRC_ALL:
		return t->unread_only ? capped_count(t) : kb_store_count(t->st);
	case KB_SRC_ENTITY: {
		if (t->unread_only)
			return capped_count(t);
		int64_t rank, total;
		if (t->nrows && kb_store_entity_rank(t->st, t->src.id, t->rows[0].id, &rank, &total) == 0)
			return total;
		return -1;
	}
	case KB_SRC_OUTLET:
	case KB_SRC_FEED:
		return capped_count(t);
	default:
		return t->nfixed;
	}
}

static int collect_outlet(const struct kb_outlet_row *r, void *ctx)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->rows = kb_xrealloc(c->rows, (size_t)c->cap * sizeof *c->rows);
	}
	struct kb_list_row *d = &c->rows[c->n++];
	memset(d, 0, sizeof *d);
	d->id = c->n;
	snprintf(d->title, sizeof d->title, "%s", r->source ? r->source : "");
	d->articles = r->articles;
	d->unread = r->unread;
	d->read = r->unread == 0;
	d->feed = r->feed;
	return c->n >= FIXED_MAX;
}

static void fill_fixed(struct kb_tui *t)
{
	struct collect c = { 0 };
	switch (t->src.kind) {
	case KB_SRC_RELATED:
		kb_store_related(t->st, t->src.id, "any", FIXED_MAX, collect_related, &c);
		break;
	case KB_SRC_EVENT:
		kb_store_event_articles(t->st, t->src.id, collect_row, &c);
		break;
	case KB_SRC_SEARCH:
		kb_store_search(t->st, t->query, FIXED_MAX, collect_row, &c);
		break;
	case KB_SRC_OUTLETS:
		kb_store_feed_outlets(t->st, FIXED_MAX / 2, collect_outlet, &c);
		kb_store_outlets(t->st, OUTLET_WINDOW, FIXED_MAX - c.n, collect_outlet, &c);
		break;
	default:
		break;
	}
	if (t->unread_only) { /* the rows read leave the list */
		int k = 0;
		for (int i = 0; i < c.n; i++)
			if (!c.rows[i].read)
				c.rows[k++] = c.rows[i];
		c.n = k;
	}
	free(t->fixed);
	t->fixed = c.rows;
	t->nfixed = c.n;
}

/* ---- the reader and the sidebar ------------------------------------------ */

static void add_line(struct kb_tui *t, bool title, uint32_t s, uint32_t e, uint8_t kind)
{
	t->lines = kb_xrealloc(t->lines, (size_t)(t->nlines + 1) * sizeof *t->lines);
	t->lines[t->nlines++] = (struct kb_wrapped){ title, s, e, kind };
}

/* Wraps text[0..n) at width cells with libunistring's line breaking. */
static void wrap(struct kb_tui *t, const char *text, uint32_t off, size_t n, int width,
		 bool title, uint8_t kind)
{
	if (n == 0) {
		add_line(t, title, off, off, kind);
		return;
	}
	char *brk = kb_xmalloc(n);
	u8_width_linebreaks((const uint8_t *)text, n, width, 0, 0, NULL, "UTF-8", brk);
	size_t start = 0;
	for (size_t i = 1; i <= n; i++) {
		if (i == n || brk[i] == UC_BREAK_POSSIBLE || brk[i] == UC_BREAK_MANDATORY) {
			if (i < n && brk[i] == UC_BREAK_POSSIBLE &&
			    kb_text_width(text + start, i - start) <= width)
				continue; /* still fits: u8_width_linebreaks marks every chance */
			size_t end = i;
			/* a break chance that overflows: break at the previous one */
			if (kb_text_width(text + start, end - start) > width) {
				size_t j = end;
				while (j > start + 1 && brk[j - 1] != UC_BREAK_POSSIBLE)
					j--;
				if (j > start + 1)
					end = j - 1;
				else /* one long word: cut by cells */
					end = start + kb_text_fit(text + start, n - start, width, NULL);
				if (end <= start)
					end = start + 1;
				i = end;
			}
			size_t e = end;
			while (e > start && text[e - 1] == ' ')
				e--;
			add_line(t, title, off + (uint32_t)start, off + (uint32_t)e, kind);
			start = end;
			while (start < n && text[start] == ' ')
				start++;
			i = start;
		}
	}
	free(brk);
}

/* Wraps body paragraphs until there are at least need lines (or the body
 * ends): the reader wraps only what it is about to show. */
static void wrap_more(struct kb_tui *t, int need)
{
	const char *body = t->view.body ? t->view.body : "";
	size_t n = strlen(body);
	while (t->article && t->nlines < need && t->wrap_next < n) {
		size_t p = t->wrap_next;
		const char *q = strstr(body + p, "\n\n");
		size_t end = q ? (size_t)(q - body) : n;
		wrap(t, body + p, (uint32_t)p, end - p, t->wrap_width, false, 0);
		add_line(t, false, 0, 0, 3);
		t->wrap_next = end + 2 < n ? end + 2 : n;
	}
}

static void rewrap(struct kb_tui *t)
{
	struct kb_layout l;
	kb_tui_layout(t, &l);
	int width = l.reader_w - 2 > 10 ? l.reader_w - 2 : 10;
	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
	t->wrap_width = width;
	t->wrap_next = 0;
	if (!t->article)
		return;
	const char *title = t->view.title ? t->view.title : "";
	wrap(t, title, 0, strlen(title), width, true, 1);
	add_line(t, false, 0, 0, 2); /* metadata line */
	add_line(t, false, 0, 0, 3);
	wrap_more(t, t->scroll + 2 * l.body_h);
}

/* Wraps again at the current width, keeping the text at the top: the
 * new top line is the one holding the first byte the old top line held
 * (a width change moves every later line). */
static void rewrap_keep(struct kb_tui *t)
{
	int scroll = t->scroll;
	struct kb_wrapped top = { 0 };
	int before = 0; /* blank lines above the body text at the top */
	bool anchored = false;
	for (int i = scroll; i < t->nlines && scroll > 0; i++) {
		if (t->lines[i].kind == 0 || t->lines[i].kind == 1 || t->lines[i].kind == 2) {
			top = t->lines[i];
			before = i - scroll;
			anchored = true;
			break;
		}
	}
	rewrap(t);
	int h = list_height(t);
	if (anchored) {
		int found = -1;
		for (int i = 0; found < 0; i++) {
			if (i >= t->nlines) {
				if (t->wrap_next >= (t->view.body ? strlen(t->view.body) : 0))
					break;
				wrap_more(t, t->nlines + h);
				if (i >= t->nlines)
					break;
			}
			const struct kb_wrapped *l = &t->lines[i];
			if (l->kind != top.kind)
				continue;
			if (l->kind == 2 || l->end > top.start || (l->end == top.start && l->start == l->end))
				found = i;
		}
		scroll = found < 0 ? scroll : found - before > 0 ? found - before : 0;
	}
	wrap_more(t, scroll + 2 * h);
	t->scroll = scroll < t->nlines ? scroll : (t->nlines ? t->nlines - 1 : 0);
}

static int collect_entity(const struct kb_entity_row *r, void *ctx)
{
	struct kb_tui *t = ctx;
	t->side = kb_xrealloc(t->side, (size_t)(t->nside + 1) * sizeof *t->side);
	struct kb_side_row *s = &t->side[t->nside++];
	s->id = r->id;
	s->type = strcmp(r->type, "place") == 0 ? 'l' : r->type[0];
	snprintf(s->name, sizeof s->name, "%s", r->name);
	s->others = r->articles > 0 ? r->articles - 1 : 0;
	return 0;
}

static void show_article(struct kb_tui *t, int64_t id, bool mark_read);

/* Opens an article the reader asked for: it counts as read. */
static void load_article(struct kb_tui *t, int64_t id)
{
	show_article(t, id, true);
}

static void show_article(struct kb_tui *t, int64_t id, bool mark_read)
{
	kb_article_view_free(&t->view);
	free(t->mentions);
	t->mentions = NULL;
	t->nmentions = 0;
	free(t->side);
	t->side = NULL;
	t->nside = 0;
	t->side_sel = t->side_top = 0;
	t->scroll = 0;
	t->article = 0;
	if (id <= 0 || kb_store_get(t->st, id, &t->view) <= 0) {
		rewrap(t);
		return;
	}
	t->article = id;
	t->nmentions = kb_store_mentions(t->st, id, &t->mentions);
	if (t->nmentions < 0)
		t->nmentions = 0;
	struct kb_entity_query q = { .article = id };
	kb_store_entities(t->st, &q, collect_entity, t);
	if (mark_read && kb_store_mark_read(t->st, id) < 0) {
		message(t, "%.150s", kb_store_error(t->st));
	} else if (mark_read) { /* done, or kept until the cache is free */
		for (int i = 0; i < t->nrows; i++)
			if (t->rows[i].id == id)
				t->rows[i].read = true;
		for (int i = 0; i < t->nfixed; i++)
			if (t->fixed[i].id == id)
				t->fixed[i].read = true;
	}

	rewrap(t);
}

/* ---- reading mode -------------------------------------------------------- */

/* Enters reading mode; prev is the focus to go back to. */
static void enter_full(struct kb_tui *t, enum kb_pane prev)
{
	if (!t->article) {
		message(t, "no article open to read");
		return;
	}
	if (!t->full)
		t->full_prev = prev;
	t->full = true;
	t->focus = KB_PANE_READER;
}

/* Leaves reading mode, giving the focus back when asked to. */
static void leave_full(struct kb_tui *t, bool give_back)
{
	if (!t->full)
		return;
	t->full = false;
	if (give_back)
		t->focus = t->full_prev;
	if (t->focus == KB_PANE_SIDEBAR && !t->sidebar_on)
		t->focus = KB_PANE_READER;
}

/* ---- history ------------------------------------------------------------- */

static void snapshot(const struct kb_tui *t, struct kb_history_entry *e)
{
	e->src = t->src;
	e->top_ord = t->nrows ? t->rows[0].ord : 0;
	e->top_id = t->nrows ? t->rows[0].id : 0;
	e->pos = t->pos;
	e->sel = t->sel;
	e->article = t->article;
	e->scroll = t->scroll;
	e->focus = t->focus;
	e->side_sel = t->side_sel;
}

/* Records where we are before going somewhere else. */
static void push(struct kb_tui *t)
{
	if (t->hist_pos == KB_HISTORY_MAX) {
		memmove(t->hist, t->hist + 1, (KB_HISTORY_MAX - 1) * sizeof *t->hist);
		t->hist_pos--;
	}
	snapshot(t, &t->hist[t->hist_pos++]);
	t->hist_len = t->hist_pos;
}

static void restore(struct kb_tui *t, const struct kb_history_entry *e)
{
	bool same_src = e->src.kind == t->src.kind && e->src.id == t->src.id;
	t->src = e->src;
	if (is_fixed(t) && !same_src)
		fill_fixed(t);
	t->pos = e->pos;
	if (is_fixed(t) || !e->top_id)
		load_from(t, !e->top_id, 0, 0);
	else
		load_from(t, false, e->top_ord, e->top_id);
	t->total = source_total(t);
	t->sel = e->sel < t->nrows ? e->sel : (t->nrows ? t->nrows - 1 : 0);
	if (e->article != t->article)
		load_article(t, e->article);
	wrap_more(t, e->scroll + 2 * list_height(t));
	t->scroll = e->scroll < t->nlines ? e->scroll : 0;
	t->focus = e->focus;
	t->side_sel = e->side_sel < t->nside ? e->side_sel : 0;
}

/* ---- actions ------------------------------------------------------------- */

static void show_source(struct kb_tui *t, const struct kb_source *src)
{
	push(t);
	leave_full(t, false); /* a new list: it is to be seen */
	t->src = *src;
	t->pos = 0;
	t->sel = 0;
	if (is_fixed(t))
		fill_fixed(t);
	load_from(t, true, 0, 0);
	t->total = source_total(t);
	t->focus = KB_PANE_LIST;
}

void kb_tui_init(struct kb_tui *t, struct kb_store *st, int w, int h)
{
	memset(t, 0, sizeof *t);
	t->st = st;
	t->w = w;
	t->h = h;
	t->sidebar_on = true;
	t->src.kind = KB_SRC_ALL;
	snprintf(t->src.label, sizeof t->src.label, "All");
	kb_keymap_defaults(&t->keys);
	t->upd_fd = -1;
	t->data_version = kb_store_data_version(st);
	load_from(t, true, 0, 0);
	t->total = source_total(t);
	if (t->nrows) /* shown, not read yet */
		show_article(t, t->rows[0].id, false);
}

void kb_tui_free(struct kb_tui *t)
{
	if (t->upd_pid) { /* it goes on; reaped if it ended */
		close(t->upd_fd);
		waitpid((pid_t)t->upd_pid, NULL, WNOHANG);
	}
	free(t->rows);
	free(t->fixed);
	kb_article_view_free(&t->view);
	free(t->mentions);
	free(t->lines);
	free(t->side);
	kb_keymap_free(&t->keys);
	memset(t, 0, sizeof *t);
}

void kb_tui_resize(struct kb_tui *t, int w, int h)
{
	struct kb_list_row sel = t->nrows ? t->rows[t->sel] : (struct kb_list_row){ 0 };
	int old_sel = t->sel;
	t->w = w;
	t->h = h;
	/* keep the top row and the selection; the window may grow or shrink */
	if (t->nrows)
		load_from(t, false, t->rows[0].ord, t->rows[0].id);
	else
		load_from(t, true, 0, 0);
	t->sel = -1;
	for (int i = 0; i < t->nrows; i++)
		if (t->rows[i].id == sel.id)
			t->sel = i;
	if (t->sel < 0 && sel.id) { /* it fell off the bottom: it becomes the top */
		t->pos += old_sel;
		if (!is_fixed(t))
			load_from(t, false, sel.ord, sel.id);
		else
			load_from(t, false, 0, 0);
		t->sel = 0;
		for (int i = 0; i < t->nrows; i++)
			if (t->rows[i].id == sel.id)
				t->sel = i;
	}
	if (t->sel < 0)
		t->sel = 0;
	rewrap_keep(t);
}

/* Moves the list selection by delta rows, scrolling by keyset. */
static void list_move(struct kb_tui *t, int delta)
{
	int h = list_height(t);
	int target = t->sel + delta;
	if (target >= 0 && target < t->nrows) {
		t->sel = target;
		return;
	}
	if (!t->nrows)
		return;
	if (target >= t->nrows) {
		/* scroll forward: the window starts further down */
		int shift = target - (t->nrows - 1);
		if (is_fixed(t)) {
			t->pos += shift;
			load_from(t, false, 0, 0);
		} else {
			struct kb_list_query q = { .limit = shift, .after = true,
						   .after_ord = t->rows[t->nrows - 1].ord,
						   .after_id = t->rows[t->nrows - 1].id };
			list_query(t, &q);
			struct collect c = { 0 };
			kb_store_list(t->st, &q, collect_row, &c);
			shift = c.n;
			if (c.n) {
				int keep = t->nrows - c.n > 0 ? t->nrows - c.n : 0;
				struct kb_list_row *all =
					kb_xmalloc((size_t)(keep + c.n) * sizeof *all);
				memcpy(all, t->rows + (t->nrows - keep), (size_t)keep * sizeof *all);
				memcpy(all + keep, c.rows, (size_t)c.n * sizeof *all);
				set_rows(t, all, keep + c.n > h ? h : keep + c.n);
				free(all);
				t->pos += t->nrows == h ? c.n : 0;
			}
			free(c.rows);
		}
		t->sel = t->nrows ? t->nrows - 1 : 0;
		if (shift == 0)
			message(t, "end of the list");
		return;
	}
	/* scroll back */
	int back = -target;
	if (t->pos == 0) {
		t->sel = 0;
		message(t, "top of the list");
		return;
	}
	if (back > t->pos)
		back = (int)t->pos;
	if (is_fixed(t)) {
		t->pos -= back;
		load_from(t, false, 0, 0);
	} else {
		int got = load_before(t, false, t->rows[0].ord, t->rows[0].id, back);
		t->pos -= got;
	}
	t->sel = 0;
}

static void list_top(struct kb_tui *t)
{
	t->pos = 0;
	load_from(t, true, 0, 0);
	t->sel = 0;
}

static void list_bottom(struct kb_tui *t)
{
	int h = list_height(t);
	if (is_fixed(t)) {
		t->pos = t->nfixed - h;
		load_from(t, false, 0, 0);
	} else {
		load_before(t, true, 0, 0, h);
		if (t->total >= 0)
			t->pos = t->total - t->nrows;
	}
	t->sel = t->nrows ? t->nrows - 1 : 0;
}

/* FNV-1a: an outlet's id, for the history and the breadcrumb */
static int64_t name_id(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (int64_t)(h >> 1) + 1;
}

static void open_outlet(struct kb_tui *t)
{
	const struct kb_list_row *r = &t->rows[t->sel];
	struct kb_source src = { .kind = KB_SRC_OUTLET, .id = name_id(r->title) };
	if (r->feed > 0) {
		src.kind = KB_SRC_FEED;
		src.id = r->feed;
	} else {
		snprintf(src.outlet, sizeof src.outlet, "%s", r->title);
	}
	snprintf(src.label, sizeof src.label, "%.127s", r->title[0] ? r->title : "(no outlet)");
	show_source(t, &src);
}

static void open_selected(struct kb_tui *t)
{
	if (!t->nrows)
		return;
	if (t->src.kind == KB_SRC_OUTLETS) {
		open_outlet(t);
		return;
	}
	enum kb_pane before = t->focus;
	int64_t id = t->rows[t->sel].id;
	if (id != t->article) {
		push(t);
		load_article(t, id);
	} else if (!t->rows[t->sel].read) { /* shown at start: now it is read */
		kb_store_mark_read(t->st, id);
		t->rows[t->sel].read = true;
	}
	t->focus = KB_PANE_READER;
	if (t->cfg.reader_full)
		enter_full(t, before);
}

static void reader_scroll(struct kb_tui *t, int delta)
{
	int h = list_height(t);
	long want = (long)t->scroll + delta + 2L * h;
	wrap_more(t, want > INT32_MAX ? INT32_MAX : (int)want);
	int max = t->nlines - h > 0 ? t->nlines - h : 0;
	t->scroll += delta;
	if (t->scroll > max)
		t->scroll = max;
	if (t->scroll < 0)
		t->scroll = 0;
}

static void side_move(struct kb_tui *t, int delta)
{
	if (!t->nside)
		return;
	t->side_sel += delta;
	if (t->side_sel >= t->nside)
		t->side_sel = t->nside - 1;
	if (t->side_sel < 0)
		t->side_sel = 0;
}

static void move(struct kb_tui *t, int delta)
{
	switch (t->focus) {
	case KB_PANE_LIST:
		list_move(t, delta);
		break;
	case KB_PANE_READER:
		reader_scroll(t, delta);
		break;
	default:
		side_move(t, delta);
		break;
	}
}

/* The entity ] and [ follow: the sidebar's selection when the sidebar has
 * focus, else the article's most distinctive one (the rarest shared
 * person, else the rarest shared entity). */
static int jump_entity(const struct kb_tui *t)
{
	if (t->focus == KB_PANE_SIDEBAR)
		return t->nside ? t->side_sel : -1;
	int best = -1;
	for (int i = 0; i < t->nside; i++) {
		if (t->side[i].others <= 0 || t->side[i].type == 'd')
			continue;
		if (best < 0 || (t->side[i].type == 'p') > (t->side[best].type == 'p') ||
		    ((t->side[i].type == 'p') == (t->side[best].type == 'p') &&
		     t->side[i].others < t->side[best].others))
			best = i;
	}
	return best;
}

static void follow(struct kb_tui *t, int dir)
{
	int e = jump_entity(t);
	if (e < 0 || !t->article) {
		message(t, "no entity to follow");
		return;
	}
	int64_t entity = t->side[e].id;
	char name[96];
	snprintf(name, sizeof name, "%s", t->side[e].name);
	int64_t next = kb_store_entity_step(t->st, entity, t->article, dir);
	if (next <= 0) {
		message(t, "no %s article mentions %s", dir > 0 ? "older" : "newer", name);
		return;
	}
	enum kb_pane focus = t->focus;
	push(t);
	load_article(t, next);
	t->focus = focus;
	for (int i = 0; i < t->nrows; i++) /* the list follows when it can */
		if (t->rows[i].id == next)
			t->sel = i;
	for (int i = 0; i < t->nside; i++) /* stay on the entity */
		if (t->side[i].id == entity)
			t->side_sel = i;
	int64_t rank = 0, total = 0;
	kb_store_entity_rank(t->st, entity, next, &rank, &total);
	message(t, "%s %lld/%lld", name, (long long)rank, (long long)total);
}

static void filter_entity(struct kb_tui *t)
{
	if (!t->nside)
		return;
	const struct kb_side_row *s = &t->side[t->side_sel];
	struct kb_source src = { .kind = KB_SRC_ENTITY, .id = s->id };
	snprintf(src.label, sizeof src.label, "%s", s->name);
	show_source(t, &src);
}

static void search_step(struct kb_tui *t, int dir)
{
	if (t->src.kind != KB_SRC_SEARCH) {
		message(t, "no search yet: press /");
		return;
	}
	list_move(t, dir);
	if (t->nrows) {
		int64_t id = t->rows[t->sel].id;
		if (id != t->article)
			load_article(t, id);
	}
	message(t, "hit %lld/%d for \"%s\"", (long long)(t->pos + t->sel + 1), t->nfixed, t->query);
}

/* ---- refresh, read state ------------------------------------------------- */

static int find_row(const struct kb_tui *t, int64_t id)
{
	for (int i = 0; i < t->nrows; i++)
		if (t->rows[i].id == id)
			return i;
	return -1;
}

/* The place of rows[0] in the list: the rows before it. */
static void recount_pos(struct kb_tui *t)
{
	if (!t->nrows) {
		t->pos = 0;
		return;
	}
	struct kb_list_query q = { .before = true, .after_ord = t->rows[0].ord,
				   .after_id = t->rows[0].id };
	list_query(t, &q);
	int64_t n = kb_store_list_count(t->st, &q, -1);
	if (n >= 0)
		t->pos = n;
}

void kb_tui_refresh(struct kb_tui *t)
{
	int old_sel = t->sel;
	if (is_fixed(t)) {
		if (t->src.kind == KB_SRC_OUTLETS) { /* counted again; the selection kept by name */
			char name[256] = "";
			if (t->nrows)
				snprintf(name, sizeof name, "%s", t->rows[t->sel].title);
			fill_fixed(t);
			int at = -1;
			for (int i = 0; i < t->nfixed && at < 0; i++)
				if (strcmp(t->fixed[i].title, name) == 0)
					at = i;
			if (at >= 0)
				t->pos = at - old_sel >= 0 ? at - old_sel : 0;
			load_from(t, false, 0, 0);
			t->sel = at >= 0 ? at - (int)t->pos : old_sel;
		}
		if (t->sel >= t->nrows)
			t->sel = t->nrows ? t->nrows - 1 : 0;
		t->total = source_total(t);
		return;
	}
	bool have = t->nrows > 0;
	struct kb_list_row sel = have ? t->rows[t->sel] : (struct kb_list_row){ 0 };
	struct kb_list_row top = have ? t->rows[0] : (struct kb_list_row){ 0 };
	if (!have || t->pos == 0)
		load_from(t, true, 0, 0); /* at the top: what came in above shows */
	else
		load_from(t, false, top.ord, top.id);
	int at = have ? find_row(t, sel.id) : -1;
	if (at < 0 && have) { /* pushed off the screen, or gone: where it was */
		if (old_sel == 0 || load_before(t, false, sel.ord, sel.id, old_sel) == 0)
			load_from(t, false, sel.ord, sel.id);
		at = find_row(t, sel.id);
	}
	t->sel = at >= 0 ? at : old_sel < t->nrows ? old_sel : (t->nrows ? t->nrows - 1 : 0);
	recount_pos(t);
	t->total = source_total(t);
	if (!t->article && t->nrows) /* an empty cache filled up */
		show_article(t, t->rows[t->sel].id, false);
}

static void set_read_flag(struct kb_tui *t, int64_t id, bool read)
{
	for (int i = 0; i < t->nrows; i++)
		if (t->rows[i].id == id)
			t->rows[i].read = read;
	for (int i = 0; i < t->nfixed; i++)
		if (t->fixed[i].id == id)
			t->fixed[i].read = read;
}

static void toggle_read(struct kb_tui *t)
{
	if (t->src.kind == KB_SRC_OUTLETS) {
		message(t, "Enter lists the feed's or outlet's articles; A there marks them read");
		return;
	}
	int64_t id = 0;
	bool read = true; /* an article open in the reader counts as read */
	if (t->focus == KB_PANE_LIST && t->nrows) {
		id = t->rows[t->sel].id;
		read = t->rows[t->sel].read;
	} else if (t->article) {
		id = t->article;
		int at = find_row(t, id);
		if (at >= 0)
			read = t->rows[at].read;
	}
	if (!id) {
		message(t, "no article to mark");
		return;
	}
	int rc = read ? kb_store_mark_unread(t->st, id) : kb_store_mark_read(t->st, id);
	if (rc < 0) {
		message(t, "%.150s", kb_store_error(t->st));
		return;
	}
	set_read_flag(t, id, !read);
	if (rc > 0)
		message(t, "the cache is busy: marked %s as soon as it is free",
			read ? "not read" : "read");
	else
		message(t, read ? "marked not read" : "marked read");
}

static void mark_all_read(struct kb_tui *t)
{
	int64_t n;
	if (t->src.kind == KB_SRC_OUTLETS) {
		message(t, "Enter lists the feed's or outlet's articles; A there marks them read");
		return;
	}
	if (is_fixed(t)) {
		int64_t *ids = kb_xmalloc((size_t)(t->nfixed + 1) * sizeof *ids);
		for (int i = 0; i < t->nfixed; i++)
			ids[i] = t->fixed[i].id;
		n = kb_store_mark_all_read(t->st, NULL, ids, (size_t)t->nfixed);
		free(ids);
		for (int i = 0; n >= 0 && i < t->nfixed; i++)
			t->fixed[i].read = true;
		for (int i = 0; n >= 0 && i < t->nrows; i++)
			t->rows[i].read = true;
	} else {
		struct kb_list_query q = { 0 };
		list_query(t, &q);
		n = kb_store_mark_all_read(t->st, &q, NULL, 0);
		if (n >= 0)
			kb_tui_refresh(t);
	}
	if (n < 0)
		message(t, "%.150s", kb_store_error(t->st));
	else
		message(t, "marked %lld article%s read", (long long)n, n == 1 ? "" : "s");
}

static void toggle_unread_only(struct kb_tui *t)
{
	t->unread_only = !t->unread_only;
	if (is_fixed(t)) {
		fill_fixed(t);
		t->pos = 0;
		t->sel = 0;
		load_from(t, false, 0, 0);
		t->total = source_total(t);
	} else {
		kb_tui_refresh(t);
	}
	message(t, t->unread_only ? "only the articles not read: u shows all" : "all articles");
}

static void show_outlets(struct kb_tui *t)
{
	if (t->src.kind == KB_SRC_OUTLETS)
		return;
	struct kb_source src = { .kind = KB_SRC_OUTLETS };
	snprintf(src.label, sizeof src.label, "Feeds");
	show_source(t, &src);
	if (kb_store_count(t->st) > OUTLET_WINDOW)
		message(t, "the outlets of the newest %d articles", OUTLET_WINDOW);
	else if (!t->nfixed)
		message(t, t->unread_only ? "no feed or outlet has an article not read" : "no articles");
}

/* ---- o: the browser ------------------------------------------------------ */

void kb_tui_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char **kb_tui_browser_argv(const char *browser, const char *url)
{
	size_t n = 0, cap = 4;
	char **argv = kb_xmalloc(cap * sizeof *argv);
	bool placed = false;
	const char *p = browser ? browser : "";
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct kb_buf w = { 0 };
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '%' && i + 1 < len && p[i + 1] == 's') {
				kb_buf_adds(&w, url);
				placed = true;
				i++;
			} else {
				kb_buf_addc(&w, p[i]);
			}
		}
		if (n + 2 >= cap)
			argv = kb_xrealloc(argv, (cap *= 2) * sizeof *argv);
		argv[n++] = kb_buf_steal(&w);
		p += len;
	}
	if (!n) {
		free(argv);
		return NULL;
	}
	if (!placed)
		argv[n++] = kb_xstrdup(url);
	argv[n] = NULL;
	return argv;
}

static void open_browser(struct kb_tui *t)
{
	const char *b = getenv("BROWSER");
	if (t->src.kind == KB_SRC_OUTLETS) {
		message(t, "o opens an article's URL: Enter lists the feed's or outlet's articles");
		return;
	}
	/* from the list, the selected article; else the one open */
	int64_t id = t->focus == KB_PANE_LIST && t->nrows ? t->rows[t->sel].id : t->article;
	struct kb_article_view v = { 0 };
	const char *url = NULL;
	if (id && id == t->article)
		url = t->view.url;
	else if (id && kb_store_get(t->st, id, &v) > 0)
		url = v.url;
	if (!id || !url || !*url) {
		message(t, "this article has no URL");
	} else if (!b || !*b || strspn(b, " ") == strlen(b)) {
		message(t, "$BROWSER is not set: %.120s", url);
	} else {
		snprintf(t->browse, sizeof t->browse, "%s", url); /* the terminal runs it */
		kb_store_mark_read(t->st, id); /* read, as newsboat counts it */
		set_read_flag(t, id, true);
	}
	kb_article_view_free(&v);
}

/* ---- R: kabar update in the background ----------------------------------- */

bool kb_tui_progress_parse(const char *line, long long *done, long long *total,
			   long long *items, long long *bytes, long long *errors)
{
	int end = 0;
	if (sscanf(line, "feeds %lld/%lld items %lld bytes %lld errors %lld%n", done, total, items,
		   bytes, errors, &end) != 5)
		return false;
	return line[end] == '\0';
}

/* "feeds 3/10, 42 items, 1 error" from the last progress line. */
static void progress_text(const char *line, char *out, size_t outsz)
{
	long long d, tt, i, b, e;
	if (!line[0] || !kb_tui_progress_parse(line, &d, &tt, &i, &b, &e)) {
		out[0] = '\0';
		return;
	}
	snprintf(out, outsz, "feeds %lld/%lld, %lld item%s, %lld error%s", d, tt, i,
		 i == 1 ? "" : "s", e, e == 1 ? "" : "s");
}

/* Reads what the update wrote; true when a new line came. */
static bool update_read(struct kb_tui *t)
{
	bool got = false;
	char chunk[512];
	ssize_t k;
	while ((k = read(t->upd_fd, chunk, sizeof chunk)) > 0) {
		for (ssize_t i = 0; i < k; i++) {
			if (chunk[i] == '\n') {
				t->upd_buf[t->upd_len] = '\0';
				long long d, tt, it, b, e;
				if (kb_tui_progress_parse(t->upd_buf, &d, &tt, &it, &b, &e)) {
					snprintf(t->upd_line, sizeof t->upd_line, "%.127s", t->upd_buf);
					got = true;
				}
				t->upd_len = 0;
			} else if (t->upd_len + 1 < sizeof t->upd_buf) {
				t->upd_buf[t->upd_len++] = chunk[i];
			}
		}
	}
	return got;
}

static void update_start(struct kb_tui *t)
{
	if (t->upd_pid) {
		char p[96];
		progress_text(t->upd_line, p, sizeof p);
		message(t, "an update is running%s%s", p[0] ? ": " : "", p);
		return;
	}
	const char *cmd = getenv("KABAR_UPDATE_CMD");
	const char *prog = cmd && *cmd ? cmd : t->exe;
	const char *db = kb_store_path(t->st);
	if (!prog[0] || !db) {
		message(t, "cannot find kabar to run kabar update");
		return;
	}
	int p[2];
	if (pipe(p) < 0) {
		message(t, "update: %s", strerror(errno));
		return;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	/* everything the child needs is made before fork: after it, only
	 * async-signal-safe calls */
	size_t ne = 0;
	while (environ[ne])
		ne++;
	char **envp = kb_xmalloc((ne + 2) * sizeof *envp);
	size_t k = 0;
	for (size_t i = 0; i < ne; i++)
		if (strncmp(environ[i], "KABAR_PROGRESS_FD=", 18) != 0)
			envp[k++] = environ[i];
	envp[k++] = "KABAR_PROGRESS_FD=3";
	envp[k] = NULL;
	char *argv[] = { (char *)prog, "--db", (char *)db, "update", NULL };
	pid_t pid = fork();
	if (pid == 0) {
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		if (p[1] == 3)
			fcntl(3, F_SETFD, 0);
		else
			dup2(p[1], 3);
		execve(prog, argv, envp);
		_exit(127);
	}
	free(envp);
	close(p[1]);
	if (null >= 0)
		close(null);
	if (pid < 0) {
		close(p[0]);
		message(t, "update: %s", strerror(errno));
		return;
	}
	t->upd_pid = (int)pid;
	t->upd_fd = p[0];
	t->upd_len = 0;
	t->upd_line[0] = '\0';
	snprintf(t->bg_status, sizeof t->bg_status, "updating…");
}

/* Reads the update's progress and reaps it; true when something changed. */
static bool update_poll(struct kb_tui *t)
{
	if (!t->upd_pid)
		return false;
	bool changed = update_read(t);
	int status;
	pid_t r = waitpid((pid_t)t->upd_pid, &status, WNOHANG);
	char p[96];
	if (r == (pid_t)t->upd_pid || (r < 0 && errno == ECHILD)) {
		update_read(t); /* what it wrote before it ended */
		close(t->upd_fd);
		t->upd_fd = -1;
		t->upd_pid = 0;
		t->bg_status[0] = '\0';
		progress_text(t->upd_line, p, sizeof p);
		if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
			message(t, "update done%s%s", p[0] ? ": " : "", p);
		else if (r > 0 && WIFSIGNALED(status))
			message(t, "update failed (signal %d): see kabar update", WTERMSIG(status));
		else
			message(t, "update failed (exit %d): see kabar update",
				r > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return true;
	}
	if (changed) {
		progress_text(t->upd_line, p, sizeof p);
		snprintf(t->bg_status, sizeof t->bg_status, "updating: %s", p);
	}
	return changed;
}

bool kb_tui_poll(struct kb_tui *t)
{
	bool redraw = update_poll(t);
	size_t dropped = 0;
	kb_store_retry_marks(t->st, &dropped); /* marks the cache was too busy for */
	if (dropped) {
		message(t, "could not mark %zu article%s read: %.100s", dropped, dropped == 1 ? "" : "s",
			kb_store_error(t->st));
		redraw = true;
	}
	int64_t v = kb_store_data_version(t->st);
	if (v >= 0 && v != t->data_version) {
		t->data_version = v;
		kb_tui_refresh(t);
		redraw = true;
	}
	return redraw;
}

static bool do_action(struct kb_tui *t, enum kb_action a);

/* After going back or forward in reading mode: the mode stays while there
 * is an article to read, with the focus on it. */
static void stay_full(struct kb_tui *t)
{
	if (!t->full)
		return;
	if (t->article)
		t->focus = KB_PANE_READER;
	else
		leave_full(t, false);
}

/* The panes' widths follow the focus below 100 columns (the sidebar shows
 * when focused): the reader is wrapped again when its width changed. */
bool kb_tui_do(struct kb_tui *t, enum kb_action a)
{
	bool redraw = do_action(t, a);
	struct kb_layout l;
	kb_tui_layout(t, &l);
	int width = l.reader_w - 2 > 10 ? l.reader_w - 2 : 10;
	if (width != t->wrap_width)
		rewrap_keep(t);
	return redraw;
}

static bool do_action(struct kb_tui *t, enum kb_action a)
{
	int h = list_height(t);
	t->message[0] = '\0';
	if (t->help) { /* any key closes the help */
		t->help = false;
		return true;
	}
	switch (a) {
	case KB_ACT_NONE:
		return false;
	case KB_ACT_QUIT:
		if (t->full) { /* q steps out of reading mode first */
			leave_full(t, true);
			break;
		}
		if (t->hist_pos > 0 && t->src.kind != KB_SRC_ALL) {
			/* q in a filtered list leaves the filter, as back does */
			return do_action(t, KB_ACT_BACK);
		}
		t->quit = true;
		break;
	case KB_ACT_FOCUS_NEXT:
	case KB_ACT_FOCUS_PREV: {
		int step = a == KB_ACT_FOCUS_NEXT ? 1 : KB_PANE_COUNT - 1;
		if (t->full) { /* the panes come back; the focus moves from the reader */
			leave_full(t, false);
			t->focus = KB_PANE_READER;
		}
		t->focus = (enum kb_pane)((t->focus + step) % KB_PANE_COUNT);
		if (t->focus == KB_PANE_SIDEBAR && !t->sidebar_on)
			t->focus = (enum kb_pane)((t->focus + step) % KB_PANE_COUNT);
		break;
	}
	case KB_ACT_DOWN:
		move(t, 1);
		break;
	case KB_ACT_UP:
		move(t, -1);
		break;
	case KB_ACT_PAGE_DOWN:
		move(t, h - 1 > 0 ? h - 1 : 1);
		break;
	case KB_ACT_PAGE_UP:
		move(t, -(h - 1 > 0 ? h - 1 : 1));
		break;
	case KB_ACT_TOP:
		if (t->focus == KB_PANE_LIST)
			list_top(t);
		else if (t->focus == KB_PANE_READER)
			t->scroll = 0;
		else
			t->side_sel = 0;
		break;
	case KB_ACT_BOTTOM:
		if (t->focus == KB_PANE_LIST)
			list_bottom(t);
		else if (t->focus == KB_PANE_READER)
			reader_scroll(t, INT32_MAX / 2);
		else
			t->side_sel = t->nside ? t->nside - 1 : 0;
		break;
	case KB_ACT_OPEN:
		if (t->full) /* the article is open: nothing else to open */
			return false;
		if (t->focus == KB_PANE_SIDEBAR)
			filter_entity(t);
		else
			open_selected(t);
		break;
	case KB_ACT_NEXT_SHARED:
		follow(t, 1);
		break;
	case KB_ACT_PREV_SHARED:
		follow(t, -1);
		break;
	case KB_ACT_RELATED:
		if (t->article) {
			struct kb_source src = { .kind = KB_SRC_RELATED, .id = t->article };
			snprintf(src.label, sizeof src.label, "related to #%lld",
				 (long long)t->article);
			show_source(t, &src);
			if (!t->nfixed)
				message(t, "nothing shares a rare name with this article");
		}
		break;
	case KB_ACT_EVENT: {
		int64_t ev = t->article ? kb_store_article_event(t->st, t->article) : 0;
		if (ev <= 0) {
			message(t, "this article is in no event");
			break;
		}
		struct kb_source src = { .kind = KB_SRC_EVENT, .id = ev };
		snprintf(src.label, sizeof src.label, "event #%lld", (long long)ev);
		show_source(t, &src);
		break;
	}
	case KB_ACT_SEARCH:
		t->prompt = true;
		t->input_len = 0;
		t->input[0] = '\0';
		break;
	case KB_ACT_SEARCH_NEXT:
		search_step(t, 1);
		break;
	case KB_ACT_SEARCH_PREV:
		search_step(t, -1);
		break;
	case KB_ACT_OUTLETS:
		show_outlets(t);
		break;
	case KB_ACT_TOGGLE_READ:
		toggle_read(t);
		break;
	case KB_ACT_MARK_ALL_READ:
		mark_all_read(t);
		break;
	case KB_ACT_UNREAD_ONLY:
		toggle_unread_only(t);
		break;
	case KB_ACT_UPDATE:
		update_start(t);
		break;
	case KB_ACT_BROWSER:
		open_browser(t);
		break;
	case KB_ACT_BACK:
		if (t->hist_pos == 0) {
			message(t, "nothing to go back to");
			break;
		}
		if (t->hist_pos == t->hist_len) { /* remember where we are, for l */
			snapshot(t, &t->hist[t->hist_len]);
			if (t->hist_len < KB_HISTORY_MAX - 1)
				t->hist_len++;
		}
		t->hist_pos--;
		restore(t, &t->hist[t->hist_pos]);
		stay_full(t);
		break;
	case KB_ACT_FORWARD:
		if (t->hist_pos + 1 >= t->hist_len) {
			message(t, "nothing to go forward to");
			break;
		}
		t->hist_pos++;
		restore(t, &t->hist[t->hist_pos]);
		stay_full(t);
		break;
	case KB_ACT_TOGGLE_SIDEBAR:
		if (t->full) { /* s in reading mode: back to the panes, sidebar shown */
			leave_full(t, true);
			t->sidebar_on = false; /* toggled on below */
		}
		t->sidebar_on = !t->sidebar_on;
		if (!t->sidebar_on && t->focus == KB_PANE_SIDEBAR)
			t->focus = KB_PANE_READER;
		else if (t->sidebar_on && t->w < 100)
			t->focus = KB_PANE_SIDEBAR; /* a folded sidebar shows when focused */
		kb_tui_resize(t, t->w, t->h);
		break;
	case KB_ACT_READING_MODE:
		if (t->full)
			leave_full(t, true);
		else
			enter_full(t, t->focus);
		break;
	case KB_ACT_HELP:
		t->help = true;
		break;
	case KB_ACT_REDRAW:
	case KB_ACT_COUNT:
		break;
	}
	return true;
}

static void run_search(struct kb_tui *t)
{
	t->prompt = false;
	if (!t->input_len)
		return;
	snprintf(t->query, sizeof t->query, "%s", t->input);
	struct kb_source src = { .kind = KB_SRC_SEARCH };
	snprintf(src.label, sizeof src.label, "search \"%.100s\"", t->query);
	show_source(t, &src);
	if (t->nfixed == 0) {
		message(t, "no match for \"%s\"", t->query);
	} else {
		load_article(t, t->rows[0].id);
		message(t, "hit 1/%d for \"%s\"", t->nfixed, t->query);
	}
}

bool kb_tui_key(struct kb_tui *t, int key)
{
	if (key == KB_KEY_RESIZE)
		return true;
	if (!t->prompt)
		return kb_tui_do(t, kb_keymap_lookup(&t->keys, key));
	if (key == '\n' || key == '\r') {
		run_search(t);
	} else if (key == 27) {
		t->prompt = false;
	} else if (key == KB_KEY_BACKSPACE || key == KB_KEY_BACKSPACE2 || key == 8) {
		while (t->input_len > 0 && (t->input[t->input_len - 1] & 0xc0) == 0x80)
			t->input_len--;
		if (t->input_len > 0)
			t->input_len--;
		t->input[t->input_len] = '\0';
	} else if (key >= ' ' && key < KB_KEY_BASE) {
		uint8_t buf[6];
		int n = u8_uctomb(buf, (ucs4_t)key, sizeof buf);
		if (n > 0 && t->input_len + (size_t)n < sizeof t->input) {
			memcpy(t->input + t->input_len, buf, (size_t)n);
			t->input_len += (size_t)n;
			t->input[t->input_len] = '\0';
		}
	}
	return true;
}
