/* boiler.c - recognising scraped boilerplate, bylines and credits.
 *
 * The rules describe how news sites decorate articles in general (read-more
 * links, comment widgets, app and social promos, copyright footers, bylines,
 * photo credits), in Indonesian and English.  They work line by line on
 * text already cleaned by kb_text_clean_line. */
#include "config.h"

#include "internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kabar/text.h"
#include "kabar/date.h"
#include "kabar/util.h"

size_t kb_words(const char *s, size_t n)
{
	size_t w = 0;
	bool in = false;
	for (size_t i = 0; i < n; i++) {
		bool sp = s[i] == ' ';
		if (!sp && !in)
			w++;
		in = !sp;
	}
	return w;
}

/* Words in s, counting no further than cap (for "at most N words" tests
 * on long lines). */
static size_t words_upto(const char *s, size_t n, size_t cap)
{
	size_t w = 0, i = 0;
	bool in = false;
	/* eight bytes at a time: a word starts at a non-space after a space */
	for (; KB_SWAR && i + 8 <= n; i += 8) {
		uint64_t word = ~kb_eq8(kb_load8(s + i), ' ') & KB_HIGHS8;
		uint64_t after_space = ~((word << 8) | (in ? 0x80 : 0)) & KB_HIGHS8;
		w += (size_t)__builtin_popcountll(word & after_space);
		if (w >= cap)
			return cap;
		in = word >> 63;
	}
	for (; i < n; i++) {
		bool sp = s[i] == ' ';
		if (!sp && !in && ++w >= cap)
			return cap;
		in = !sp;
	}
	return w;
}

/* A line with its first two bytes through tolower() (-1 past the end).
 * Every word looked for below is in lower case and two bytes long at
 * least, so these rule out most words before any string compare. */
struct head {
	const char *s;
	size_t n;
	int c0, c1;
};

static struct head head_of(const char *s, size_t n)
{
	struct head h = { s, n, -1, -1 };
	if (n >= 1)
		h.c0 = tolower((unsigned char)s[0]);
	if (n >= 2)
		h.c1 = tolower((unsigned char)s[1]);
	return h;
}

/* The line starts with word (case-insensitive) followed by the end, a
 * space or punctuation other than a letter or digit. */
static bool starts_word(const struct head *h, const char *word)
{
	if (h->c0 != (unsigned char)word[0] || h->c1 != (unsigned char)word[1])
		return false;
	size_t k = strlen(word);
	if (h->n < k || strncasecmp(h->s, word, k) != 0)
		return false;
	return h->n == k || !isalnum((unsigned char)h->s[k]);
}

/* strcasestr(s, needle) != NULL for one of the needles (in lower case). */
static bool contains_any_ci(const char *s, const char *const *needles, size_t nn)
{
	for (; *s; s++) {
		int c = tolower((unsigned char)*s);
		for (size_t i = 0; i < nn; i++)
			if (c == (unsigned char)needles[i][0] &&
			    strncasecmp(s, needles[i], strlen(needles[i])) == 0)
				return true;
	}
	return false;
}

/* The line without trailing punctuation equals one of words (each in
 * lower case and shorter than 64 bytes). */
static bool line_is(const struct head *h, const char *const *words, size_t nw)
{
	const char *s = h->s;
	size_t n = h->n;
	while (n > 0 && strchr(":.!… ", s[n - 1]))
		n--;
	if (n == 0 || n >= 64)
		return false;
	for (size_t i = 0; i < nw; i++)
		if (h->c0 == (unsigned char)words[i][0] && kb_ascii_eq(s, n, words[i]))
			return true;
	return false;
}

/* Links to other stories: the headline follows on the same line. */
static const char *const read_more[] = {
	"baca juga", "baca pula", "lihat juga", "simak juga", "tonton juga",
	"read also", "also read", "read more", "see also", "baca selengkapnya",
	"artikel terkait", "berita terkait", "related article", "related articles",
	"related stories", "related coverage", "related:", "recommended:",
};

