/* kabar-train - trains the NER tagger (an averaged structured perceptron
 * over hashed features, Viterbi-decoded) and writes MODELDIR/ner.bin.
 *
 * usage: kabar-train [-gC] [-b BITS] [-e EPOCHS] [-n RUNS] [-s SEED] [-p PRUNE] [-k FOLDS] [-m N] [-r R]
 *                    [-K FINE] [-L COARSE] [-c MINCOUNT] [-x CONTEXTS] [-a CASEWEIGHT]
 *                    [-D DROPOUT] [-M MARGIN] [-O ORGCOST] [-d DEV]... MODELDIR TRAIN...
 *
 * The gazetteer lists (person.txt, place.txt, organization.txt,
 * places.tsv) are read from MODELDIR.  Each TRAIN file is a domain
 * (Daume's "frustratingly easy" adaptation): every feature has a weight
 * shared by all files and one for its own file, and the model stores one
 * table per domain (shared + own); the first file's is what kabar uses.
 * -g trains shared weights only; -n averages the weights of RUNS runs,
 * each over its own shuffles.  -d files are only scored after each
 * epoch (the k-th with the k-th domain), to choose the number of epochs;
 * they never update weights.  -K/-L/-c/-x/-a shape the word clusters
 * (add_clusters; -K 0: none).  -D, -M and -O are training variants that
 * were tried and not kept (doc/ner.md): leaving each feature out of a
 * step with probability DROPOUT, a cost added to every wrong tag while
 * decoding in training, and an extra one for missing an organisation.
 * With KB_FLOATEVAL set, the -d files are also scored with the float
 * weights (what int8 quantisation costs). */
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
 * become learnt cue words in g; with fold, only from the sentences not
 * of fold skip. */
static unsigned min_count = 3;
static double min_ratio = 0.3;
static void add_learnt_cues(struct kb_gaz *g, const struct nd_set *set, const unsigned *fold,
			    unsigned skip)
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
		if (fold && fold[k] == skip)
			continue;
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
	if (!fold)
		fprintf(stderr, "kabar-train: %zu learnt cue words\n", added);
	free(tab);
}

/* ---- word clusters -------------------------------------------------------
 * The words seen at least clus_min times in the training text are
 * clustered by their neighbours (spherical k-means, twice: clus_fine and
 * clus_coarse clusters).  A word is the vector of its left and right
 * neighbours (the clus_ctx most frequent words, else the neighbour's
 * kind: capitalised, lowercase, number, punctuation, sentence edge),
 * square roots of the counts, normalised, plus how often it is
 * capitalised away from the sentence start.  No labels are used. */
static unsigned clus_fine = 256, clus_coarse = 32, clus_min = 3, clus_ctx = 300;
static double clus_case = 0.7;

struct cword {
	uint64_t h;
	unsigned cnt, cap, mid; /* occurrences, capitalised ones not first, not first */
	int id;
};

