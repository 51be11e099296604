/* tagger.c - kb_ner_find: a text's tokens into sentences, their word
 * types (from the cache), the tags of each sentence (decode.c) with the
 * family name rule after them, and the spans. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ner-internal.h"
#include "tagger.h"

/* Whether token k may be a given name after a family name. */
static bool given_name(const struct kb_tokfeat *t)
{
	return (t->flags & KB_TF_CAP) && !(t->flags & (KB_TF_ALLCAPS | KB_TF_DIGIT | KB_TF_PUNCT)) &&
	       !(t->ty->cue & ((1u << KB_CUE_NCLASS) - 1)) && !t->country;
}

static bool is_tag(int tag, int base)
{
	return tag == base || tag == base + 1;
}

/* East Asian names the tagger cuts short, runs on or misses: a common family name
 * (KB_CUE_FAMILY) just before a person ("Menteri Luar Negeri Kim [Sol
 * Mi]") joins it; one followed by one or two given names right after a
 * country name or a title ("Korea Selatan Park Ji-ho", "Menteri Kang Su
 * Min") becomes a person, cutting the place or organisation it was
 * swallowed by. */
static void family_names(const struct kb_tokfeat *tf, size_t n, uint8_t *tags)
{
	/* a romanised Korean name is whole with its hyphenated given name
	 * ("Park Min-jun", "Kim Jong-un"): capitalised words the tagger ran
	 * on with ("Park Min-jun Speaks Out", a headline) are cut off, and
	 * are a person of their own only when a family name starts them */
	for (size_t i = 0; i + 2 < n; i++) {
		if (tags[i] != KB_TAG_BPER || !(tf[i].ty->cue & KB_CUE_FAMILY) ||
		    tags[i + 1] != KB_TAG_IPER || tags[i + 2] != KB_TAG_IPER ||
		    (tf[i + 1].flags & (KB_TF_CAP | KB_TF_HYPHEN | KB_TF_ALLCAPS)) !=
			    (KB_TF_CAP | KB_TF_HYPHEN))
			continue;
		bool again = (tf[i + 2].ty->cue & KB_CUE_FAMILY) && (tf[i + 2].flags & KB_TF_CAP);
		for (size_t k = i + 2; k < n && tags[k] == KB_TAG_IPER; k++)
			tags[k] = again ? (k == i + 2 ? KB_TAG_BPER : KB_TAG_IPER) : KB_TAG_O;
		i++;
	}
	for (size_t i = 0; i + 1 < n; i++) {
		if (!(tf[i].ty->cue & KB_CUE_FAMILY) || !(tf[i].flags & KB_TF_CAP) ||
		    (tf[i].flags & KB_TF_ALLCAPS) || is_tag(tags[i], KB_TAG_BPER))
			continue;
		size_t j = i + 1;
		while (j < n && j <= i + 2 && given_name(&tf[j]) && !is_tag(tags[j], KB_TAG_BPER))
			j++;
		if (tags[i + 1] == KB_TAG_BPER) {
			tags[i] = KB_TAG_BPER;
			tags[i + 1] = KB_TAG_IPER;
			continue;
		}
		if (j == i + 1 || i == 0)
			continue;
		/* after a title, or right after a country name */
		bool ctx = (tf[i - 1].ty->cue & KB_CUE_TITLE) != 0;
		for (size_t k = i; k-- > 0 && k + KB_GAZ_MAXSPAN >= i && !ctx;)
			ctx = tf[k].country && k + tf[k].country == i;
		/* the tokens are untagged or the tail of a place or organisation */
		bool free_ = true;
		for (size_t k = i; k < j && free_; k++)
			free_ = tags[k] == KB_TAG_O || tags[k] == KB_TAG_ILOC || tags[k] == KB_TAG_IORG ||
				(k == i && (tags[k] == KB_TAG_BLOC || tags[k] == KB_TAG_BORG));
		if (!ctx || !free_)
			continue;
		for (size_t k = i; k < j; k++)
			tags[k] = k == i ? KB_TAG_BPER : KB_TAG_IPER;
		/* a place or organisation running on after the name starts anew */
		if (j < n && (tags[j] == KB_TAG_ILOC || tags[j] == KB_TAG_IORG))
			tags[j]--;
		i = j - 1;
	}
}

static bool sentence_end(const char *text, const struct kb_token *t)
{
	size_t len = t->end - t->start;
	const char *s = text + t->start;
	if (len >= 1 && (s[0] == '.' || s[0] == '!' || s[0] == '?'))
		return true;
	return len == 3 && memcmp(s, "\xe2\x80\xa6", 3) == 0;
}

static bool newline_between(const char *text, const struct kb_token *a, const struct kb_token *b)
{
	size_t gap = b->start - a->end;
	if (gap <= 1)
		return gap == 1 && text[a->end] == '\n';
	return memchr(text + a->end, '\n', gap) != NULL;
}

static enum kb_ent_type tag_type(int tag)
{
	switch (tag) {
	case KB_TAG_BPER:
	case KB_TAG_IPER:
		return KB_ENT_PERSON;
	case KB_TAG_BLOC:
	case KB_TAG_ILOC:
		return KB_ENT_PLACE;
	case KB_TAG_BORG:
	case KB_TAG_IORG:
		return KB_ENT_ORG;
	}
	return KB_ENT_NONE;
}

size_t kb_ner_find(const struct kb_ner *ner, const char *text, size_t n, struct kb_span **spans)
{
	return kb_ner_find_cached(ner, NULL, text, n, spans);
}

size_t kb_ner_find_cached(const struct kb_ner *ner, struct kb_ner_cache *cache, const char *text,
			  size_t n, struct kb_span **spans)
{
	*spans = NULL;
	if (!ner || !text || n == 0 || n > UINT32_MAX)
		return 0;
	struct kb_token *toks;
	size_t nt = kb_tokenize(text, n, &toks);
	if (nt == 0) {
		free(toks);
		return 0;
	}
	struct kb_tokfeat *tf = malloc(nt * sizeof *tf);
	uint8_t *tags = malloc(nt);
	struct kb_wtype *types;
	bool typed = kb_ner_assign_types(ner, cache, text, toks, nt, tf, &types);
	if (!tf || !tags || !typed) {
		free(tf);
		free(tags);
		free(types);
		free(toks);
		return 0;
	}
	for (size_t s = 0; s < nt;) {
		size_t e = s + 1;
		while (e < nt && !sentence_end(text, &toks[e - 1]) &&
		       !newline_between(text, &toks[e - 1], &toks[e]))
			e++;
		kb_ner_sentence(ner, tf + s, e - s);
		kb_ner_tag(ner, tf + s, e - s, tags + s, true);
		family_names(tf + s, e - s, tags + s);
		s = e;
	}
	free(types);
	size_t cnt = 0, cap = 0;
	struct kb_span *out = NULL;
	for (size_t i = 0; i < nt;) {
		enum kb_ent_type ty = tag_type(tags[i]);
		if (ty == KB_ENT_NONE) {
			i++;
			continue;
		}
		int itag = tags[i] & 1 ? tags[i] + 1 : tags[i];
		size_t j = i + 1;
		while (j < nt && tags[j] == itag)
			j++;
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct kb_span *ns = realloc(out, nc * sizeof *ns);
			if (!ns)
				break;
			out = ns;
			cap = nc;
		}
		out[cnt].start = toks[i].start;
		out[cnt].end = toks[j - 1].end;
		out[cnt].type = ty;
		cnt++;
		i = j;
	}
	free(tf);
	free(tags);
	free(toks);
	*spans = out;
	return cnt;
}
