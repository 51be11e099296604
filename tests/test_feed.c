/* test_feed.c - the RSS/Atom reader: fields, bodies, dates, charsets,
 * broken feeds, streaming in small reads, and newsboat's own fixtures
 * (from ../shared when it is there). */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>

#include "kabar/ingest.h"
#include "kabar/util.h"

#define MAX_DOCS 4096

/* What one parse gave: the documents (their strings taken over from the
 * parser), the return value and the report. */
static struct result {
	struct kb_doc docs[MAX_DOCS];
	size_t n;
	size_t stop_after; /* fn returns 1 after this many (0: never) */
	int rc;
	char why[256];
} res;

static int teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < res.n; i++)
		kb_doc_free(&res.docs[i]);
	memset(&res, 0, sizeof res);
	return 0;
}

static int take(struct kb_doc *doc, void *ctx)
{
	struct result *r = ctx;
	if (r->n < MAX_DOCS) {
		r->docs[r->n++] = *doc;
		memset(doc, 0, sizeof *doc); /* the parser frees nothing now */
	}
	return r->stop_after && r->n >= r->stop_after;
}

/* A reader over memory that hands out at most chunk bytes a time and
 * fails after fail_at bytes when that is set. */
struct mem {
	const char *p;
	size_t n, off, chunk, fail_at;
};

static long mem_read(void *io, char *buf, size_t n)
{
	struct mem *m = io;
	if (m->fail_at && m->off >= m->fail_at)
		return -1;
	size_t k = m->n - m->off;
	if (k > n)
		k = n;
	if (m->chunk && k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p + m->off, k);
	m->off += k;
	return (long)k;
}

/* Parses data with the first head_n bytes as the head and the rest read
 * chunk bytes at a time. */
static void parse_mem(const char *data, size_t n, size_t head_n, size_t chunk)
{
	if (head_n > n)
		head_n = n;
	struct mem m = { data + head_n, n - head_n, 0, chunk, 0 };
	res.rc = kb_parse_feed(data, head_n, mem_read, &m, take, &res, res.why, sizeof res.why);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct kb_buf b = { 0 };
	char buf[8192];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		kb_buf_add(&b, buf, k);
	fclose(f);
	*n = b.len;
	return kb_buf_steal(&b);
}

static char *fixture_path(const char *name)
{
	const char *src = getenv("KABAR_SRCDIR");
	return kb_xasprintf("%s/tests/data/feeds/%s", src ? src : "../..", name);
}

/* Parses a fixture the way the importer will: a small head, then reads. */
static void parse_fixture(const char *name)
{
	char *path = fixture_path(name);
	size_t n;
	char *data = slurp(path, &n);
	if (!data)
		fail_msg("cannot read %s", path);
	parse_mem(data, n, n < 512 ? n : 512, 4096);
	free(data);
	free(path);
}

static const char *byline(const struct kb_doc *d, const char *role, int nth)
{
	for (size_t i = 0; i < d->n_bylines; i++)
		if (strcmp(d->bylines[i].role, role) == 0 && nth-- == 0)
			return d->bylines[i].name;
	return NULL;
}

static const struct kb_doc *doc_titled(const char *title)
{
	for (size_t i = 0; i < res.n; i++)
		if (res.docs[i].title && strcmp(res.docs[i].title, title) == 0)
			return &res.docs[i];
	fail_msg("no item titled \"%s\"", title);
	return NULL;
}

#define assert_opt_string(got, want)                                        \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		if (w_)                                                     \
			assert_string_equal(g_ ? g_ : "(null)", w_);        \
		else if (g_)                                                \
			fail_msg("expected nothing, got \"%s\"", g_);       \
	} while (0)

/* ---- RSS 2.0, Indonesian, with boilerplate in content:encoded ------------- */

