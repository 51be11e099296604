/* extract.c - an article's mentions: tagger and date finder output made
 * consistent across the article, with the keys that resolve them. */
#include "config.h"

#include "kabar/extract.h"

#include "shape.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "kabar/date.h"
#include "kabar/dates.h"
#include "kabar/ner.h"
#include "kabar/text.h"
#include "kabar/util.h"

struct kb_extractor {
	struct kb_ner *ner;
	struct kb_ner_cache *cache; /* word types across articles, or NULL */
	bool shared;                /* ner is another extractor's */
};

struct kb_extractor *kb_extractor_open(char **err)
{
	struct kb_ner *ner = kb_ner_load(kb_ner_default_dir(), err);
	if (!ner)
		return NULL;
	struct kb_extractor *ex = kb_xcalloc(1, sizeof *ex);
	ex->ner = ner;
	ex->cache = kb_ner_cache_new();
	return ex;
}

struct kb_extractor *kb_extractor_share(const struct kb_extractor *ex)
{
	struct kb_extractor *w = kb_xcalloc(1, sizeof *w);
	w->ner = ex->ner;
	w->cache = kb_ner_cache_new();
	w->shared = true;
	return w;
}

void kb_extractor_free(struct kb_extractor *ex)
{
	if (!ex)
		return;
	kb_ner_cache_free(ex->cache);
	if (!ex->shared)
		kb_ner_free(ex->ner);
	free(ex);
}

/* ---- keys ------------------------------------------------------------ */

static bool is_vowel(char c)
{
	return c && strchr("aeiou", c);
}

/* Spelling differences that transliteration and old Indonesian spelling
 * produce, folded away in a lower-case key (a word or a whole name with
 * its spaces and hyphens gone, so "Seo-yeon" and "Seoyeon" fold alike). */
static void fold_word(struct kb_buf *out, const char *w, size_t n)
{
	kb_buf_grow(out, n); /* folding never lengthens */
	size_t start = out->len;
	for (size_t i = 0; i < n; i++) {
		char c = w[i], next = i + 1 < n ? w[i + 1] : 0;
		if (c == 'k' && next == 'h') /* Khusnullin -> Husnullin */
			continue;
		if (c == 'c' && next == 'h' && i + 2 < n && !is_vowel(w[i + 2]))
			continue; /* Rachmawati -> Rahmawati (old spelling) */
		if (c == 'd' && next == 'j') /* Djakarta -> Jakarta */
			continue;
		if (c == 'y' && next == 'e') /* Yevgeny -> Evgeny, Sergeyev -> Sergeev */
			continue;
		if (c == 'o' && next == 'e') { /* Soeharto -> Suharto */
			c = 'u';
			i++;
		}
		if (c == 'y') /* Sergey -> Sergei, Dmitry -> Dmitri */
			c = 'i';
		if (out->len > start && out->p[out->len - 1] == c) /* Beloussov -> Belousov */
			continue;
		out->p[out->len++] = c;
	}
	out->p[out->len] = '\0';
}

/* each_word for ASCII text, the common case: no case folding tables. */
static bool each_ascii_word(const char *s, size_t n,
			    void (*fn)(const char *, size_t, void *), void *ctx)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	char w[128];
	size_t k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && isalnum((unsigned char)s[i])) {
			if (k < sizeof w)
				w[k++] = (char)tolower((unsigned char)s[i]);
		} else if (k) {
			fn(w, k, ctx);
			k = 0;
		}
	}
	return true;
}

/* Calls fn on every word of s, lower-cased without diacritics: each
 * character is reduced to the first character of its canonical
 * decomposition (the base letter of a precomposed one), combining marks
 * are dropped and letters lower-cased, one character at a time. */
static void each_word(const char *s, size_t n, void (*fn)(const char *, size_t, void *),
		      void *ctx)
{
	if (each_ascii_word(s, n, fn, ctx))
		return;
	struct kb_buf w = { 0 };
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	while (p <= end) {
		ucs4_t uc = 0;
		int l = 0;
		if (p < end) {
			l = u8_mbtoucr(&uc, p, (size_t)(end - p));
			if (l < 0) {
				p++;
				continue;
			}
			ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];
			while (uc >= 0x80 && uc_canonical_decomposition(uc, dec) > 0)
				uc = dec[0]; /* ễ -> ê -> e */
		}
		if (p < end && uc_is_general_category(uc, UC_MARK)) {
			/* dropped */
		} else if (p < end && (uc_is_alpha(uc) || uc_is_digit(uc))) {
			uint8_t out[6];
			int k = u8_uctomb(out, uc_tolower(uc), sizeof out);
			if (k > 0)
				kb_buf_add(&w, (const char *)out, (size_t)k);
		} else if (w.len) {
			fn(w.p, w.len, ctx);
			kb_buf_reset(&w);
		}
		if (p == end)
			break;
		p += l;
	}
	kb_buf_free(&w);
}

static void add_word(const char *w, size_t n, void *ctx)
{
	kb_buf_add(ctx, w, n);
}

/* The name key of s into key, with words as scratch space (both reset):
 * for callers that make many keys with the same two buffers. */