/* Section headings of link lists and widgets, dropped when short. */
static const char *const section_prefix[] = {
	"berita terkait", "berita lain", "berita lainnya", "berita rekomendasi",
	"rekomendasi untuk", "artikel lainnya", "terpopuler", "populer",
	"more stories", "more from", "trending", "you may also like",
	"isi komentar", "komentar anda", "tulis komentar", "kirim komentar",
	"lihat komentar", "beri komentar", "comments", "leave a comment",
};

/* Lines that are widget or navigation text as a whole. */
static const char *const nav_lines[] = {
	"komentar", "loading", "loading...", "memuat", "memuat...", "advertisement",
	"iklan", "ads", "scroll to continue with content", "scroll untuk melanjutkan",
	"share", "bagikan", "atas", "ke atas", "kembali ke atas", "back to top", "top",
	"home", "beranda", "menu", "tags", "tag", "topik", "terkini", "galeri",
	"video pilihan", "advertorial", "print", "cetak", "tweet", "like",
	"share this article", "share this story", "bagikan artikel ini",
};

/* Calls to action and the channels they point to (app and social promos). */
static const char *const promo_verbs[] = {
	"ikuti", "follow", "dapatkan", "nikmati", "unduh", "download", "gabung",
	"bergabung", "join", "subscribe", "langganan", "berlangganan", "klik",
	"kunjungi", "baca", "simak", "tonton", "install", "pasang", "cek", "update",
	"get", "sign up", "daftar",
};
static const char *const promo_channels[] = {
	"whatsapp", "telegram", "google news", "instagram", "facebook", "twitter",
	"tiktok", "youtube", "aplikasi", "app store", "play store", "newsletter",
	"channel", "saluran", "berita", "news", "live", "kami", "us", "update",
};
static const char *const channels[] = {
	"whatsapp", "telegram", "google news", "instagram", "tiktok", "play store",
	"app store", "newsletter",
};

/* w: the words in s, or 13 when there are more */
static bool is_promo(const struct head *h, size_t w)
{
	const char *s = h->s;
	if (w <= 12) {
		for (size_t i = 0; i < KB_ARRAY_LEN(promo_verbs); i++) {
			if (!starts_word(h, promo_verbs[i]))
				continue;
			const char *rest = s + strlen(promo_verbs[i]);
			for (size_t j = 0; j < KB_ARRAY_LEN(promo_channels); j++) {
				const char *hit = strcasestr(rest, promo_channels[j]);
				size_t k = strlen(promo_channels[j]);
				if (hit && (hit == rest || !isalnum((unsigned char)hit[-1])) &&
				    !isalnum((unsigned char)hit[k]))
					return true;
			}
		}
	}
	return w <= 5 && contains_any_ci(s, channels, KB_ARRAY_LEN(channels));
}

/* strcasestr(s, "all rights reserved") || strcasestr(s, "all right
 * reserved") || strcasestr(s, "hak cipta dilindungi"), in one pass.  Eight
 * positions at a time are ruled out when none starts "all" or "hak" in any
 * case (a byte that tolower() turns into an ASCII letter is that letter in
 * either case); the others are compared as strcasestr would. */
static bool footer_phrase(const char *s)
{
	size_t m = strlen(s), i = 0;
	while (i < m) {
		size_t end = m;
		if (KB_SWAR && i + 10 <= m) {
			uint64_t x0 = kb_load8(s + i) | (KB_ONES8 * 0x20);
			uint64_t x1 = kb_load8(s + i + 1) | (KB_ONES8 * 0x20);
			uint64_t x2 = kb_load8(s + i + 2) | (KB_ONES8 * 0x20);
			uint64_t hit = (kb_eq8(x0, 'a') & kb_eq8(x1, 'l') & kb_eq8(x2, 'l')) |
				       (kb_eq8(x0, 'h') & kb_eq8(x1, 'a') & kb_eq8(x2, 'k'));
			if (!hit) {
				i += 8;
				continue;
			}
			end = i + 8;
		}
		for (; i < end; i++) {
			const char *p = s + i;
			int c = tolower((unsigned char)*p);
			if (c == 'a' && (strncasecmp(p, "all rights reserved", 19) == 0 ||
					 strncasecmp(p, "all right reserved", 18) == 0))
				return true;
			if (c == 'h' && strncasecmp(p, "hak cipta dilindungi", 20) == 0)
				return true;
		}
	}
	return false;
}