static void rss2_indonesian(void **state)
{
	(void)state;
	parse_fixture("rss2-id.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 4);
	assert_string_equal(res.why, "4 items kept, 1 without title or text skipped");

	const struct kb_doc *d = &res.docs[0];
	assert_string_equal(d->title, "Pelabuhan Baru di Belitung Mulai Beroperasi");
	assert_string_equal(d->url, "https://wartaselat.example/2024/11/pelabuhan-belitung");
	assert_string_equal(d->guid, "ws-2024-1101");
	assert_string_equal(d->published, "2024-11-29T10:00:00+07:00");
	assert_string_equal(d->source, "Warta Selat");
	assert_string_equal(byline(d, "author", 0), "Rina Hapsari");
	assert_string_equal(byline(d, "editor", 0), "Dodi Kurniawan");
	assert_null(byline(d, "author", 1));
	/* content:encoded, not the description */
	assert_contains(d->body, "Pelabuhan penumpang baru di Belitung mulai beroperasi");
	assert_contains(d->body, "Kapal pertama berangkat menuju Jakarta pukul 08.00 WIB");
	assert_not_contains(d->body, "Ringkasan singkat");
	/* boilerplate and bylines never reach the body */
	assert_not_contains(d->body, "Baca juga");
	assert_not_contains(d->body, "Harga Tiket Kapal");
	assert_not_contains(d->body, "BACA JUGA");
	assert_not_contains(d->body, "Nelayan Tanjung Pandan Keluhkan");
	assert_not_contains(d->body, "Google News");
	assert_not_contains(d->body, "Penulis");
	assert_not_contains(d->body, "<p>");
	/* the dateline's outlet is not the feed's */
	assert_not_contains(d->body, "WARTASELAT");

	d = &res.docs[1];
	assert_string_equal(d->title, "Harga Cabai & Bawang Turun di Pasar Pangkalpinang");
	/* a relative link resolves against the channel's */
	assert_string_equal(d->url, "https://wartaselat.example/2024/11/harga-cabai");
	assert_string_equal(d->guid, "https://wartaselat.example/?p=2202");
	assert_string_equal(d->published, "2024-11-30T07:15:00Z");
	assert_string_equal(byline(d, "author", 0), "Bagus Pratama"); /* "email (Name)" */
	/* escaped HTML; content:encoded wins though the description follows it */
	assert_string_equal(d->body, "Harga cabai merah di Pasar Pangkalpinang turun menjadi Rp "
				     "40.000 per kilogram pada Sabtu.\n\n"
				     "Pedagang menyebut pasokan dari Jawa kembali lancar.");

	d = &res.docs[2]; /* a teaser: a short article that keeps its link */
	assert_string_equal(d->title, "Festival Perahu Hias Ditunda");
	assert_string_equal(d->body,
			    "Panitia menunda festival perahu hias karena cuaca buruk di perairan Bangka.");
	assert_string_equal(d->url, "https://wartaselat.example/2024/12/festival-perahu");
	assert_null(d->guid);
	assert_string_equal(d->published, "2024-12-01T19:30:00+00:00");
	/* no author of its own: the channel's managing editor */
	assert_string_equal(byline(d, "author", 0), "Redaksi Warta Selat");

	d = &res.docs[3]; /* untitled: the first sentence, cut at twelve words */
	assert_string_equal(d->title, "Gelombang setinggi tiga meter diperkirakan terjadi di "
				      "Selat Gaspar hingga Selasa malam…");
	assert_contains(d->body, "Gelombang setinggi tiga meter diperkirakan terjadi");
	assert_contains(d->body, "Warga diminta waspada.");
	assert_string_equal(d->url, "https://wartaselat.example/2024/12/tanpa-judul");
}

/* ---- Atom 1.0, English ------------------------------------------------- */

static void atom_english(void **state)
{
	(void)state;
	parse_fixture("atom-en.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 3);
	assert_string_equal(res.why, "");

	const struct kb_doc *d = &res.docs[0];
	assert_string_equal(d->title, "Ferry service resumes to Belitung"); /* type="html" */
	/* rel="alternate" over rel="replies", relative to xml:base */
	assert_string_equal(d->url, "https://pacificwire.example/news/ferry-resumes");
	assert_string_equal(d->guid, "tag:pacificwire.example,2024:ferry");
	assert_string_equal(d->published, "2024-11-29T08:30:00-05:00"); /* not updated */
	assert_string_equal(d->source, "Pacific Wire");
	assert_string_equal(byline(d, "author", 0), "Maya Lindqvist");
	assert_null(byline(d, "author", 1));
	/* type="xhtml" content beats the summary; its text keeps escaped
	 * markup as text */
	assert_string_equal(d->body,
			    "The ferry between Jakarta and Belitung sailed again on Friday after a "
			    "two-week pause.\n\n"
			    "Officials said <strict> safety checks had been completed & passed.");

	d = &res.docs[1];
	assert_string_equal(d->title, "Fishermen & traders meet in Pangkalpinang");
	assert_string_equal(d->published, "2024-11-28T16:45:00Z"); /* only updated */
	assert_string_equal(byline(d, "author", 0), "Pacific Wire Staff"); /* the feed's */
	assert_string_equal(d->body, "Representatives of fishermen and traders met on Thursday "
				     "to discuss diesel supplies.");

	d = &res.docs[2];
	assert_string_equal(d->title, "Storm warning for the Gaspar Strait");
	assert_string_equal(d->url, "https://pacificwire.example/news/storm"); /* not gemini */
	assert_string_equal(d->published, "2024-11-27T21:10:00+08:00");
	/* the entry's two authors, not its source's; the feed is the outlet */
	assert_string_equal(byline(d, "author", 0), "Arif Setiawan");
	assert_string_equal(byline(d, "author", 1), "Lena Ortiz");
	assert_null(byline(d, "author", 2));
	assert_string_equal(d->source, "Pacific Wire");
	assert_string_equal(d->body, "Waves of up to three metres are expected until Tuesday "
				     "night.\n\nShips under 500 tonnes should stay in port.");
}

/* ---- dates ------------------------------------------------------------- */

static void every_date_form(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{ "GMT", "2024-11-29T10:00:00Z" },
		{ "EST", "2024-11-29T10:00:00-05:00" },
		{ "PDT", "2024-06-06T18:20:00-07:00" },
		{ "Numeric zero", "2024-11-29T10:00:00+00:00" },
		{ "Z", "2024-11-29T10:00:00Z" },
		{ "No seconds", "2024-11-29T10:00:00+07:00" },
		{ "No weekday", "2024-11-29T10:00:00+05:30" },
		{ "Two-digit year", "2024-11-29T10:00:00+07:00" },
		{ "UT", "2024-11-29T10:00:00Z" },
		{ "Not a date", NULL },
	};
	parse_fixture("rss2-dates.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, KB_ARRAY_LEN(want));
	for (size_t i = 0; i < KB_ARRAY_LEN(want); i++)
		assert_opt_string(doc_titled(want[i][0])->published, want[i][1]);
}

static void rss1_dc_dates_and_creators(void **state)
{
	(void)state;
	parse_fixture("rss1-dates.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 4);
	assert_string_equal(doc_titled("Zulu time")->published, "2024-11-29T10:00:00Z");
	assert_string_equal(doc_titled("Offset with colon")->published, "2024-11-29T10:00:00-05:00");
	assert_string_equal(doc_titled("No seconds")->published, "2024-11-29T10:00:00+07:00");
	const struct kb_doc *d = doc_titled("Date only");
	assert_string_equal(d->published, "2024-11-29");
	/* rdf:about names the item and is its link when it has no other */
	assert_string_equal(d->guid, "https://kalender.example/a/4");
	assert_string_equal(d->url, "https://kalender.example/a/4");
	assert_string_equal(byline(d, "author", 0), "Sari Wulandari");
	assert_string_equal(byline(doc_titled("Zulu time"), "author", 0), "Tim Kalender");
	assert_string_equal(d->source, "Kalender Pesisir");
}

/* ---- charsets ------------------------------------------------------------ */

static void undeclared_koi8r(void **state)
{
	(void)state;
	parse_fixture("koi8r-undeclared.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 2);
	assert_string_equal(res.docs[0].title, "Новый паром начал работу в порту");
	assert_string_equal(res.docs[0].source, "Новости побережья");
	assert_contains(res.docs[1].body, "сильный ветер продержится до вторника.");
}

static void undeclared_gb2312(void **state)
{
	(void)state;
	parse_fixture("gb2312-undeclared.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 2);
	assert_string_equal(res.docs[0].title, "新渡轮在港口开始运营");
	assert_string_equal(res.docs[1].title, "渔民等待天气好转");
	assert_contains(res.docs[0].body, "船长说天气很好");
	assert_string_equal(res.docs[0].source, "海岸新闻");
}

static void undeclared_windows1252(void **state)
{
	(void)state;
	parse_fixture("cp1252-undeclared.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 1);
	assert_string_equal(res.docs[0].title, "“Crème brûlée” week at the harbour café");
	assert_contains(res.docs[0].body, "The café’s owner said the week — its third —");
	assert_contains(res.docs[0].body, "Prices stay at €4.");
}

static void declared_latin1(void **state)
{
	(void)state;
	parse_fixture("latin1-declared.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 1);
	assert_string_equal(res.docs[0].title, "Été record pour les pêcheurs de la côte");
	assert_contains(res.docs[0].body, "« Nous n'avions jamais vu ça »");
}

static void utf16le_with_bom(void **state)
{
	(void)state;
	parse_fixture("utf16le-bom.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 1);
	const struct kb_doc *d = &res.docs[0];
	assert_string_equal(d->title, "Kapal feri tiba di Makassar — 東京 ✓");
	assert_string_equal(d->url, "https://kabardunia.example/feri");
	assert_string_equal(d->published, "2024-11-29T10:00:00+08:00");
	assert_string_equal(d->body, "Kapal feri itu tiba pada pagi hari setelah pelayaran dua minggu.");
	assert_string_equal(d->source, "Kabar Dunia");
}

/* ---- broken feeds ---------------------------------------------------------- */

static void truncated_keeps_what_came(void **state)
{
	(void)state;
	parse_fixture("truncated.xml");
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why, "malformed feed at line 32: Premature end of data: the feed "
				     "is cut short; 3 items kept, 1 lost");
	/* every whole item, up to the last before the cut */
	assert_int_equal(res.n, 3);
	assert_string_equal(res.docs[2].title, "Harga Beras Stabil");
	assert_string_equal(res.docs[2].body, "Harga beras di pasar tradisional stabil sepanjang pekan.");
	assert_string_equal(res.docs[2].url, "https://kabarpagi.example/berita/3");
	assert_string_equal(res.docs[2].published, "2024-12-03T06:00:00+07:00");
}

static void html_entity_names_are_characters(void **state)
{
	(void)state;
	parse_fixture("entities.xml");
	/* mended without loss: not reported */
	assert_int_equal(res.rc, 0);
	assert_string_equal(res.why, "");
	assert_int_equal(res.n, 3);
	const struct kb_doc *d = &res.docs[1];
	assert_string_equal(d->title, "Kota Bogor – Café Baru Dibuka");
	assert_string_equal(d->body, "Kafe itu buka setiap hari… kata pemiliknya’s \"teman\".");
	assert_string_equal(res.docs[2].title, "Harga Beras Stabil");
}

/* Control characters XML forbids, raw or as references, are spaces:
 * the feed keeps all its items and no ESC reaches an article. */
static void control_characters_are_spaces(void **state)
{
	(void)state;
	const char feed[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
		"<title>Kabar\033]52;c;aGk=\007 Pesisir</title>"
		"<item><title>Feri\033[2J tiba &#27;[31m di &#x1B;Makassar</title>"
		"<link>https://pesisir.example/1</link><description>Isi &#8; berita\013 ini.</description></item>"
		"<item><title>Harga ikan turun</title><link>https://pesisir.example/2</link>"
		"<description><![CDATA[Harga\033 ikan turun.]]></description></item>"
		"</channel></rss>";
	parse_mem(feed, sizeof feed - 1, 40, 7);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 2);
	for (size_t i = 0; i < res.n; i++) {
		assert_null(strchr(res.docs[i].title, '\033'));
		assert_null(strchr(res.docs[i].body, '\033'));
		assert_null(strchr(res.docs[i].source, '\033'));
	}
	assert_string_equal(res.docs[0].title, "Feri [2J tiba [31m di Makassar");
	assert_string_equal(res.docs[0].source, "Kabar ]52;c;aGk= Pesisir");
	assert_string_equal(res.docs[0].body, "Isi berita ini.");
	assert_string_equal(res.docs[1].body, "Harga ikan turun.");
}

static void undefined_entity_costs_its_item(void **state)
{
	(void)state;
	parse_fixture("undefined-entity.xml");
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why, "malformed feed at line 21: Entity 'foo' not defined; "
				     "4 items kept, 1 lost");
	assert_int_equal(res.n, 4);
	assert_string_equal(res.docs[0].title, "Jembatan Desa Selesai");
	/* the item before the broken one is whole */
	assert_string_equal(res.docs[1].title, "Bantuan Buku untuk Sekolah");
	assert_string_equal(res.docs[1].body,
			    "Sekolah dasar di pesisir menerima bantuan buku dari warga.");
	/* and so are those after it */
	assert_string_equal(res.docs[2].title, "Petani Garam Bersiap");
	assert_string_equal(res.docs[2].guid, "kp-4");
	assert_string_equal(res.docs[2].body,
			    "Petani garam menyambut musim kemarau yang lebih panjang.");
	assert_string_equal(res.docs[3].title, "Puskesmas Baru Dibuka");
	assert_string_equal(res.docs[3].source, "Kabar Pagi");
}

static void broken_first_item(void **state)
{
	(void)state;
	/* libxml2 gives up before it hands over even the root element */
	static const char feed[] =
		"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Awal</title>\n"
		"<item><title>satu</title><description>a&zz;b</description></item>\n"
		"<item><title>dua</title><description>baik</description></item>\n"
		"</channel></rss>\n";
	parse_mem(feed, sizeof feed - 1, 30, 0);
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why, "malformed feed at line 3: Entity 'zz' not defined; "
				     "1 item kept, 1 lost");
	assert_int_equal(res.n, 1);
	assert_string_equal(res.docs[0].title, "dua");
	assert_string_equal(res.docs[0].source, "Awal");
	teardown(NULL);

	/* with the channel's title the last thing before the first item */
	static const char *const heads[] = {
		"<rss version=\"2.0\"><channel><title>Awal</title>\n",
		"<rss version=\"2.0\"><channel><link>https://awal.example/</link><title>Awal</title>",
		"<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Awal</title>",
	};
	for (size_t i = 0; i < KB_ARRAY_LEN(heads); i++) {
		bool atom = i == 2;
		char *doc = kb_xasprintf("%s<%s><title>satu &zz;</title></%s>"
					 "<%s><title>dua</title><%s>baik</%s></%s></%s>",
					 heads[i], atom ? "entry" : "item", atom ? "entry" : "item",
					 atom ? "entry" : "item", atom ? "summary" : "description",
					 atom ? "summary" : "description", atom ? "entry" : "item",
					 atom ? "feed" : "channel></rss");
		parse_mem(doc, strlen(doc), 20, 3);
		free(doc);
		assert_int_equal(res.n, 1);
		assert_string_equal(res.docs[0].title, "dua");
		assert_opt_string(res.docs[0].source, "Awal");
		teardown(NULL);
	}
}

static void junk_before_the_declaration(void **state)
{
	(void)state;
	parse_fixture("junk-before.xml");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 2);
	assert_string_equal(res.docs[0].title, "Jembatan Desa Selesai");
	assert_string_equal(res.docs[1].url, "https://kabarpagi.example/berita/2");
	assert_string_equal(res.docs[1].source, "Kabar Pagi");
}

static void unterminated_cdata(void **state)
{
	(void)state;
	parse_fixture("cdata-unterminated.xml");
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why,
			    "malformed feed at line 16: CDATA section not closed; 4 items kept");
	assert_int_equal(res.n, 4);
	const struct kb_doc *d = doc_titled("Nelayan Kembali Melaut");
	assert_string_equal(d->body, "Setelah badai reda, nelayan kembali melaut pada Selasa pagi.");
	assert_string_equal(d->url, "https://kabarpagi.example/berita/cd");
	/* the items after it are not swallowed */
	assert_string_equal(res.docs[2].title, "Harga Beras Stabil");
	assert_string_equal(res.docs[3].title, "Petani Garam Bersiap");
	assert_string_equal(res.docs[3].body,
			    "Petani garam menyambut musim kemarau yang lebih panjang.");
}

static void unterminated_cdata_at_the_end(void **state)
{
	(void)state;
	parse_fixture("cdata-at-end.xml");
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why,
			    "malformed feed at line 16: CDATA section not closed; 2 items kept");
	assert_int_equal(res.n, 2);
	assert_string_equal(res.docs[1].body,
			    "Setelah badai reda, nelayan kembali melaut pada Selasa pagi.");
}

static void not_a_feed(void **state)
{
	(void)state;
	parse_fixture("not-a-feed.html");
	assert_int_equal(res.rc, 1);
	assert_int_equal(res.n, 0);
	assert_string_equal(res.why, "not an RSS or Atom feed (the document is <html>)");
	teardown(NULL);

	static const char text[] = "Kapal itu tiba pada pagi hari.\n";
	parse_mem(text, sizeof text - 1, 8, 0);
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why, "not an RSS or Atom feed");
	teardown(NULL);

	parse_mem("", 0, 0, 0);
	assert_int_equal(res.rc, 1);
	assert_string_equal(res.why, "not an RSS or Atom feed (empty)");
	teardown(NULL);

	static const char bin[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
	parse_mem(bin, sizeof bin - 1, 4, 0);
	assert_int_equal(res.rc, 1);
	assert_int_equal(res.n, 0);
	assert_contains(res.why, "not an RSS or Atom feed");
}

static void libxml2_prints_nothing(void **state)
{
	(void)state;
	static const char *const files[] = { "truncated.xml",	  "undefined-entity.xml",
					     "cdata-unterminated.xml", "not-a-feed.html",
					     "junk-before.xml",	  "entities.xml" };
	char *dir = test_dir("feed-stderr");
	char *log = kb_xasprintf("%s/stderr", dir);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	close(fd);
	for (size_t i = 0; i < KB_ARRAY_LEN(files); i++) {
		parse_fixture(files[i]);
		teardown(NULL);
	}
	/* bytes the declared charset has no meaning for (BIG5: EUC-JP would
	 * trip valgrind over glibc loading libJIS): libxml2's charset
	 * layer says so through its global handler, which the reader takes
	 * over; the item before is not delivered twice */
	static const char euc[] = "<?xml version=\"1.0\" encoding=\"BIG5\"?>\n"
				  "<rss version=\"2.0\"><channel><title>x</title>\n"
				  "<item><title>satu</title><description>baik</description></item>\n"
				  "<item><title>dua</title><description>\xff\xfe\xfd\xaa</description>"
				  "</item>\n</channel></rss>\n";
	parse_mem(euc, sizeof euc - 1, 40, 0);
	assert_int_equal(res.rc, 1);
	assert_int_equal(res.n, 1);
	assert_string_equal(res.docs[0].title, "satu");
	assert_contains(res.why, "input conversion failed");
	assert_contains(res.why, "1 item kept, 1 lost");
	teardown(NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	struct stat st;
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_size, 0);
	free(log);
	test_rmdir(dir);
}

/* ---- streaming ------------------------------------------------------------- */

/* A feed far longer than the sniffing window and the restart window, with
 * entities cut by reads, one undefined entity and one unterminated CDATA
 * section deep inside. */
static char *long_feed(size_t items, size_t *n)
{
	struct kb_buf b = { 0 };
	kb_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
			"<channel><title>Arsip Panjang</title><link>https://arsip.example/</link>\n");
	for (size_t i = 0; i < items; i++) {
		const char *ent = i == items / 2 ? "&bogus;" : "&nbsp;";
		bool open_cdata = i == items * 3 / 4;
		kb_buf_printf(&b,
			      "<item><title>Berita nomor %zu</title><link>/a/%zu</link>"
			      "<guid>g%zu</guid><pubDate>Fri, 29 Nov 2024 10:00:00 +0700</pubDate>"
			      "<description>Ringkasan%sberita.</description>"
			      "<content:encoded><![CDATA[<p>Isi lengkap berita nomor %zu.</p>"
			      "<p>Baca juga: Berita lain</p>%s</content:encoded></item>\n",
			      i, i, i, ent, i, open_cdata ? "" : "]]>");
	}
	kb_buf_adds(&b, "</channel></rss>\n");
	*n = b.len;
	return kb_buf_steal(&b);
}

static void long_feed_in_small_reads(void **state)
{
	(void)state;
	size_t n, items = 3000;
	char *data = long_feed(items, &n);
	assert_true(n > 4 * 65536);
	static const size_t chunks[] = { 1, 7, 4096, 0 };
	for (size_t c = 0; c < KB_ARRAY_LEN(chunks); c++) {
		parse_mem(data, n, c == 0 ? 0 : 100, chunks[c]);
		assert_int_equal(res.rc, 1);
		assert_string_equal(res.why, "malformed feed at line 1503: Entity 'bogus' not defined; "
					     "2999 items kept, 1 lost");
		assert_int_equal(res.n, items - 1);
		for (size_t i = 0, k = 0; i < items; i++) {
			if (i == items / 2)
				continue; /* the broken one */
			char want[64];
			snprintf(want, sizeof want, "Berita nomor %zu", i);
			const struct kb_doc *d = &res.docs[k++];
			assert_string_equal(d->title, want);
			snprintf(want, sizeof want, "https://arsip.example/a/%zu", i);
			assert_string_equal(d->url, want);
			snprintf(want, sizeof want, "Isi lengkap berita nomor %zu.", i);
			assert_string_equal(d->body, want);
			assert_string_equal(d->source, "Arsip Panjang");
		}
		teardown(NULL);
	}
	free(data);
}

static void fn_stops_the_parse(void **state)
{
	(void)state;
	size_t n;
	char *data = long_feed(50, &n);
	res.stop_after = 2;
	parse_mem(data, n, 256, 512);
	assert_int_equal(res.rc, -1);
	assert_int_equal(res.n, 2);
	free(data);
}

static void read_error_is_reported(void **state)
{
	(void)state;
	size_t n;
	char *data = long_feed(2000, &n);
	struct mem m = { data + 64, n - 64, 0, 4096, 200000 };
	res.rc = kb_parse_feed(data, 64, mem_read, &m, take, &res, res.why, sizeof res.why);
	assert_int_equal(res.rc, 1);
	assert_true(res.n > 100 && res.n < 2000);
	char want[64];
	/* the item the reading stopped in is lost */
	snprintf(want, sizeof want, "read error; %zu items kept, 1 lost", res.n);
	assert_string_equal(res.why, want);
	free(data);
}

/* ---- newsboat's fixtures ------------------------------------------------- */

struct expect {
	const char *file;
	int rc;
	size_t n;
	const char *titles[10];
	const char *authors[10]; /* first author of each item, "" for none */
};

static const struct expect newsboat[] = {
	{ "atom10_1.xml", 0, 3,
	  { "A gentle introduction to Atom testing", "A missing rel attribute",
	    "alternate link isn't first" },
	  { "A Person", "A different Person", "Person A" } },
	{ "atom10_2.xml", 0, 6,
	  { "using regular content", "using media:description", "using multiple media tags",
	    "using multiple media tags nested in group/content", "regular title",
	    "using media:content" },
	  { "A Person", "John Doe", "John Doe", "John Doe", "John Doe", "John Doe" } },
	{ "atom10_feed_authors.xml", 0, 9,
	  { "Entry Without Author", "Entry With Single Author", "Entry With Multiple Authors",
	    "Entry With Empty Author Names", "Entry With Single Source Author",
	    "Entry With Multiple Source Authors", "Entry With Empty Source Author Names",
	    "Entry With Single Author And Source Author",
	    "Entry With Multiple Author And Source Authors" },
	  { "First Feed Author", "Entry Author", "Entry Author 1", "First Feed Author",
	    "Entry Source Author", "Entry Source Author 1", "First Feed Author", "Entry Author",
	    "Entry Author 1" } },
	{ "empty.xml", 1, 0, { NULL }, { NULL } },
	{ "items_without_titles.xml", 0, 5,
	  { "some content", "some content", "some content", "some content", "some content" },
	  { "A Person", "A Person", "A Person", "A Person", "A Person" } },
	{ "multiple_item_links.atom", 0, 1, { "Multiple links" }, { "Tester" } },
	{ "rss.xml", 0, 8,
	  { "Teh Saxxi", "Das Geburtstagskind", "Maronistand im Spaetsommer", "Gentomaten bei Lidl",
	    "Kurios", "Verregnetes Anif", "Botox Center of Excellence", "Handy als IR-Detektor" },
	  { "ak", "ak", "ak", "ak", "ak", "ak", "ak", "ak" } },
	{ "rss091_1.xml", 0, 1, { "1 < 2" }, { "" } },
	{ "rss092_1.xml", 0, 3, { "1 < 2", "A second item", "A third item" }, { "", "", "" } },
	{ "rss10_1.xml", 0, 1, { "New Status Updates" }, { "" } },
	{ "rss20_1.xml", 0, 1, { "this is an item" }, { "Andreas Krennmair" } },
	{ "rss20_2.xml", 0, 2,
	  { "using multiple media tags", "using multiple media tags nested in group/content" },
	  { "Andreas Krennmair", "Andreas Krennmair" } },
#define BRACKETS(v)                                                                            \
	{ "rss_" v "_with_bracket_author.xml", 0, 3,                                           \
	  { "This one has an author name ending with a closing bracket",                       \
	    "This one has an author name with an email in brackets",                           \
	    "This one has an author name with a non-email next in brackets" },                 \
	  { "Author name)", "Author", "Author (name)" } },                                     \
	{ "rss_" v "_with_empty_author.xml", 0, 2,                                             \
	  { "This one has en empty author tag", "This one has en empty author tag as well" },  \
	  { "", "" } }
	BRACKETS("091"),
	BRACKETS("092"),
	BRACKETS("094"),
#undef BRACKETS
};

static char *newsboat_dir(void)
{
	const char *src = getenv("KABAR_SRCDIR");
	char *dir = kb_xasprintf("%s/../shared/corpus/feeds-dev/newsboat", src ? src : "../..");
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		return NULL;
	}
	closedir(d);
	return dir;
}

