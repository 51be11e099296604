/* eval-articles.c - scores what the reader shows (kb_extract: the tagger,
 * the shaping of its spans, the article-level consistency and the date
 * finder) beside the tagger alone (kb_ner_find, and kb_dates_find for
 * dates), per type, on whole articles of every dev set.
 *
 * usage: eval-articles [-v] [-g N] [-w] FILE...
 *
 * A FILE is one of:
 * - articles separated by lines "%%" (tests/data/ner-en-*.txt): a
 *   headline line, a blank line and the body (paragraphs separated by
 *   blank lines, as the cache stores them); every mention is marked where
 *   it is written as [PER text], [LOC text] or [ORG text];
 * - sentences, one token a line (NERGrit, idner-news-2k, UNER's .iob2;
 *   tools/ner/data.c reads them), grouped into articles: a new article at
 *   each "# newdoc" line when the file has them, else every N sentences
 *   (-g, 8).  An article has no headline; each sentence is a paragraph,
 *   its tokens joined by spaces;
 * - a date dev set (tests/data/dates-dev.tsv: text TAB anchor TAB
 *   "surface=ISO" | ...): each line is the body of an article published
 *   on the anchor (unknown for "-").
 *
 * Both systems see the same text: the tagger the headline and each
 * paragraph (as kb_extract hands them to it), the pipeline the article.
 * A mention found counts when a gold one of its type has the same bytes
 * (headline or body, start and end; each gold mention matches once); a
 * date also needs the same ISO value.  Types a set does not annotate are
 * not scored on it (dates on the NER sets, names on the date set).
 * Prints precision, recall and F1 per set and type, then one table of F1:
 * dev set x {tagger, pipeline} x {PER, LOC, ORG, DATE, macro}.  -v lists
 * the pipeline's misses and false alarms per article, -w writes the
 * articles of the sentence files as the "%%" format (what the pipeline
 * was given).  The model is found as kabar finds it (KABAR_MODEL_DIR,
 * else the installed or source tree's model).
 */
#include "config.h"

#include "kabar/dates.h"
#include "kabar/extract.h"
#include "kabar/ner.h"
#include "kabar/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/data.h"
#include "ner-internal.h"

enum { PER, LOC, ORG, DATE, NTYPES };
static const char *const type_names[NTYPES] = { "PER", "LOC", "ORG", "DATE" };
static const char *const kabar_types[NTYPES] = { "person", "place", "org", "date" };

struct mark {
	int type;
	bool in_title;
	uint32_t start, end;
	char iso[11]; /* DATE */
	bool matched;
};

struct article {
	struct kb_buf title, body;
	char published[11]; /* "" when unknown */
	struct mark *m;
	size_t nm, cap;
};

struct counts {
	long gold[NTYPES], found[NTYPES], correct[NTYPES];
};

struct set {
	char name[64];
	int articles;
	bool scored[NTYPES];
	struct counts tagger, pipe;
};

static void add_mark(struct article *a, int type, bool in_title, uint32_t start, uint32_t end,
		     const char *iso)
{
	if (a->nm == a->cap)
		a->m = kb_xrealloc(a->m, (a->cap = a->cap ? a->cap * 2 : 64) * sizeof *a->m);
	struct mark *k = &a->m[a->nm++];
	k->type = type;
	k->in_title = in_title;
	k->start = start;
	k->end = end;
	snprintf(k->iso, sizeof k->iso, "%s", iso ? iso : "");
	k->matched = false;
}

static void article_free(struct article *a)
{
	kb_buf_free(&a->title);
	kb_buf_free(&a->body);
	free(a->m);
	memset(a, 0, sizeof *a);
}

/* ---- the marked articles ------------------------------------------------ */

static int type_of(const char *s)
{
	for (int t = 0; t < DATE; t++)
		if (strncmp(s, type_names[t], 3) == 0 && s[3] == ' ')
			return t;
	return -1;
}

/* Takes the marks out of src[0..n): the clean text into *out, the marks
 * (offsets into the clean text) into a.  Returns -1 on a malformed mark. */
static int unmark(const char *src, size_t n, struct kb_buf *out, struct article *a, bool title)
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
		uint32_t start = (uint32_t)out->len;
		kb_buf_add(out, src + i + 5, (size_t)(close - src) - i - 5);
		add_mark(a, t, title, start, (uint32_t)out->len, NULL);
		i = (size_t)(close - src);
	}
	return 0;
}