static void name_key_into(struct kb_buf *key, struct kb_buf *words, const char *s, size_t n)
{
	kb_buf_reset(words);
	kb_buf_reset(key);
	each_word(s, n, add_word, words);
	fold_word(key, words->p ? words->p : "", words->len);
}

char *kb_name_key(const char *s, size_t n)
{
	struct kb_buf words = { 0 }, key = { 0 };
	name_key_into(&key, &words, s, n);
	kb_buf_free(&words);
	return kb_buf_steal(&key);
}

char *kb_place_key(const struct kb_extractor *ex, const char *s, size_t n)
{
	char key[64];
	if (ex && kb_ner_place_key(ex->ner, s, n, key, sizeof key))
		return kb_xstrdup(key);
	return kb_name_key(s, n);
}

/* Keys of the first and the last word of a name. */
struct ends {
	struct kb_buf first, last;
	size_t words;
};

static void note_word(const char *w, size_t n, void *ctx)
{
	struct ends *e = ctx;
	struct kb_buf *b = e->words == 0 ? &e->first : &e->last;
	kb_buf_reset(&e->last);
	fold_word(b, w, n);
	e->words++;
}

/* ---- spans ----------------------------------------------------------- */

struct span {
	uint32_t start, end;
	enum kb_ent_type type;
	bool title;
	char *key;
};

struct doc {
	const struct kb_extractor *ex;
	const char *title, *body;
	size_t title_n, body_n;
	struct span *s;
	size_t n, cap;
};

static const char *text_of(const struct doc *d, bool title)
{
	return title ? d->title : d->body;
}

static void add_span(struct doc *d, uint32_t start, uint32_t end, enum kb_ent_type type,
		     bool title)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->s = kb_xrealloc(d->s, d->cap * sizeof *d->s);
	}
	d->s[d->n++] = (struct span){ start, end, type, title, NULL };
}

static bool word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* True when a body span lies inside [start, end). */
static bool covered(const struct doc *d, uint32_t start, uint32_t end)
{
	for (size_t i = 0; i < d->n; i++)
		if (!d->s[i].title && d->s[i].start >= start && d->s[i].end <= end)
			return true;
	return false;
}

/* Drops the spans of the title or the body that lie inside [start, end),
 * or with overlap, that overlap it at all. */
static void drop_spans(struct doc *d, bool title, uint32_t start, uint32_t end, bool overlap)
{
	size_t w = 0;
	for (size_t i = 0; i < d->n; i++) {
		struct span *o = &d->s[i];
		if (o->title == title && (overlap ? o->start < end && start < o->end
						  : o->start >= start && o->end <= end)) {
			free(o->key);
			continue;
		}
		d->s[w++] = *o;
	}
	d->n = w;
}

/* Room for a span: spans strictly inside [start, end) give way to it (a
 * name found whole beats a piece of it); any other overlap refuses. */
static bool make_room(struct doc *d, bool title, uint32_t start, uint32_t end)
{
	for (size_t i = 0; i < d->n; i++) {
		struct span *o = &d->s[i];
		if (o->title != title || o->end <= start || end <= o->start)
			continue;
		if (o->start < start || o->end > end || (o->start == start && o->end == end))
			return false;
	}
	drop_spans(d, title, start, end, false);
	return true;
}

/* "Rusia Andrei Belousov", "FKMAP Nur Izzati Kamaruddin": a person's
 * name does not start with a country, a region or an acronym; such words
 * are trimmed when two words remain. */
static void trim_place_prefix(const struct doc *d, const char *text, struct kb_span *sp)
{
	if (sp->type != KB_ENT_PERSON)
		return;
	const char *s = text + sp->start, *end = text + sp->end;
	const char *cut[4];
	size_t k = 0;
	for (const char *p = s; k < 4 && (p = memchr(p, ' ', (size_t)(end - p))); p++)
		cut[k++] = p;
	/* an acronym glued in front ("FKMAP Nur Izzati") is not part of it */
	if (k >= 2 && cut[0] - s >= 2 && kb_text_is_upper(s, (size_t)(cut[0] - s))) {
		sp->start = (uint32_t)(cut[0] + 1 - text);
		return;
	}
	/* the longest prefix of up to three words that leaves two words */
	for (size_t i = k >= 2 ? k - 1 : 0; i-- > 0;) {
		char key[64];
		if (i > 2)
			continue;
		if (kb_ner_place_key(d->ex->ner, s, (size_t)(cut[i] - s), key, sizeof key)) {
			sp->start = (uint32_t)(cut[i] + 1 - text);
			return;
		}
	}
}

/* Calendar words are dates, not names ("April", "Kamis"), and a person
 * the gazetteer knows as a country or region is a place ("Dili", "Timor
 * Leste"). */
static bool settle_span(const struct doc *d, const char *text, struct kb_span *sp)
{
	const char *s = text + sp->start;
	size_t n = sp->end - sp->start;
	if (!memchr(s, ' ', n) && (kb_date_month(s, n) || kb_date_weekday(s, n)))
		return false;
	char key[64];
	if (sp->type == KB_ENT_PERSON && kb_ner_place_key(d->ex->ner, s, n, key, sizeof key))
		sp->type = KB_ENT_PLACE;
	return true;
}

