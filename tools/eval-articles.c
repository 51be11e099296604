/* eval-articles.c - scores kb_extract's persons, places and organisations
 * on whole annotated articles (entity-level exact match, as conlleval).
 *
 * usage: eval-articles [-v] FILE...
 *
 * FILE holds articles separated by lines "%%".  An article is a headline
 * line, a blank line and the body (paragraphs separated by blank lines,
 * as the cache stores them); every mention is marked where it is written
 * as [PER text], [LOC text] or [ORG text].  The marks are taken out and
 * the article goes through kb_extract as the importer calls it, so the
 * score covers the tagger and the article-level consistency after it.
 * -v lists every miss and false alarm.  The model is found as kabar finds
 * it (KABAR_MODEL_DIR, else the installed or source tree's model).
 */
#include "config.h"

#include "kabar/extract.h"
#include "kabar/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PER, LOC, ORG, NTYPES };
static const char *const type_names[NTYPES] = { "PER", "LOC", "ORG" };
static const char *const kabar_types[NTYPES] = { "person", "place", "org" };

struct mark {
	int type;
	bool in_title;
	uint32_t start, end;
	bool matched;
};

struct counts {
	long gold[NTYPES], found[NTYPES], correct[NTYPES];
};

static int type_of(const char *s)
{
	for (int t = 0; t < NTYPES; t++)
		if (strncmp(s, type_names[t], 3) == 0 && s[3] == ' ')
			return t;
	return -1;
}

/* Takes the marks out of src[0..n): the clean text into *out, the marks
 * (offsets into the clean text) into m.  Returns -1 on a malformed mark. */
static int unmark(const char *src, size_t n, struct kb_buf *out, struct mark **m, size_t *nm,
		  size_t *cap)
{
	for (size_t i = 0; i < n; i++) {
		if (src[i] == ']')
			return -1;
		if (src[i] != '[') {
			kb_buf_addc(out, src[i]);
			continue;
		}
		int t = i + 4 < n ? type_of(src + i + 1) : -1;
		const char *close = t < 0 ? NULL : memchr(src + i, ']', n - i);
		if (!close || memchr(src + i + 1, '[', (size_t)(close - src) - i - 1))
			return -1;
		if (*nm == *cap)
			*m = kb_xrealloc(*m, (*cap = *cap ? *cap * 2 : 64) * sizeof **m);
		struct mark *k = &(*m)[(*nm)++];
		k->type = t;
		k->matched = false;
		k->start = (uint32_t)out->len;
		kb_buf_add(out, src + i + 5, (size_t)(close - src) - i - 5);
		k->end = (uint32_t)out->len;
		i = (size_t)(close - src);
	}
	return 0;
}

static void show(const char *what, int type, const char *text, uint32_t a, uint32_t b, bool title)
{
	printf("  %s %s %s\"%.*s\"\n", what, type_names[type], title ? "(title) " : "", (int)(b - a),
	       text + a);
}

