/* decode.c - Viterbi decoding of the tagger's BIO tags: the trainer's in
 * floats, kb_ner_tag's in integers over the emission scores (features.c)
 * and the transitions of each token's class, and the country backoff. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ner-internal.h"
#include "tagger.h"

/* Writes the best tag path ending in tag last, from the back pointers. */
static void follow_back(const uint8_t *back, size_t n, int last, uint8_t *out)
{
	int t = last;
	for (size_t i = n; i-- > 0;) {
		out[i] = (uint8_t)t;
		if (i > 0)
			t = back[i * KB_NER_ROW + t];
	}
}

void kb_viterbi(const float *emit, const float *trans, size_t n, uint8_t *back, uint8_t *out)
{
	float cur[KB_NER_ROW], nxt[KB_NER_ROW];
	for (int t = 0; t < KB_NTAGS; t++)
		cur[t] = kb_tag_allowed(KB_TAG_BOS, t) ? emit[t] + trans[KB_TAG_BOS * KB_NER_ROW + t]
						       : -1e30f;
	for (size_t i = 1; i < n; i++) {
		const float *tr = trans + i * KB_NER_ROW * KB_NER_ROW;
		/* O and B-X may follow anything */
		for (int t = 0; t < KB_NTAGS; t += t ? 2 : 1) {
			float best = cur[0] + tr[t];
			int bp = 0;
			for (int p = 1; p < KB_NTAGS; p++) {
				float v = cur[p] + tr[p * KB_NER_ROW + t];
				if (v > best) {
					best = v;
					bp = p;
				}
			}
			nxt[t] = best + emit[i * KB_NER_ROW + t];
			back[i * KB_NER_ROW + t] = (uint8_t)bp;
		}
		/* I-X only B-X or I-X */
		for (int t = 2; t < KB_NTAGS; t += 2) {
			float vb = cur[t - 1] + tr[(t - 1) * KB_NER_ROW + t];
			float vi = cur[t] + tr[t * KB_NER_ROW + t];
			int bp = vi > vb ? t : t - 1;
			nxt[t] = (vi > vb ? vi : vb) + emit[i * KB_NER_ROW + t];
			back[i * KB_NER_ROW + t] = (uint8_t)bp;
		}
		memcpy(cur, nxt, sizeof cur);
	}
	int t = 0;
	for (int k = 1; k < KB_NTAGS; k++)
		if (cur[k] > cur[t])
			t = k;
	follow_back(back, n, t, out);
}
#define NEG (-(1 << 29))

/* Viterbi in integers over emit[n][KB_NER_ROW] and the transitions of each
 * token's class (kb_ner_set_weights: the BIO constraint is in them);
 * fixed[i] is the only tag position i may have, or KB_NTAGS for any.  The
 * loops over the 8 lanes are written for the compiler to vectorise. */