static void tag(struct doc *d, bool title, size_t off, const char *text, size_t n)
{
	struct kb_span *sp = NULL;
	size_t k = kb_ner_find_cached(d->ex->ner, d->ex->cache, text, n, &sp);
	for (size_t i = 0; i < k; i++) {
		if (!settle_span(d, text, &sp[i]))
			continue;
		/* one name the tagger cut in two ("Kim" "Jong Un") */
		while (i + 1 < k && kb_shape_joins(text, sp[i], sp[i + 1])) {
			sp[i + 1].start = sp[i].start;
			sp[i + 1].type = sp[i].type;
			i++;
		}
		struct kb_span piece[8];
		size_t np = kb_shape_span(d->ex->ner, text, sp[i], piece, 8);
		for (size_t j = 0; j < np; j++) {
			if (!settle_span(d, text, &piece[j]))
				continue;
			trim_place_prefix(d, text, &piece[j]);
			add_span(d, (uint32_t)(off + piece[j].start), (uint32_t)(off + piece[j].end),
				 piece[j].type, title);
		}
	}
	free(sp);
}

/* Names the tagger cuts in pieces ("Ministry of Foreign Affairs") and
 * the dateline's place, over what the tagger found there. */
static void shaped_names(struct doc *d, size_t off, const char *text, size_t n)
{
	struct kb_span sp[64];
	size_t k = kb_shape_of_names(text, n, sp, 64);
	if (off == 0)
		k += kb_shape_dateline(text, n, sp + k);
	for (size_t i = 0; i < k; i++) {
		uint32_t a = (uint32_t)(off + sp[i].start), b = (uint32_t)(off + sp[i].end);
		drop_spans(d, false, a, b, true); /* pieces of it the tagger found */
		add_span(d, a, b, sp[i].type, false);
	}
}

/* Country and region names the gazetteer knows are places wherever the
 * tagger missed them ("South Korea" in English text, "AS"): capitalised
 * runs of up to four words, longest first, where no other name is. */
static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether the word before t[w] is a preposition of place ("in", "di"). */
static bool after_preposition(const struct doc *d, const char *t, size_t w)
{
	if (w < 2 || t[w - 1] != ' ')
		return false;
	size_t a = w - 1;
	while (a > 0 && isalpha((unsigned char)t[a - 1]))
		a--;
	return a < w - 1 && (a == 0 || !word_byte((unsigned char)t[a - 1])) &&
	       kb_ner_word_is(d->ex->ner, t + a, w - 1 - a, KB_WORD_PREP);
}

/* A name the gazetteers know as a place and not as a person. */
static bool gazetteer_place(const struct doc *d, const char *s, size_t n)
{
	unsigned g = kb_ner_gazetteer(d->ex->ner, s, n);
	return (g & KB_NAME_PLACE) && !(g & KB_NAME_PERSON);
}

/* A country or region standing alone is never a person, whichever step
 * made it one (a name split off a longer span, a name spread through the
 * article); nor is a hyphenated pair of them ("Rusia-Ukraina"), which
 * names a relation, not a party. */
static void countries_are_no_persons(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct span *s = &d->s[i];
		if (s->type != KB_ENT_PERSON)
			continue;
		const char *t = text_of(d, s->title) + s->start;
		size_t n = s->end - s->start;
		char key[64];
		if (kb_ner_place_key(d->ex->ner, t, n, key, sizeof key)) {
			s->type = KB_ENT_PLACE;
			continue;
		}
		const char *dash = memchr(t, '-', n);
		if (dash && dash > t && dash < t + n - 1 &&
		    kb_ner_place_key(d->ex->ner, t, (size_t)(dash - t), key, sizeof key) &&
		    kb_ner_place_key(d->ex->ner, dash + 1, (size_t)(t + n - dash - 1), key,
				     sizeof key))
			s->type = KB_ENT_NONE;
	}
}

/* "in Darwin", "dari Perth": after a preposition of place, a person the
 * gazetteers know as a place only is that place. */
static void persons_after_prepositions(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct span *s = &d->s[i];
		const char *t = text_of(d, s->title);
		if (s->type == KB_ENT_PERSON && after_preposition(d, t, s->start) &&
		    gazetteer_place(d, t + s->start, s->end - s->start))
			s->type = KB_ENT_PLACE;
	}
}

