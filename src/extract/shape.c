/* shape.c - the words of a name: what the tagger's spans keep and what
 * type their words give them.
 *
 * The tagger learnt from Indonesian sentences; in English news it runs
 * names into the words around them ("The Ministry of Transport",
 * "Thailand's Supreme Court", "Premier Li Qiang") and knows nothing of
 * English head nouns ("Port Authority", "Timor Sea").  These rules are
 * about how names are written, in either language, not about any name. */
#include "config.h"

#include "shape.h"

#include "kabar/date.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Sorted lowercase word lists, searched with bsearch. */
static int cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static bool in_list(const char *const *list, size_t n, const char *w, size_t len)
{
	char low[32];
	if (len == 0 || len >= sizeof low)
		return false;
	for (size_t i = 0; i < len; i++)
		low[i] = (char)tolower((unsigned char)w[i]);
	low[len] = '\0';
	return bsearch(low, list, n, sizeof *list, cmp_word) != NULL;
}

#define IN(list, w, n) in_list(list, sizeof list / sizeof *list, w, n)

/* Words that start a sentence with a capital but never a name: articles,
 * pronouns, conjunctions, prepositions, quantities. */
static const char *const function_words[] = {
	"a", "after", "all", "also", "an", "and", "another", "any", "as", "at", "before",
	"both", "but", "by", "dan", "dari", "dengan", "di", "dia", "each", "either",
	"even", "every", "few", "for", "from", "he", "her", "here", "his", "how",
	"ia", "if", "in", "ini", "into", "it", "its", "itu", "juga", "kami", "ke", "kita",
	"many", "mereka", "more", "most", "much", "my", "namun", "neither", "no", "nor",
	"not", "of", "oleh", "on", "only", "or", "other", "our", "pada", "para", "several",
	"she", "since", "some", "such", "than", "that", "the", "their", "then",
	"there", "these", "they", "this", "those", "to", "untuk", "we", "what", "when",
	"where", "which", "while", "who", "whose", "why", "with", "without", "yang", "yet",
	"you", "your",
};

/* Words of direction or kind that make no name alone ("Southern"). */
static const char *const never_alone[] = {
	"central", "east", "eastern", "north", "northern", "south", "southern", "west",
	"western",
};

/* The last word of an organisation's name. */
static const char *const org_last[] = {
	"administration", "advisory", "agency", "airlines", "airways", "army",
	"association", "authority", "bank", "bhd", "board", "bureau", "capital", "center",
	"centre", "chamber", "club", "co", "co.", "coalition", "college", "command",
	"commission", "committee", "company", "corp", "corp.", "corporation", "corps",
	"council", "court", "department", "electronics", "engineering", "exchange",
	"federation", "forces", "forum", "foundation", "fund", "group", "guard", "holdings", "inc",
	"inc.", "industries", "institute", "institution", "league", "limited", "llc",
	"logistics", "ltd", "ltd.", "management", "ministry", "motors", "navy", "office",
	"organisation", "organization", "parliament", "partners", "party", "persero",
	"petrochemical", "pharmaceutical", "pharmaceuticals", "plc", "police", "pte",
	"ratings", "securities", "service", "services", "shipping", "society", "survey",
	"tbk", "terminals", "tribunal", "union", "university", "watch",
};

/* The first word of an organisation's name ("Bank of Korea"). */
static const char *const org_first[] = {
	"bank", "council", "court", "department", "ministry", "university",
};

/* The last word of a place's name ("Timor Sea", "Tuas Port"), facilities
 * too ("Andersen Air Base", "Vostochny Cosmodrome"). */
static const char *const loc_last[] = {
	"airbase", "airfield", "airport", "archipelago", "base", "basin", "bay", "beach",
	"canal", "channel", "city", "coast", "cosmodrome", "county", "delta", "desert",
	"district", "gulf", "harbor", "harbour", "highlands", "highway", "island", "islands",
	"lagoon", "lake", "mountains", "ocean", "palace", "peninsula", "plateau", "port",
	"province", "reef", "regency", "region", "river", "road", "sea", "shoal",
	"spaceport", "square", "stadium", "strait", "straits", "street", "valley",
	"volcano", "zone",
};

/* The first word of a place's name ("Mount Hagen", "Strait of Malacca"),
 * Indonesian facilities too ("Kosmodrom Vostochny", "Pangkalan Udara
 * Halim", "Istana Merdeka"): a name so headed is never a person. */
