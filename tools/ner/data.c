/* data.c - reading the NER training and evaluation files, scoring. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "ner-internal.h"

static int map_tag(const char *t)
{
	if (strlen(t) < 3 || (t[0] != 'B' && t[0] != 'I') || t[1] != '-')
		return KB_TAG_O;
	const char *y = t + 2;
	int base;
	if (!strcmp(y, "PERSON") || !strcmp(y, "PER"))
		base = KB_TAG_BPER;
	else if (!strcmp(y, "PLACE") || !strcmp(y, "LOC"))
		base = KB_TAG_BLOC;
	else if (!strcmp(y, "ORGANISATION") || !strcmp(y, "ORG"))
		base = KB_TAG_BORG;
	else
		return KB_TAG_O;
	return t[0] == 'B' ? base : base + 1;
}

struct acc {
	bool newdoc; /* the sentence starts a document */
	char *text;
	size_t tlen, tcap;
	struct kb_token *toks;
	uint8_t *gold;
	size_t n, cap;
};

static int flush(struct nd_set *set, struct acc *a)
{
	if (a->n == 0)
		return 0;
	struct nd_sent *ns = realloc(set->s, (set->n + 1) * sizeof *ns);
	if (!ns)
		return -1;
	set->s = ns;
	struct nd_sent *s = &set->s[set->n++];
	s->text = a->text;
	s->toks = a->toks;
	s->gold = a->gold;
	s->n = a->n;
	s->newdoc = a->newdoc;
	set->tokens += a->n;
	memset(a, 0, sizeof *a);
	return 0;
}

/* Whether line is "index TAB token TAB tag TAB ..." (at least four
 * fields, the first a number): f[k] is where field k starts. */
static bool iob2_fields(char *line, char *f[4])
{
	f[0] = line;
	for (int k = 1; k < 4; k++) {
		char *t = strchr(f[k - 1], '\t');
		if (!t)
			return false;
		f[k] = t + 1;
	}
	size_t d = strspn(line, "0123456789");
	return d > 0 && line[d] == '\t';
}

int nd_read(struct nd_set *set, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[4096];
	struct acc a = { 0 };
	int rc = 0;
	while (fgets(line, sizeof line, f)) {
		size_t l = strlen(line);
		while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		char *tok = line + strspn(line, " \t");
		if (!*tok) {
			if (flush(set, &a) != 0) {
				rc = -1;
				break;
			}
			continue;
		}
		/* CoNLL-U style comments ("# sent_id = ...", "# newdoc id = ..."):
		 * "# " and " =", which no "token POS tag" line has */
		if (strncmp(line, "# ", 2) == 0 && strstr(line, " = ")) {
			if (strncmp(line, "# newdoc", 8) == 0) {
				if (flush(set, &a) != 0) {
					rc = -1;
					break;
				}
				a.newdoc = true;
				set->docs = true;
			}
			continue;
		}
		size_t tl = strcspn(tok, " \t");
		char *tag = tok + l - (size_t)(tok - line);
		char *field[4];
		if (iob2_fields(line, field)) {
			/* "index TAB token TAB tag TAB ..." (UNER) */
			tok = field[1];
			tl = (size_t)(field[2] - field[1] - 1);
			tag = field[2];
			tag[strcspn(tag, "\t")] = '\0';
		} else {
			while (tag > tok + tl && (tag[-1] == ' ' || tag[-1] == '\t'))
				*--tag = '\0';
			while (tag > tok + tl && tag[-1] != ' ' && tag[-1] != '\t')
				tag--;
		}
		if (tag <= tok + tl)
			tag = (char *)"O";
		if (a.n == a.cap) {
			a.cap = a.cap ? a.cap * 2 : 32;
			a.toks = realloc(a.toks, a.cap * sizeof *a.toks);
			a.gold = realloc(a.gold, a.cap);
		}
		if (a.tlen + tl + 2 > a.tcap) {
			a.tcap = (a.tlen + tl + 2) * 2;
			a.text = realloc(a.text, a.tcap);
		}
		if (!a.toks || !a.gold || !a.text) {
			rc = -1;
			break;
		}
		if (a.tlen)
			a.text[a.tlen++] = ' ';
		a.toks[a.n].start = (uint32_t)a.tlen;
		memcpy(a.text + a.tlen, tok, tl);
		a.tlen += tl;
		a.text[a.tlen] = '\0';
		a.toks[a.n].end = (uint32_t)a.tlen;
		a.gold[a.n] = (uint8_t)map_tag(tag);
		a.n++;
	}
	if (rc == 0)
		rc = flush(set, &a);
	free(a.text);
	free(a.toks);
	free(a.gold);
	fclose(f);
	return rc;
}

