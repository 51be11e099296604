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

/* A TSV field: tabs and line breaks become spaces; snippet marks go;
 * nothing a terminal would obey is left (kb_text_safe). */
void kb_print_tsv_field(FILE *out, const char *s)
{
	struct kb_buf b = { 0 };
	for (; s && *s; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			kb_buf_addc(&b, ' ');
		else if (*s != '\x02' && *s != '\x03')
			kb_buf_addc(&b, *s);
	}
	if (b.p)
		kb_text_safe_puts(out, b.p, false);
	kb_buf_free(&b);
}

/* s made safe for a terminal, one line; malloc'd ("" for NULL). */
char *kb_print_safe_line(const char *s)
{
	struct kb_buf b = { 0 };
	kb_buf_adds(&b, "");
	if (s)
		kb_text_safe(&b, s, strlen(s), false);
	return kb_buf_steal(&b);
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
	while (*s) { /* the text between kabar's own marks is made safe */
		size_t k = strcspn(s, "\x02\x03\n");
		kb_text_safe(&b, s, k, false);
		s += k;
		if (*s == '\x02')
			kb_buf_adds(&b, p->bold ? "\033[1m" : "");
		else if (*s == '\x03')
			kb_buf_adds(&b, p->bold ? "\033[22m" : "");
		else if (*s == '\n')
			kb_buf_addc(&b, ' ');
		if (*s)
			s++;
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
		kb_print_tsv_field(p->out, r->published);
		fprintf(p->out, "\t%s\t", r->published_inferred ? "true" : "false");
		kb_print_tsv_field(p->out, r->source);
		fputc('\t', p->out);
		kb_print_tsv_field(p->out, r->title);
		fputc('\t', p->out);
		kb_print_tsv_field(p->out, r->origin);
		if (p->snippets) {
			fputc('\t', p->out);
			kb_print_tsv_field(p->out, r->snippet);
		}
		fputc('\n', p->out);
		break;
	case KB_OUT_TEXT: {
		struct kb_buf b = { 0 };
		kb_buf_printf(&b, "%6lld ", (long long)r->id);
		date_cell(&b, r);
		kb_buf_addc(&b, ' ');
		char *source = kb_print_safe_line(r->source ? r->source : "-");
		char *title = kb_print_safe_line(r->title);
		kb_text_put_cells(&b, source, 16, true);
		kb_buf_addc(&b, ' ');
		int used = 6 + 1 + 11 + 1 + 16 + 1;
		if (p->tty)
			kb_text_put_cells(&b, title, p->width - used > 10 ? p->width - used : 10,
					  false);
		else
			kb_buf_adds(&b, title);
		free(source);
		free(title);
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