static const char *const loc_first[] = {
	"bandara", "benteng", "cape", "gulf", "istana", "kosmodrom", "lake", "lapangan",
	"mount", "mt", "mt.", "pangkalan", "pelabuhan", "port", "sea", "stadion", "stasiun",
	"strait",
};

struct word {
	uint32_t start, end;
};

static bool name_word(const char *text, struct word w);
static bool joining_word(const char *text, struct word w);

/* "Chinese-owned", "Singapore-flagged", "state-run": a hyphenated word
 * that describes a name, not part of it. */
static bool descriptor(const char *text, struct word w)
{
	const char *s = text + w.start, *e = text + w.end, *h = NULL;
	for (const char *p = s; p < e; p++)
		if (*p == '-')
			h = p;
	if (!h || h == s || e - h < 3 || (e - h == 6 && memcmp(h + 1, "based", 5) == 0))
		return false; /* "Singapore-based" names its place */
	for (const char *p = h + 1; p < e; p++)
		if (!islower((unsigned char)*p))
			return false;
	return (e - h > 3 && e[-2] == 'e' && e[-1] == 'd') || (e - h == 4 && memcmp(h + 1, "run", 3) == 0);
}

/* The words of text[start, end): runs of bytes between spaces. */
static size_t words_of(const char *text, uint32_t start, uint32_t end, struct word *w, size_t max)
{
	size_t n = 0;
	for (uint32_t p = start; p < end && n < max;) {
		while (p < end && text[p] == ' ')
			p++;
		uint32_t q = p;
		while (q < end && text[q] != ' ')
			q++;
		if (q > p)
			w[n++] = (struct word){ p, q };
		p = q;
	}
	return n;
}

static bool lowercase_word(const char *text, struct word w)
{
	return islower((unsigned char)text[w.start]);
}

static bool capitalised(const char *text, struct word w)
{
	unsigned char c = (unsigned char)text[w.start];
	return isupper(c) || c >= 0x80;
}

/* The bytes of a possessive ending ("'s", "’s") of word w, or 0. */
static size_t possessive(const char *text, struct word w)
{
	size_t n = w.end - w.start;
	const char *e = text + w.end;
	if (n > 2 && e[-1] == 's' && e[-2] == '\'')
		return 2;
	if (n > 4 && e[-1] == 's' && memcmp(e - 4, "\xe2\x80\x99", 3) == 0)
		return 4;
	return 0;
}

/* "Beijing on Wednesday": a day or a month after a lowercase word ends no
 * name ("Park Min Jun" is a name: "Jun" is also June) */
static bool calendar_word(const char *text, struct word w)
{
	return kb_date_weekday(text + w.start, w.end - w.start) ||
	       kb_date_month(text + w.start, w.end - w.start);
}

/* ("WHO" is an acronym, not "who") */
static bool function_word(const char *text, struct word w)
{
	size_t n = w.end - w.start;
	return !(n > 1 && isupper((unsigned char)text[w.start]) &&
		 isupper((unsigned char)text[w.start + 1])) &&
	       IN(function_words, text + w.start, n);
}

static bool word_is(const struct kb_ner *ner, const char *text, struct word w,
		    enum kb_word_kind kind)
{
	return kb_ner_word_is(ner, text + w.start, w.end - w.start, kind);
}

static bool title_word(const struct kb_ner *ner, const char *text, struct word w)
{
	return word_is(ner, text, w, KB_WORD_TITLE);
}

/* A word of the sentence before a name: lowercase ("the", "agency's"),
 * but not the start of a place ("desa Kemu", "jalan Mahakam"), or a
 * function word, but not a family name ("An Chang-ho"). */
static bool sentence_word_before(const struct kb_ner *ner, const char *text, struct word w)
{
	if (lowercase_word(text, w))
		return !word_is(ner, text, w, KB_WORD_PLACE);
	return function_word(text, w) && !word_is(ner, text, w, KB_WORD_FAMILY);
}

/* "Indonesian", "Chinese", "Pakistani": a word for the people of a
 * country the gazetteer knows, which is not itself a place. */