/* One marked article art[0..n) into a; -1 when a mark is malformed. */
static int read_marked_one(const char *art, size_t n, struct article *a)
{
	const char *nl = memchr(art, '\n', n);
	size_t tn = nl ? (size_t)(nl - art) : n;
	size_t bs = nl ? tn + 1 : n;
	while (bs < n && (art[bs] == '\n' || art[bs] == ' '))
		bs++;
	size_t be = n;
	while (be > bs && (art[be - 1] == '\n' || art[be - 1] == ' '))
		be--;
	if (unmark(art, tn, &a->title, a, true) < 0 || unmark(art + bs, be - bs, &a->body, a, false) < 0)
		return -1;
	kb_buf_add(&a->title, "", 0); /* "" rather than NULL */
	kb_buf_add(&a->body, "", 0);
	return 0;
}

/* ---- the sentence files ------------------------------------------------- */

/* The gold entities of a sentence's BIO tags (conlleval: an entity starts
 * at B-X, or at I-X after something else) as marks, the sentence starting
 * at byte off of the body. */
static void sentence_marks(const struct nd_sent *s, size_t off, struct article *a)
{
	for (size_t i = 0; i < s->n;) {
		if (s->gold[i] == KB_TAG_O) {
			i++;
			continue;
		}
		int ty = (s->gold[i] - 1) / 2;
		size_t j = i + 1;
		while (j < s->n && s->gold[j] == 2 + 2 * ty)
			j++;
		add_mark(a, ty, false, (uint32_t)(off + s->toks[i].start),
			 (uint32_t)(off + s->toks[j - 1].end), NULL);
		i = j;
	}
}

/* The articles of a sentence file: *arts (malloc'd), their count. */
static size_t group_sentences(const struct nd_set *set, size_t per, struct article **arts)
{
	size_t n = 0, cap = 0;
	*arts = NULL;
	for (size_t k = 0; k < set->n; k++) {
		const struct nd_sent *s = &set->s[k];
		bool start = n == 0 || (set->docs ? s->newdoc : k % per == 0);
		if (start) {
			if (n == cap)
				*arts = kb_xrealloc(*arts, (cap = cap ? cap * 2 : 64) * sizeof **arts);
			memset(&(*arts)[n++], 0, sizeof **arts);
		}
		struct article *a = &(*arts)[n - 1];
		if (a->body.len)
			kb_buf_adds(&a->body, "\n\n");
		sentence_marks(s, a->body.len, a);
		kb_buf_adds(&a->body, s->text);
	}
	for (size_t k = 0; k < n; k++)
		kb_buf_add(&(*arts)[k].title, "", 0); /* no headline: "" */
	return n;
}

/* Writes a in the marked format. */
static void write_marked(const struct article *a)
{
	const char *b = a->body.p;
	uint32_t at = 0;
	printf("%s\n\n", a->title.p);
	for (size_t k = 0; k < a->nm; k++) {
		const struct mark *m = &a->m[k];
		printf("%.*s[%s %.*s]", (int)(m->start - at), b + at, type_names[m->type],
		       (int)(m->end - m->start), b + m->start);
		at = m->end;
	}
	printf("%s\n%%%%\n", b + at);
}

/* ---- the date set ------------------------------------------------------- */

/* A line "text TAB anchor TAB surface=ISO | ..." into a; -1 when it is
 * not one.  A surface is looked for after the previous one. */
static int read_date_line(char *line, struct article *a)
{
	char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	if (!t2)
		return -1;
	*t1 = *t2 = '\0';
	kb_buf_adds(&a->body, line);
	kb_buf_add(&a->title, "", 0); /* no headline: "" */
	if (strcmp(t1 + 1, "-") != 0)
		snprintf(a->published, sizeof a->published, "%s", t1 + 1);
	const char *from = line;
	for (char *e = t2 + 1; *e;) {
		char *next = strstr(e, " | ");
		if (next)
			*next = '\0';
		char *eq = strrchr(e, '=');
		if (eq) {
			*eq = '\0';
			const char *at = strstr(from, e);
			if (!at)
				at = strstr(line, e);
			if (!at) {
				fprintf(stderr, "eval-articles: \"%s\" is not in \"%s\"\n", e, line);
				return -1;
			}
			add_mark(a, DATE, false, (uint32_t)(at - line), (uint32_t)(at - line + strlen(e)),
				 eq + 1);
			from = at + strlen(e);
		}
		e = next ? next + 3 : e + strlen(e);
	}
	return 0;
}