void nd_free(struct nd_set *set)
{
	for (size_t k = 0; k < set->n; k++) {
		free(set->s[k].text);
		free(set->s[k].toks);
		free(set->s[k].gold);
	}
	free(set->s);
	memset(set, 0, sizeof *set);
}

/* conlleval: an entity starts at B-X, or at I-X after something else */
struct ent {
	size_t a, b;
	int type;
};

static size_t entities(const uint8_t *t, size_t n, struct ent *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		if (t[i] == KB_TAG_O) {
			i++;
			continue;
		}
		int ty = (t[i] - 1) / 2;
		size_t j = i + 1;
		while (j < n && t[j] == 2 + 2 * ty)
			j++;
		out[k].a = i;
		out[k].b = j;
		out[k].type = ty;
		k++;
		i = j;
	}
	return k;
}

void nd_score_add(struct nd_score *sc, const uint8_t *gold, const uint8_t *pred, size_t n)
{
	struct ent *g = malloc(n * sizeof *g), *p = malloc(n * sizeof *p);
	if (!g || !p) {
		free(g);
		free(p);
		return;
	}
	size_t ng = entities(gold, n, g), np = entities(pred, n, p);
	for (size_t x = 0; x < np; x++) {
		bool hit = false;
		for (size_t y = 0; y < ng && !hit; y++)
			hit = g[y].a == p[x].a && g[y].b == p[x].b && g[y].type == p[x].type;
		if (hit)
			sc->tp[p[x].type]++;
		else
			sc->fp[p[x].type]++;
	}
	for (size_t y = 0; y < ng; y++) {
		bool hit = false;
		for (size_t x = 0; x < np && !hit; x++)
			hit = g[y].a == p[x].a && g[y].b == p[x].b && g[y].type == p[x].type;
		if (!hit)
			sc->fn[g[y].type]++;
	}
	free(g);
	free(p);
}

static double f1(long tp, long fp, long fn, double *pr, double *rc)
{
	*pr = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	*rc = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	return *pr + *rc > 0 ? 2 * *pr * *rc / (*pr + *rc) : 0;
}

double nd_score_macro(const struct nd_score *sc)
{
	double m = 0, pr, rc;
	for (int t = 0; t < 3; t++)
		m += f1(sc->tp[t], sc->fp[t], sc->fn[t], &pr, &rc);
	return m / 3;
}

double nd_score_print(const struct nd_score *sc, const char *title)
{
	static const char *names[3] = { "PER", "LOC", "ORG" };
	printf("%s\n  %-5s %9s %9s %9s %7s\n", title, "type", "precision", "recall", "F1", "gold");
	long tp = 0, fp = 0, fn = 0;
	for (int t = 0; t < 3; t++) {
		double pr, rc, f = f1(sc->tp[t], sc->fp[t], sc->fn[t], &pr, &rc);
		printf("  %-5s %9.4f %9.4f %9.4f %7ld\n", names[t], pr, rc, f, sc->tp[t] + sc->fn[t]);
		tp += sc->tp[t];
		fp += sc->fp[t];
		fn += sc->fn[t];
	}
	double pr, rc, f = f1(tp, fp, fn, &pr, &rc);
	printf("  %-5s %9.4f %9.4f %9.4f %7ld\n", "micro", pr, rc, f, tp + fn);
	double m = nd_score_macro(sc);
	printf("  %-5s %29.4f\n", "macro", m);
	return m;
}