/* Scores one article: title src[0..tn), body src[bs..n). */
static int score(const struct kb_extractor *ex, const char *art, size_t n, int verbose,
		 struct counts *c, const char *file, int index)
{
	const char *nl = memchr(art, '\n', n);
	size_t tn = nl ? (size_t)(nl - art) : n;
	size_t bs = nl ? tn + 1 : n;
	while (bs < n && (art[bs] == '\n' || art[bs] == ' '))
		bs++;
	size_t be = n;
	while (be > bs && (art[be - 1] == '\n' || art[be - 1] == ' '))
		be--;
	struct kb_buf title = { 0 }, body = { 0 };
	struct mark *m = NULL;
	size_t nm = 0, cap = 0, title_marks;
	if (unmark(art, tn, &title, &m, &nm, &cap) < 0) {
		fprintf(stderr, "%s: article %d: malformed mark in the headline\n", file, index);
		goto bad;
	}
	title_marks = nm;
	if (unmark(art + bs, be - bs, &body, &m, &nm, &cap) < 0) {
		fprintf(stderr, "%s: article %d: malformed mark\n", file, index);
		goto bad;
	}
	for (size_t i = 0; i < nm; i++) {
		m[i].in_title = i < title_marks;
		c->gold[m[i].type]++;
	}
	kb_buf_addc(&title, '\0');
	kb_buf_addc(&body, '\0');
	struct kb_extraction x = { 0 };
	kb_extract(ex, title.p, body.p, NULL, &x);
	if (verbose)
		printf("article %d: %s\n", index, title.p);
	for (size_t i = 0; i < x.n; i++) {
		int t = -1;
		for (int k = 0; k < NTYPES; k++)
			if (strcmp(x.m[i].type, kabar_types[k]) == 0)
				t = k;
		if (t < 0)
			continue;
		c->found[t]++;
		bool ok = false;
		for (size_t k = 0; k < nm && !ok; k++)
			if (!m[k].matched && m[k].type == t && m[k].in_title == x.m[i].in_title &&
			    m[k].start == x.m[i].start && m[k].end == x.m[i].end)
				ok = m[k].matched = true;
		if (ok)
			c->correct[t]++;
		else if (verbose)
			show("false", t, x.m[i].in_title ? title.p : body.p, x.m[i].start, x.m[i].end,
			     x.m[i].in_title);
	}
	for (size_t k = 0; k < nm && verbose; k++)
		if (!m[k].matched)
			show("missed", m[k].type, m[k].in_title ? title.p : body.p, m[k].start, m[k].end,
			     m[k].in_title);
	kb_extraction_free(&x);
	free(m);
	kb_buf_free(&title);
	kb_buf_free(&body);
	return 0;
bad:
	free(m);
	kb_buf_free(&title);
	kb_buf_free(&body);
	return -1;
}

static double f1(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static void report(const char *file, int articles, const struct counts *c)
{
	printf("%s (%d articles): kb_extract\n", file, articles);
	printf("  type  precision    recall        F1    gold\n");
	long g = 0, f = 0, k = 0;
	double macro = 0;
	for (int t = 0; t < NTYPES; t++) {
		double p = c->found[t] ? (double)c->correct[t] / (double)c->found[t] : 0;
		double r = c->gold[t] ? (double)c->correct[t] / (double)c->gold[t] : 0;
		printf("  %-4s  %9.4f %9.4f %9.4f %7ld\n", type_names[t], p, r, f1(p, r), c->gold[t]);
		macro += f1(p, r) / NTYPES;
		g += c->gold[t];
		f += c->found[t];
		k += c->correct[t];
	}
	double p = f ? (double)k / (double)f : 0, r = g ? (double)k / (double)g : 0;
	printf("  micro %9.4f %9.4f %9.4f %7ld\n", p, r, f1(p, r), g);
	printf("  macro %29.4f\n", macro);
}

int main(int argc, char **argv)
{
	int verbose = 0, i = 1;
	if (i < argc && strcmp(argv[i], "-v") == 0) {
		verbose = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: eval-articles [-v] FILE...\n");
		return 2;
	}
	char *err = NULL;
	struct kb_extractor *ex = kb_extractor_open(&err);
	if (!ex) {
		fprintf(stderr, "eval-articles: %s\n", err);
		free(err);
		return 1;
	}
	int rc = 0;
	for (; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		struct kb_buf all = { 0 };
		char line[8192];
		while (fgets(line, sizeof line, f))
			kb_buf_add(&all, line, strlen(line));
		fclose(f);
		struct counts c = { 0 };
		int articles = 0;
		const char *s = all.p ? all.p : "", *end = s + all.len;
		while (s < end) {
			const char *e = strstr(s, "\n%%\n");
			const char *stop = e ? e + 1 : end;
			if (strncmp(s, "%%\n", 3) == 0 && s == all.p)
				s += 3;
			size_t len = (size_t)(stop - s);
			if (len && score(ex, s, len, verbose, &c, argv[i], articles + 1) < 0)
				rc = 1;
			articles += len > 0;
			s = e ? e + 4 : end;
		}
		report(argv[i], articles, &c);
		kb_buf_free(&all);
	}
	kb_extractor_free(ex);
	return rc;
}