static int cword_cmp(const void *a, const void *b)
{
	const struct cword *x = *(const struct cword *const *)a, *y = *(const struct cword *const *)b;
	if (x->cnt != y->cnt)
		return x->cnt > y->cnt ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

static size_t cword_find(struct cword *tab, size_t mask, uint64_t h)
{
	size_t x = (size_t)(h >> 20) & mask;
	while (tab[x].h && tab[x].h != h)
		x = (x + 1) & mask;
	return x;
}

/* The kind of a token that is no context word. */
static unsigned tok_kind(const char *w, size_t n)
{
	unsigned char c = (unsigned char)w[0];
	if (c >= 'A' && c <= 'Z')
		return 0;
	if (c >= '0' && c <= '9')
		return 2;
	if ((c >= 'a' && c <= 'z') || c >= 0x80)
		return 1;
	(void)n;
	return 3;
}

struct sparse {
	uint32_t *dim;
	float *val;
	unsigned nnz;
};

/* Spherical k-means of the vectors x[0..nv) (dimension dims) into k
 * clusters; assign receives each vector's cluster. */
static void kmeans(const struct sparse *x, size_t nv, size_t dims, unsigned k, unsigned *assign)
{
	float *cen = calloc((size_t)k * dims, sizeof *cen);
	uint64_t r = 0x2545f4914f6cdd1dULL;
	/* start from k vectors spread over the frequency order */
	for (unsigned c = 0; c < k; c++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		size_t v = (size_t)c * nv / k + (size_t)(r % (nv / k + 1));
		if (v >= nv)
			v = nv - 1;
		for (unsigned j = 0; j < x[v].nnz; j++)
			cen[(size_t)c * dims + x[v].dim[j]] = x[v].val[j];
	}
	unsigned *cnt = calloc(k, sizeof *cnt);
	for (int it = 0; it < 20; it++) {
		size_t moved = 0;
		for (size_t v = 0; v < nv; v++) {
			unsigned best = 0;
			float bs = -1;
			for (unsigned c = 0; c < k; c++) {
				const float *cc = cen + (size_t)c * dims;
				float sdot = 0;
				for (unsigned j = 0; j < x[v].nnz; j++)
					sdot += x[v].val[j] * cc[x[v].dim[j]];
				if (sdot > bs) {
					bs = sdot;
					best = c;
				}
			}
			moved += it == 0 || assign[v] != best;
			assign[v] = best;
		}
		if (!moved)
			break;
		memset(cen, 0, (size_t)k * dims * sizeof *cen);
		memset(cnt, 0, k * sizeof *cnt);
		for (size_t v = 0; v < nv; v++) {
			cnt[assign[v]]++;
			for (unsigned j = 0; j < x[v].nnz; j++)
				cen[(size_t)assign[v] * dims + x[v].dim[j]] += x[v].val[j];
		}
		for (unsigned c = 0; c < k; c++) {
			float *cc = cen + (size_t)c * dims;
			if (!cnt[c]) {
				/* an empty cluster takes a random vector */
				r ^= r << 13;
				r ^= r >> 7;
				r ^= r << 17;
				size_t v = (size_t)(r % nv);
				for (unsigned j = 0; j < x[v].nnz; j++)
					cc[x[v].dim[j]] = x[v].val[j];
				continue;
			}
			double nn = 0;
			for (size_t d = 0; d < dims; d++)
				nn += (double)cc[d] * cc[d];
			float inv = nn > 0 ? (float)(1 / sqrt(nn)) : 0;
			for (size_t d = 0; d < dims; d++)
				cc[d] *= inv;
		}
	}
	free(cen);
	free(cnt);
}

static void add_clusters(struct kb_ner *ner, const struct nd_set *set)
{
	size_t cap = 1 << 17, mask = cap - 1;
	struct cword *tab = calloc(cap, sizeof *tab);
	char buf[128];
	size_t bl;
	/* the one-token span hash of every token */
	uint64_t **hs = malloc(set->n * sizeof *hs);
	for (size_t k = 0; k < set->n; k++) {
		const struct nd_sent *s = &set->s[k];
		hs[k] = malloc(s->n * sizeof **hs);
		for (size_t i = 0; i < s->n; i++) {
			const char *w = s->text + s->toks[i].start;
			size_t n = s->toks[i].end - s->toks[i].start;
			uint64_t h = kb_span_next(KB_SPAN_SEED, kb_tok_lower(w, n, buf, &bl));
			hs[k][i] = h;
			size_t x = cword_find(tab, mask, h);
			tab[x].h = h;
			tab[x].cnt++;
			if (i > 0) {
				tab[x].mid++;
				tab[x].cap += w[0] >= 'A' && w[0] <= 'Z';
			}
		}
	}
	struct cword **ord = malloc(cap * sizeof *ord);
	size_t nw = 0;
	for (size_t x = 0; x < cap; x++)
		if (tab[x].h)
			ord[nw++] = &tab[x];
	qsort(ord, nw, sizeof *ord, cword_cmp);
	size_t nv = 0;
	while (nv < nw && ord[nv]->cnt >= clus_min)
		nv++;
	for (size_t v = 0; v < nw; v++)
		ord[v]->id = v < nv ? (int)v : -1;
	size_t half = clus_ctx + 5, dims = 2 * half + 2;
	float *dense = calloc(nv * dims, sizeof *dense);
	for (size_t k = 0; k < set->n; k++) {
		const struct nd_sent *s = &set->s[k];
		for (size_t i = 0; i < s->n; i++) {
			int id = tab[cword_find(tab, mask, hs[k][i])].id;
			if (id < 0)
				continue;
			for (int side = 0; side < 2; side++) {
				long j = (long)i + (side ? 1 : -1);
				size_t d;
				if (j < 0 || (size_t)j >= s->n) {
					d = clus_ctx + 4;
				} else {
					int cid = tab[cword_find(tab, mask, hs[k][j])].id;
					if (cid >= 0 && (size_t)cid < clus_ctx)
						d = (size_t)cid;
					else
						d = clus_ctx + tok_kind(s->text + s->toks[j].start,
									s->toks[j].end - s->toks[j].start);
				}
				dense[(size_t)id * dims + (size_t)side * half + d] += 1;
			}
		}
	}
	struct sparse *x = calloc(nv, sizeof *x);
	for (size_t v = 0; v < nv; v++) {
		float *row = dense + v * dims;
		double nn = 0;
		unsigned nnz = 0;
		for (size_t d = 0; d < 2 * half; d++) {
			row[d] = sqrtf(row[d]);
			nn += (double)row[d] * row[d];
			nnz += row[d] > 0;
		}
		double capr = ord[v]->mid ? (double)ord[v]->cap / ord[v]->mid : 0.5;
		float inv = nn > 0 ? (float)(1 / sqrt(nn)) : 0;
		for (size_t d = 0; d < 2 * half; d++)
			row[d] *= inv;
		row[2 * half] = (float)(clus_case * capr);
		row[2 * half + 1] = (float)(clus_case * (1 - capr));
		nnz += 2;
		nn = 0;
		for (size_t d = 0; d < dims; d++)
			nn += (double)row[d] * row[d];
		inv = (float)(1 / sqrt(nn));
		x[v].dim = malloc(nnz * sizeof *x[v].dim);
		x[v].val = malloc(nnz * sizeof *x[v].val);
		for (size_t d = 0; d < dims; d++)
			if (row[d] > 0) {
				x[v].dim[x[v].nnz] = (uint32_t)d;
				x[v].val[x[v].nnz++] = row[d] * inv;
			}
	}
	free(dense);
	unsigned *fine = calloc(nv + 1, sizeof *fine), *coarse = calloc(nv + 1, sizeof *coarse);
	if (nv > clus_fine && nv > clus_coarse) {
		kmeans(x, nv, dims, clus_fine, fine);
		kmeans(x, nv, dims, clus_coarse, coarse);
		kb_gaz_init(&ner->clus, nv);
		for (size_t v = 0; v < nv; v++)
			kb_gaz_add(&ner->clus, ord[v]->h,
				   (uint16_t)(KB_CLUS_SEEN | coarse[v] << 8 | fine[v]));
		fprintf(stderr, "kabar-train: %zu words in %u / %u clusters\n", nv, clus_fine,
			clus_coarse);
		if (getenv("KB_CLUSDUMP")) {
			/* the words of each fine cluster (needs their text) */
			for (size_t k = 0; k < set->n; k++) {
				const struct nd_sent *s = &set->s[k];
				for (size_t i = 0; i < s->n; i++) {
					struct cword *c = &tab[cword_find(tab, mask, hs[k][i])];
					if (c->id >= 0 && c->cnt != 0) {
						printf("%u\t%u\t%.*s\n", fine[c->id], c->cnt,
						       (int)(s->toks[i].end - s->toks[i].start),
						       s->text + s->toks[i].start);
						c->cnt = 0;
					}
				}
			}
		}
	}
	for (size_t v = 0; v < nv; v++) {
		free(x[v].dim);
		free(x[v].val);
	}
	free(x);
	free(fine);
	free(coarse);
	for (size_t k = 0; k < set->n; k++)
		free(hs[k]);
	free(hs);
	free(ord);
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

/* Scores set with float weights aw (one table, averaged): what the model
 * would do without int8 quantisation. */
static double evaluate_float(const float *aw, const struct nd_set *set, const struct prepared *p,
			     unsigned bits)
{
	struct nd_score sc = { 0 };
	uint32_t fb[KB_NER_MAXFEAT];
	for (size_t k = 0; k < set->n; k++) {
		size_t n = set->s[k].n;
		const struct kb_tokfeat *tf = p[k].tf;
		float *emit = calloc(n * KB_NER_ROW, sizeof *emit);
		float *trans = calloc(n * KB_NER_ROW * KB_NER_ROW, sizeof *trans);
		uint8_t *back = malloc(n * KB_NER_ROW), *pred = malloc(n);
		for (size_t i = 0; i < n; i++) {
			if (tf[i].skip) {
				for (int t = 1; t < KB_NTAGS; t++)
					emit[i * KB_NER_ROW + t] = -1e9f;
			} else {
				size_t nf = kb_ner_static(tf, n, i, bits, fb);
				for (size_t f = 0; f < nf; f++)
					for (int t = 0; t < KB_NTAGS; t++)
						emit[i * KB_NER_ROW + t] += aw[(size_t)fb[f] * KB_NER_ROW + t];
			}
			for (int q = 0; q < KB_NER_ROW; q++) {
				if ((i > 0) == (q == KB_TAG_BOS))
					continue;
				uint32_t b, bt;
				kb_ner_trans(NULL, 0, q, bits, &b);
				kb_ner_trans(tf, i, q, bits, &bt);
				float *tr = trans + (i * KB_NER_ROW + (size_t)q) * KB_NER_ROW;
				for (int t = 0; t < KB_NTAGS; t++)
					tr[t] += aw[(size_t)b * KB_NER_ROW + t] +
						 KB_TRANS_VALUE * aw[(size_t)bt * KB_NER_ROW + t];
			}
		}
		kb_viterbi(emit, trans, n, back, pred);
		nd_score_add(&sc, set->s[k].gold, pred, n);
		free(emit);
		free(trans);
		free(back);
		free(pred);
	}
	return nd_score_macro(&sc);
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
static double dropout = 0;   /* -D: probability of leaving a feature out of a step */
static float margin = 0;     /* -M: cost added to every wrong tag while training */
static float org_cost = 0;   /* -O: extra cost of missing an organisation */

static long train_sentence(struct model *m, const struct kb_tokfeat *tf, const uint8_t *gold,
			   size_t n, unsigned bits)
{
	float *emit = calloc(n * KB_NER_ROW, sizeof *emit);
	float *trans = calloc(n * KB_NER_ROW * KB_NER_ROW, sizeof *trans);
	uint8_t *back = malloc(n * KB_NER_ROW), *pred = malloc(n);
	uint32_t (*fbs)[KB_NER_MAXFEAT] = malloc(n * sizeof *fbs);
	size_t *nfs = malloc(n * sizeof *nfs);
	if (!emit || !trans || !back || !pred || !fbs || !nfs) {
		fprintf(stderr, "kabar-train: out of memory\n");
		exit(1);
	}
	uint64_t thr = (uint64_t)(dropout * 18446744073709551615.0);
	for (size_t i = 0; i < n; i++) {
		nfs[i] = 0;
		if (tf[i].skip) {
			/* surely O, as the tagger has it */
			for (int t = 1; t < KB_NTAGS; t++)
				emit[i * KB_NER_ROW + t] = -1e9f;
		} else {
			uint32_t fb[KB_NER_MAXFEAT];
			size_t nf = kb_ner_static(tf, n, i, bits, fb), kept = 0;
			for (size_t f = 0; f < nf; f++)
				if (!(dropout > 0 && f > 0 && next_rand() < thr))
					fbs[i][kept++] = fb[f];
			nfs[i] = kept;
			for (size_t f = 0; f < kept; f++)
				for (int t = 0; t < KB_NTAGS; t++)
					emit[i * KB_NER_ROW + t] += weight(m, fbs[i][f], t);
			for (int t = 0; t < KB_NTAGS; t++)
				if (t != gold[i])
					emit[i * KB_NER_ROW + t] +=
						margin + (gold[i] >= KB_TAG_BORG ? org_cost : 0);
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
			for (size_t f = 0; f < nfs[i]; f++) {
				update(m, fbs[i][f], gold[i], 1);
				update(m, fbs[i][f], pred[i], -1);
			}
		}
		update_trans(m, tf, i, gp, gold[i], 1, bits);
		update_trans(m, tf, i, pp, pred[i], -1, bits);
	}
	free(emit);
	free(trans);
	free(back);
	free(pred);
	free(fbs);
	free(nfs);
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
	while ((opt = getopt(argc, argv, "gb:e:s:p:d:n:k:Cm:r:D:M:O:K:L:c:x:a:")) != -1) {
		switch (opt) {
		case 'K':
			clus_fine = (unsigned)atoi(optarg);
			break;
		case 'L':
			clus_coarse = (unsigned)atoi(optarg);
			break;
		case 'c':
			clus_min = (unsigned)atoi(optarg);
			break;
		case 'x':
			clus_ctx = (unsigned)atoi(optarg);
			break;
		case 'a':
			clus_case = atof(optarg);
			break;
		case 'D':
			dropout = atof(optarg);
			break;
		case 'M':
			margin = (float)atof(optarg);
			break;
		case 'O':
			org_cost = (float)atof(optarg);
			break;
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
	if (clus_fine)
		add_clusters(ner, &train);
	/* with folds, the cue words are learnt like the names: each
	 * sentence sees those of the other folds */
	if (learn_cues && folds <= 1)
		add_learnt_cues(&ner->gaz, &train, NULL, 0);
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
			if (learn_cues)
				add_learnt_cues(&fner.gaz, &train, fold, f);
			for (size_t k = 0; k < train.n; k++) {
				if (fold[k] != f)
					continue;
				struct nd_set one = { .s = &train.s[k], .n = 1, .tokens = train.s[k].n };
				prepare_set(&fner, &one, &tp[k]);
			}
			kb_gaz_free(&fner.gaz);
		}
		free(fold);
		if (learn_cues)
			add_learnt_cues(&ner->gaz, &train, NULL, 0);
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
	if (getenv("KB_FLOATEVAL")) {
		float *aw = malloc(nw * sizeof *aw);
		for (int d = 0; d < ndev; d++) {
			unsigned dd = devp[d][0].domain;
			for (size_t k = 0; k < nw; k++)
				aw[k] = (float)(avg(w, u, c, k) + (ndom > 1 ? avg(w, u, c, (dd + 1) * nw + k) : 0));
			fprintf(stderr, "float %s %.4f\n", dev[d], evaluate_float(aw, &devs[d], devp[d], bits));
		}
		free(aw);
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