static bool is_copyright(const struct head *h)
{
	const char *s = h->s;
	size_t n = h->n;
	if (strncmp(s, "©", strlen("©")) == 0 || starts_word(h, "copyright") ||
	    starts_word(h, "hak cipta"))
		return true;
	if (starts_word(h, "(c)") && n > 4 && isdigit((unsigned char)s[4]))
		return true;
	if (n >= 200)
		return false;
	return footer_phrase(s);
}

static bool is_hashtags(const char *s, size_t n)
{
	if (n < 2 || s[0] != '#')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' && i + 1 < n && s[i + 1] != '#')
			return false;
	}
	return true;
}

static bool note_at(const char *p);

enum kb_line_kind kb_boiler_classify(const char *s, size_t n)
{
	if (is_hashtags(s, n))
		return KB_LINE_HASHTAGS;
	struct head h = head_of(s, n);
	for (size_t i = 0; i < KB_ARRAY_LEN(read_more); i++) {
		if (!starts_word(&h, read_more[i]))
			continue;
		size_t k = strlen(read_more[i]);
		while (k < n && strchr(": ", s[k]))
			k++;
		return k >= n ? KB_LINE_READ_MORE_NEXT : KB_LINE_READ_MORE;
	}
	/* Upper-case read-more labels ("MEMBACA", "BACA") with a headline. */
	if ((strncmp(s, "MEMBACA", 7) == 0 && (n == 7 || s[7] == ' ' || s[7] == ':')) ||
	    (strncmp(s, "BACA", 4) == 0 && (n == 4 || s[4] == ' ' || s[4] == ':')))
		return n <= 8 ? KB_LINE_READ_MORE_NEXT : KB_LINE_READ_MORE;
	if (line_is(&h, nav_lines, KB_ARRAY_LEN(nav_lines)))
		return KB_LINE_BOILERPLATE;
	size_t w = words_upto(s, n, 13);
	if (w <= 8)
		for (size_t i = 0; i < KB_ARRAY_LEN(section_prefix); i++)
			if (starts_word(&h, section_prefix[i]))
				return KB_LINE_BOILERPLATE;
	if (starts_word(&h, "isi komentar") || starts_word(&h, "zoom-in") ||
	    starts_word(&h, "zoom in") || is_copyright(&h) || is_promo(&h, w))
		return KB_LINE_BOILERPLATE;
	if (note_at(s))
		return KB_LINE_BOILERPLATE;
	return KB_LINE_TEXT;
}

/* A trailing editorial note about the text itself. */
static bool note_at(const char *p)
{
	if ((p[0] != 'N' || strncmp(p, "Note:", 5) != 0) &&
	    (p[0] != 'C' || strncmp(p, "Catatan:", 8) != 0))
		return false;
	const char *q = strchr(p, ':') + 1;
	char head[120];
	size_t k = strlen(q) < sizeof head - 1 ? strlen(q) : sizeof head - 1;
	memcpy(head, q, k);
	head[k] = '\0';
	return strcasestr(head, "text") || strcasestr(head, "teks") ||
	       strcasestr(head, "format") || strcasestr(head, "artikel ini") ||
	       strcasestr(head, "this article");
}

size_t kb_boiler_strip_note(char *s, size_t n)
{
	if (note_at(s))
		return 0;
	for (char *p = strstr(s, " Note:"); p; p = strstr(p + 1, " Note:")) {
		if (note_at(p + 1)) {
			size_t k = (size_t)(p - s);
			s[k] = '\0';
			return k;
		}
	}
	(void)n;
	return n;
}

