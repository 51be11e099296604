/* eval-html.c - scores kb_parse_html's main text on a dev set of pages.
 *
 * usage: eval-html [-v] [--show ID] DIR
 *
 * DIR holds ground-truth.json ({id: {url, articleBody}}) and
 * html/<id>.html.gz.  The score is the Scrapinghub article-extraction
 * benchmark's: gold and output are split into word tokens (\w+,
 * lowercased), 4-token shingles are counted, and their multiset overlap
 * gives a page's precision and recall; both are averaged over pages and
 * F1 is computed from the averages.  The same score for all of a page's
 * text (kb_html_to_text) is the baseline.  A refused page scores 0 and 0.
 * -v prints every page's scores; --show ID prints that page's output.
 */
#include "config.h"

#include "../src/ingest/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>
#include <xxhash.h>

#include "kabar/ingest.h"
#include "kabar/util.h"

struct page {
	char *id, *gold;
};

struct score {
	double p, r;
};

static double now(void)
{
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(FILE *f, size_t *n)
{
	struct kb_buf b = { 0 };
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		kb_buf_add(&b, chunk, k);
	*n = b.len;
	return kb_buf_steal(&b);
}

/* The gold file through SQLite's JSON functions (a tool; the library's
 * storage rule does not apply here). */
static struct page *read_gold(const char *dir, size_t *np)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/ground-truth.json", dir);
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t n;
	char *json = slurp(f, &n);
	fclose(f);
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT key, json_extract(value, '$.articleBody') FROM json_each(?1)"
			       " ORDER BY key",
			       -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "eval-html: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	sqlite3_bind_text(st, 1, json, (int)n, SQLITE_STATIC);
	struct page *pages = NULL;
	size_t cnt = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		pages = kb_xrealloc(pages, (cnt + 1) * sizeof *pages);
		const char *gold = (const char *)sqlite3_column_text(st, 1);
		pages[cnt].id = kb_xstrdup((const char *)sqlite3_column_text(st, 0));
		pages[cnt].gold = kb_xstrdup(gold ? gold : "");
		cnt++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(json);
	*np = cnt;
	return pages;
}

