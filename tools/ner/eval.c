/* kabar-eval - scores the NER model on annotated files (entity-level
 * exact match, as conlleval), and times it.
 *
 * usage: kabar-eval [-t TEXTFILE [-c N]] [-a DIR] [-x TEXT] [-v] MODELDIR FILE...
 *
 * The k-th FILE is tagged with the model's k-th domain (the weights
 * trained for the k-th training file; the first is the news domain kabar
 * uses), so give them in the order kabar-train had them.
 *
 * -t tags TEXTFILE (plain text) repeatedly through kb_ner_find and prints
 * tokens per second and microseconds per 3 KB.  -x TEXT prints the
 * entities found in TEXT (and the place keys of the places).  -c N runs
 * kb_ner_find over -t's file N times without timing (for callgrind).
 * -a DIR reads every regular file under DIR (bench/gen's articles, one
 * level of subdirectories) and runs kb_ner_find once on each, without
 * timing: run it under callgrind and divide kb_ner_find's inclusive cost
 * by the article count it prints. */
/* getopt, access, clock_gettime even when config.h does not ask for them */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "data.h"
#include "ner-internal.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Times kb_ner_find over the file (batches of about 20 ms, 30 of them:
 * the median and the fastest, as the machine may be shared) and loading
 * the model from dir. */
static int speed(const struct kb_ner *ner, const char *dir, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	struct kb_token *toks;
	size_t nt = kb_tokenize(buf, n, &toks);
	free(toks);
	size_t spans = 0;
	enum { BATCHES = 30 };
	double per[BATCHES];
	int reps = 1;
	for (int b = -1; b < BATCHES; b++) {
		double t0 = now();
		for (int r = 0; r < reps; r++) {
			struct kb_span *sp;
			spans = kb_ner_find(ner, buf, n, &sp);
			free(sp);
		}
		double t = now() - t0;
		if (b < 0) { /* calibrate the batch size */
			reps = t > 0 ? (int)(0.02 / t) + 1 : 100;
			continue;
		}
		per[b] = t / reps;
	}
	qsort(per, BATCHES, sizeof *per, cmp_double);
	double med = per[BATCHES / 2], best = per[0];
	printf("speed: %zu bytes, %zu tokens, %zu entities; median %.0f tokens/s, %.1f us per 3 KB "
	       "(fastest %.1f us)\n",
	       n, nt, spans, (double)nt / med, med * 1e6 * 3072.0 / (double)n,
	       best * 1e6 * 3072.0 / (double)n);
	double lt[5];
	char *err;
	for (int k = 0; k < 5; k++) {
		double l0 = now();
		struct kb_ner *m = kb_ner_load(dir, &err);
		lt[k] = now() - l0;
		if (!m) {
			fprintf(stderr, "kabar-eval: %s\n", err);
			free(err);
			return 1;
		}
		kb_ner_free(m);
	}
	qsort(lt, 5, sizeof *lt, cmp_double);
	printf("load: median %.2f ms\n", lt[2] * 1e3);
	return 0;
}

/* Prints a sentence whose tags differ from the gold ones: each token
 * with gold/predicted tags where they differ. */
static void show_errors(const struct nd_sent *s, const uint8_t *pred)
{
	static const char *tn[] = { "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG" };
	if (memcmp(s->gold, pred, s->n) == 0)
		return;
	for (size_t k = 0; k < s->n; k++) {
		printf("%.*s", (int)(s->toks[k].end - s->toks[k].start), s->text + s->toks[k].start);
		if (s->gold[k] != pred[k])
			printf("[%s/%s]", tn[s->gold[k]], tn[pred[k]]);
		else if (s->gold[k])
			printf("[%s]", tn[s->gold[k]]);
		putchar(k + 1 < s->n ? ' ' : '\n');
	}
}

/* The tokens whose emission scores (the tagger's, from cached word-type
 * row sums) are not the sum of the rows of kb_ner_static's buckets, which
 * the trainer uses. */