static void viterbi_int(const struct kb_ner *ner, const struct kb_tokfeat *tf, int32_t *emit,
			size_t n, uint8_t *fixed, uint8_t *back, uint8_t *out)
{
	int32_t cur[KB_NER_ROW];
	const int32_t(*tr)[KB_NER_ROW] = ner->trans[kb_trans_class(tf[0].flags)];
	for (int t = 0; t < KB_NER_ROW; t++)
		cur[t] = tr[KB_TAG_BOS][t] + emit[t];
	if (fixed[0] != KB_NTAGS)
		for (int t = 0; t < KB_NER_ROW; t++)
			cur[t] = t == fixed[0] ? cur[t] : NEG;
	bool single = false; /* only cur[0] is alive (after a skipped token) */
	for (size_t i = 1; i < n; i++) {
		unsigned cls = kb_trans_class(tf[i].flags);
		tr = ner->trans[cls];
		const int32_t *e = emit + i * KB_NER_ROW;
		uint8_t *bk = back + i * KB_NER_ROW;
		int fx = fixed[i];
		if (fx == KB_TAG_O) {
			/* a skipped token: one state */
			int32_t best = cur[0] + tr[0][0];
			int bp = 0;
			if (!single) {
				for (int p = 1; p < KB_NTAGS; p++) {
					int32_t v = cur[p] + tr[p][0];
					bp = v > best ? p : bp;
					best = v > best ? v : best;
				}
				for (int t = 1; t < KB_NER_ROW; t++)
					cur[t] = NEG;
				single = true;
			}
			cur[0] = best + e[0];
			bk[0] = (uint8_t)bp;
			continue;
		}
		int32_t nxt[KB_NER_ROW];
		if (single) {
			/* only O was alive: every tag follows it (the I- tags
			 * with the BIO constraint's score) */
			for (int t = 0; t < KB_NTAGS; t++) {
				nxt[t] = cur[0] + tr[0][t];
				bk[t] = 0;
			}
			single = false;
		} else {
			/* O and the B- tags may follow any tag: four lanes at once */
			const v4si *t4 = ner->trans4[cls];
			v4si best = (v4si){ cur[0], cur[0], cur[0], cur[0] } + t4[0], bp = { 0, 0, 0, 0 };
			for (int p = 1; p < KB_NTAGS; p++) {
				v4si v = (v4si){ cur[p], cur[p], cur[p], cur[p] } + t4[p];
				v4si m = v > best;
				best = (m & v) | (~m & best);
				bp = (m & (v4si){ p, p, p, p }) | (~m & bp);
			}
			static const int btag[4] = { KB_TAG_O, KB_TAG_BPER, KB_TAG_BLOC, KB_TAG_BORG };
			for (int k = 0; k < 4; k++) {
				nxt[btag[k]] = best[k];
				bk[btag[k]] = (uint8_t)bp[k];
			}
			/* an I- tag follows its B- or itself */
			for (int t = KB_TAG_IPER; t < KB_NTAGS; t += 2) {
				int32_t vb = cur[t - 1] + tr[t - 1][t], vi = cur[t] + tr[t][t];
				nxt[t] = vi > vb ? vi : vb;
				bk[t] = (uint8_t)(vi > vb ? t : t - 1);
			}
		}
		for (int t = 0; t < KB_NTAGS; t++) {
			int32_t v = nxt[t] + e[t];
			cur[t] = v < NEG ? NEG : v;
		}
		cur[KB_NTAGS] = NEG;
		if (fx != KB_NTAGS)
			for (int t = 0; t < KB_NER_ROW; t++)
				cur[t] = t == fx ? cur[t] : NEG;
	}
	int t = 0;
	for (int k = 1; k < KB_NTAGS; k++)
		if (cur[k] > cur[t])
			t = k;
	follow_back(back, n, t, out);
}

static bool backoff(const struct kb_tokfeat *tf, size_t n, uint8_t *tags);

void kb_ner_tag(const struct kb_ner *ner, const struct kb_tokfeat *tf, size_t n, uint8_t *tags,
		bool country_backoff)
{
	if (n == 0)
		return;
	enum { STACK = 256 };
	int32_t emit_s[STACK * KB_NER_ROW];
	uint8_t back_s[STACK * KB_NER_ROW], fixed_s[STACK];
	int32_t *emit = emit_s;
	uint8_t *back = back_s, *fixed = fixed_s;
	if (n > STACK) {
		emit = malloc(n * KB_NER_ROW * sizeof *emit);
		back = malloc(n * KB_NER_ROW);
		fixed = malloc(n);
		if (!emit || !back || !fixed) {
			memset(tags, KB_TAG_O, n);
			goto out;
		}
	}
	kb_ner_emissions(ner, tf, n, emit);
	for (size_t i = 0; i < n; i++)
		fixed[i] = tf[i].skip ? KB_TAG_O : KB_NTAGS;
	viterbi_int(ner, tf, emit, n, fixed, back, tags);
	if (country_backoff && backoff(tf, n, tags)) {
		/* decode again with the country names fixed as places, so
		 * that their neighbours see a place before them */
		for (size_t k = 0; k < n; k++)
			if (tags[k] == KB_TAG_BLOC || tags[k] == KB_TAG_ILOC)
				fixed[k] = tags[k];
		viterbi_int(ner, tf, emit, n, fixed, back, tags);
	}
out:
	if (n > STACK) {
		free(emit);
		free(back);
		free(fixed);
	}
}

/* Marks untagged country names as places; whether any was. */
static bool backoff(const struct kb_tokfeat *tf, size_t n, uint8_t *tags)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		size_t L = tf[i].country;
		if (!L || i + L > n)
			continue;
		bool untagged = true;
		for (size_t k = i; k < i + L && untagged; k++)
			untagged = tags[k] == KB_TAG_O;
		/* and no entity runs on into the name's end */
		if (!untagged || (i + L < n && tags[i + L] % 2 == 0 && tags[i + L] != KB_TAG_O))
			continue;
		for (size_t k = i; k < i + L; k++)
			tags[k] = k == i ? KB_TAG_BLOC : KB_TAG_ILOC;
		i += L - 1;
		any = true;
	}
	return any;
}