static const struct {
	const char *label;
	const char *role;
} byline_labels[] = {
	{ "penulis", "author" },     { "reporter", "author" },   { "wartawan", "author" },
	{ "pewarta", "author" },     { "kontributor", "author" }, { "author", "author" },
	{ "writer", "author" },      { "written by", "author" }, { "oleh", "author" },
	{ "editor", "editor" },      { "penyunting", "editor" }, { "redaktur", "editor" },
	{ "editing", "editor" },     { "sumber", "via" },        { "source", "via" },
	{ "foto", "photo" },         { "photo", "photo" },       { "fotografer", "photo" },
	{ "photographer", "photo" }, { "kredit foto", "photo" },
};

static bool has_sentence_punct(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '!' || s[i] == '?' || s[i] == ';' || s[i] == '"')
			return true;
	return false;
}

/* A token that looks like a site name: letters, digits, dots, one dot at
 * least, not ending in a dot ("Tribunnews.com", "TRIBUNNEWS.COM"). */
bool kb_boiler_is_domain(const char *s, size_t n)
{
	bool dot = false;
	if (n < 4 || s[n - 1] == '.' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.')
			dot = true;
		else if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	}
	return dot && isalpha((unsigned char)s[n - 1]);
}

/* "A / B / C": two or more short capitalised segments without digits
 * (credit lines such as "Vladimir SMIRNOV / POOL / AFP"). */
static bool is_credit_list(const char *s, size_t n)
{
	size_t segs = 1, start = 0;
	if (n == 0 || n > 80 || !memchr(s, '/', n) || has_sentence_punct(s, n))
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && isdigit((unsigned char)s[i]))
			return false;
		if (i < n && s[i] != '/')
			continue;
		size_t seg_words = kb_words(s + start, i - start);
		if (seg_words == 0 || seg_words > 4)
			return false;
		size_t j = start;
		while (j < i && s[j] == ' ')
			j++;
		if (islower((unsigned char)s[j]))
			return false;
		start = i + 1;
		if (i < n)
			segs++;
	}
	return segs >= 2;
}

/* The outlet named by a credit, unless the article named one already. */
static void set_outlet(struct kb_doc *doc, const char *s, size_t n)
{
	while (n && *s == ' ')
		s++, n--;
	while (n && s[n - 1] == ' ')
		n--;
	if (!doc->source && n)
		doc->source = kb_xstrndup(s, n);
}

static void add_trimmed(struct kb_doc *doc, const char *role, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == ','))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == ',' || s[n - 1] == '.'))
		n--;
	if (n)
		kb_doc_add_byline(doc, role, s, n);
}

/* "(Site.com/Name)" or "(Site.com/Name/Name)": the outlet and its writers. */
static bool credit_line(const char *s, size_t n, struct kb_doc *doc)
{
	if (n < 5 || s[0] != '(' || s[n - 1] != ')')
		return false;
	const char *in = s + 1;
	size_t m = n - 2;
	const char *slash = memchr(in, '/', m);
	if (!slash) {
		if (kb_boiler_is_domain(in, m))
			set_outlet(doc, in, m);
		else if (kb_words(in, m) <= 3 && kb_text_is_upper(in, m))
			add_trimmed(doc, "photo", in, m); /* "(AFP)" */
		else
			return false;
		return true;
	}
	if (!is_credit_list(in, m))
		return false;
	size_t first = (size_t)(slash - in);
	if (!kb_boiler_is_domain(in, first)) {
		add_trimmed(doc, "photo", in, m);
		return true;
	}
	set_outlet(doc, in, first);
	const char *p = slash + 1, *end = in + m;
	while (p < end) {
		const char *q = memchr(p, '/', (size_t)(end - p));
		if (!q)
			q = end;
		add_trimmed(doc, "author", p, (size_t)(q - p));
		p = q + 1;
	}
	return true;
}