static void spot_places(struct doc *d)
{
	const char *t = d->body;
	size_t n = d->body_n;
	/* the body's names by start, walked along with the text */
	size_t nb = 0;
	struct span *taken = kb_xmalloc((d->n ? d->n : 1) * sizeof *taken);
	for (size_t i = 0; i < d->n; i++)
		if (!d->s[i].title)
			taken[nb++] = d->s[i];
	if (nb)
		qsort(taken, nb, sizeof *taken, by_start);
	size_t next = 0;
	for (size_t w = 0; w < n;) {
		while (w < n && !isalpha((unsigned char)t[w]) && (unsigned char)t[w] < 0x80)
			w++;
		if (w >= n)
			break;
		size_t found = 0, skip = 0;
		while (next < nb && taken[next].end <= w)
			next++;
		for (size_t i = next; i < nb && taken[i].start <= w; i++) /* inside a name */
			if (w < taken[i].end && taken[i].end > skip)
				skip = taken[i].end;
		if (skip) {
			w = skip;
			continue;
		}
		if (isupper((unsigned char)t[w]) && (w == 0 || !word_byte((unsigned char)t[w - 1]))) {
			size_t ends[4], k = 0, e = w;
			while (k < 4 && e < n) {
				while (e < n && (isalnum((unsigned char)t[e]) || t[e] == '-' ||
						 (unsigned char)t[e] >= 0x80))
					e++;
				ends[k++] = e;
				if (e >= n || t[e] != ' ' || e + 1 >= n ||
				    !isupper((unsigned char)t[e + 1]))
					break;
				e++;
			}
			char key[64];
			bool prep = after_preposition(d, t, w);
			/* "a Dubai-based analyst": the place it is based in */
			size_t based = kb_shape_based(t + w, ends[0] - w);
			if (based && make_room(d, false, (uint32_t)w, (uint32_t)(w + based))) {
				add_span(d, (uint32_t)w, (uint32_t)(w + based), KB_ENT_PLACE, false);
				found = ends[0];
				k = 0;
			}
			while (k > 0 && !found) {
				size_t end = ends[--k];
				if ((kb_ner_place_key(d->ex->ner, t + w, end - w, key, sizeof key) ||
				     (prep && gazetteer_place(d, t + w, end - w))) &&
				    make_room(d, false, (uint32_t)w, (uint32_t)end) &&
				    !covered(d, (uint32_t)w, (uint32_t)end)) {
					add_span(d, (uint32_t)w, (uint32_t)end, KB_ENT_PLACE, false);
					found = end;
				}
			}
		}
		if (found) {
			w = found;
			continue;
		}
		while (w < n && (isalnum((unsigned char)t[w]) || (unsigned char)t[w] >= 0x80))
			w++;
	}
	free(taken);
}

/* The body's names by key, for the title to look up. */
struct named {
	const char *key;
	enum kb_ent_type type;
};

static int named_cmp(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->key, ((const struct named *)b)->key);
}

/* The title is matched by key against the names of the body, up to four
 * words at a time, so "Kim Jong-un" in a headline finds the "Kim Jong Un"
 * of the text. */
static void title_names(struct doc *d)
{
	/* the body's keys stay valid while title spans come and go */
	struct named *names = kb_xmalloc((d->n ? d->n : 1) * sizeof *names);
	size_t nn = 0;
	for (size_t i = 0; i < d->n; i++)
		if (!d->s[i].title && d->s[i].key && d->s[i].key[0])
			names[nn++] = (struct named){ d->s[i].key, d->s[i].type };
	qsort(names, nn, sizeof *names, named_cmp);
	const char *t = d->title;
	struct kb_buf words = { 0 }, key = { 0 };
	for (size_t w = 0; w < d->title_n;) {
		while (w < d->title_n && !isalnum((unsigned char)t[w]) && (unsigned char)t[w] < 0x80)
			w++;
		if (w >= d->title_n)
			break;
		size_t best_end = 0;
		const struct named *best = NULL;
		if (nn && (isupper((unsigned char)t[w]) || (unsigned char)t[w] >= 0x80)) {
			size_t e = w;
			for (int nw = 1; nw <= 4 && e < d->title_n; nw++) {
				while (e < d->title_n && t[e] != ' ')
					e++;
				size_t end = e;
				while (end > w && strchr(",.:;!?'\")", t[end - 1]))
					end--;
				name_key_into(&key, &words, t + w, end - w);
				struct named k = { key.p, KB_ENT_NONE }, *hit;
				if (key.len && (hit = bsearch(&k, names, nn, sizeof *names, named_cmp))) {
					best_end = end;
					best = hit;
				}
				while (e < d->title_n && t[e] == ' ')
					e++;
			}
		}
		/* the span is added with a copy of the key: making room may move
		 * or drop other spans */
		if (best && make_room(d, true, (uint32_t)w, (uint32_t)best_end)) {
			add_span(d, (uint32_t)w, (uint32_t)best_end, best->type, true);
			d->s[d->n - 1].key = kb_xstrdup(best->key);
			w = best_end;
		} else {
			while (w < d->title_n && t[w] != ' ')
				w++;
		}
	}
	kb_buf_free(&words);
	kb_buf_free(&key);
	free(names);
}

static int longer_first(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	uint32_t lx = x->end - x->start, ly = y->end - y->start;
	return lx > ly ? -1 : lx < ly;
}

/* Where a capitalised word starts in the title or the body: the places a
 * name can be written again.  key: its first four bytes, big-endian, so
 * that sorting by key groups the candidates for a name. */
struct cap_start {
	uint32_t key;
	uint32_t pos;
	uint8_t title;
};

static uint32_t first4(const char *s)
{
	return (uint32_t)(unsigned char)s[0] << 24 | (uint32_t)(unsigned char)s[1] << 16 |
	       (uint32_t)(unsigned char)s[2] << 8 | (unsigned char)s[3];
}

/* by key, then body before title, then position: the order in which the
 * occurrences of one name are taken */
