/* print.c - article rows as text, TSV or JSON. */
#include "config.h"

#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kabar/text.h"
#include "kabar/util.h"

void kb_print_begin(struct kb_printer *p, enum kb_out fmt, bool snippets)
{
	memset(p, 0, sizeof *p);
	p->fmt = fmt;
	p->out = stdout;
	p->snippets = snippets;
	p->tty = isatty(STDOUT_FILENO);
	const char *no_color = getenv("NO_COLOR");
	p->bold = p->tty && !(no_color && *no_color);
	struct winsize ws;
	p->width = 80;
	if (p->tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		p->width = ws.ws_col;
	if (fmt == KB_OUT_JSON)
		fputs("[", p->out);
	else if (fmt == KB_OUT_TSV)
		fprintf(p->out, "id\tpublished\tpublished_inferred\tsource\ttitle\torigin%s\n",
			snippets ? "\tsnippet" : "");
}

/* A TSV field: tabs and line breaks become spaces; snippet marks go. */
static void tsv_field(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			fputc(' ', out);
		else if (*s != '\x02' && *s != '\x03')
			fputc(*s, out);
	}
}

/* The date column: "2024-11-29", "2024-06", "~2024-11-29" when inferred. */
static void date_cell(struct kb_buf *b, const struct kb_row *r)
{
	char d[12] = "";
	if (r->published)
		snprintf(d, sizeof d, "%s%.10s", r->published_inferred ? "~" : "", r->published);
	kb_text_put_cells(b, d, 11, true);
}

static void print_snippet(struct kb_printer *p, const char *s)
{
	struct kb_buf b = { 0 };
	kb_buf_adds(&b, "       ");
	for (; *s; s++) {
		if (*s == '\x02')
			kb_buf_adds(&b, p->bold ? "\033[1m" : "");
		else if (*s == '\x03')
			kb_buf_adds(&b, p->bold ? "\033[22m" : "");
		else if (*s == '\n')
			kb_buf_addc(&b, ' ');
		else
			kb_buf_addc(&b, *s);
	}
	fprintf(p->out, "%s\n", b.p);
	kb_buf_free(&b);
}

int kb_print_row(const struct kb_row *r, void *printer)
{
	struct kb_printer *p = printer;
	switch (p->fmt) {
	case KB_OUT_JSON:
		fprintf(p->out, "%s\n%s", p->rows ? "," : "", r->json);
		break;
	case KB_OUT_TSV:
		fprintf(p->out, "%lld\t", (long long)r->id);
		tsv_field(p->out, r->published);
		fprintf(p->out, "\t%s\t", r->published_inferred ? "true" : "false");
		tsv_field(p->out, r->source);
		fputc('\t', p->out);
		tsv_field(p->out, r->title);
		fputc('\t', p->out);
		tsv_field(p->out, r->origin);
		if (p->snippets) {
			fputc('\t', p->out);
			tsv_field(p->out, r->snippet);
		}
		fputc('\n', p->out);
		break;
	case KB_OUT_TEXT: {
		struct kb_buf b = { 0 };
		kb_buf_printf(&b, "%6lld ", (long long)r->id);
		date_cell(&b, r);
		kb_buf_addc(&b, ' ');
		kb_text_put_cells(&b, r->source ? r->source : "-", 16, true);
		kb_buf_addc(&b, ' ');
		int used = 6 + 1 + 11 + 1 + 16 + 1;
		if (p->tty)
			kb_text_put_cells(&b, r->title, p->width - used > 10 ? p->width - used : 10,
					  false);
		else
			kb_buf_adds(&b, r->title);
		fprintf(p->out, "%s\n", b.p);
		kb_buf_free(&b);
		if (p->snippets && r->snippet && *r->snippet)
			print_snippet(p, r->snippet);
		break;
	}
	}
	p->rows++;
	return ferror(p->out) ? 1 : 0;
}

void kb_print_end(struct kb_printer *p)
{
	if (p->fmt == KB_OUT_JSON)
		fputs(p->rows ? "\n]\n" : "]\n", p->out);
	fflush(p->out);
}
