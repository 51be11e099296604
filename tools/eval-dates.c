/* eval-dates.c - scores kb_dates_find on a dev set.
 *
 * usage: eval-dates [-v] [--bench] FILE.tsv
 *
 * Each line of FILE is: text TAB anchor (YYYY-MM-DD or -) TAB expected
 * mentions as "surface=ISO" joined by " | " (empty when none); lines
 * starting with # are comments.  Prints precision, recall and F1 over
 * (surface text, ISO value) pairs; -v lists every miss and false alarm.
 * --bench also times kb_dates_find on 3 KB texts made of the dev lines
 * (about 60 dates each, far denser than news); --text FILE times it on
 * 3 KB pieces of FILE instead.
 */
#include "config.h"

#include "kabar/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXM 32

struct pair {
	char s[256];
	char iso[11];
	bool used;
};

static size_t parse_expected(char *e, struct pair *p)
{
	size_t n = 0;
	while (e && *e && n < MAXM) {
		char *next = strstr(e, " | ");
		if (next) {
			*next = '\0';
			next += 3;
		}
		char *eq = strrchr(e, '=');
		if (eq) {
			*eq = '\0';
			snprintf(p[n].s, sizeof p[n].s, "%s", e);
			snprintf(p[n].iso, sizeof p[n].iso, "%s", eq + 1);
			p[n].used = false;
			n++;
		}
		e = next;
	}
	return n;
}

static double now(void)
{
	struct timespec ts;
	timespec_get(&ts, TIME_UTC);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bench(char **texts, size_t nt)
{
	/* 3 KB articles glued from the dev sentences */
	enum { ART = 3072, NART = 64 };
	char *arts = malloc((size_t)NART * (ART + 1));
	size_t k = 0;
	for (int a = 0; a < NART; a++) {
		char *p = arts + (size_t)a * (ART + 1);
		size_t len = 0;
		while (len < ART) {
			const char *t = texts[k++ % nt];
			size_t l = strlen(t);
			if (len + l + 1 > ART)
				l = ART - len - 1;
			memcpy(p + len, t, l);
			len += l;
			p[len++] = ' ';
		}
		p[ART] = '\0';
	}
	size_t found = 0;
	int rounds = 50;
	double best = 1e9;
	for (int rep = 0; rep < 9; rep++) { /* the best of 9: the machine is shared */
		found = 0;
		double t0 = now();
		for (int r = 0; r < rounds; r++)
			for (int a = 0; a < NART; a++) {
				struct kb_date_mention *m;
				found += kb_dates_find(arts + (size_t)a * (ART + 1), ART,
						       "2024-11-29", &m);
				free(m);
			}
		double dt = now() - t0;
		if (dt < best)
			best = dt;
	}
	double per = best / ((double)rounds * NART);
	printf("speed: %.2f us per 3 KB article (%.0f articles/s, %.1f MB/s, %zu dates)\n",
	       per * 1e6, 1 / per, ART / per / 1e6, found / (size_t)rounds);
	free(arts);
}

int main(int argc, char **argv)
{
	bool verbose = false, do_bench = false;
	const char *path = NULL, *textfile = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--text") == 0 && i + 1 < argc)
			textfile = argv[++i], do_bench = true;
		else if (strcmp(argv[i], "-v") == 0)
			verbose = true;
		else if (strcmp(argv[i], "--bench") == 0)
			do_bench = true;
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: eval-dates [-v] [--bench] FILE.tsv\n");
		return 2;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 2;
	}
	char line[4096];
	size_t tp = 0, fp = 0, fn = 0, lines = 0, ntexts = 0;
	char **texts = NULL;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *t1 = strchr(line, '\t');
		char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2) {
			fprintf(stderr, "%s: bad line: %s\n", path, line);
			continue;
		}
		*t1 = *t2 = '\0';
		const char *text = line, *anchor = t1 + 1;
		if (strcmp(anchor, "-") == 0)
			anchor = NULL;
		struct pair exp[MAXM];
		size_t ne = parse_expected(t2 + 1, exp);
		lines++;
		texts = realloc(texts, (ntexts + 1) * sizeof *texts);
		texts[ntexts] = malloc(strlen(text) + 1);
		strcpy(texts[ntexts++], text);

		struct kb_date_mention *m;
		size_t nm = kb_dates_find(text, strlen(text), anchor, &m);
		for (size_t i = 0; i < nm; i++) {
			char s[256];
			size_t l = m[i].end - m[i].start;
			if (l >= sizeof s)
				l = sizeof s - 1;
			memcpy(s, text + m[i].start, l);
			s[l] = '\0';
			bool hit = false;
			for (size_t j = 0; j < ne && !hit; j++)
				if (!exp[j].used && strcmp(exp[j].s, s) == 0 &&
				    strcmp(exp[j].iso, m[i].iso) == 0)
					exp[j].used = hit = true;
			if (hit) {
				tp++;
			} else {
				fp++;
				if (verbose)
					printf("FALSE  %s=%s\t[%s]\n", s, m[i].iso, text);
			}
		}
		for (size_t j = 0; j < ne; j++)
			if (!exp[j].used) {
				fn++;
				if (verbose)
					printf("MISSED %s=%s\t[%s]\n", exp[j].s, exp[j].iso, text);
			}
		free(m);
	}
	fclose(f);
	double p = tp + fp ? (double)tp / (tp + fp) : 1, r = tp + fn ? (double)tp / (tp + fn) : 1;
	double f1 = p + r > 0 ? 2 * p * r / (p + r) : 0;
	printf("%zu lines, %zu expected, %zu found, %zu correct\n", lines, tp + fn, tp + fp, tp);
	printf("precision %.3f  recall %.3f  F1 %.3f\n", p, r, f1);
	if (textfile) {
		FILE *tf = fopen(textfile, "r");
		if (!tf) {
			perror(textfile);
			return 2;
		}
		for (size_t i = 0; i < ntexts; i++)
			free(texts[i]);
		ntexts = 0;
		char para[4096];
		while (fgets(para, sizeof para, tf)) {
			texts = realloc(texts, (ntexts + 1) * sizeof *texts);
			texts[ntexts] = malloc(strlen(para) + 1);
			strcpy(texts[ntexts++], para);
		}
		fclose(tf);
	}
	if (do_bench && ntexts)
		bench(texts, ntexts);
	for (size_t i = 0; i < ntexts; i++)
		free(texts[i]);
	free(texts);
	return 0;
}