static int cap_order(const void *a, const void *b)
{
	const struct cap_start *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->title != y->title)
		return x->title < y->title ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static size_t cap_starts(const struct doc *d, struct cap_start **out)
{
	size_t n = 0, cap = 64;
	struct cap_start *c = kb_xmalloc(cap * sizeof *c);
	for (int t = 0; t < 2; t++) {
		const char *text = text_of(d, t);
		size_t len = t ? d->title_n : d->body_n;
		for (size_t p = 0; p + 4 <= len; p++) {
			if (!isupper((unsigned char)text[p]) ||
			    (p > 0 && word_byte((unsigned char)text[p - 1])))
				continue;
			if (n == cap)
				c = kb_xrealloc(c, (cap *= 2) * sizeof *c);
			c[n++] = (struct cap_start){ first4(text + p), (uint32_t)p, (uint8_t)t };
		}
	}
	qsort(c, n, sizeof *c, cap_order);
	*out = c;
	return n;
}

/* Spans of type wherever name[0..len) stands alone between word
 * boundaries in the title or the body (body first, in text order), where
 * make_room gives it room.  cs (cap_starts) finds a capitalised name of
 * four bytes or more; without it, or for a shorter name, the text is
 * scanned. */
static void spread(struct doc *d, const struct cap_start *cs, size_t ncs, const char *name,
		   size_t len, enum kb_ent_type type)
{
	if (!cs || len < 4) {
		for (int t = 0; t < 2; t++) {
			const char *text = text_of(d, t), *end = text + (t ? d->title_n : d->body_n);
			for (const char *q = memmem(text, (size_t)(end - text), name, len); q;
			     q = memmem(q + 1, (size_t)(end - q - 1), name, len)) {
				uint32_t a = (uint32_t)(q - text), b = a + (uint32_t)len;
				if ((q > text && word_byte((unsigned char)q[-1])) ||
				    (q + len < end && word_byte((unsigned char)q[len])) ||
				    !make_room(d, t, a, b))
					continue;
				add_span(d, a, b, type, t);
			}
		}
		return;
	}
	uint32_t key = first4(name);
	size_t lo = 0, hi = ncs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cs[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < ncs && cs[k].key == key; k++) {
		int t = cs[k].title;
		const char *text = text_of(d, t);
		size_t tn = t ? d->title_n : d->body_n;
		uint32_t a = cs[k].pos, b = a + (uint32_t)len;
		if (b > tn || memcmp(text + a, name, len) != 0 ||
		    (b < tn && word_byte((unsigned char)text[b])) || !make_room(d, t, a, b))
			continue;
		add_span(d, a, b, type, t);
	}
}

/* One word of a person's name, spread when it can only be a name part:
 * capitalised, four bytes or more, no word of the sentence or calendar. */
static void spread_part(struct doc *d, const struct cap_start *cs, size_t ncs, const char *w,
			size_t len)
{
	if (len < 4 || !isupper((unsigned char)w[0]) || kb_date_month(w, len) ||
	    kb_date_weekday(w, len) || kb_shape_sentence_word(w, len) ||
	    kb_ner_word_is(d->ex->ner, w, len, KB_WORD_TITLE))
		return;
	for (size_t i = 0; i < len; i++)
		if (!word_byte((unsigned char)w[i]))
			return;
	spread(d, cs, ncs, w, len, KB_ENT_PERSON);
}

/* The acronym in brackets right after text[0..p) ("... Agency (KCNA)"):
 * its length, and its start in *a; 0 when there is none. */
static size_t bracket_acronym(const char *text, size_t tn, size_t p, size_t *a)
{
	if (p + 4 > tn || text[p] != ' ' || text[p + 1] != '(')
		return 0;
	size_t b = *a = p + 2;
	while (b < tn && isupper((unsigned char)text[b]))
		b++;
	return b < tn && text[b] == ')' && b - *a >= 2 && b - *a <= 8 ? b - *a : 0;
}

/* "Indonesia Corruption Watch (ICW)": the acronym in brackets after an
 * organisation or a place names it too, there and wherever the article
 * writes it alone (learn_acronyms makes it a key of the same entity). */
static void acronyms(struct doc *d)
{
	struct acronym {
		const char *s;
		size_t n;
		enum kb_ent_type type;
	} acr[16];
	size_t na = 0;
	const char *t = d->body;
	for (size_t i = 0; i < d->n && na < 16; i++) {
		if (d->s[i].title || (d->s[i].type != KB_ENT_ORG && d->s[i].type != KB_ENT_PLACE))
			continue;
		size_t a, n = bracket_acronym(t, d->body_n, d->s[i].end, &a);
		if (n)
			acr[na++] = (struct acronym){ t + a, n, d->s[i].type };
	}
	for (size_t k = 0; k < na; k++)
		spread(d, NULL, 0, acr[k].s, acr[k].n, acr[k].type);
}

/* A string to look for, and where it stands in the order of the calls. */
struct wanted {
	const char *s;
	uint32_t len, ix;
};

static int wanted_cmp(const void *a, const void *b)
{
	const struct wanted *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->s, y->s, x->len);
	if (c)
		return c;
	return x->ix < y->ix ? -1 : x->ix > y->ix;
}

/* first[i] is set when w[i]'s text is not that of an earlier one: a
 * name spread again finds nothing new (its occurrences hold it, or a
 * longer name), so each is spread once.  A sort, not a scan back, so an
 * article of a hundred thousand names costs n log n here, not n^2. */