static char *read_page(const char *dir, const char *id, size_t *n)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "gzip -dc '%s/html/%s.html.gz'", dir, id);
	FILE *f = popen(cmd, "r");
	if (!f)
		return NULL;
	char *s = slurp(f, n);
	if (pclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* \w+ lowercased, as Python's re does it: letters, digits, '_'. */
static size_t tokens(const char *s, uint64_t **out)
{
	size_t n = strlen(s), cnt = 0, cap = 256;
	uint64_t *tok = kb_xmalloc(cap * sizeof *tok);
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	struct kb_buf w = { 0 };
	while (p < end) {
		ucs4_t c;
		int len = u8_mbtoucr(&c, p, (size_t)(end - p));
		if (len < 0) {
			p++;
			continue;
		}
		bool word = c == '_' || uc_is_general_category(c, UC_CATEGORY_L) ||
			    uc_is_general_category(c, UC_CATEGORY_N);
		if (word) {
			uint8_t u[6];
			int k = u8_uctomb(u, uc_tolower(c), 6);
			if (k > 0)
				kb_buf_add(&w, (const char *)u, (size_t)k);
		}
		p += len;
		if ((!word || p >= end) && w.len) {
			if (cnt == cap)
				tok = kb_xrealloc(tok, (cap *= 2) * sizeof *tok);
			tok[cnt++] = XXH3_64bits(w.p, w.len);
			w.len = 0;
		}
	}
	kb_buf_free(&w);
	*out = tok;
	return cnt;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* 4-token shingles (one shorter shingle for a text of fewer tokens),
 * each hashed, sorted. */
static size_t shingles(const char *s, uint64_t **out)
{
	uint64_t *tok;
	size_t nt = tokens(s, &tok);
	size_t ns = nt == 0 ? 0 : nt >= 4 ? nt - 3 : 1;
	uint64_t *sh = kb_xmalloc((ns ? ns : 1) * sizeof *sh);
	for (size_t i = 0; i < ns; i++) {
		size_t k = nt - i < 4 ? nt - i : 4;
		sh[i] = XXH3_64bits(tok + i, k * sizeof *tok);
	}
	free(tok);
	qsort(sh, ns, sizeof *sh, cmp_u64);
	*out = sh;
	return ns;
}

static struct score score(const char *gold, const char *out, double *tp_n, double *fp_n,
			  double *fn_n)
{
	uint64_t *g, *o;
	size_t ng = shingles(gold, &g), no = shingles(out ? out : "", &o);
	size_t i = 0, j = 0, tp = 0;
	while (i < ng && j < no) {
		if (g[i] == o[j])
			tp++, i++, j++;
		else if (g[i] < o[j])
			i++;
		else
			j++;
	}
	free(g);
	free(o);
	struct score s = { no ? (double)tp / no : 0, ng ? (double)tp / ng : 0 };
	/* the benchmark script's own pooling: each page's tp, fp, fn
	 * normalised to sum 1, then summed */
	double sum = (double)(tp + (no - tp) + (ng - tp));
	if (sum > 0) {
		*tp_n += tp / sum;
		*fp_n += (no - tp) / sum;
		*fn_n += (ng - tp) / sum;
	}
	return s;
}

static double f1(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	const char *show = NULL, *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = true;
		else if (strcmp(argv[i], "--show") == 0 && i + 1 < argc)
			show = argv[++i];
		else
			dir = argv[i];
	}
	if (!dir) {
		fprintf(stderr, "usage: eval-html [-v] [--show ID] DIR\n");
		return 2;
	}
	size_t np;
	struct page *pages = read_gold(dir, &np);
	double sp = 0, sr = 0, bp = 0, br = 0, secs = 0, bytes = 0;
	double tp = 0, fp = 0, fn = 0, btp = 0, bfp = 0, bfn = 0;
	size_t scored = 0, refused = 0;
	for (size_t i = 0; i < np; i++) {
		if (show && strcmp(show, pages[i].id) != 0)
			continue;
		size_t n;
		char *raw = read_page(dir, pages[i].id, &n);
		if (!raw) {
			fprintf(stderr, "eval-html: cannot read page %s\n", pages[i].id);
			continue;
		}
		struct kb_doc doc = { 0 };
		const char *why = NULL;
		double t0 = now();
		int rc = kb_parse_html(raw, n, &doc, &why);
		secs += now() - t0;
		bytes += n;
		if (rc != 0)
			refused++;

		struct kb_buf utf8 = { 0 }, all = { 0 };
		const char *used, *cwhy;
		if (kb_charset_decode(raw, n, &utf8, &used, &cwhy) == 0)
			kb_html_to_text(utf8.p, utf8.len, &all);
		struct score s = score(pages[i].gold, rc == 0 ? doc.body : "", &tp, &fp, &fn);
		struct score b = score(pages[i].gold, all.p ? all.p : "", &btp, &bfp, &bfn);
		sp += s.p, sr += s.r, bp += b.p, br += b.r;
		scored++;
		if (verbose)
			printf("%.3f\t%.3f\t%.3f\t%s%s%s\n", f1(s.p, s.r), s.p, s.r, pages[i].id,
			       rc ? "\trefused: " : "", rc ? why : "");
		if (show) {
			printf("title: %s\nsource: %s\nurl: %s\npublished: %s\n",
			       doc.title ? doc.title : "-", doc.source ? doc.source : "-",
			       doc.url ? doc.url : "-", doc.published ? doc.published : "-");
			for (size_t k = 0; k < doc.n_bylines; k++)
				printf("%s: %s\n", doc.bylines[k].role, doc.bylines[k].name);
			printf("P %.3f R %.3f%s%s\n----\n%s\n", s.p, s.r, rc ? " refused: " : "",
			       rc ? why : "", rc == 0 ? doc.body : "");
		}
		kb_buf_free(&utf8);
		kb_buf_free(&all);
		kb_doc_free(&doc);
		free(raw);
	}
	if (scored) {
		double P = sp / scored, R = sr / scored, BP = bp / scored, BR = br / scored;
		printf("html-dev: %zu pages, %zu refused\n", scored, refused);
		printf("kabar     F1 %.3f  P %.3f  R %.3f\n", f1(P, R), P, R);
		printf("raw page  F1 %.3f  P %.3f  R %.3f\n", f1(BP, BR), BP, BR);
		double P2 = tp + fp > 0 ? tp / (tp + fp) : 0, R2 = tp + fn > 0 ? tp / (tp + fn) : 0;
		printf("(benchmark script's pooling: F1 %.3f  P %.3f  R %.3f)\n", f1(P2, R2), P2,
		       R2);
		printf("speed     %.0f pages/s, %.1f MB/s\n", secs > 0 ? scored / secs : 0,
		       secs > 0 ? bytes / secs / 1e6 : 0);
	}
	for (size_t i = 0; i < np; i++) {
		free(pages[i].id);
		free(pages[i].gold);
	}
	free(pages);
	return 0;
}