static bool demonym(const struct kb_ner *ner, const char *w, size_t n)
{
	char key[64], cand[64];
	if (n < 4 || n > 40)
		return false;
	static const struct {
		const char *suffix, *add[4];
	} rules[] = {
		{ "ese", { "", "a", NULL } },         /* Japanese, Chinese */
		{ "ian", { "", "ia", "a", "y" } },    /* Iranian, Indonesian, Canadian, Italian */
		{ "an", { "a", "o", NULL } },         /* Korean, Mexican */
		{ "n", { "", NULL } },                /* Russian, Australian */
		{ "i", { "", NULL } },                /* Pakistani, Israeli */
		{ "ish", { "ey", "and", NULL } },     /* Turkish, Polish */
		{ "ine", { "ines", NULL } },          /* Philippine */
	};
	bool place = false, checked = false;
	for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
		size_t sl = strlen(rules[r].suffix);
		if (n <= sl + 2 || strncmp(w + n - sl, rules[r].suffix, sl) != 0)
			continue;
		/* the word itself a place ("Oman", "Bahrain") */
		if (!checked) {
			place = kb_ner_place_key(ner, w, n, key, sizeof key);
			checked = true;
		}
		if (place)
			return false;
		for (size_t a = 0; a < 4 && rules[r].add[a]; a++) {
			size_t al = strlen(rules[r].add[a]);
			memcpy(cand, w, n - sl);
			memcpy(cand + n - sl, rules[r].add[a], al);
			if (kb_ner_place_key(ner, cand, n - sl + al, key, sizeof key))
				return true;
		}
	}
	return false;
}

/* What the head words of w[0..n) say the name is, or KB_ENT_NONE. */
static enum kb_ent_type head_type(const char *text, const struct word *w, size_t n)
{
	if (n < 2)
		return KB_ENT_NONE;
	const char *first = text + w[0].start, *last = text + w[n - 1].start;
	size_t fl = w[0].end - w[0].start, ll = w[n - 1].end - w[n - 1].start;
	if (IN(org_last, last, ll) || IN(org_first, first, fl))
		return KB_ENT_ORG;
	if (IN(loc_last, last, ll) || IN(loc_first, first, fl))
		return KB_ENT_PLACE;
	return KB_ENT_NONE;
}

#define MAXWORDS 24

struct out {
	struct kb_span *s;
	size_t n, max;
};

static void shape(const struct kb_ner *ner, const char *text, uint32_t start, uint32_t end,
		  enum kb_ent_type type, struct out *o)
{
	struct word w[MAXWORDS];
	size_t n = words_of(text, start, end, w, MAXWORDS);
	if (n == 0 || n == MAXWORDS)
		return;
	/* "Thailand's Supreme Court": two names */
	for (size_t i = 0; i + 1 < n; i++) {
		size_t ps = possessive(text, w[i]);
		if (!ps)
			continue;
		shape(ner, text, w[0].start, w[i].end - (uint32_t)ps, type, o);
		shape(ner, text, w[i + 1].start, w[n - 1].end, type, o);
		return;
	}
	/* "Chinese Foreign Minister Wang Yi", "Premier Li Qiang": in a
	 * person's span, a title ends what comes before it, which is not the
	 * person ("General Motors" is no title and a name: only persons) */
	for (size_t i = n - 1; type == KB_ENT_PERSON && i-- > 0;) {
		if (!title_word(ner, text, w[i]) || !capitalised(text, w[i + 1]))
			continue;
		/* "Pak Jokowi" (Mr Jokowi), but "Pak Jong Chon" (a family name) */
		if (i + 2 < n && word_is(ner, text, w[i], KB_WORD_FAMILY))
			continue;
		if (i > 0)
			shape(ner, text, w[0].start, w[i - 1].end, KB_ENT_NONE, o);
		shape(ner, text, w[i + 1].start, w[n - 1].end, KB_ENT_PERSON, o);
		return;
	}
	/* leading and trailing words that belong to the sentence, and a
	 * title after a name ("Bank Indonesia Governor") */
	size_t a = 0, b = n;
	while (a < b && (sentence_word_before(ner, text, w[a]) || descriptor(text, w[a])))
		a++;
	/* "Anti-graft group Indonesia Corruption Watch": a lowercase word
	 * that joins nothing ends what came before */
	for (size_t i = b; i-- > a + 1;)
		if (lowercase_word(text, w[i]) && !joining_word(text, w[i]) && i + 1 < b &&
		    capitalised(text, w[i + 1])) {
			a = i + 1;
			break;
		}
	while (b > a && (lowercase_word(text, w[b - 1]) || function_word(text, w[b - 1]) ||
			 title_word(ner, text, w[b - 1]) ||
			 (b - a > 2 && calendar_word(text, w[b - 1]) && lowercase_word(text, w[b - 2]))))
		b--;
	if (a == b)
		return;
	/* "a Singapore-based firm": the place it is based in */
	size_t based = kb_shape_based(text + w[b - 1].start, w[b - 1].end - w[b - 1].start);
	if (based) {
		w[b - 1].end = w[b - 1].start + (uint32_t)based;
		type = KB_ENT_PLACE;
	}
	const char *s = text + w[a].start;
	size_t len = w[b - 1].end - w[a].start;
	if (b - a == 1 && (IN(never_alone, s, len) || demonym(ner, s, len)))
		return;
	enum kb_ent_type head = head_type(text, w + a, b - a);
	if (head != KB_ENT_NONE)
		type = head;
	if (type == KB_ENT_NONE) {
		/* what is left of a person span before a title: a place the
		 * gazetteer knows, or nothing */
		char key[64];
		if (!kb_ner_place_key(ner, s, len, key, sizeof key))
			return;
		type = KB_ENT_PLACE;
	}
	if (o->n < o->max)
		o->s[o->n++] = (struct kb_span){ w[a].start, w[b - 1].end, type };
}

