/* kabar-train - trains the NER tagger (an averaged structured perceptron
 * over hashed features, Viterbi-decoded) and writes MODELDIR/ner.bin.
 *
 * usage: kabar-train [-gC] [-b BITS] [-e EPOCHS] [-n RUNS] [-s SEED] [-p PRUNE] [-k FOLDS] [-m N] [-r R]
 *                    [-d DEV]... MODELDIR TRAIN...
 *
 * The gazetteer lists (person.txt, place.txt, organization.txt,
 * places.tsv) are read from MODELDIR.  Each TRAIN file is a domain
 * (Daume's "frustratingly easy" adaptation): every feature has a weight
 * shared by all files and one for its own file, and the model stores one
 * table per domain (shared + own); the first file's is what kabar uses.
 * -g trains shared weights only; -n averages the weights of RUNS runs,
 * each over its own shuffles.  -d files are only scored after each
 * epoch (the k-th with the k-th domain), to choose the number of epochs;
 * they never update weights. */
/* getopt, access, clock_gettime even when config.h does not ask for them */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data.h"
#include "ner-internal.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct prepared {
	struct kb_tokfeat *tf;
	struct kb_wtype *ty;
	unsigned domain;
};

static void prepare_set(const struct kb_ner *ner, const struct nd_set *set, struct prepared *p)
{
	for (size_t k = 0; k < set->n; k++) {
		const struct nd_sent *s = &set->s[k];
		p[k].tf = malloc(s->n * sizeof *p[k].tf);
		p[k].ty = malloc(s->n * sizeof *p[k].ty);
		if (!p[k].tf || !p[k].ty) {
			fprintf(stderr, "kabar-train: out of memory\n");
			exit(1);
		}
		kb_ner_prepare(ner, s->text, s->toks, s->n, p[k].ty, p[k].tf);
	}
}

static const uint16_t learnt_bits[3] = { KB_GAZ_TPER, KB_GAZ_TLOC, KB_GAZ_TORG };

/* Adds the gold entities of sentences [from, to) of set, except those of
 * fold skip (fold of sentence k: fold[k]), to g as learnt names. */
static void add_learnt(struct kb_gaz *g, const struct nd_set *set, const unsigned *fold,
		       unsigned skip)
{
	for (size_t k = 0; k < set->n; k++) {
		if (fold && fold[k] == skip)
			continue;
		const struct nd_sent *s = &set->s[k];
		for (size_t i = 0; i < s->n;) {
			if (s->gold[i] == KB_TAG_O) {
				i++;
				continue;
			}
			int ty = (s->gold[i] - 1) / 2;
			size_t j = i + 1;
			while (j < s->n && s->gold[j] == 2 + 2 * ty)
				j++;
			kb_gaz_add_tokens(g, s->text, s->toks + i, j - i, learnt_bits[ty]);
			i = j;
		}
	}
}

/* The words that start (end) at least min_count organisation or place
 * spans of set, at least min_ratio of their capitalised occurrences,
 * become learnt cue words in g. */
