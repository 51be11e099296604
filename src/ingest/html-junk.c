/* html-junk.c - what an element's tag, role, class and id say about it:
 * boilerplate (navigation, widgets, comments, hidden) or article text.
 *
 * A class or id is split into names (at spaces) and each name into words
 * (at non-letters and camelCase humps); each word is looked up: words of
 * article text, of page regions, of widgets, of comments, and of states
 * that make a name say nothing.  The kinds decide together, per name and
 * then per attribute (see judge_name and judge_names); doc/html.md has the
 * reasoning. */
#include "config.h"

#include "internal.h"
#include "html.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "kabar/util.h"

/* What a word in a class or id says. */
enum {
	W_POS = 1,    /* names article text */
	W_LAYOUT = 2, /* a page region: junk unless the same name is positive */
	W_WIDGET = 3, /* a widget: junk even beside a positive word */
	W_STATE = 4,  /* "has-", "with-", "-enabled": the name says nothing */
	W_WHOLE = 5,  /* junk only as the whole name ("hidden", not "label-hidden") */
	W_TALK = 6,   /* comments: junk always, however long */
};

struct word {
	const char *w;
	bool prefix; /* also longer words that start with it */
	uint8_t kind;
};

/* sorted (strcmp); English and Indonesian */
static const struct word words[] = {
	{ "active", false, W_STATE },
	{ "ad", false, W_WIDGET },
	{ "ads", false, W_WIDGET },
	{ "adsense", false, W_WIDGET },
	{ "advert", true, W_WIDGET },
	{ "agegate", false, W_WIDGET },
	{ "allowed", false, W_STATE },
	{ "article", true, W_POS },
	{ "aside", false, W_LAYOUT },
	{ "baca", false, W_WIDGET }, /* "baca-juga": read also */
	{ "bagikan", false, W_WIDGET },
	{ "banner", true, W_LAYOUT },
	{ "bio", false, W_WIDGET },
	{ "blog", false, W_POS },
	{ "body", false, W_POS },
	{ "breadcrumb", true, W_WIDGET },
	{ "byline", true, W_WIDGET },
	{ "caption", true, W_WIDGET },
	{ "closed", false, W_STATE },
	{ "comment", true, W_TALK },
	{ "community", false, W_LAYOUT },
	{ "consent", true, W_WIDGET },
	{ "content", false, W_POS },
	{ "cookie", true, W_WIDGET },
	{ "copyright", false, W_WIDGET },
	{ "dfp", false, W_WIDGET },
	{ "disabled", false, W_STATE },
	{ "disqus", true, W_TALK },
	{ "donate", true, W_WIDGET },
	{ "donation", true, W_WIDGET },
	{ "enabled", false, W_STATE },
	{ "entry", false, W_POS },
	{ "facebook", false, W_WIDGET },
	{ "foot", false, W_LAYOUT },
	{ "footer", true, W_LAYOUT },
	{ "gdpr", false, W_WIDGET },
	{ "has", false, W_STATE },
	{ "header", false, W_LAYOUT },
	{ "hentry", false, W_POS },
	{ "hidden", false, W_WHOLE },
	{ "hide", false, W_WHOLE },
	{ "iklan", true, W_WIDGET },
	{ "keywords", false, W_WIDGET },
	{ "komentar", true, W_TALK },
	{ "login", false, W_WIDGET },
	{ "logo", false, W_WIDGET },
	{ "main", false, W_POS },
	{ "masthead", false, W_LAYOUT },
	{ "menu", true, W_LAYOUT },
	{ "meta", false, W_WIDGET },
	{ "modal", false, W_WIDGET },
	{ "nav", true, W_LAYOUT },
	{ "newsletter", true, W_WIDGET },
	{ "no", false, W_STATE },
	{ "non", false, W_STATE },
	{ "not", false, W_STATE },
	{ "open", false, W_STATE },
	{ "outbrain", false, W_WIDGET },
	{ "overlay", false, W_WIDGET },
	{ "pager", false, W_WIDGET },
	{ "pagination", false, W_WIDGET },
	{ "popular", false, W_WIDGET },
	{ "populer", false, W_WIDGET },
	{ "popup", true, W_WIDGET },
	{ "post", false, W_POS },
	{ "promo", true, W_WIDGET },
	{ "rating", false, W_WIDGET },
	{ "recommend", true, W_WIDGET },
	{ "related", true, W_WIDGET },
	{ "replies", false, W_TALK },
	{ "reply", false, W_TALK },
	{ "rss", false, W_WIDGET },
	{ "search", false, W_WIDGET },
	{ "share", true, W_WIDGET },
	{ "sharing", false, W_WIDGET },
	{ "shopping", false, W_WIDGET },
	{ "sidebar", true, W_LAYOUT },
	{ "signup", false, W_WIDGET },
	{ "skip", false, W_WIDGET },
	{ "social", true, W_WIDGET },
	{ "sponsor", true, W_WIDGET },
	{ "story", false, W_POS },
	{ "subscri", true, W_WIDGET },
	{ "taboola", false, W_WIDGET },
	{ "tags", false, W_WIDGET },
	{ "terkait", false, W_WIDGET },
	{ "terpopuler", false, W_WIDGET },
	{ "text", false, W_POS },
	{ "toolbar", false, W_WIDGET },
	{ "trending", false, W_WIDGET },
	{ "twitter", false, W_WIDGET },
	{ "whatsapp", false, W_WIDGET },
	{ "widget", true, W_LAYOUT },
	{ "with", false, W_STATE },
};