/* ---- scoring ------------------------------------------------------------ */

static int kabar_type(const char *t)
{
	for (int k = 0; k < NTYPES; k++)
		if (strcmp(t, kabar_types[k]) == 0)
			return k;
	return -1;
}

static int ner_type(enum kb_ent_type t)
{
	return t == KB_ENT_PERSON ? PER : t == KB_ENT_PLACE ? LOC : t == KB_ENT_ORG ? ORG : -1;
}

static void show(const char *what, int type, const char *text, uint32_t a, uint32_t b, bool title)
{
	printf("  %s %s %s\"%.*s\"\n", what, type_names[type], title ? "(title) " : "", (int)(b - a),
	       text + a);
}

/* Counts a mention found: whether an unmatched gold mention is the same. */
static bool found(struct article *a, const struct set *st, struct counts *c, int type,
		  bool in_title, uint32_t start, uint32_t end, const char *iso)
{
	if (type < 0 || !st->scored[type])
		return true;
	c->found[type]++;
	for (size_t k = 0; k < a->nm; k++) {
		struct mark *m = &a->m[k];
		if (!m->matched && m->type == type && m->in_title == in_title && m->start == start &&
		    m->end == end && (type != DATE || strcmp(m->iso, iso) == 0)) {
			m->matched = true;
			c->correct[type]++;
			return true;
		}
	}
	return false;
}

static void reset_marks(struct article *a, struct counts *c)
{
	for (size_t k = 0; k < a->nm; k++) {
		a->m[k].matched = false;
		c->gold[a->m[k].type]++;
	}
}

/* The tagger alone: kb_ner_find on the headline and on each paragraph,
 * kb_dates_find on both with the publication date as anchor. */
static void score_tagger(const struct kb_ner *ner, struct kb_ner_cache *cache, struct article *a,
			 struct set *st)
{
	reset_marks(a, &st->tagger);
	for (int title = 1; title >= 0; title--) {
		const char *text = title ? a->title.p : a->body.p;
		size_t n = title ? a->title.len : a->body.len;
		for (size_t p = 0; p < n;) {
			const char *q = title ? NULL : strstr(text + p, "\n\n");
			size_t end = q ? (size_t)(q - text) : n;
			struct kb_span *sp;
			size_t ns = kb_ner_find_cached(ner, cache, text + p, end - p, &sp);
			for (size_t k = 0; k < ns; k++)
				found(a, st, &st->tagger, ner_type(sp[k].type), title,
				      (uint32_t)(p + sp[k].start), (uint32_t)(p + sp[k].end), NULL);
			free(sp);
			p = end + 2;
		}
		struct kb_date_mention *dm;
		size_t nd = kb_dates_find(text, n, a->published[0] ? a->published : NULL, &dm);
		for (size_t k = 0; k < nd; k++)
			found(a, st, &st->tagger, DATE, title, dm[k].start, dm[k].end, dm[k].iso);
		free(dm);
	}
}

/* The whole pipeline, as the importer calls it. */
static void score_pipeline(const struct kb_extractor *ex, struct article *a, struct set *st,
			   int verbose, int index)
{
	reset_marks(a, &st->pipe);
	struct kb_extraction x = { 0 };
	kb_extract(ex, a->title.p, a->body.p, a->published[0] ? a->published : NULL, &x);
	if (verbose)
		printf("article %d: %s\n", index, a->title.len ? a->title.p : "(no headline)");
	for (size_t i = 0; i < x.n; i++) {
		const struct kb_mention_in *m = &x.m[i];
		int t = kabar_type(m->type);
		if (!found(a, st, &st->pipe, t, m->in_title, m->start, m->end, m->key) && verbose)
			show("false", t, m->in_title ? a->title.p : a->body.p, m->start, m->end,
			     m->in_title);
	}
	for (size_t k = 0; k < a->nm && verbose; k++)
		if (!a->m[k].matched)
			show("missed", a->m[k].type, a->m[k].in_title ? a->title.p : a->body.p,
			     a->m[k].start, a->m[k].end, a->m[k].in_title);
	kb_extraction_free(&x);
}