bool kb_boiler_byline(const char *s, size_t n, struct kb_doc *doc, const char **pending)
{
	struct head h = head_of(s, n);
	*pending = NULL;
	for (size_t i = 0; i < KB_ARRAY_LEN(byline_labels); i++) {
		const char *label = byline_labels[i].label;
		if (!starts_word(&h, label))
			continue;
		size_t k = strlen(label);
		size_t j = k;
		while (j < n && s[j] == ' ')
			j++;
		if (j == n || (j + 1 == n && s[j] == ':')) { /* a bare label */
			if (kb_text_is_upper(s, k) || s[n - 1] == ':') {
				*pending = byline_labels[i].role;
				return true;
			}
			return false;
		}
		if (s[j] != ':')
			continue;
		j++;
		/* "Penulis: A | Editor: B | Jumat, 29 November 2024": each part */
		const char *bar = NULL;
		for (size_t q = j; q + 3 <= n && !bar; q++)
			if (memcmp(s + q, " | ", 3) == 0)
				bar = s + q;
		size_t end = bar ? (size_t)(bar - s) : n;
		size_t w = kb_words(s + j, end - j);
		if (w == 0 || w > 10 || has_sentence_punct(s + j, end - j))
			return false;
		add_trimmed(doc, byline_labels[i].role, s + j, end - j);
		if (bar) {
			const char *rest = bar + 3, *ignored;
			size_t rn = n - (size_t)(rest - s);
			char *copy = kb_xstrndup(rest, rn);
			char iso[40];
			if (!kb_boiler_byline(copy, rn, doc, &ignored) &&
			    kb_date_parse_stamp(copy, iso, sizeof iso) && !doc->published)
				doc->published = kb_xstrdup(iso);
			free(copy);
		}
		return true;
	}
	/* Wire credits: "Reporting by A; Editing by B". */
	if (starts_word(&h, "reporting by") || starts_word(&h, "additional reporting by") ||
	    starts_word(&h, "writing by") || starts_word(&h, "editing by")) {
		const char *p = s, *end = s + n;
		while (p < end) {
			const char *q = memchr(p, ';', (size_t)(end - p));
			if (!q)
				q = end;
			const char *by = strstr(p, " by ");
			if (by && by < q) {
				const char *role = kb_ascii_prefix(p, "editing") ? "editor" : "author";
				add_trimmed(doc, role, by + 4, (size_t)(q - by - 4));
			}
			p = q + 1;
			while (p < end && *p == ' ')
				p++;
		}
		return true;
	}
	/* English "By Jane Doe". */
	if (strncmp(s, "By ", 3) == 0 && kb_words(s, n) <= 6 && !strchr(".!?", s[n - 1])) {
		bool names = true;
		for (size_t i = 3; i < n; i++)
			if (s[i - 1] == ' ' && !isupper((unsigned char)s[i]) &&
			    strncmp(s + i, "and ", 4) != 0 && (unsigned char)s[i] < 0x80)
				names = false;
		if (names) {
			add_trimmed(doc, "author", s + 3, n - 3);
			return true;
		}
	}
	if (credit_line(s, n, doc))
		return true;
	/* A bare photo credit line: "Vladimir SMIRNOV / POOL / AFP". */
	if (is_credit_list(s, n) && !strchr(s, '.')) {
		add_trimmed(doc, "photo", s, n);
		return true;
	}
	return false;
}

size_t kb_boiler_strip_credit(char *s, size_t n, struct kb_doc *doc)
{
	if (n < 8 || s[n - 1] != ')')
		return n;
	char *open = NULL;
	for (size_t i = n - 1; i-- > 0;) {
		if (s[i] == '(') {
			open = s + i;
			break;
		}
		if (s[i] == ')')
			return n;
	}
	if (!open || open == s)
		return n;
	const char *in = open + 1;
	size_t m = (size_t)(s + n - 1 - in);
	size_t before = (size_t)(open - s);
	while (before > 0 && s[before - 1] == ' ')
		before--;
	bool after_sentence = before > 0 && strchr(".!?”\"", s[before - 1]);
	bool single_agency = kb_words(in, m) == 1 && m >= 2 && m <= 12 &&
			     isupper((unsigned char)in[0]) && after_sentence;
	if (!(is_credit_list(in, m) && (after_sentence || kb_words(s, before) >= 8)) &&
	    !single_agency)
		return n;
	add_trimmed(doc, "photo", in, m);
	s[before] = '\0';
	return before;
}
