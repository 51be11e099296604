/* parse-bench.c - how fast the import path before storage is.
 *
 * Reads the files given on the command line (such as the sample corpus) and
 * times kb_text_decode + kb_parse_text over all of them, many times.
 * Prints the median of several runs in µs per KB and per article.
 *
 *   bench/parse-bench [-r RUNS] [-t MILLISECONDS] FILE...
 *
 * With --dump it prints instead what every file parses into (decode
 * status, title, metadata, bylines and body), for comparing outputs. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kabar/ingest.h"
#include "kabar/text.h"
#include "kabar/util.h"

struct input {
	const char *name;
	char *p;
	size_t n;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int read_file(const char *path, struct input *in)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		kb_error("%s: %s", path, strerror(errno));
		return -1;
	}
	struct kb_buf b = { 0 };
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		kb_buf_add(&b, chunk, got);
	fclose(f);
	in->name = path;
	in->n = b.len;
	in->p = kb_buf_steal(&b);
	return 0;
}

/* Decodes and parses one input; returns the body length (to keep the work
 * observable). */
static size_t one(const struct input *in, struct kb_buf *text)
{
	const char *reason, *why;
	struct kb_doc doc = { 0 };
	size_t r = 0;
	kb_buf_reset(text);
	enum kb_decode d = kb_text_decode(in->p, in->n, text, &reason);
	if (d == KB_DECODE_BINARY || d == KB_DECODE_INVALID)
		return 0;
	if (kb_parse_text(text->p ? text->p : "", text->len, &doc, &why) == 0)
		r = strlen(doc.body);
	kb_doc_free(&doc);
	return r;
}

static void put_field(const char *k, const char *v)
{
	printf("%s: %s\n", k, v ? v : "(null)");
}

static void dump(const struct input *ins, size_t n)
{
	struct kb_buf text = { 0 };
	for (size_t i = 0; i < n; i++) {
		const char *reason = NULL, *why = NULL;
		struct kb_doc doc = { 0 };
		kb_buf_reset(&text);
		enum kb_decode d = kb_text_decode(ins[i].p, ins[i].n, &text, &reason);
		printf("=== %s\ndecode: %d %s\n", ins[i].name, (int)d, reason ? reason : "");
		if (d == KB_DECODE_BINARY || d == KB_DECODE_INVALID)
			continue;
		printf("text: %zu\n", text.len);
		fwrite(text.p ? text.p : "", 1, text.len, stdout);
		printf("\n---\n");
		int rc = kb_parse_text(text.p ? text.p : "", text.len, &doc, &why);
		printf("parse: %d %s\n", rc, why ? why : "");
		put_field("title", doc.title);
		put_field("source", doc.source);
		put_field("url", doc.url);
		put_field("published", doc.published);
		for (size_t j = 0; j < doc.n_bylines; j++)
			printf("byline: %s = %s\n", doc.bylines[j].role, doc.bylines[j].name);
		put_field("body", doc.body);
		kb_doc_free(&doc);
	}
	kb_buf_free(&text);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = 7;
	double min_ms = 300;
	bool dumping = false;
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			min_ms = atof(argv[++i]);
		else if (strcmp(argv[i], "--dump") == 0)
			dumping = true;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "usage: %s [-r RUNS] [-t MS] [--dump] FILE...\n", argv[0]);
			return 2;
		}
	}
	if (i >= argc || runs < 1) {
		fprintf(stderr, "usage: %s [-r RUNS] [-t MS] [--dump] FILE...\n", argv[0]);
		return 2;
	}
	size_t n = (size_t)(argc - i), bytes = 0;
	struct input *ins = kb_xcalloc(n, sizeof *ins);
	for (size_t k = 0; k < n; k++) {
		if (read_file(argv[i + (int)k], &ins[k]) != 0)
			return 1;
		bytes += ins[k].n;
	}
	if (dumping) {
		dump(ins, n);
	} else {
		struct kb_buf text = { 0 };
		size_t sink = 0;
		/* warm up, and find how many passes take min_ms */
		double t0 = now();
		size_t passes = 0;
		do {
			for (size_t k = 0; k < n; k++)
				sink += one(&ins[k], &text);
			passes++;
		} while ((now() - t0) * 1e3 < min_ms / 4);
		double per_pass = (now() - t0) / (double)passes;
		passes = (size_t)(min_ms / 1e3 / per_pass) + 1;

		double *us_article = kb_xcalloc((size_t)runs, sizeof *us_article);
		for (int r = 0; r < runs; r++) {
			t0 = now();
			for (size_t p = 0; p < passes; p++)
				for (size_t k = 0; k < n; k++)
					sink += one(&ins[k], &text);
			double dt = now() - t0;
			us_article[r] = dt * 1e6 / (double)(passes * n);
		}
		qsort(us_article, (size_t)runs, sizeof *us_article, cmp_double);
		double med = us_article[runs / 2];
		double kb_per_article = (double)bytes / 1024.0 / (double)n;
		printf("%zu files, %.1f KB each on average, %zu passes x %d runs\n", n,
		       kb_per_article, passes, runs);
		printf("median: %.2f us/article, %.2f us/KB (%.0f articles/s; %.1f us per 3 KB)\n",
		       med, med / kb_per_article, 1e6 / med, med / kb_per_article * 3);
		printf("min %.2f, max %.2f us/article%s\n", us_article[0], us_article[runs - 1],
		       sink ? "" : " (no output)");
		kb_buf_free(&text);
		free(us_article);
	}
	for (size_t k = 0; k < n; k++)
		free(ins[k].p);
	free(ins);
	return 0;
}