static bool *first_of_each(struct wanted *w, size_t n)
{
	bool *first = kb_xcalloc(n ? n : 1, sizeof *first);
	qsort(w, n, sizeof *w, wanted_cmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || w[i].len != w[i - 1].len || memcmp(w[i].s, w[i - 1].s, w[i].len) != 0)
			first[w[i].ix] = true;
	return first;
}

/* A name found once is found wherever the article writes it again,
 * including the title, whose capitals say nothing about names. */
static void propagate(struct doc *d)
{
	/* longest names first, so that pieces of them never spread */
	size_t found = d->n;
	if (!found)
		return;
	struct span *seeds = kb_xmalloc(found * sizeof *seeds);
	memcpy(seeds, d->s, found * sizeof *seeds);
	qsort(seeds, found, sizeof *seeds, longer_first);
	struct cap_start *cs;
	size_t ncs = cap_starts(d, &cs);
	struct wanted *w = kb_xmalloc(2 * found * sizeof *w);
	for (size_t i = 0; i < found; i++)
		w[i] = (struct wanted){ text_of(d, seeds[i].title) + seeds[i].start,
					seeds[i].end - seeds[i].start, (uint32_t)i };
	bool *first = first_of_each(w, found); /* each name is looked for once */
	for (size_t i = 0; i < found; i++) {
		const char *src = text_of(d, seeds[i].title) + seeds[i].start;
		size_t len = seeds[i].end - seeds[i].start;
		if (len < 4 || !isupper((unsigned char)src[0]) || !first[i])
			continue;
		spread(d, cs, ncs, src, len, seeds[i].type);
	}
	free(first);
	/* a person's first or last word written alone is that person
	 * ("Shoigu" after "Sergei Shoigu", "Agus" after "Agus Wicaksono");
	 * attach_surnames tells which person.  Each word once: an article
	 * that repeats one name 100,000 times spread it 100,000 times over
	 * every occurrence (cubic time) */
	size_t np = 0;
	for (size_t i = 0; i < found; i++) {
		if (seeds[i].type != KB_ENT_PERSON)
			continue;
		const char *src = text_of(d, seeds[i].title) + seeds[i].start;
		size_t len = seeds[i].end - seeds[i].start;
		const char *sp1 = memchr(src, ' ', len), *sp2 = memrchr(src, ' ', len);
		if (!sp1)
			continue;
		w[np] = (struct wanted){ src, (uint32_t)(sp1 - src), (uint32_t)np };
		np++;
		w[np] = (struct wanted){ sp2 + 1, (uint32_t)(src + len - sp2 - 1), (uint32_t)np };
		np++;
	}
	struct wanted *parts = kb_xmalloc((np ? np : 1) * sizeof *parts);
	memcpy(parts, w, np * sizeof *parts);
	first = first_of_each(w, np);
	for (size_t i = 0; i < np; i++)
		if (first[i])
			spread_part(d, cs, ncs, parts[i].s, parts[i].len);
	free(parts);
	free(first);
	free(w);
	free(cs);
	free(seeds);
}

/* A person's name cut short by the tagger ("Jong Un" in "Kim Jong Un
 * mengatakan") takes back a capitalised word right before it when the
 * article calls that word a person elsewhere ("Kim"). */
static void extend_persons(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct span *p = &d->s[i];
		if (p->type != KB_ENT_PERSON || p->start < 2)
			continue;
		const char *text = text_of(d, p->title);
		if (text[p->start - 1] != ' ')
			continue;
		uint32_t w = p->start - 1;
		while (w > 0 && text[w - 1] != ' ' && text[w - 1] != '\n')
			w--;
		uint32_t wl = p->start - 1 - w;
		if (wl == 0 || !isupper((unsigned char)text[w]))
			continue;
		for (size_t j = 0; j < d->n; j++) {
			const struct span *q = &d->s[j];
			if (q->type == KB_ENT_PERSON && q->end - q->start == wl &&
			    memcmp(text_of(d, q->title) + q->start, text + w, wl) == 0) {
				p->start = w;
				break;
			}
		}
	}
}

/* Span indices in the order cmp (given the doc) sorts them. */
static uint32_t *span_order(const struct doc *d, int (*cmp)(const void *, const void *, void *))
{
	uint32_t *ix = kb_xmalloc((d->n ? d->n : 1) * sizeof *ix);
	for (size_t i = 0; i < d->n; i++)
		ix[i] = (uint32_t)i;
	qsort_r(ix, d->n, sizeof *ix, cmp, (void *)d);
	return ix;
}

/* Orders spans i and j by their text (length first); 0: written alike. */
static int surface_cmp(const struct doc *d, uint32_t i, uint32_t j)
{
	const struct span *x = &d->s[i], *y = &d->s[j];
	uint32_t lx = x->end - x->start, ly = y->end - y->start;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return memcmp(text_of(d, x->title) + x->start, text_of(d, y->title) + y->start, lx);
}

static int by_surface(const void *a, const void *b, void *doc)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int c = surface_cmp(doc, i, j);
	return c ? c : (i < j ? -1 : 1);
}