static void parse_path(const char *path)
{
	size_t n;
	char *data = slurp(path, &n);
	if (!data)
		fail_msg("cannot read %s", path);
	parse_mem(data, n, n < 512 ? n : 512, 1000);
	free(data);
}

static void newsboat_fixtures(void **state)
{
	(void)state;
	char *dir = newsboat_dir();
	if (!dir) {
		skip();
		return;
	}
	for (size_t i = 0; i < KB_ARRAY_LEN(newsboat); i++) {
		const struct expect *e = &newsboat[i];
		char *path = kb_xasprintf("%s/%s", dir, e->file);
		parse_path(path);
		free(path);
		if (res.rc != e->rc || res.n != e->n)
			fail_msg("%s: rc %d, %zu items (%s)", e->file, res.rc, res.n, res.why);
		for (size_t k = 0; k < e->n; k++) {
			assert_string_equal(res.docs[k].title, e->titles[k]);
			const char *a = byline(&res.docs[k], "author", 0);
			assert_string_equal(a ? a : "", e->authors[k]);
		}
		teardown(NULL);
	}

	/* the details the files are about */
	char *path = kb_xasprintf("%s/atom10_1.xml", dir);
	parse_path(path);
	free(path);
	assert_string_equal(byline(&res.docs[2], "author", 1), "Person B");
	for (size_t k = 0; k < 3; k++)
		assert_string_equal(res.docs[k].url, "http://example.com/atom_testing.html");
	assert_string_equal(res.docs[0].published, "2008-12-30T20:04:15Z");
	assert_string_equal(res.docs[0].source, "test atom");
	teardown(NULL);

	path = kb_xasprintf("%s/atom10_feed_authors.xml", dir);
	parse_path(path);
	free(path);
	/* the feed's second author comes after some entries: streamed, they
	 * cannot know it */
	assert_string_equal(byline(doc_titled("Entry With Empty Author Names"), "author", 1),
			    "Second Feed Author");
	assert_string_equal(byline(doc_titled("Entry With Multiple Source Authors"), "author", 2),
			    "Entry Source Author 3");
	assert_null(byline(doc_titled("Entry With Single Author And Source Author"), "author", 1));
	teardown(NULL);

	path = kb_xasprintf("%s/multiple_item_links.atom", dir);
	parse_path(path);
	free(path);
	assert_string_equal(res.docs[0].url, "http://www.test.org/tests");
	teardown(NULL);

	path = kb_xasprintf("%s/rss092_1.xml", dir);
	parse_path(path);
	free(path);
	assert_string_equal(res.docs[2].url, "http://example.com/a_third_item.html");
	assert_contains(res.docs[0].body, "1 < 2, 3 < 4.");
	teardown(NULL);

	path = kb_xasprintf("%s/rss20_1.xml", dir);
	parse_path(path);
	free(path);
	assert_string_equal(res.docs[0].published, "2008-12-12T02:36:10+01:00");
	assert_string_equal(res.docs[0].guid, "http://example.com/blog/this_is_an_item.html");
	assert_string_equal(res.docs[0].body, "oh well, this is the content.");
	teardown(NULL);

	path = kb_xasprintf("%s/rss20_2.xml", dir);
	parse_path(path);
	free(path);
	assert_string_equal(res.why, "2 items kept, 1 without title or text skipped");
	assert_string_equal(res.docs[0].body, "media html content");
	teardown(NULL);

	path = kb_xasprintf("%s/rss10_1.xml", dir);
	parse_path(path);
	free(path);
	assert_string_equal(res.docs[0].published, "2008-12-30T08:20:00+01:00");
	assert_string_equal(res.docs[0].url, "http://www.example.org/status/foo");
	assert_string_equal(res.docs[0].source, "Example Dot Org");
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(rss2_indonesian, teardown),
		cmocka_unit_test_teardown(atom_english, teardown),
		cmocka_unit_test_teardown(every_date_form, teardown),
		cmocka_unit_test_teardown(rss1_dc_dates_and_creators, teardown),
		cmocka_unit_test_teardown(undeclared_koi8r, teardown),
		cmocka_unit_test_teardown(undeclared_gb2312, teardown),
		cmocka_unit_test_teardown(undeclared_windows1252, teardown),
		cmocka_unit_test_teardown(declared_latin1, teardown),
		cmocka_unit_test_teardown(utf16le_with_bom, teardown),
		cmocka_unit_test_teardown(truncated_keeps_what_came, teardown),
		cmocka_unit_test_teardown(html_entity_names_are_characters, teardown),
		cmocka_unit_test_teardown(control_characters_are_spaces, teardown),
		cmocka_unit_test_teardown(undefined_entity_costs_its_item, teardown),
		cmocka_unit_test_teardown(broken_first_item, teardown),
		cmocka_unit_test_teardown(junk_before_the_declaration, teardown),
		cmocka_unit_test_teardown(unterminated_cdata, teardown),
		cmocka_unit_test_teardown(unterminated_cdata_at_the_end, teardown),
		cmocka_unit_test_teardown(not_a_feed, teardown),
		cmocka_unit_test_teardown(libxml2_prints_nothing, teardown),
		cmocka_unit_test_teardown(long_feed_in_small_reads, teardown),
		cmocka_unit_test_teardown(fn_stops_the_parse, teardown),
		cmocka_unit_test_teardown(read_error_is_reported, teardown),
		cmocka_unit_test_teardown(newsboat_fixtures, teardown),
	};
	return cmocka_run_group_tests_name("feed", tests, NULL, NULL);
}