static size_t check_emission(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (tf[i].skip)
			continue;
		uint32_t fb[KB_NER_MAXFEAT];
		int32_t want[KB_NER_ROW] = { 0 }, got[KB_NER_ROW];
		size_t nf = kb_ner_static(tf, n, i, ner->bits, fb);
		for (size_t f = 0; f < nf; f++)
			for (int t = 0; t < KB_NER_ROW; t++)
				want[t] += ner->w[(size_t)fb[f] * KB_NER_ROW + t];
		kb_ner_emission(ner, tf, n, i, got);
		bad += memcmp(want, got, sizeof got) != 0;
	}
	return bad;
}

/* Runs kb_ner_find over the file count times (instruction counts). */
static int repeat(const struct kb_ner *ner, const char *path, int count)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f), spans = 0;
	fclose(f);
	for (int r = 0; r < count; r++) {
		struct kb_span *sp;
		spans = kb_ner_find(ner, buf, n, &sp);
		free(sp);
	}
	printf("%d runs, %zu entities\n", count, spans);
	return 0;
}

struct article {
	char *text;
	size_t n;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the regular files under dir (and its subdirectories, depth
 * levels deep), in name order. */
static void read_dir(const char *dir, int depth, struct article **arts, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t nn = 0, nc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (nn == nc) {
			nc = nc ? nc * 2 : 64;
			names = realloc(names, nc * sizeof *names);
		}
		size_t l = strlen(dir) + strlen(e->d_name) + 2;
		names[nn] = malloc(l);
		snprintf(names[nn], l, "%s/%s", dir, e->d_name);
		nn++;
	}
	closedir(d);
	if (nn)
		qsort(names, nn, sizeof *names, name_cmp);
	for (size_t k = 0; k < nn; k++) {
		struct stat st;
		if (stat(names[k], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth > 0)
				read_dir(names[k], depth - 1, arts, n, cap);
		} else if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
			FILE *f = fopen(names[k], "rb");
			char *buf = f ? malloc((size_t)st.st_size + 1) : NULL;
			size_t got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
			if (f)
				fclose(f);
			if (buf) {
				if (*n == *cap) {
					*cap = *cap ? *cap * 2 : 256;
					*arts = realloc(*arts, *cap * sizeof **arts);
				}
				(*arts)[*n].text = buf;
				(*arts)[*n].n = got;
				(*n)++;
			}
		}
		free(names[k]);
	}
	free(names);
}

/* kb_ner_find once on each article under dir (instruction counts). */
static int articles(const struct kb_ner *ner, const char *dir)
{
	struct article *arts = NULL;
	size_t n = 0, cap = 0, bytes = 0, tokens = 0, spans = 0;
	read_dir(dir, 1, &arts, &n, &cap);
	if (n == 0) {
		fprintf(stderr, "kabar-eval: no files under %s\n", dir);
		return 1;
	}
	for (size_t k = 0; k < n; k++) {
		struct kb_token *toks;
		tokens += kb_tokenize(arts[k].text, arts[k].n, &toks);
		free(toks);
		bytes += arts[k].n;
	}
	for (size_t k = 0; k < n; k++) {
		struct kb_span *sp;
		spans += kb_ner_find(ner, arts[k].text, arts[k].n, &sp);
		free(sp);
	}
	printf("%zu articles, %zu bytes, %zu tokens, %zu entities\n", n, bytes, tokens, spans);
	for (size_t k = 0; k < n; k++)
		free(arts[k].text);
	free(arts);
	return 0;
}