/* rep[i]: the first span written exactly like span i.  An article repeats
 * its names, so keys and words are worked out once per spelling. */
static uint32_t *surface_reps(const struct doc *d)
{
	uint32_t *ix = span_order(d, by_surface);
	uint32_t *rep = kb_xmalloc((d->n ? d->n : 1) * sizeof *rep);
	for (size_t k = 0; k < d->n; k++) {
		uint32_t i = ix[k], p = k ? ix[k - 1] : i;
		rep[i] = k && surface_cmp(d, i, p) == 0 ? rep[p] : i;
	}
	free(ix);
	return rep;
}

/* Spans with one key become neighbours: grouping by key costs n log n
 * comparisons, not n squared. */
static int by_key(const void *a, const void *b, void *doc)
{
	const struct span *s = ((const struct doc *)doc)->s;
	return strcmp(s[*(const uint32_t *)a].key, s[*(const uint32_t *)b].key);
}

/* One type per name: a person once is a person throughout.  Also counts
 * how often each key is used (group[i]: the size of span i's group). */
static void settle_types(struct doc *d, const uint32_t *rep, uint32_t *group)
{
	for (size_t i = 0; i < d->n; i++) {
		const char *src = text_of(d, d->s[i].title) + d->s[i].start;
		if (d->s[i].key)
			continue;
		d->s[i].key = rep[i] < i && d->s[rep[i]].key
				      ? kb_xstrdup(d->s[rep[i]].key)
				      : kb_name_key(src, d->s[i].end - d->s[i].start);
	}
	uint32_t *ix = span_order(d, by_key);
	for (size_t a = 0; a < d->n;) {
		size_t b = a;
		bool person = false;
		while (b < d->n && strcmp(d->s[ix[a]].key, d->s[ix[b]].key) == 0)
			person |= d->s[ix[b++]].type == KB_ENT_PERSON;
		for (size_t k = a; k < b; k++) {
			if (person)
				d->s[ix[k]].type = KB_ENT_PERSON;
			group[ix[k]] = (uint32_t)(b - a);
		}
		a = b;
	}
	free(ix);
}

static uint64_t fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* A surname (or a Korean family name) alone is the full name the article
 * used most: "Lavrov" after "Sergei Lavrov", "Kim" after "Kim Jong Un". */
static void attach_surnames(struct doc *d, const uint32_t *rep, const uint32_t *group)
{
	size_t n = d->n;
	struct ends *e = kb_xcalloc(n ? n : 1, sizeof *e);
	uint64_t *hf = kb_xmalloc((n ? n : 1) * 2 * sizeof *hf), *hl = hf + (n ? n : 1);
	size_t *found = kb_xmalloc((n ? n : 1) * sizeof *found); /* the full name taken */
	for (size_t i = 0; i < n; i++) {
		found[i] = n;
		if (rep[i] < i) { /* written like an earlier span: share its words */
			e[i].words = e[rep[i]].words;
			hf[i] = hf[rep[i]];
			hl[i] = hl[rep[i]];
			continue;
		}
		const char *src = text_of(d, d->s[i].title) + d->s[i].start;
		each_word(src, d->s[i].end - d->s[i].start, note_word, &e[i]);
		hf[i] = fnv(e[i].first.p ? e[i].first.p : "", e[i].first.len);
		hl[i] = e[i].last.len ? fnv(e[i].last.p, e[i].last.len) : 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (e[i].words != 1 || !e[rep[i]].first.len)
			continue;
		size_t best = n, best_count = 0;
		if (rep[i] < i) { /* the same word as an earlier one: the same name */
			best = found[rep[i]];
			found[i] = best;
			if (best < n) {
				free(d->s[i].key);
				d->s[i].key = kb_xstrdup(d->s[best].key);
				d->s[i].type = KB_ENT_PERSON;
			}
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			if (d->s[j].type != KB_ENT_PERSON || e[j].words < 2)
				continue;
			const struct ends *ei = &e[rep[i]], *ej = &e[rep[j]];
			bool first = hf[i] == hf[j] && strcmp(ei->first.p, ej->first.p) == 0;
			bool last = !first && ej->last.len && hf[i] == hl[j] &&
				    strcmp(ei->first.p, ej->last.p) == 0;
			if ((first || last) && group[j] > best_count) {
				best = j;
				best_count = group[j];
			}
		}
		found[i] = best;
		if (best < n) {
			free(d->s[i].key);
			d->s[i].key = kb_xstrdup(d->s[best].key);
			d->s[i].type = KB_ENT_PERSON;
		}
	}
	free(found);
	for (size_t i = 0; i < n; i++) {
		kb_buf_free(&e[i].first);
		kb_buf_free(&e[i].last);
	}
	free(hf);
	free(e);
}

static const char *type_name(enum kb_ent_type t)
{
	switch (t) {
	case KB_ENT_PERSON: return "person";
	case KB_ENT_PLACE: return "place";
	case KB_ENT_ORG: return "org";
	case KB_ENT_DATE: return "date";
	default: return NULL;
	}
}

