/* plain.c - the plain-text reader: header block, title, clean body. */
#include "config.h"

#include "internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xxhash.h>

#include "kabar/date.h"
#include "kabar/text.h"
#include "kabar/util.h"

struct line {
	char *s; /* NUL-terminated: in parse.buf, or malloc'd when owned */
	size_t n;
	bool keep;  /* body text so far */
	bool owned; /* s was rewritten (a dateline) and must be freed */
};

struct parse {
	struct line *lines;
	size_t n;
	char *buf; /* every line, each cleaned in place and NUL-terminated */
	struct kb_doc *doc;
};

void kb_doc_free(struct kb_doc *doc)
{
	free(doc->title);
	free(doc->body);
	free(doc->source);
	free(doc->url);
	free(doc->published);
	free(doc->guid);
	for (size_t i = 0; i < doc->n_bylines; i++) {
		free((char *)doc->bylines[i].role);
		free((char *)doc->bylines[i].name);
	}
	free(doc->bylines);
	memset(doc, 0, sizeof *doc);
}

char *kb_clean_field(const char *s, size_t n)
{
	struct kb_buf b = { 0 };
	const char *why;
	enum kb_decode d = kb_text_decode(s, n, &b, &why);
	if (d == KB_DECODE_BINARY || d == KB_DECODE_INVALID || !b.p) {
		kb_buf_free(&b);
		return NULL;
	}
	return kb_buf_one_line(&b);
}

char *kb_buf_one_line(struct kb_buf *b)
{
	if (!b->p)
		return NULL;
	for (size_t i = 0; i < b->len; i++)
		if (b->p[i] == '\n')
			b->p[i] = ' ';
	b->len = kb_text_clean_line(b->p, b->len);
	b->p[b->len] = '\0';
	if (!b->len) {
		kb_buf_free(b);
		return NULL;
	}
	return kb_buf_steal(b);
}

void kb_doc_title_from_body(struct kb_doc *doc)
{
	const char *s = doc->body;
	if (!s || !*s)
		return;
	size_t n = strcspn(s, "\n"), words = 0, i = 0, end = 0;
	while (i < n && words < 12) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		while (i < n && s[i] != ' ')
			i++;
		words++;
		end = i;
		if (strchr(".!?", s[i - 1]) && words >= 3)
			break;
	}
	bool cut = end < n && !strchr(".!?", s[end - 1]);
	while (end && strchr(".,;:", s[end - 1]))
		end--;
	free(doc->title);
	doc->title = kb_xasprintf("%.*s%s", (int)end, s, cut ? "…" : "");
}

/* Bylines repeat with other capitals ("garudea prabawati", "VLADIMIR
 * SMIRNOV / POOL / AFP"): one is kept, the one with the most lowercase
 * letters after a capital, which is how names are normally written. */
static size_t name_quality(const char *s)
{
	size_t q = 0;
	for (size_t i = 1; s[i]; i++)
		q += islower((unsigned char)s[i]) && isupper((unsigned char)s[i - 1]);
	return q;
}

void kb_doc_add_byline(struct kb_doc *doc, const char *role, const char *name, size_t n)
{
	for (size_t i = 0; i < doc->n_bylines; i++) {
		struct kb_byline *b = &doc->bylines[i];
		if (strcmp(b->role, role) != 0 || strlen(b->name) != n ||
		    strncasecmp(b->name, name, n) != 0)
			continue;
		char *cand = kb_xstrndup(name, n);
		if (name_quality(cand) > name_quality(b->name)) {
			free((char *)b->name);
			b->name = cand;
		} else {
			free(cand);
		}
		return;
	}
	doc->bylines = kb_xrealloc(doc->bylines, (doc->n_bylines + 1) * sizeof *doc->bylines);
	doc->bylines[doc->n_bylines].role = kb_xstrdup(role);
	doc->bylines[doc->n_bylines].name = kb_xstrndup(name, n);
	doc->n_bylines++;
}