static double f1(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static double type_f1(const struct counts *c, int t, double *p, double *r)
{
	*p = c->found[t] ? (double)c->correct[t] / (double)c->found[t] : 0;
	*r = c->gold[t] ? (double)c->correct[t] / (double)c->gold[t] : 0;
	return f1(*p, *r);
}

static double macro(const struct set *st, const struct counts *c)
{
	double m = 0, p, r;
	int n = 0;
	for (int t = 0; t < NTYPES; t++)
		if (st->scored[t]) {
			m += type_f1(c, t, &p, &r);
			n++;
		}
	return n ? m / n : 0;
}

static void report(const struct set *st, const char *path, const char *how)
{
	printf("%s (%d articles%s)\n", path, st->articles, how);
	printf("  type   tagger: P       R       F1    pipeline: P       R       F1     gold\n");
	for (int t = 0; t < NTYPES; t++) {
		if (!st->scored[t])
			continue;
		double tp, tr, pp, pr;
		double tf = type_f1(&st->tagger, t, &tp, &tr), pf = type_f1(&st->pipe, t, &pp, &pr);
		printf("  %-5s %14.4f %7.4f %7.4f %16.4f %7.4f %7.4f %7ld\n", type_names[t], tp, tr, tf,
		       pp, pr, pf, st->pipe.gold[t]);
	}
	printf("  macro %30.4f %32.4f\n", macro(st, &st->tagger), macro(st, &st->pipe));
}

static void table(const struct set *sets, size_t n)
{
	printf("\nF1 by dev set: the tagger alone | the whole pipeline (kb_extract)\n");
	printf("%-30s %5s |", "dev set", "art.");
	for (int sys = 0; sys < 2; sys++) {
		for (int t = 0; t < NTYPES; t++)
			printf("  %-5s", type_names[t]);
		printf("  %-5s |", "macro");
	}
	printf(" pipeline - tagger\n");
	for (size_t k = 0; k < n; k++) {
		const struct set *st = &sets[k];
		printf("%-30s %5d |", st->name, st->articles);
		for (int sys = 0; sys < 2; sys++) {
			const struct counts *c = sys ? &st->pipe : &st->tagger;
			for (int t = 0; t < NTYPES; t++) {
				double p, r;
				if (st->scored[t])
					printf("  %.3f", type_f1(c, t, &p, &r));
				else
					printf("  %-5s", "-");
			}
			printf("  %.3f |", macro(st, c));
		}
		printf(" %+.3f\n", macro(st, &st->pipe) - macro(st, &st->tagger));
	}
}

/* ---- reading the files -------------------------------------------------- */

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct kb_buf b = { 0 };
	char buf[65536];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		kb_buf_add(&b, buf, got);
	fclose(f);
	kb_buf_addc(&b, '\0');
	*n = b.len - 1;
	return kb_buf_steal(&b);
}

enum format { MARKED, SENTENCES, DATES };

/* What a file holds: marks or "%%" lines, else date lines (the second
 * field an anchor), else sentences. */
static enum format format_of(const char *s)
{
	if (strstr(s, "\n%%\n") || strstr(s, "[PER ") || strstr(s, "[LOC ") || strstr(s, "[ORG "))
		return MARKED;
	for (const char *l = s; *l;) {
		const char *e = strchr(l, '\n');
		size_t n = e ? (size_t)(e - l) : strlen(l);
		if (n && l[0] != '#') {
			const char *t1 = memchr(l, '\t', n);
			const char *t2 = t1 ? memchr(t1 + 1, '\t', n - (size_t)(t1 + 1 - l)) : NULL;
			if (t2 && !memchr(t2 + 1, '\t', n - (size_t)(t2 + 1 - l)) &&
			    ((t2 - t1 == 2 && t1[1] == '-') || (t2 - t1 == 11 && t1[5] == '-')))
				return DATES;
			return SENTENCES;
		}
		l = e ? e + 1 : l + n;
	}
	return SENTENCES;
}