/* A head word cannot start a name: "Strait" in "the Makassar Strait" is
 * the end of one that starts before it. */
static uint32_t name_start(const char *text, uint32_t start, uint32_t end)
{
	struct word w[1];
	if (!words_of(text, start, end, w, 1))
		return start;
	const char *s = text + w[0].start;
	size_t len = w[0].end - w[0].start;
	if (!capitalised(text, w[0]) || !(IN(loc_last, s, len) || IN(org_last, s, len)))
		return start;
	while (start >= 2 && text[start - 1] == ' ') {
		uint32_t b = start - 1, a = b;
		while (a > 0 && text[a - 1] != ' ' && text[a - 1] != '\n')
			a--;
		struct word p = { a, b };
		if (a == b || !name_word(text, p) || !isalpha((unsigned char)text[b - 1]))
			break;
		start = a;
	}
	return start;
}

size_t kb_shape_span(const struct kb_ner *ner, const char *text, struct kb_span in,
		     struct kb_span *out, size_t max)
{
	struct out o = { out, 0, max };
	in.start = name_start(text, in.start, in.end);
	shape(ner, text, in.start, in.end, in.type, &o);
	return o.n;
}

/* Capitalised, or a number ("Jalan Mahakam 1"); not a function word. */
static bool name_word(const char *text, struct word w)
{
	return capitalised(text, w) && !function_word(text, w) && !possessive(text, w);
}

/* Whether word w is one of the lowercase words in list ("of for"). */
static bool word_among(const char *text, struct word w, const char *list)
{
	size_t n = w.end - w.start;
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");
		if (l == n && memcmp(p, text + w.start, n) == 0)
			return true;
		p += l + (p[l] == ' ');
	}
	return false;
}

/* The words that take "of" or "for" and a name after them. */
static const char *const of_heads[] = {
	"agency", "association", "authority", "bank", "bureau", "cape", "center", "centre",
	"college", "commission", "committee", "council", "court", "department", "federation",
	"gulf", "institute", "ministry", "office", "port", "sea", "strait", "straits",
	"university",
};

size_t kb_shape_of_names(const char *text, size_t n, struct kb_span *out, size_t max)
{
	struct word w[512];
	size_t nw = words_of(text, 0, (uint32_t)n, w, 512), k = 0;
	for (size_t i = 0; i + 2 < nw && k < max; i++) {
		const char *s = text + w[i].start;
		size_t len = w[i].end - w[i].start;
		if (!capitalised(text, w[i]) || !IN(of_heads, s, len))
			continue;
		if (!word_among(text, w[i + 1], "of for") || !capitalised(text, w[i + 2]) ||
		    function_word(text, w[i + 2]))
			continue;
		/* capitalised words before the head, in the same phrase */
		size_t a = i;
		while (a > 0 && name_word(text, w[a - 1]) && w[a - 1].end + 1 == w[a].start)
			a--;
		/* after it: capitalised words, joined by "of", "for", "and" */
		size_t b = i + 3;
		for (;;) {
			if (text[w[b - 1].end - 1] == ',' || text[w[b - 1].end - 1] == '.' ||
			    possessive(text, w[b - 1]))
				break;
			if (b < nw && name_word(text, w[b])) {
				b++;
				continue;
			}
			if (b + 1 < nw && name_word(text, w[b + 1]) &&
			    word_among(text, w[b], "of for and")) {
				b += 2;
				continue;
			}
			break;
		}
		/* the name ends before trailing punctuation and a possessive */
		uint32_t end = w[b - 1].end;
		while (end > w[b - 1].start && strchr(",.;:\"')", text[end - 1]))
			end--;
		size_t ps = possessive(text, (struct word){ w[b - 1].start, end });
		end -= (uint32_t)ps;
		enum kb_ent_type t = head_type(text, w + a, b - a);
		out[k++] = (struct kb_span){ w[a].start, end, t != KB_ENT_NONE ? t : KB_ENT_ORG };
		i = b - 1;
	}
	return k;
}

