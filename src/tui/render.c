/* render.c - draws the model into a cell grid; no curses here.  Widths
 * and graphemes come from libunistring, so CJK, combining marks and emoji
 * take the cells the terminal gives them. */
#include "config.h"

#include "kabar/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unigbrk.h>
#include <unistr.h>
#include <uniwidth.h>

#include "kabar/text.h"
#include "kabar/util.h"

void kb_grid_resize(struct kb_grid *g, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (g->w != w || g->h != h) {
		free(g->cells);
		g->cells = kb_xcalloc((size_t)w * (size_t)h, sizeof *g->cells);
		g->w = w;
		g->h = h;
	}
	for (int i = 0; i < w * h; i++)
		g->cells[i] = (struct kb_cell){ " ", 1, KB_ST_NORMAL };
}

void kb_grid_free(struct kb_grid *g)
{
	free(g->cells);
	g->cells = NULL;
	g->w = g->h = 0;
}

void kb_grid_row(const struct kb_grid *g, int y, char *out, size_t outsz)
{
	size_t n = 0;
	out[0] = '\0';
	if (y < 0 || y >= g->h)
		return;
	for (int x = 0; x < g->w; x++) {
		const char *s = g->cells[y * g->w + x].text;
		size_t k = strlen(s);
		if (n + k + 1 >= outsz)
			break;
		memcpy(out + n, s, k);
		n += k;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

static struct kb_cell *cell(struct kb_grid *g, int x, int y)
{
	return &g->cells[y * g->w + x];
}

/* Writes s[0..n) at (x, y) in at most maxw cells; returns the cells used.
 * A wide character that would not fit is left out; control characters
 * become spaces. */
static int put(struct kb_grid *g, int x, int y, int maxw, const char *s, size_t n, int style)
{
	if (y < 0 || y >= g->h || maxw <= 0)
		return 0;
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	int used = 0;
	while (p < end && used < maxw && x + used < g->w) {
		const uint8_t *next = u8_grapheme_next(p, end);
		if (!next)
			break;
		size_t len = (size_t)(next - p);
		int w = u8_width(p, len, "UTF-8");
		ucs4_t uc = 0;
		u8_mbtouc(&uc, p, len);
		if (w < 0 || *p < 0x20) { /* C0, DEL, C1: the terminal would obey them */
			w = 1;
			p = (const uint8_t *)" ";
			len = 1;
		} else if (u8_check(p, len)) { /* bytes a cache may hold that are not UTF-8 */
			w = 1;
			p = (const uint8_t *)"\xef\xbf\xbd";
			len = 3;
		} else if ((uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069)) {
			p = next; /* a bidi override or isolate would reorder the row: never drawn */
			continue;
		}
		if (w == 0) { /* a lone combining mark: join the previous cell */
			p = next;
			continue;
		}
		if (used + w > maxw || x + used + w > g->w)
			break;
		struct kb_cell *c = cell(g, x + used, y);
		if (g->ascii && (*p >= 0x80)) {
			snprintf(c->text, sizeof c->text, "%s", w == 2 ? "??" : "?");
			c->width = 1;
			c->style = (uint8_t)style;
			if (w == 2) {
				c->text[1] = '\0';
				struct kb_cell *c2 = cell(g, x + used + 1, y);
				snprintf(c2->text, sizeof c2->text, "?");
				c2->width = 1;
				c2->style = (uint8_t)style;
			}
		} else {
			if (len >= sizeof c->text) /* a long cluster, cut between characters */
				for (len = sizeof c->text - 1; len > 0 && (p[len] & 0xc0) == 0x80; len--)
					;
			memcpy(c->text, p, len);
			c->text[len] = '\0';
			c->width = (uint8_t)w;
			c->style = (uint8_t)style;
			if (w == 2) {
				struct kb_cell *c2 = cell(g, x + used + 1, y);
				c2->text[0] = '\0';
				c2->width = 0;
				c2->style = (uint8_t)style;
			}
		}
		used += w;
		p = next;
	}
	return used;
}

static int puts_at(struct kb_grid *g, int x, int y, int maxw, const char *s, int style)
{
	return put(g, x, y, maxw, s, strlen(s), style);
}

static void fill(struct kb_grid *g, int x, int y, int w, int style)
{
	for (int i = 0; i < w && x + i < g->w; i++) {
		struct kb_cell *c = cell(g, x + i, y);
		snprintf(c->text, sizeof c->text, " ");
		c->width = 1;
		c->style = (uint8_t)style;
	}
}

/* Text cut to w cells with an ellipsis, then padded. */
static void put_fit(struct kb_grid *g, int x, int y, int w, const char *s, int style)
{
	struct kb_buf b = { 0 };
	size_t n = strlen(s);
	if (g->ascii && w > 3 && kb_text_width(s, n) > w) {
		/* the ellipsis is not ASCII: three dots */
		kb_buf_add(&b, s, kb_text_fit(s, n, w - 3, NULL));
		kb_buf_adds(&b, "...");
	} else {
		kb_text_put_cells(&b, s, w, true);
	}
	fill(g, x, y, w, style);
	put(g, x, y, w, b.p ? b.p : "", b.len, style);
	kb_buf_free(&b);
}

static void vline(struct kb_grid *g, int x, int y0, int y1, int style)
{
	for (int y = y0; y < y1; y++)
		puts_at(g, x, y, 1, g->ascii ? "|" : "│", style);
}

static void group_count(char *out, size_t n, int64_t v)
{
	/* 1234567 -> "1,234,567" */
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	size_t len = strlen(tmp), k = 0;
	for (size_t i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0 && tmp[0] != '-')
			out[k++] = ',';
		out[k++] = tmp[i];
	}
	out[k] = '\0';
}

static void draw_list(const struct kb_tui *t, struct kb_grid *g, const struct kb_layout *l)
{
	bool focus = t->focus == KB_PANE_LIST;
	char head[96], a[32], b[32];
	group_count(a, sizeof a, t->pos + t->sel + (t->nrows ? 1 : 0));
	group_count(b, sizeof b, t->total >= 0 ? t->total : 0);
	bool outlets = t->src.kind == KB_SRC_OUTLETS;
	snprintf(head, sizeof head, " %s %s/%s%s%s", outlets ? "Feeds" : "Articles", a, b,
		 t->total_more ? "+" : "", outlets ? "  unread/all" : "");
	put_fit(g, l->list_x, 0, l->list_w, head, focus ? KB_ST_BORDER_FOCUS : KB_ST_HEADER);
	int w = l->list_w;
	bool show_source = w >= 56, show_date = w >= 30;
	for (int i = 0; i < t->nrows && i < l->body_h; i++) {
		const struct kb_list_row *r = &t->rows[i];
		int y = 1 + i, x = l->list_x;
		bool sel = i == t->sel;
		int st = sel ? (focus ? KB_ST_CURSOR : KB_ST_SELECTED)
			     : r->read ? KB_ST_NORMAL : KB_ST_UNREAD;
		fill(g, x, y, w, st);
		puts_at(g, x, y, 2, r->read ? " " : (g->ascii ? "*" : "•"), st);
		x += 2;
		if (outlets) {
			char n[72], u[32], all[32];
			group_count(u, sizeof u, r->unread);
			group_count(all, sizeof all, r->articles);
			snprintf(n, sizeof n, " %.28s/%.28s", u, all);
			int nw = (int)strlen(n);
			int tw = l->list_x + w - x - nw;
			char name[300];
			snprintf(name, sizeof name, "%s%s", r->feed > 0 ? "feed: " : "",
				 r->title[0] ? r->title : "(no outlet)");
			if (tw > 0)
				put_fit(g, x, y, tw, name, st);
			puts_at(g, l->list_x + w - nw, y, nw, n, st);
			continue;
		}
		if (show_date) {
			char d[16];
			snprintf(d, sizeof d, "%s%s", r->inferred ? "~" : "", r->date);
			put_fit(g, x, y, 11, d, st);
			x += 12;
		}
		if (show_source) {
			put_fit(g, x, y, 14, r->source, st);
			x += 15;
		}
		put_fit(g, x, y, l->list_x + w - x, r->title, st);
	}
	if (!t->nrows)
		puts_at(g, l->list_x + 1, 1, w - 1,
			t->unread_only ? "(no articles not read: u shows all)" : "(no articles)",
			KB_ST_META);
}

static int mention_style(char type)
{
	switch (type) {
	case 'p': return KB_ST_PERSON;
	case 'l': return KB_ST_PLACE;
	case 'o': return KB_ST_ORG;
	default: return KB_ST_DATE;
	}
}

/* Draws bytes [s, e) of text with the mentions that fall in them. */
static void draw_text(const struct kb_tui *t, struct kb_grid *g, int x, int y, int w,
		      const char *text, uint32_t s, uint32_t e, bool title, int base)
{
	int used = 0;
	uint32_t p = s;
	while (p < e && used < w) {
		/* the mention that covers p, or the next one */
		const struct kb_mention *m = NULL;
		for (long i = 0; i < t->nmentions; i++) {
			const struct kb_mention *c = &t->mentions[i];
			if (c->in_title != title || c->end <= p || c->start >= e)
				continue;
			if (!m || c->start < m->start)
				m = c;
		}
		uint32_t stop = e;
		int style = base;
		if (m && m->start <= p) {
			stop = m->end < e ? m->end : e;
			style = mention_style(m->type);
		} else if (m) {
			stop = m->start;
		}
		used += put(g, x + used, y, w - used, text + p, stop - p, style);
		p = stop;
	}
}

static void draw_reader(const struct kb_tui *t, struct kb_grid *g, const struct kb_layout *l)
{
	bool focus = t->focus == KB_PANE_READER;
	char head[64];
	/* how far down the article the bottom of the pane is, by bytes (the
	 * rest of the article may not be wrapped yet) */
	size_t body_n = t->view.body ? strlen(t->view.body) : 0;
	int last = t->scroll + l->body_h - 1 < t->nlines ? t->scroll + l->body_h - 1 : t->nlines - 1;
	size_t shown = body_n;
	for (int i = last; i >= 0 && t->article; i--)
		if (t->lines[i].kind == 0) {
			shown = t->lines[i].end;
			break;
		}
	if (last >= 0 && t->lines[last].kind != 0 && t->wrap_next >= body_n && last == t->nlines - 1)
		shown = body_n;
	if (t->article && body_n && (shown < body_n || t->scroll > 0))
		snprintf(head, sizeof head, " Reader %d%%", (int)(shown * 100 / body_n));
	else
		snprintf(head, sizeof head, " Reader");
	if (t->full) {
		/* reading mode: the title bar is the word only, the percentage
		 * beside it in the plain style, so that a scroll that changes it
		 * rewrites a digit or two without switching colours and back
		 * (about 25 bytes a key on a slow link) */
		put_fit(g, 0, 0, 7, " Reader", KB_ST_BORDER_FOCUS);
		puts_at(g, 7, 0, l->reader_w - 7, head + 7, KB_ST_NORMAL);
	} else {
		put_fit(g, l->reader_x, 0, l->reader_w, head,
			focus ? KB_ST_BORDER_FOCUS : KB_ST_HEADER);
	}
	if (!t->article) {
		puts_at(g, l->reader_x + 1, 1, l->reader_w - 1, "(nothing open)", KB_ST_META);
		return;
	}
	int x = l->reader_x + 1, w = l->reader_w - 1;
	for (int i = 0; i < l->body_h && t->scroll + i < t->nlines; i++) {
		const struct kb_wrapped *ln = &t->lines[t->scroll + i];
		int y = 1 + i;
		if (ln->kind == 1) {
			draw_text(t, g, x, y, w, t->view.title, ln->start, ln->end, true, KB_ST_TITLE);
		} else if (ln->kind == 2) {
			struct kb_buf m = { 0 };
			if (t->view.published)
				kb_buf_printf(&m, "%s%.10s", t->view.published_inferred ? "~" : "",
					      t->view.published);
			if (t->view.source)
				kb_buf_printf(&m, "%s%s", m.len ? " · " : "", t->view.source);
			for (size_t k = 0; k < t->view.n_bylines; k++)
				if (strcmp(t->view.byline_role[k], "author") == 0)
					kb_buf_printf(&m, "%s%s", m.len ? " · " : "", t->view.byline_name[k]);
			if (g->ascii && m.p)
				for (char *q = strstr(m.p, "·"); q; q = strstr(q, "·"))
					memcpy(q, "- ", 2);
			put_fit(g, x, y, w, m.p ? m.p : "", KB_ST_META);
			kb_buf_free(&m);
		} else if (ln->kind == 0) {
			draw_text(t, g, x, y, w, t->view.body, ln->start, ln->end, false, KB_ST_NORMAL);
		}
	}
}

static const char *group_name(char type)
{
	switch (type) {
	case 'p': return "People";
	case 'l': return "Places";
	case 'o': return "Organisations";
	default: return "Dates";
	}
}

static void draw_sidebar(const struct kb_tui *t, struct kb_grid *g, const struct kb_layout *l)
{
	bool focus = t->focus == KB_PANE_SIDEBAR;
	put_fit(g, l->side_x, 0, l->side_w, " Entities", focus ? KB_ST_BORDER_FOCUS : KB_ST_HEADER);
	/* lines: group headings and entities; keep the selection in view */
	int total = 0, sel_line = 0;
	char last = 0;
	for (int i = 0; i < t->nside; i++) {
		if (t->side[i].type != last) {
			total++;
			last = t->side[i].type;
		}
		if (i == t->side_sel)
			sel_line = total;
		total++;
	}
	int top = sel_line - l->body_h + 2 > 0 ? sel_line - l->body_h + 2 : 0;
	int line = 0, y;
	last = 0;
	for (int i = 0; i < t->nside; i++) {
		const struct kb_side_row *s = &t->side[i];
		if (s->type != last) {
			last = s->type;
			y = 1 + line++ - top;
			if (y >= 1 && y <= l->body_h)
				put_fit(g, l->side_x + 1, y, l->side_w - 1, group_name(s->type),
					KB_ST_HEADER);
		}
		y = 1 + line++ - top;
		if (y < 1 || y > l->body_h)
			continue;
		int st = i == t->side_sel ? (focus ? KB_ST_CURSOR : KB_ST_SELECTED)
					  : mention_style(s->type);
		char count[24] = "";
		if (s->others > 0)
			snprintf(count, sizeof count, " %lld", (long long)s->others);
		int cw = (int)strlen(count);
		fill(g, l->side_x + 1, y, l->side_w - 1, st);
		put_fit(g, l->side_x + 2, y, l->side_w - 2 - cw, s->name, st);
		puts_at(g, l->side_x + l->side_w - cw, y, cw, count, st);
	}
	if (!t->nside)
		puts_at(g, l->side_x + 1, 1, l->side_w - 1, "(none)", KB_ST_META);
}

static void draw_status(const struct kb_tui *t, struct kb_grid *g)
{
	int y = g->h - 1;
	fill(g, 0, y, g->w, KB_ST_STATUS);
	struct kb_buf b = { 0 };
	if (t->prompt) {
		kb_buf_printf(&b, "/%s_", t->input);
		put_fit(g, 0, y, g->w, b.p, KB_ST_STATUS);
		kb_buf_free(&b);
		return;
	}
	const char *sep = g->ascii ? " > " : " › ";
	char a[32], n[32];
	group_count(a, sizeof a, t->pos + t->sel + (t->nrows ? 1 : 0));
	group_count(n, sizeof n, t->total >= 0 ? t->total : 0);
	kb_buf_printf(&b, " %s/%s%s  All", a, n, t->total_more ? "+" : "");
	/* the breadcrumb: every filter down the history, then this one */
	for (int i = 0; i < t->hist_pos && i < KB_HISTORY_MAX; i++) {
		const struct kb_source *s = &t->hist[i].src;
		if (s->kind == KB_SRC_ALL)
			continue;
		if (i > 0 && t->hist[i - 1].src.kind == s->kind && t->hist[i - 1].src.id == s->id)
			continue;
		kb_buf_printf(&b, "%s%s", sep, s->label);
	}
	if (t->src.kind != KB_SRC_ALL &&
	    !(t->hist_pos > 0 && t->hist[t->hist_pos - 1].src.kind == t->src.kind &&
	      t->hist[t->hist_pos - 1].src.id == t->src.id))
		kb_buf_printf(&b, "%s%s", sep, t->src.label);
	if (t->unread_only)
		kb_buf_printf(&b, "%sunread", sep);
	const char *msg = t->message[0] ? t->message : t->bg_status;
	int mw = msg[0] ? kb_text_width(msg, strlen(msg)) + 2 : 0;
	if (mw > g->w / 2)
		mw = g->w / 2;
	put_fit(g, 0, y, g->w - mw, b.p, KB_ST_STATUS);
	if (mw)
		put_fit(g, g->w - mw, y, mw, msg, KB_ST_MESSAGE);
	kb_buf_free(&b);
}

/* Every action with its keys; in columns when the rows are too few. */
static void draw_help(const struct kb_tui *t, struct kb_grid *g)
{
	kb_grid_resize(g, g->w, g->h);
	put_fit(g, 0, 0, g->w, " kabar: keys (any key closes this)", KB_ST_BORDER_FOCUS);
	int rows = g->h - 2 > 1 ? g->h - 2 : 1;
	int n = KB_ACT_COUNT - 1;
	int ncols = (n + rows - 1) / rows;
	int colw = g->w / ncols;
	int keyw = ncols == 1 ? 22 : colw * 2 / 5;
	for (int a = 1; a < KB_ACT_COUNT; a++) {
		char keys[64] = "";
		size_t k = 0;
		for (size_t i = 0; i < t->keys.n; i++) {
			if (t->keys.b[i].action != (enum kb_action)a)
				continue;
			char name[16];
			kb_key_name(t->keys.b[i].key, name, sizeof name);
			k += (size_t)snprintf(keys + k, sizeof keys - k, "%s%s", k ? " " : "", name);
			if (k >= sizeof keys)
				break;
		}
		int x = (a - 1) / rows * colw, y = 1 + (a - 1) % rows;
		int end = ncols == 1 ? g->w : x + colw - 1;
		put_fit(g, x + 1, y, keyw, keys, KB_ST_TITLE);
		put_fit(g, x + keyw + 2, y, end - (x + keyw + 2), kb_action_help((enum kb_action)a),
			KB_ST_NORMAL);
	}
	put_fit(g, 0, g->h - 1, g->w, " Keys are set in ~/.config/kabar/config: bind KEY ACTION",
		KB_ST_STATUS);
}

void kb_tui_render(const struct kb_tui *t, struct kb_grid *g)
{
	bool ascii = g->ascii;
	kb_grid_resize(g, t->w, t->h);
	g->ascii = ascii;
	if (t->help) {
		draw_help(t, g);
		return;
	}
	struct kb_layout l;
	kb_tui_layout(t, &l);
	if (!t->full) {
		draw_list(t, g, &l);
		vline(g, l.list_w, 0, g->h - 1, KB_ST_BORDER);
	}
	draw_reader(t, g, &l);
	if (l.sidebar) {
		vline(g, l.side_x - 1, 0, g->h - 1, KB_ST_BORDER);
		draw_sidebar(t, g, &l);
	}
	draw_status(t, g);
}