static const struct word *lookup(const char *w, size_t n)
{
	size_t lo = 0, hi = KB_ARRAY_LEN(words);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(words[mid].w, w, n);
		if (c == 0 && words[mid].w[n] != '\0')
			c = 1;
		if (c == 0)
			return &words[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the longest prefix entry that starts w ("comments", "navbar"):
	 * prefixes of w sort before it, among the entries with its first
	 * letter, the longest nearest */
	for (size_t i = lo; i-- > 0 && words[i].w[0] == w[0];) {
		size_t k = strlen(words[i].w);
		if (words[i].prefix && k < n && strncmp(words[i].w, w, k) == 0)
			return &words[i];
	}
	return NULL;
}

/* One class name or id ("article-comments", "relatedPosts"): split into
 * words at non-letters and camelCase humps.  Sets the junk level
 * (0, 1 layout, 2 widget) and the weight (-25, 0, +25). */
static void judge_name(const char *s, size_t len, uint8_t *junk, int *weight, bool *pos_name)
{
	char w[32];
	size_t n = 0, nwords = 0;
	bool pos = false, layout = false, widget = false, state = false, whole = false,
	     talk = false;
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)s[i] : '\0';
		bool hump = n > 0 && isupper(c) && islower((unsigned char)s[i - 1]);
		if (!isalnum(c) || hump) {
			if (n > 0 && n < sizeof w) {
				nwords++;
				const struct word *e = lookup(w, n);
				if (e) {
					pos |= e->kind == W_POS;
					layout |= e->kind == W_LAYOUT;
					widget |= e->kind == W_WIDGET;
					state |= e->kind == W_STATE;
					whole |= e->kind == W_WHOLE;
					talk |= e->kind == W_TALK;
				}
			}
			n = 0;
			if (!hump)
				continue;
		}
		if (n < sizeof w - 1) {
			w[n] = (char)tolower(c);
			w[n + 1] = '\0';
		}
		n++;
	}
	if (state)
		return;
	if (talk) {
		*junk = 3;
		*weight -= 25;
	} else if (widget || (whole && nwords == 1)) {
		if (*junk < 2)
			*junk = 2;
		*weight -= 25;
	} else if (layout && !pos) {
		if (*junk < 1)
			*junk = 1;
		*weight -= 25;
	} else if (pos) {
		*weight += 25;
		*pos_name = true;
	}
}

/* A class attribute (names separated by spaces) or an id. */
static void judge_names(const char *s, uint8_t *junk, int *weight)
{
	int wt = 0;
	uint8_t j = 0;
	bool pos = false;
	for (const char *p = s; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		const char *e = p;
		while (*e && *e != ' ' && *e != '\t' && *e != '\n')
			e++;
		if (e > p)
			judge_name(p, (size_t)(e - p), &j, &wt, &pos);
		p = e;
	}
	/* a name that says article text ("article__body") outweighs a
	 * widget or layout word in another name ("article-overlay-handle"),
	 * never comments */
	if (pos && j < 3)
		j = 0;
	if (j > *junk)
		*junk = j;
	/* one attribute weighs at most one step either way */
	*weight += wt > 0 ? 25 : wt < 0 ? -25 : 0;
	/* screen-reader-only text ("Advertisement", "Skip to content") */
	if (strstr(s, "sr-only") || strstr(s, "visually-hidden") || strstr(s, "screen-reader") ||
	    strstr(s, "visuallyhidden"))
		*junk = 4;
}

static const char *const junk_roles[] = {
	"navigation", "menu", "menubar", "complementary", "banner", "contentinfo",
	"dialog",     "alert", "alertdialog", "search", "toolbar",
};

static bool dateish(const char *s)
{
	static const char *const keys[] = { "date", "time", "byline", "publish", "posted" };
	for (size_t i = 0; s && i < KB_ARRAY_LEN(keys); i++)
		if (strcasestr(s, keys[i]))
			return true;
	return false;
}

void kb_html_judge(const xmlNode *n, struct kb_html_verdict *v)
{
	const char *name = (const char *)n->name;
	int weight = 0;
	uint8_t junk = 0;
	memset(v, 0, sizeof *v);
	if (kb_html_hidden(n)) {
		v->junk = 4;
		return;
	}
	const char *ip = kb_html_attr(n, "itemprop");
	if (ip && strcasecmp(ip, "articleBody") == 0) {
		v->body = true;
		v->weight = 50;
		return;
	}
	/* the document, its main landmarks and quotes are never boilerplate,
	 * whatever their classes say ("has-sidebar", "tag-news",
	 * "twitter-tweet") */
	bool landmark = strcmp(name, "html") == 0 || strcmp(name, "body") == 0 ||
			strcmp(name, "main") == 0 || strcmp(name, "article") == 0 ||
			strcmp(name, "blockquote") == 0;
	if (strcmp(name, "nav") == 0 || strcmp(name, "aside") == 0)
		junk = 2;
	else if (strcmp(name, "footer") == 0 || strcmp(name, "header") == 0)
		junk = 1;
	const char *role = kb_html_attr(n, "role");
	if (role)
		for (size_t i = 0; i < KB_ARRAY_LEN(junk_roles); i++)
			if (strcasecmp(role, junk_roles[i]) == 0)
				junk = 2;
	const char *cls = kb_html_attr(n, "class"), *id = kb_html_attr(n, "id");
	v->dateish = dateish(cls) || dateish(id);
	uint8_t cj = 0;
	if (cls)
		judge_names(cls, &cj, &weight);
	if (id)
		judge_names(id, &cj, &weight);
	if (!landmark && cj > junk)
		junk = cj;
	v->junk = junk;
	v->weight = (int16_t)weight;
}