size_t kb_shape_dateline(const char *text, size_t n, struct kb_span *out)
{
	/* "JAKARTA (Reuters) -", "SEOUL, March 3 (AFP) -", "PORT MORESBY —" */
	size_t e = 0;
	bool letters = false;
	while (e < n && (isupper((unsigned char)text[e]) || text[e] == ' ' || text[e] == '-' ||
			 text[e] == '.')) {
		letters |= isupper((unsigned char)text[e]) != 0;
		if (text[e] == ' ' && e + 1 < n && !isupper((unsigned char)text[e + 1]))
			break;
		e++;
	}
	while (e > 0 && (text[e - 1] == ' ' || text[e - 1] == '-'))
		e--;
	if (!letters || e < 3 || e >= n)
		return 0;
	const char *r = text + e;
	size_t rn = n - e;
	if (!(*r == ',' || (rn > 2 && r[0] == ' ' && (r[1] == '(' || r[1] == '-')) ||
	      (rn > 4 && r[0] == ' ' && (memcmp(r + 1, "\xe2\x80\x94", 3) == 0 ||
					 memcmp(r + 1, "\xe2\x80\x93", 3) == 0))))
		return 0;
	*out = (struct kb_span){ 0, (uint32_t)e, KB_ENT_PLACE };
	return 1;
}

/* Lowercase words that join the words of one name ("Ministry of Marine
 * Affairs and Fisheries", "Badan Pengawas Obat dan Makanan"). */
static const char *const connectors[] = {
	"al", "and", "bin", "bint", "binti", "da", "dan", "das", "de", "del", "dela", "della",
	"den", "der", "di", "do", "dos", "du", "e", "el", "for", "ibn", "la", "le", "of", "on",
	"the", "untuk", "van", "von", "y",
};

/* Lowercase words inside persons' names ("Ursula von der Leyen",
 * "Mohammed bin Salman", "Maria da Costa"). */
static const char *const particles[] = {
	"al", "bin", "bint", "binti", "da", "das", "de", "del", "dela", "della", "den", "der",
	"do", "dos", "el", "ibn", "la", "le", "ter", "van", "von",
};

bool kb_shape_joins(const char *text, struct kb_span a, struct kb_span b)
{
	if (b.start <= a.end || text[a.end] != ' ')
		return false;
	if (b.start == a.end + 1) {
		if (a.type == b.type)
			return true; /* "Kim" "Jong Un" */
		/* "Singapore" "Strait": a head word after a name */
		struct word w[2];
		size_t n = words_of(text, b.start, b.end, w, 2);
		const char *s = text + b.start;
		size_t len = b.end - b.start;
		return n == 1 && (IN(loc_last, s, len) || IN(org_last, s, len));
	}
	if (a.type != KB_ENT_PERSON || b.type != KB_ENT_PERSON)
		return false;
	struct word w[4];
	size_t n = words_of(text, a.end, b.start, w, 4);
	if (n == 0 || n == 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!IN(particles, text + w[i].start, w[i].end - w[i].start) ||
		    !islower((unsigned char)text[w[i].start]))
			return false;
	/* single spaces only: the gap is exactly the particles */
	return w[0].start == a.end + 1 && w[n - 1].end + 1 == b.start;
}

bool kb_shape_sentence_word(const char *w, size_t n)
{
	struct word x = { 0, (uint32_t)n };
	return function_word(w, x) || IN(never_alone, w, n);
}

static bool joining_word(const char *text, struct word w)
{
	return IN(connectors, text + w.start, w.end - w.start);
}

size_t kb_shape_based(const char *w, size_t n)
{
	return n > 7 && memcmp(w + n - 6, "-based", 6) == 0 ? n - 6 : 0;
}