static unsigned min_count = 3;
static double min_ratio = 0.3;
static void add_learnt_cues(struct kb_gaz *g, const struct nd_set *set)
{
	/* counts per lowercase hash: [0] capitalised, [1..4] head/tail ORG/LOC */
	size_t cap = 1 << 17;
	struct cnt {
		uint64_t h;
		unsigned c[5];
	} *tab = calloc(cap, sizeof *tab);
	if (!tab)
		return;
	char buf[128];
	size_t bl;
	for (size_t k = 0; k < set->n; k++) {
		const struct nd_sent *s = &set->s[k];
		for (size_t i = 0; i < s->n; i++) {
			const char *w = s->text + s->toks[i].start;
			if (!(w[0] >= 'A' && w[0] <= 'Z'))
				continue;
			uint64_t h = kb_span_next(KB_SPAN_SEED,
						  kb_tok_lower(w, s->toks[i].end - s->toks[i].start, buf, &bl));
			size_t x = (size_t)(h >> 20) & (cap - 1);
			while (tab[x].h && tab[x].h != h)
				x = (x + 1) & (cap - 1);
			tab[x].h = h;
			tab[x].c[0]++;
			int g0 = s->gold[i];
			bool head = g0 == KB_TAG_BORG || g0 == KB_TAG_BLOC;
			bool tail = g0 != KB_TAG_O && (i + 1 == s->n || s->gold[i + 1] != (g0 % 2 ? g0 + 1 : g0));
			bool org = g0 == KB_TAG_BORG || g0 == KB_TAG_IORG;
			bool loc = g0 == KB_TAG_BLOC || g0 == KB_TAG_ILOC;
			if (head && org)
				tab[x].c[1]++;
			if (tail && org && g0 != KB_TAG_BORG)
				tab[x].c[2]++;
			if (head && loc)
				tab[x].c[3]++;
			if (tail && loc && g0 != KB_TAG_BLOC)
				tab[x].c[4]++;
		}
	}
	static const uint16_t bits[5] = { 0, KB_GAZ_LHEAD_ORG, KB_GAZ_LTAIL_ORG, KB_GAZ_LHEAD_LOC,
					   KB_GAZ_LTAIL_LOC };
	size_t added = 0;
	for (size_t x = 0; x < cap; x++)
		for (int c = 1; c < 5; c++)
			if (tab[x].h && tab[x].c[c] >= min_count &&
			    tab[x].c[c] >= min_ratio * tab[x].c[0]) {
				kb_gaz_add(g, tab[x].h, bits[c]);
				added++;
			}
	fprintf(stderr, "kabar-train: %zu learnt cue words\n", added);
	free(tab);
}

/* averaged weights of shared + domain d -> int16 in out */
static double avg(const float *w, const double *u, double c, size_t k)
{
	return w[k] - u[k] / c;
}

static double max_weight(const float *w, const double *u, double c, size_t nw, unsigned d,
			 unsigned ndom)
{
	double maxabs = 0;
	for (size_t k = 0; k < nw; k++) {
		double a = fabs(avg(w, u, c, k) + (ndom > 1 ? avg(w, u, c, (d + 1) * nw + k) : 0));
		if (a > maxabs)
			maxabs = a;
	}
	return maxabs > 0 ? maxabs : 1;
}