/* One copy of the text holds every line: each '\n' becomes the NUL that
 * ends a line, and each line is cleaned where it is. */
static void split_lines(struct parse *p, const char *text, size_t n)
{
	size_t cap = 16;
	p->lines = kb_xmalloc(cap * sizeof *p->lines);
	p->buf = kb_xmalloc(n + 1);
	memcpy(p->buf, text, n);
	p->buf[n] = '\0';
	char *s = p->buf, *end = p->buf + n;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (p->n == cap)
			p->lines = kb_xrealloc(p->lines, (cap *= 2) * sizeof *p->lines);
		struct line *l = &p->lines[p->n++];
		s[len] = '\0';
		l->s = s;
		l->n = kb_text_clean_line(s, len);
		l->keep = false;
		l->owned = false;
		s += len + 1;
	}
}

/* "Key: value" where Key is one word of letters and dashes. */
static bool header_field(const struct line *l, size_t *key_len)
{
	size_t i = 0;
	while (i < l->n && (isalpha((unsigned char)l->s[i]) || l->s[i] == '-'))
		i++;
	if (i == 0 || i + 1 >= l->n || l->s[i] != ':' || l->s[i + 1] != ' ')
		return false;
	*key_len = i;
	return true;
}

static const char *field_value(const struct line *l, size_t key_len)
{
	const char *v = l->s + key_len + 1;
	while (*v == ' ')
		v++;
	return v;
}

/* An RFC 822-style block before the first blank line wins over what the
 * text itself says.  Returns the index of the first line after it. */
static size_t parse_header(struct parse *p)
{
	size_t i = 0, key_len;
	bool known = false;
	for (; i < p->n && p->lines[i].n > 0; i++) {
		if (!header_field(&p->lines[i], &key_len))
			return 0;
		const char *k = p->lines[i].s;
		known |= kb_ascii_eq(k, key_len, "title") || kb_ascii_eq(k, key_len, "date") ||
			 kb_ascii_eq(k, key_len, "source") || kb_ascii_eq(k, key_len, "url") ||
			 kb_ascii_eq(k, key_len, "author");
	}
	if (!known || i == p->n)
		return 0;
	for (size_t j = 0; j < i; j++) {
		struct line *l = &p->lines[j];
		header_field(l, &key_len);
		const char *v = field_value(l, key_len);
		char iso[40];
		if (!*v)
			continue;
		if (kb_ascii_eq(l->s, key_len, "title") && !p->doc->title) {
			p->doc->title = kb_xstrdup(v);
		} else if (kb_ascii_eq(l->s, key_len, "date") && kb_date_parse(v, iso, sizeof iso)) {
			free(p->doc->published);
			p->doc->published = kb_xstrdup(iso);
		} else if (kb_ascii_eq(l->s, key_len, "source")) {
			free(p->doc->source);
			p->doc->source = kb_xstrdup(v);
		} else if (kb_ascii_eq(l->s, key_len, "url")) {
			free(p->doc->url);
			p->doc->url = kb_xstrdup(v);
		} else if (kb_ascii_eq(l->s, key_len, "author")) {
			kb_doc_add_byline(p->doc, "author", v, strlen(v));
		}
	}
	return i;
}