static void add_mention(struct kb_extraction *x, size_t *cap, const char *type, char *key,
			const char *text, uint32_t start, uint32_t end, bool title)
{
	if (x->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		x->m = kb_xrealloc(x->m, *cap * sizeof *x->m);
	}
	x->m[x->n++] = (struct kb_mention_in){
		.type = type,
		.key = key,
		.surface = kb_xstrndup(text + start, end - start),
		.in_title = title,
		.start = start,
		.end = end,
	};
}

/* "Korean Central News Agency (KCNA)": the acronym names the same body. */
static void learn_acronyms(const struct doc *d, struct kb_extraction *x)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->s[i].type != KB_ENT_ORG && d->s[i].type != KB_ENT_PLACE)
			continue;
		const char *text = text_of(d, d->s[i].title);
		size_t a, n = bracket_acronym(text, d->s[i].title ? d->title_n : d->body_n,
					      d->s[i].end, &a);
		if (!n)
			continue;
		x->links = kb_xrealloc(x->links, (x->n_links + 1) * sizeof *x->links);
		x->links[x->n_links++] = (struct kb_key_link){
			.type = type_name(d->s[i].type),
			.key_known = d->s[i].type == KB_ENT_PLACE
					     ? kb_place_key(d->ex, text + d->s[i].start,
							    d->s[i].end - d->s[i].start)
					     : kb_xstrdup(d->s[i].key),
			.key_new = kb_name_key(text + a, n),
		};
	}
}

static void find_dates(const char *text, size_t n, const char *anchor, bool title,
		       struct kb_extraction *x, size_t *cap)
{
	struct kb_date_mention *dm = NULL;
	size_t k = kb_dates_find(text, n, anchor, &dm);
	for (size_t i = 0; i < k; i++)
		add_mention(x, cap, "date", kb_xstrdup(dm[i].iso), text, dm[i].start, dm[i].end,
			    title);
	free(dm);
}

/* How much of s is read: all of it, or KB_EXTRACT_MAX_BYTES cut back to
 * the space before the word the cap falls in. */
static size_t head_len(const char *s)
{
	size_t n = strnlen(s, KB_EXTRACT_MAX_BYTES + 1);
	if (n <= KB_EXTRACT_MAX_BYTES)
		return n;
	n = KB_EXTRACT_MAX_BYTES;
	while (n > 0 && s[n] != ' ' && s[n] != '\n')
		n--;
	if (n == 0) /* one word: a character boundary */
		for (n = KB_EXTRACT_MAX_BYTES; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
			;
	return n;
}

void kb_extract(const struct kb_extractor *ex, const char *title, const char *body,
		const char *published, struct kb_extraction *out)
{
	memset(out, 0, sizeof *out);
	/* a page may have no title at all (no <title>, no heading) */
	title = title ? title : "";
	body = body ? body : "";
	struct doc d = { .ex = ex, .title = title, .body = body,
			 .title_n = head_len(title), .body_n = head_len(body) };
	for (size_t p = 0; p < d.body_n;) { /* paragraph by paragraph */
		const char *q = strstr(body + p, "\n\n");
		size_t end = q && (size_t)(q - body) < d.body_n ? (size_t)(q - body) : d.body_n;
		tag(&d, false, p, body + p, end - p);
		shaped_names(&d, p, body + p, end - p);
		p = end + 2;
	}
	extend_persons(&d);
	persons_after_prepositions(&d);
	acronyms(&d);
	propagate(&d);
	spot_places(&d);
	countries_are_no_persons(&d);
	uint32_t *group = kb_xmalloc((d.n ? d.n : 1) * sizeof *group), *rep = surface_reps(&d);
	settle_types(&d, rep, group);
	attach_surnames(&d, rep, group);
	free(rep);
	free(group);
	title_names(&d);

	size_t cap = 0;
	for (size_t i = 0; i < d.n; i++) {
		const char *type = type_name(d.s[i].type);
		if (!type || !d.s[i].key[0])
			continue;
		const char *text = text_of(&d, d.s[i].title);
		char *key = d.s[i].type == KB_ENT_PLACE
				    ? kb_place_key(ex, text + d.s[i].start, d.s[i].end - d.s[i].start)
				    : kb_xstrdup(d.s[i].key);
		add_mention(out, &cap, type, key, text, d.s[i].start, d.s[i].end, d.s[i].title);
	}
	learn_acronyms(&d, out);

	/* Relative dates resolve against the publication date, or else the
	 * latest absolute date of the text, which then dates the article. */
	char anchor[11] = "";
	if (published && strlen(published) >= 10) {
		memcpy(anchor, published, 10);
	} else if (!published && kb_dates_latest(body, d.body_n, anchor)) {
		memcpy(out->published, anchor, sizeof anchor);
	}
	find_dates(title, d.title_n, anchor[0] ? anchor : NULL, true, out, &cap);
	find_dates(body, d.body_n, anchor[0] ? anchor : NULL, false, out, &cap);

	for (size_t i = 0; i < d.n; i++)
		free(d.s[i].key);
	free(d.s);
}

void kb_extraction_free(struct kb_extraction *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free((char *)x->m[i].key);
		free((char *)x->m[i].surface);
	}
	free(x->m);
	for (size_t i = 0; i < x->n_links; i++) {
		free(x->links[i].key_known);
		free(x->links[i].key_new);
	}
	free(x->links);
	memset(x, 0, sizeof *x);
}