static void quantise(int8_t *out, const float *w, const double *u, double c, size_t nw,
		     unsigned d, unsigned ndom, double scale, double prune)
{
	for (size_t k = 0; k < nw; k++) {
		double a = avg(w, u, c, k) + (ndom > 1 ? avg(w, u, c, (d + 1) * nw + k) : 0);
		if (fabs(a) < prune)
			a = 0;
		long q = lrint(a * scale);
		out[k] = (int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
	}
}

static double evaluate(const struct kb_ner *ner, const struct nd_set *set,
		       const struct prepared *p, const char *title, bool print)
{
	struct nd_score sc = { 0 };
	for (size_t k = 0; k < set->n; k++) {
		uint8_t *pred = malloc(set->s[k].n);
		kb_ner_tag(ner, p[k].tf, set->s[k].n, pred, false);
		nd_score_add(&sc, set->s[k].gold, pred, set->s[k].n);
		free(pred);
	}
	return print ? nd_score_print(&sc, title) : nd_score_macro(&sc);
}

/* The weights being trained: shared ones at w[0..nw), each domain's
 * after them; u accumulates c * every update, for the average. */
struct model {
	float *w;
	double *u;
	double c;
	size_t dom; /* offset of this sentence's domain weights, or 0 */
};

static float weight(const struct model *m, uint32_t b, int t)
{
	size_t g = (size_t)b * KB_NER_ROW + (size_t)t;
	return m->w[g] + (m->dom ? m->w[m->dom + g] : 0);
}

static void update(struct model *m, uint32_t b, int t, float d)
{
	size_t g = (size_t)b * KB_NER_ROW + (size_t)t;
	m->w[g] += d;
	m->u[g] += d * m->c;
	if (m->dom) {
		m->w[m->dom + g] += d;
		m->u[m->dom + g] += d * m->c;
	}
}

static void update_trans(struct model *m, const struct kb_tokfeat *tf, size_t i, int prev,
			 int tag, float d, unsigned bits)
{
	uint32_t b;
	kb_ner_trans(NULL, 0, prev, bits, &b);
	update(m, b, tag, d);
	kb_ner_trans(tf, i, prev, bits, &b);
	update(m, b, tag, d * KB_TRANS_VALUE);
}

/* One structured-perceptron step: Viterbi with the current weights, then
 * the gold path's features up and the predicted path's down where they
 * differ.  Returns the tokens tagged wrong. */
static long train_sentence(struct model *m, const struct kb_tokfeat *tf, const uint8_t *gold,
			   size_t n, unsigned bits)
{
	float *emit = calloc(n * KB_NER_ROW, sizeof *emit);
	float *trans = calloc(n * KB_NER_ROW * KB_NER_ROW, sizeof *trans);
	uint8_t *back = malloc(n * KB_NER_ROW), *pred = malloc(n);
	uint32_t fb[KB_NER_MAXFEAT];
	if (!emit || !trans || !back || !pred) {
		fprintf(stderr, "kabar-train: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		if (tf[i].skip) {
			/* surely O, as the tagger has it */
			for (int t = 1; t < KB_NTAGS; t++)
				emit[i * KB_NER_ROW + t] = -1e9f;
		} else {
			size_t nf = kb_ner_static(tf, n, i, bits, fb);
			for (size_t f = 0; f < nf; f++)
				for (int t = 0; t < KB_NTAGS; t++)
					emit[i * KB_NER_ROW + t] += weight(m, fb[f], t);
		}
		for (int p = 0; p < KB_NER_ROW; p++) {
			if ((i > 0) == (p == KB_TAG_BOS))
				continue;
			uint32_t b, bt;
			kb_ner_trans(NULL, 0, p, bits, &b);
			kb_ner_trans(tf, i, p, bits, &bt);
			float *tr = trans + (i * KB_NER_ROW + (size_t)p) * KB_NER_ROW;
			for (int t = 0; t < KB_NTAGS; t++)
				tr[t] += weight(m, b, t) + KB_TRANS_VALUE * weight(m, bt, t);
		}
	}
	kb_viterbi(emit, trans, n, back, pred);
	long errors = 0;
	for (size_t i = 0; i < n; i++) {
		int gp = i ? gold[i - 1] : KB_TAG_BOS, pp = i ? pred[i - 1] : KB_TAG_BOS;
		if (gold[i] == pred[i] && gp == pp)
			continue;
		if (gold[i] != pred[i])
			errors++;
		if (gold[i] != pred[i] && !tf[i].skip) {
			size_t nf = kb_ner_static(tf, n, i, bits, fb);
			for (size_t f = 0; f < nf; f++) {
				update(m, fb[f], gold[i], 1);
				update(m, fb[f], pred[i], -1);
			}
		}
		update_trans(m, tf, i, gp, gold[i], 1, bits);
		update_trans(m, tf, i, pp, pred[i], -1, bits);
	}
	free(emit);
	free(trans);
	free(back);
	free(pred);
	return errors;
}

int main(int argc, char **argv)
{
	unsigned bits = 18;
	int epochs = 10;
	double prune = 0;
	const char *dev[8];
	int ndev = 0;
	bool shared_only = false;
	int runs = 1;
	unsigned folds = 10;
	bool learn_cues = true;
	int opt;
	while ((opt = getopt(argc, argv, "gb:e:s:p:d:n:k:Cm:r:")) != -1) {
		switch (opt) {
		case 'C':
			learn_cues = false;
			break;
		case 'm':
			min_count = (unsigned)atoi(optarg);
			break;
		case 'r':
			min_ratio = atof(optarg);
			break;
		case 'k':
			folds = (unsigned)atoi(optarg);
			break;
		case 'n':
			runs = atoi(optarg) > 0 ? atoi(optarg) : 1;
			break;
		case 'g':
			shared_only = true;
			break;
		case 'b':
			bits = (unsigned)atoi(optarg);
			break;
		case 'e':
			epochs = atoi(optarg);
			break;
		case 's':
			rng = strtoull(optarg, NULL, 10) * 2654435761ULL + 1;
			break;
		case 'p':
			prune = atof(optarg);
			break;
		case 'd':
			if (ndev < 8)
				dev[ndev++] = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind < 2) {
	usage:
		fprintf(stderr, "usage: kabar-train [-g] [-b BITS] [-e EPOCHS] [-n RUNS] [-s SEED] "
				"[-p PRUNE] [-k FOLDS] [-d DEV]... MODELDIR TRAIN...\n");
		return 2;
	}
	const char *dir = argv[optind];
	char *err;
	struct kb_ner *ner = kb_ner_new(bits, dir, &err);
	if (!ner) {
		fprintf(stderr, "kabar-train: %s\n", err);
		free(err);
		return 1;
	}
	fprintf(stderr, "kabar-train: gazetteer %zu entries, %zu place names\n", ner->gaz.count,
		ner->nplaces);
	struct nd_set train = { 0 };
	unsigned ndom = shared_only ? 1 : (unsigned)(argc - optind - 1);
	if (ndom > 8) {
		fprintf(stderr, "kabar-train: at most 8 training files\n");
		return 2;
	}
	unsigned *sent_dom = NULL;
	for (int k = optind + 1; k < argc; k++) {
		size_t before = train.n;
		if (nd_read(&train, argv[k]) != 0) {
			perror(argv[k]);
			return 1;
		}
		sent_dom = realloc(sent_dom, train.n * sizeof *sent_dom);
		for (size_t j = before; j < train.n; j++)
			sent_dom[j] = shared_only ? 0 : (unsigned)(k - optind - 1);
	}
	fprintf(stderr, "kabar-train: %zu sentences, %zu tokens\n", train.n, train.tokens);
	struct prepared *tp = calloc(train.n, sizeof *tp);
	if (learn_cues)
		add_learnt_cues(&ner->gaz, &train);
	if (folds > 1) {
		/* the names annotated in the training sets: each sentence sees
		 * those of the other folds (contiguous blocks, as documents
		 * are), the tagger all of them */
		unsigned *fold = malloc(train.n * sizeof *fold);
		for (size_t k = 0; k < train.n; k++)
			fold[k] = (unsigned)(k * folds / train.n);
		struct kb_ner fner = *ner;
		for (unsigned f = 0; f < folds; f++) {
			if (kb_gaz_copy(&fner.gaz, &ner->gaz) != 0) {
				fprintf(stderr, "kabar-train: out of memory\n");
				return 1;
			}
			add_learnt(&fner.gaz, &train, fold, f);
			for (size_t k = 0; k < train.n; k++) {
				if (fold[k] != f)
					continue;
				struct nd_set one = { &train.s[k], 1, train.s[k].n };
				prepare_set(&fner, &one, &tp[k]);
			}
			kb_gaz_free(&fner.gaz);
		}
		free(fold);
		size_t before = ner->gaz.count;
		add_learnt(&ner->gaz, &train, NULL, 0);
		fprintf(stderr, "kabar-train: %zu learnt name entries, %u folds\n",
			ner->gaz.count - before, folds);
	} else {
		prepare_set(ner, &train, tp);
	}
	struct nd_set devs[8] = { { 0 } };
	struct prepared *devp[8];
	for (int d = 0; d < ndev; d++) {
		if (nd_read(&devs[d], dev[d]) != 0) {
			perror(dev[d]);
			return 1;
		}
		devp[d] = calloc(devs[d].n, sizeof **devp);
		prepare_set(ner, &devs[d], devp[d]);
		for (size_t k = 0; k < devs[d].n; k++)
			devp[d][k].domain = (unsigned)d < ndom ? (unsigned)d : 0;
	}
	for (size_t k = 0; k < train.n; k++)
		tp[k].domain = sent_dom[k];
	free(sent_dom);

	size_t nw = (size_t)KB_NER_ROW << bits;
	size_t nall = nw * (ndom > 1 ? ndom + 1 : 1);
	float *w = calloc(nall, sizeof *w);
	double *u = calloc(nall, sizeof *u);
	int8_t *tables[8];
	for (unsigned d = 0; d < ndom; d++)
		if (!(tables[d] = malloc(nw * sizeof **tables)))
			return 1;
	size_t *order = malloc(train.n * sizeof *order);
	if (!w || !u || !order) {
		fprintf(stderr, "kabar-train: out of memory\n");
		return 1;
	}
	float *ens = runs > 1 ? calloc(nall, sizeof *ens) : NULL;
	if (runs > 1 && !ens)
		return 1;
	double c = 1;
	for (int run = 1; run <= runs; run++) {
	for (size_t k = 0; k < train.n; k++)
		order[k] = k;
	if (runs > 1) {
		memset(w, 0, nall * sizeof *w);
		memset(u, 0, nall * sizeof *u);
		c = 1;
		fprintf(stderr, "run %d\n", run);
	}
	for (int ep = 1; ep <= epochs; ep++) {
		for (size_t k = train.n; k > 1; k--) {
			size_t j = next_rand() % k, t = order[k - 1];
			order[k - 1] = order[j];
			order[j] = t;
		}
		long errors = 0;
		for (size_t o = 0; o < train.n; o++, c++) {
			const struct nd_sent *s = &train.s[order[o]];
			struct model m = { w, u, c, ndom > 1 ? (tp[order[o]].domain + 1) * nw : 0 };
			errors += train_sentence(&m, tp[order[o]].tf, s->gold, s->n, bits);
		}
		fprintf(stderr, "epoch %d: %ld errors (%.2f%%)", ep, errors,
			100.0 * (double)errors / (double)train.tokens);
		if (ndev) {
			for (int d = 0; d < ndev; d++) {
				unsigned dd = devp[d][0].domain;
				double scale = 127.0 / max_weight(w, u, c, nw, dd, ndom);
				quantise(ner->own, w, u, c, nw, dd, ndom, scale, prune);
				kb_ner_set_weights(ner, ner->own);
				fprintf(stderr, "  %s macro F1 %.4f", dev[d],
					evaluate(ner, &devs[d], devp[d], dev[d], false));
			}
		}
		fprintf(stderr, "\n");
	}
	if (runs > 1)
		for (size_t k = 0; k < nall; k++)
			ens[k] += (float)(avg(w, u, c, k) / runs);
	}
	if (runs > 1) {
		memcpy(w, ens, nall * sizeof *w);
		memset(u, 0, nall * sizeof *u);
		free(ens);
	}
	for (unsigned d = 0; d < ndom; d++) {
		/* int8, each table its own scale (the news one is recorded) */
		double scale = 127.0 / max_weight(w, u, c, nw, d, ndom);
		if (d == 0)
			ner->scale = (float)scale;
		quantise(tables[d], w, u, c, nw, d, ndom, scale, prune);
	}
	for (int d = 0; d < ndev; d++) {
		memcpy(ner->own, tables[devp[d][0].domain], nw * sizeof *ner->own);
		kb_ner_set_weights(ner, ner->own);
		evaluate(ner, &devs[d], devp[d], dev[d], true);
	}
	char *path = malloc(strlen(dir) + sizeof KB_NER_MODEL_FILE + 2);
	sprintf(path, "%s/%s", dir, KB_NER_MODEL_FILE);
	int rc = 0;
	if (kb_ner_save(ner, tables, ndom, path, &err) != 0) {
		fprintf(stderr, "kabar-train: %s\n", err);
		free(err);
		rc = 1;
	}
	free(path);
	for (size_t k = 0; k < train.n; k++) {
		free(tp[k].tf);
		free(tp[k].ty);
	}
	free(tp);
	for (int d = 0; d < ndev; d++) {
		for (size_t k = 0; k < devs[d].n; k++) {
			free(devp[d][k].tf);
			free(devp[d][k].ty);
		}
		free(devp[d]);
		nd_free(&devs[d]);
	}
	nd_free(&train);
	free(w);
	free(u);
	for (unsigned d = 0; d < ndom; d++)
		free(tables[d]);
	free(order);
	kb_ner_free(ner);
	return rc;
}