/* Drops boilerplate, records bylines and credits; what remains is text. */
static void classify(struct parse *p, size_t from)
{
	const char *pending = NULL;
	bool skip_headline = false;
	size_t seen = 0;
	for (size_t i = from; i < p->n; i++) {
		struct line *l = &p->lines[i];
		char iso[40];
		if (l->n == 0)
			continue;
		/* a time stamp near the headline is when it was published */
		if (++seen <= 8 && kb_date_parse_stamp(l->s, iso, sizeof iso)) {
			if (!p->doc->published)
				p->doc->published = kb_xstrdup(iso);
			continue;
		}
		if (pending) { /* the name under a bare "EDITOR" label */
			const char *role = pending;
			pending = NULL;
			if (kb_words(l->s, l->n) <= 6 && !strchr(".!?", l->s[l->n - 1])) {
				kb_doc_add_byline(p->doc, role, l->s, l->n);
				continue;
			}
		}
		if (skip_headline) { /* the headline under a bare "BACA JUGA" */
			skip_headline = false;
			if (kb_words(l->s, l->n) <= 25)
				continue;
		}
		l->n = kb_boiler_strip_note(l->s, l->n);
		if (l->n == 0)
			continue;
		switch (kb_boiler_classify(l->s, l->n)) {
		case KB_LINE_TEXT:
			break;
		case KB_LINE_READ_MORE_NEXT:
			skip_headline = true;
			continue;
		default:
			continue;
		}
		if (kb_boiler_byline(l->s, l->n, p->doc, &pending))
			continue;
		l->keep = true;
	}
}

/* "Headline | Section" -> "Headline". */
static void strip_title_suffix(char *t)
{
	char *bar = NULL;
	for (char *q = strstr(t, " | "); q; q = strstr(q + 1, " | "))
		bar = q;
	if (!bar)
		return;
	size_t before = kb_words(t, (size_t)(bar - t));
	size_t after = kb_words(bar + 3, strlen(bar + 3));
	if (before >= 3 && after <= 6 && after < before)
		*bar = '\0';
}

static bool same_text(const struct line *l, const char *s)
{
	return s && strlen(s) == l->n && memcmp(l->s, s, l->n) == 0;
}

/* The first real line is the title (unless the header gave one); short
 * masthead lines before it ("Tribun") are not article text. */
static void pick_title(struct parse *p)
{
	char *raw = NULL;
	size_t first = p->n;
	for (size_t i = 0; i < p->n; i++) {
		struct line *l = &p->lines[i];
		if (!l->keep)
			continue;
		if (p->doc->title) {
			first = i;
			break;
		}
		if (kb_words(l->s, l->n) < 3) {
			l->keep = false;
			continue;
		}
		raw = kb_xstrdup(l->s);
		p->doc->title = kb_xstrdup(l->s);
		strip_title_suffix(p->doc->title);
		l->keep = false;
		first = i + 1;
		break;
	}
	if (!p->doc->title) { /* only short lines: take the first of them */
		for (size_t i = 0; i < p->n && !p->doc->title; i++)
			if (p->lines[i].n && kb_boiler_classify(p->lines[i].s, p->lines[i].n) ==
						     KB_LINE_TEXT)
				p->doc->title = kb_xstrdup(p->lines[i].s);
		free(raw);
		return;
	}
	/* A title repeated as the next line is one title. */
	for (size_t i = first; i < p->n; i++) {
		struct line *l = &p->lines[i];
		if (!l->keep)
			continue;
		if (same_text(l, raw) || same_text(l, p->doc->title))
			l->keep = false;
		else
			break;
	}
	free(raw);
}

/* "--", "—", "–" or "-" (tried in this order). */
static bool is_dash(const char *s, size_t *len)
{
	if (s[0] == '-') {
		*len = s[1] == '-' ? 2 : 1;
		return true;
	}
	if (strncmp(s, "—", strlen("—")) == 0 || strncmp(s, "–", strlen("–")) == 0) {
		*len = strlen("—");
		return true;
	}
	return false;
}

/* Up to three capitalised words: a dateline's city. */
static bool city_like(const char *s, size_t n)
{
	size_t w = kb_words(s, n);
	if (w == 0 || w > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || s[i - 1] == ' ') && islower((unsigned char)s[i]))
			return false;
	return !memchr(s, '.', n) && !memchr(s, '(', n);
}

/* A dateline opens the story: "TRIBUNNEWS.COM - ", "JAKARTA, KOMPAS.com -
 * ", "Pyongyang (Lampost.co) -- ", "WASHINGTON (Reuters) - ".  Sets the
 * outlet and removes it from the line, keeping the city. */