/* The articles of path: *arts (malloc'd), their count, or -1. */
static long read_articles(const char *path, size_t per, struct article **arts, struct set *st,
			  char *how, size_t howsz)
{
	size_t len;
	char *all = slurp(path, &len);
	if (!all) {
		perror(path);
		return -1;
	}
	*arts = NULL;
	size_t n = 0, cap = 0;
	long rc = 0;
	enum format f = format_of(all);
	if (f == SENTENCES) {
		free(all);
		struct nd_set set = { 0 };
		if (nd_read(&set, path) != 0) {
			perror(path);
			return -1;
		}
		n = group_sentences(&set, per, arts);
		if (set.docs)
			snprintf(how, howsz, ", %zu sentences in their documents", set.n);
		else
			snprintf(how, howsz, ", %zu sentences, %zu to an article", set.n, per);
		nd_free(&set);
		for (int t = 0; t < DATE; t++)
			st->scored[t] = true;
		return (long)n;
	}
	for (char *s = all, *end = all + len; s < end && rc == 0;) {
		char *e = f == DATES ? strchr(s, '\n') : strstr(s, "\n%%\n");
		char *stop = e ? e + (f == MARKED) : end;
		if (f == MARKED && s == all && strncmp(s, "%%\n", 3) == 0)
			s += 3;
		size_t l = (size_t)(stop - s);
		if (l && !(f == DATES && s[0] == '#')) {
			if (n == cap)
				*arts = kb_xrealloc(*arts, (cap = cap ? cap * 2 : 64) * sizeof **arts);
			struct article *a = &(*arts)[n];
			memset(a, 0, sizeof *a);
			if (f == DATES) {
				*stop = '\0';
				rc = read_date_line(s, a);
			} else {
				rc = read_marked_one(s, l, a);
			}
			if (rc < 0)
				fprintf(stderr, "%s: article %zu: malformed\n", path, n + 1);
			n++;
		}
		s = e ? e + (f == DATES ? 1 : 4) : end;
	}
	free(all);
	if (f == DATES)
		st->scored[DATE] = true;
	else
		for (int t = 0; t < DATE; t++)
			st->scored[t] = true;
	if (rc < 0) {
		for (size_t k = 0; k < n; k++)
			article_free(&(*arts)[k]);
		free(*arts);
		*arts = NULL;
		return -1;
	}
	return (long)n;
}

/* "dir/file" of path: a set's name. */
static void set_name(const char *path, char *out, size_t n)
{
	const char *p = path + strlen(path), *slash = NULL;
	int seen = 0;
	while (p > path && seen < 2) {
		p--;
		if (*p == '/' && ++seen == 2)
			slash = p + 1;
	}
	snprintf(out, n, "%s", slash ? slash : path);
}

int main(int argc, char **argv)
{
	int verbose = 0, dump = 0, i = 1;
	size_t per = 8;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-w") == 0)
			dump = 1;
		else if (strcmp(argv[i], "-g") == 0 && i + 1 < argc && atoi(argv[i + 1]) > 0)
			per = (size_t)atoi(argv[++i]);
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: eval-articles [-v] [-g N] [-w] FILE...\n");
		return 2;
	}
	char *err = NULL;
	struct kb_extractor *ex = kb_extractor_open(&err);
	struct kb_ner *ner = ex ? kb_ner_load(kb_ner_default_dir(), &err) : NULL;
	struct kb_ner_cache *cache = kb_ner_cache_new();
	if (!ex || !ner || !cache) {
		fprintf(stderr, "eval-articles: %s\n", err ? err : "out of memory");
		free(err);
		kb_extractor_free(ex);
		kb_ner_free(ner);
		kb_ner_cache_free(cache);
		return 1;
	}
	int rc = 0;
	struct set *sets = kb_xmalloc((size_t)(argc - i) * sizeof *sets);
	size_t nsets = 0;
	for (; i < argc; i++) {
		struct set *st = &sets[nsets];
		memset(st, 0, sizeof *st);
		set_name(argv[i], st->name, sizeof st->name);
		struct article *arts;
		char how[128] = "";
		long n = read_articles(argv[i], per, &arts, st, how, sizeof how);
		if (n < 0) {
			rc = 1;
			continue;
		}
		for (long k = 0; k < n; k++) {
			if (dump) {
				write_marked(&arts[k]);
			} else {
				score_tagger(ner, cache, &arts[k], st);
				score_pipeline(ex, &arts[k], st, verbose, (int)k + 1);
			}
			article_free(&arts[k]);
		}
		free(arts);
		st->articles = (int)n;
		if (!dump)
			report(st, argv[i], how);
		nsets++;
	}
	if (!dump && nsets)
		table(sets, nsets);
	free(sets);
	kb_ner_cache_free(cache);
	kb_ner_free(ner);
	kb_extractor_free(ex);
	return rc;
}