int main(int argc, char **argv)
{
	const char *text = NULL, *show = NULL, *adir = NULL;
	int opt, count = 0;
	bool verbose = false;
	while ((opt = getopt(argc, argv, "t:x:c:va:")) != -1) {
		if (opt == 'a') {
			adir = optarg;
		} else if (opt == 'v') {
			verbose = true;
		} else if (opt == 'c') {
			count = atoi(optarg);
		} else if (opt == 't') {
			text = optarg;
		} else if (opt == 'x') {
			show = optarg;
		} else {
			fprintf(stderr, "usage: kabar-eval [-t TEXTFILE [-c N]] [-a DIR] [-x TEXT] [-v] MODELDIR FILE...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: kabar-eval [-t TEXTFILE [-c N]] [-a DIR] [-x TEXT] [-v] MODELDIR FILE...\n");
		return 2;
	}
	char *err;
	struct kb_ner *ner = kb_ner_load(argv[optind], &err);
	if (!ner) {
		fprintf(stderr, "kabar-eval: %s\n", err);
		free(err);
		return 1;
	}
	int rc = 0;
	for (int a = optind + 1; a < argc; a++) {
		/* the k-th file is scored with the k-th domain's weights */
		unsigned dom = (unsigned)(a - optind - 1);
		if (dom > 0 && dom < ner->ndomains) {
			struct kb_ner *m = kb_ner_load_domain(argv[optind], dom, &err);
			if (!m) {
				fprintf(stderr, "kabar-eval: %s\n", err);
				free(err);
				rc = 1;
				continue;
			}
			kb_ner_free(ner);
			ner = m;
		}
		struct nd_set set = { 0 };
		if (nd_read(&set, argv[a]) != 0) {
			perror(argv[a]);
			rc = 1;
			continue;
		}
		struct nd_score sc = { 0 }, bo = { 0 };
		size_t mismatch = 0;
		for (size_t k = 0; k < set.n; k++) {
			const struct nd_sent *s = &set.s[k];
			struct kb_tokfeat *tf = malloc(s->n * sizeof *tf);
			struct kb_wtype *ty = malloc(s->n * sizeof *ty);
			uint8_t *pred = malloc(s->n);
			kb_ner_prepare(ner, s->text, s->toks, s->n, ty, tf);
			kb_ner_tag(ner, tf, s->n, pred, false);
			nd_score_add(&sc, s->gold, pred, s->n);
			mismatch += check_emission(ner, tf, s->n);
			if (verbose)
				show_errors(s, pred);
			kb_ner_tag(ner, tf, s->n, pred, true);
			nd_score_add(&bo, s->gold, pred, s->n);
			free(tf);
			free(ty);
			free(pred);
		}
		char title[1024];
		snprintf(title, sizeof title, "%s (%zu sentences, %zu tokens): the tagger", argv[a],
			 set.n, set.tokens);
		nd_score_print(&sc, title);
		if (mismatch) {
			printf("  ERROR: %zu tokens whose cached emission scores differ from "
			       "kb_ner_static's\n", mismatch);
			rc = 1;
		}
		printf("  with kb_ner_find's country backoff: macro F1 %.4f\n", nd_score_macro(&bo));
		nd_free(&set);
	}
	if (text) {
		/* kabar's own weights (the news domain) */
		kb_ner_free(ner);
		ner = kb_ner_load(argv[optind], &err);
		if (!ner) {
			fprintf(stderr, "kabar-eval: %s\n", err);
			free(err);
			return 1;
		}
		rc |= count > 0 ? repeat(ner, text, count) : speed(ner, argv[optind], text);
	}
	if (adir)
		rc |= articles(ner, adir);
	if (show) {
		static const char *types[] = { "-", "PERSON", "PLACE", "ORG", "DATE" };
		struct kb_span *sp;
		size_t ns = kb_ner_find(ner, show, strlen(show), &sp);
		for (size_t k = 0; k < ns; k++) {
			char key[64] = "";
			if (sp[k].type == KB_ENT_PLACE)
				kb_ner_place_key(ner, show + sp[k].start, sp[k].end - sp[k].start, key,
						 sizeof key);
			printf("%-6s %.*s %s\n", types[sp[k].type], (int)(sp[k].end - sp[k].start),
			       show + sp[k].start, key);
		}
		free(sp);
	}
	kb_ner_free(ner);
	return rc;
}