static bool parse_dateline(struct parse *p, struct line *l)
{
	const char *s = l->s;
	const char *sep = NULL;
	size_t dash = 0;
	for (size_t i = 1; i + 2 < l->n && i < 80; i++) {
		if (s[i] == ' ' && is_dash(s + i + 1, &dash) && s[i + 1 + dash] == ' ') {
			sep = s + i;
			break;
		}
	}
	if (!sep)
		return false;
	size_t pre = (size_t)(sep - s);
	const char *outlet = NULL, *city = s;
	size_t outlet_n = 0, city_n = 0;
	if (s[pre - 1] == ')') { /* City (Outlet) */
		const char *open = memchr(s, '(', pre);
		if (!open)
			return false;
		outlet = open + 1;
		outlet_n = (size_t)(s + pre - 1 - outlet);
		city_n = (size_t)(open - s);
		while (city_n && (s[city_n - 1] == ' ' || s[city_n - 1] == ','))
			city_n--;
		if (kb_words(outlet, outlet_n) > 3 || (city_n && !city_like(city, city_n)))
			return false;
	} else { /* [CITY,] site.com */
		const char *sp = NULL;
		for (size_t i = pre; i-- > 0;)
			if (s[i] == ' ') {
				sp = s + i;
				break;
			}
		outlet = sp ? sp + 1 : s;
		outlet_n = (size_t)(s + pre - outlet);
		city_n = sp ? (size_t)(sp - s) : 0;
		while (city_n && (s[city_n - 1] == ' ' || s[city_n - 1] == ','))
			city_n--;
		if (!kb_boiler_is_domain(outlet, outlet_n) || (city_n && !city_like(city, city_n)))
			return false;
	}
	if (outlet_n == 0)
		return false;
	free(p->doc->source);
	p->doc->source = kb_xstrndup(outlet, outlet_n);

	struct kb_buf b = { 0 };
	if (city_n) { /* "MAKASSAR" is written "Makassar" */
		bool upper = kb_text_is_upper(city, city_n);
		for (size_t i = 0; i < city_n; i++) {
			char c = city[i];
			if (upper && i > 0 && city[i - 1] != ' ')
				c = (char)tolower((unsigned char)c);
			kb_buf_addc(&b, c);
		}
		kb_buf_adds(&b, " – ");
	}
	kb_buf_adds(&b, sep + 2 + dash);
	if (l->owned)
		free(l->s);
	l->n = b.len;
	l->s = kb_buf_steal(&b);
	l->owned = true;
	return true;
}

/* An upper-case site name ("TRIBUNNEWS.COM") takes the spelling the
 * article uses elsewhere ("Tribunnews.com"), or a capitalised one. */
static void tidy_outlet(struct parse *p, const char *text)
{
	char *src = p->doc->source;
	size_t n = strlen(src);
	if (!kb_text_is_upper(src, n))
		return;
	for (const char *q = strcasestr(text, src); q; q = strcasestr(q + 1, src)) {
		if (strncmp(q, src, n) != 0 && !kb_text_is_upper(q, n)) {
			memcpy(src, q, n);
			return;
		}
	}
	if (!memchr(src, '.', n))
		return;
	for (size_t i = 1; i < n; i++)
		src[i] = (char)tolower((unsigned char)src[i]);
}

/* A lone word naming the outlet ("Tribun", "Tribunnews") is masthead. */
static void drop_outlet_lines(struct parse *p)
{
	const char *src = p->doc->source;
	if (!src)
		return;
	size_t stem = strcspn(src, ".");
	for (size_t i = 0; i < p->n; i++) {
		struct line *l = &p->lines[i];
		if (l->keep && l->n >= 4 && l->n <= stem && kb_words(l->s, l->n) == 1 &&
		    strncasecmp(l->s, src, l->n) == 0)
			l->keep = false;
	}
}

/* k without the stops and spaces that end s[0..k). */
static size_t trim_stops(const char *s, size_t k)
{
	while (k > 0 && strchr(".!? ", s[k - 1]))
		k--;
	return k;
}

/* The first sentence of a line without its final stop, for spotting
 * captions printed twice (once with a credit, once without). */
static size_t first_sentence(const char *s, size_t n)
{
	size_t k = n, i = 41;
	/* the first ". ", "! " or "? " from byte 40 on, eight places at a time */
	while (KB_SWAR && i + 8 <= n) {
		uint64_t sp = kb_eq8(kb_load8(s + i), ' ');
		if (sp) {
			uint64_t before = kb_load8(s + i - 1);
			uint64_t hit = sp & (kb_eq8(before, '.') | kb_eq8(before, '!') |
					     kb_eq8(before, '?'));
			if (hit)
				return trim_stops(s, i + (size_t)__builtin_ctzll(hit) / 8);
		}
		i += 8;
	}
	for (; i < n; i++)
		if (s[i] == ' ' && (s[i - 1] == '.' || s[i - 1] == '!' || s[i - 1] == '?')) {
			k = i;
			break;
		}
	return trim_stops(s, k);
}

/* A line is a repeat when an earlier kept line (both of 20 bytes or more)
 * has the same text, or the same first sentence of 40 bytes or more.  The
 * kept lines' texts and first sentences go in a hash table, so that each
 * line is looked up once instead of compared with every line before it. */
struct seen {
	uint64_t hash;
	size_t line; /* index + 1; 0 is an empty slot */
	size_t len;  /* bytes hashed: the whole line or its first sentence */
	bool whole;
};

static bool seen_find(const struct seen *t, size_t mask, const struct parse *p,
		      uint64_t h, const char *s, size_t len, bool whole)
{
	for (size_t i = (size_t)h & mask; t[i].line; i = (i + 1) & mask) {
		const struct seen *e = &t[i];
		if (e->hash == h && e->whole == whole && e->len == len &&
		    memcmp(p->lines[e->line - 1].s, s, len) == 0)
			return true;
	}
	return false;
}

static void seen_add(struct seen *t, size_t mask, size_t line, uint64_t h, size_t len,
		     bool whole)
{
	size_t i = (size_t)h & mask;
	while (t[i].line)
		i = (i + 1) & mask;
	t[i] = (struct seen){ .hash = h, .line = line + 1, .len = len, .whole = whole };
}

static void drop_repeats(struct parse *p)
{
	size_t count = 0;
	for (size_t i = 0; i < p->n; i++)
		count += p->lines[i].keep && p->lines[i].n >= 20;
	if (count < 2)
		return;
	size_t cap = 16;
	while (cap < count * 4) /* two keys a line, at most half full */
		cap *= 2;
	struct seen *t = kb_xcalloc(cap, sizeof *t);
	size_t mask = cap - 1;
	for (size_t i = 0; i < p->n; i++) {
		struct line *l = &p->lines[i];
		if (!l->keep || l->n < 20)
			continue;
		size_t k = first_sentence(l->s, l->n);
		uint64_t hw = XXH3_64bits(l->s, l->n);
		uint64_t hs = k >= 40 ? XXH3_64bits(l->s, k) : 0;
		if (seen_find(t, mask, p, hw, l->s, l->n, true) ||
		    (k >= 40 && seen_find(t, mask, p, hs, l->s, k, false))) {
			l->keep = false;
			continue;
		}
		seen_add(t, mask, i, hw, l->n, true);
		if (k >= 40)
			seen_add(t, mask, i, hs, k, false);
	}
	free(t);
}

static bool ends_sentence(const struct line *l)
{
	if (l->n == 0)
		return true;
	const char *last = l->s + l->n - 1;
	if (strchr(".!?:;\"')", *last))
		return true;
	return l->n >= 3 && (strncmp(last - 2, "”", 3) == 0 || strncmp(last - 2, "’", 3) == 0 ||
			     strncmp(last - 2, "…", 3) == 0);
}

/* A line of a hard-wrapped paragraph runs on into the next one: it does
 * not end a sentence, and the next line starts in lower case or this one
 * is as long as wrapped lines are (subheadings are short). */
static bool runs_on(const struct line *l, const struct line *next)
{
	if (ends_sentence(l))
		return false;
	return islower((unsigned char)next->s[0]) || l->n >= 55;
}

/* Builds the body from the kept lines.  Inside a block of consecutive
 * lines that are all as short as hard-wrapped text (100 bytes or less),
 * lines that run on are joined; otherwise every line is a paragraph. */
static void build_body(struct parse *p)
{
	struct kb_buf b = { 0 };
	size_t i = 0;
	while (i < p->n) {
		if (!p->lines[i].keep) {
			i++;
			continue;
		}
		size_t j = i, total = 0;
		bool short_lines = true;
		for (; j < p->n && p->lines[j].n > 0; j++) {
			if (p->lines[j].keep) {
				total++;
				short_lines &= p->lines[j].n <= 100;
			}
		}
		bool reflow = total >= 2 && short_lines;
		struct line *prev = NULL;
		for (size_t k = i; k < j; k++) {
			struct line *l = &p->lines[k];
			if (!l->keep)
				continue;
			if (prev && reflow && runs_on(prev, l))
				kb_buf_addc(&b, ' ');
			else if (b.len)
				kb_buf_adds(&b, "\n\n");
			kb_buf_add(&b, l->s, l->n);
			prev = l;
		}
		i = j;
	}
	p->doc->body = kb_buf_steal(&b);
}

/* What every reader's text goes through once its title is known: the
 * dateline (a source given before wins over it), the outlet's masthead,
 * credits, repeats, and the body. */
static void finish(struct parse *p, const char *text, bool source_given)
{
	struct kb_doc *doc = p->doc;
	char *given = source_given && doc->source ? kb_xstrdup(doc->source) : NULL;
	size_t seen = 0;
	for (size_t i = 0; i < p->n && seen < 4; i++) {
		if (!p->lines[i].keep)
			continue;
		seen++;
		if (parse_dateline(p, &p->lines[i]))
			break;
	}
	if (given) {
		free(doc->source);
		doc->source = given;
	}
	if (doc->source)
		tidy_outlet(p, text);
	drop_outlet_lines(p);

	for (size_t i = 0; i < p->n; i++)
		if (p->lines[i].keep)
			p->lines[i].n = kb_boiler_strip_credit(p->lines[i].s, p->lines[i].n, doc);
	drop_repeats(p);
	build_body(p);

	for (size_t i = 0; i < p->n; i++)
		if (p->lines[i].owned)
			free(p->lines[i].s);
	free(p->lines);
	free(p->buf);
}

int kb_parse_text(const char *text, size_t n, struct kb_doc *doc, const char **why)
{
	struct parse p = { .doc = doc };
	split_lines(&p, text, n);
	size_t from = parse_header(&p);
	classify(&p, from);
	pick_title(&p);
	/* a Source: header wins over the dateline, and the dateline over a
	 * credit line at the end */
	finish(&p, text, from > 0);
	if (!doc->title || !*doc->title) {
		*why = "no article text found";
		return -1;
	}
	*why = NULL;
	return 0;
}

void kb_parse_body(const char *text, size_t n, struct kb_doc *doc)
{
	struct parse p = { .doc = doc };
	split_lines(&p, text, n);
	classify(&p, 0);
	for (size_t i = 0; i < p.n; i++) /* the headline again, or the title */
		if (p.lines[i].keep && same_text(&p.lines[i], doc->title))
			p.lines[i].keep = false;
	finish(&p, text, true);
	if (!doc->body)
		doc->body = kb_xstrdup("");
}
