/* test_extract.c - resolution keys, document consistency, entity storage. */
#include "testutil.h"

#include "kabar/extract.h"
#include "kabar/store.h"
#include "kabar/util.h"

static void key_is(const char *a, const char *b)
{
	char *ka = kb_name_key(a, strlen(a)), *kb = kb_name_key(b, strlen(b));
	if (strcmp(ka, kb) != 0)
		fail_msg("\"%s\" (%s) and \"%s\" (%s) should share a key", a, ka, b, kb);
	free(ka);
	free(kb);
}

static void key_differs(const char *a, const char *b)
{
	char *ka = kb_name_key(a, strlen(a)), *kb = kb_name_key(b, strlen(b));
	if (strcmp(ka, kb) == 0)
		fail_msg("\"%s\" and \"%s\" should not share a key (%s)", a, b, ka);
	free(ka);
	free(kb);
}

static void name_keys_fold_variants(void **state)
{
	(void)state;
	key_is("Park Min-jun", "Park Min Jun");
	key_is("Hwang Seo-yeon", "Hwang Seoyeon");
	key_is("Yevgeny Sorokin", "Evgeny Sorokin");
	key_is("Yevgeniy Sorokin", "Evgeny Sorokin");
	key_is("Siti Rachmawati", "Siti Rahmawati");
	key_is("Nguyễn Văn Thành", "Nguyen Van Thanh");
	key_is("Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Tha\xcc\x80nh", "Nguyen Van Thanh"); /* NFD */
	key_is("Dmitry Volkov", "Dmitri Volkov");
	key_is("Achmad Soebroto", "Ahmad Subroto");
	key_is("ANDI NURHAYATI", "Andi Nurhayati");
	key_is("Ma. Teresa", "Ma Teresa");
	key_differs("Park Min-jun", "Park Min-ji");
	key_differs("Kim Jong Un", "Kim Yo Jong");
	key_differs("Kim Jong Un", "Kim Jong Chol");
	key_differs("Choe Son Hui", "Cho Son Hui");
}

struct fixture {
	char *dir;
	struct kb_store *st;
	struct kb_extractor *ex;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = test_dir("extract");
	char path[512], *err = NULL;
	snprintf(path, sizeof path, "%s/kabar.db", f->dir);
	f->st = kb_store_open(path, &err);
	if (!f->st)
		fail_msg("open: %s", err);
	f->ex = kb_extractor_open(&err);
	if (!f->ex)
		fail_msg("model: %s", err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	kb_extractor_free(f->ex);
	kb_store_close(f->st);
	test_rmdir(f->dir);
	free(f);
	return 0;
}

static const struct kb_mention_in *find(const struct kb_extraction *x, const char *surface,
					bool title)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->m[i].in_title == title && strcmp(x->m[i].surface, surface) == 0)
			return &x->m[i];
	return NULL;
}

static void surnames_attach_and_types_agree(void **state)
{
	struct fixture *f = *state;
	struct kb_extraction x;
	const char *title = "Menteri Sorokin Tiba di Jakarta";
	const char *body = "Menteri Luar Negeri Rusia Yevgeny Sorokin tiba di Jakarta pada Senin. "
			   "Sorokin bertemu Presiden Direktur PT Samudra Biru Lines Bambang "
			   "Wicaksono.\n\n\"Kami siap bekerja sama,\" kata Sorokin.";
	kb_extract(f->ex, title, body, "2024-04-15", &x);
	const struct kb_mention_in *full = find(&x, "Yevgeny Sorokin", false);
	assert_non_null(full);
	assert_string_equal(full->type, "person");
	/* the surname alone, in the title and the body, is the same person */
	const struct kb_mention_in *t = find(&x, "Sorokin", true);
	assert_non_null(t);
	assert_string_equal(t->type, "person");
	assert_string_equal(t->key, full->key);
	size_t surnames = 0;
	for (size_t i = 0; i < x.n; i++)
		if (!x.m[i].in_title && strcmp(x.m[i].surface, "Sorokin") == 0) {
			assert_string_equal(x.m[i].key, full->key);
			surnames++;
		}
	assert_int_equal(surnames, 2);
	/* offsets point at the text */
	assert_memory_equal(body + full->start, "Yevgeny Sorokin", full->end - full->start);
	kb_extraction_free(&x);
}

/* A body far longer than any article: names are found in its first
 * KB_EXTRACT_MAX_BYTES only, each mention inside them, and one name
 * written thousands of times is still one person with its surname
 * attached.  A page may have no title at all. */
static void long_bodies_are_read_to_a_bound(void **state)
{
	struct fixture *f = *state;
	const char *para = "Menteri Yevgeny Sorokin tiba di Jakarta, kata Sorokin kepada wartawan.\n\n";
	size_t k = strlen(para), reps = KB_EXTRACT_MAX_BYTES / k + 100;
	char *body = kb_xmalloc(reps * k + 1);
	for (size_t i = 0; i < reps; i++)
		memcpy(body + i * k, para, k);
	body[reps * k] = '\0';
	struct kb_extraction x;
	kb_extract(f->ex, NULL, body, "2024-04-15", &x);
	const struct kb_mention_in *full = find(&x, "Yevgeny Sorokin", false);
	assert_non_null(full);
	size_t surnames = 0;
	for (size_t i = 0; i < x.n; i++) {
		assert_false(x.m[i].in_title);
		assert_true(x.m[i].end <= KB_EXTRACT_MAX_BYTES);
		assert_memory_equal(body + x.m[i].start, x.m[i].surface, x.m[i].end - x.m[i].start);
		if (strcmp(x.m[i].surface, "Sorokin") == 0) {
			assert_string_equal(x.m[i].key, full->key);
			surnames++;
		}
	}
	/* every paragraph wholly inside the window names him alone once */
	assert_true(surnames >= KB_EXTRACT_MAX_BYTES / k - 1);
	assert_true(surnames <= KB_EXTRACT_MAX_BYTES / k + 1);
	kb_extraction_free(&x);
	free(body);
}

/* A headline naming a person the body names in pieces: adding the title's
 * name moved the spans it was copied from (a crash found by the
 * benchmark corpus; bench/gen -s 42, article 7688). */
static void title_names_survive_moving_spans(void **state)
{
	struct fixture *f = *state;
	struct kb_extraction x;
	const char *body =
		"Meanwhile, Francois Delacroix of PT Nusantara Logistik Utama called the move on food inflation overdue. Ambassador Park insisted the government would not back down on food inflation. The budget for the programme is expected to rise on last year. According to Delacroix, PT Karya Baja Sentosa has set aside $289 million for food inflation.\n"
		"\n"
		"ADVERTISEMENT\n"
		"\n"
		"Ambassador Park insisted the government would not back down on food inflation. According to Park, PT Karya Baja Sentosa has set aside $463 million for food inflation. The meeting in Jayapura, Indonesia, was attended by Park Min-jun and Francois Delacroix.\n"
		"\n"
		"Francois Delacroix, the Fisheries Minister, said food inflation would be discussed in Jayapura last week. “We expect to meet the target before the end of the year,” said Park Min-jun, Ambassador, in Surabaya yesterday.\n"
		"\n"
		"“People deserve a clear explanation,” said Park Minjun, Ambassador, in Surabaya last January. “Nothing is being hidden,” Sorokin said. Meanwhile, Francois Delacroix of PT Nusantara Logistik Utama called the move on food inflation overdue. The meeting in Surabaya, Indonesia, was attended by Park Min-jun and Francois Delacroix.\n"
		"\n"
		"ADVERTISEMENT\n"
		"\n"
		"The latest figures show a trend that has held for three months. Yevgeny Sorokin, the Trade Minister, said food inflation would be discussed in Balikpapan on Friday. PT Nusantara Logistik Utama, based in Jayapura, reported a 28 percent rise in figures released on Sunday. Fisheries Minister Delacroix is due to visit Indonesia yesterday.\n"
		"\n"
		"Ambassador Park is due to visit Indonesia on 17 February 2020. “The numbers speak for themselves,” said Yevgeny Sorokin, Trade Minister, in Jayapura on February 10, 2020. The latest figures show a trend that has held for three months. “We have lodged a formal objection,” Park said.\n"
		"\n"
		"The meeting in Balikpapan, Indonesia, was attended by Yevgeny Sorokin and Park Minjun. PT Nusantara Logistik Utama, based in Surabaya, reported a 16 percent rise in figures released last January. “People deserve a clear explanation,” said Park Min-jun, Ambassador, in Surabaya yesterday.\n"
		"\n"
		"The meeting in Balikpapan, Indonesia, was attended by Francois Delacroix and Yevgeny Sorokin. The meeting in Surabaya, Indonesia, was attended by Yevgeny Sorokin and Park Minjun.\n"
		"\n"
		"PT Karya Baja Sentosa, based in Surabaya, reported a 34 percent rise in figures released on 22 February 2020. “We have lodged a formal objection,” said Park Min-jun, Ambassador, in Jayapura yesterday.\n"
		"\n"
		"Fisheries Minister Delacroix is due to visit Indonesia on February 18, 2020. According to Park, PT Karya Baja Sentosa has set aside $351 million for food inflation. Traders at the central market greeted the news with caution. According to Delacroix, PT Karya Baja Sentosa has set aside $493 million for food inflation. Park Min-jun, the Ambassador, said food inflation would be discussed in Surabaya last January.\n"
		"\n"
		"Read also: Park Min-jun Speaks Out on food inflation\n"
		"\n"
		"(Archive note 7688.)\n"
		"\n"
		"Writer: Nadia Permata\n"
		"Editor: Laura Bennett\n"
		"\n"
		"Share: Facebook Twitter WhatsApp\n";
	kb_extract(f->ex, "Park Min-jun Speaks Out on food inflation", body, NULL, &x);
	const struct kb_mention_in *t = find(&x, "Park Min-jun", true);
	assert_non_null(t);
	assert_string_equal(t->type, "person");
	kb_extraction_free(&x);
}

static void publication_date_is_inferred(void **state)
{
	struct fixture *f = *state;
	struct kb_extraction x;
	const char *body = "Kapal itu tiba di Makassar pada Jumat (12/4/2024). Kapal serupa tiba "
			   "pada 2 Maret 2024. Pembelian disepakati bulan Juni tahun lalu.";
	kb_extract(f->ex, "Kapal Baru Tiba di Makassar", body, NULL, &x);
	assert_string_equal(x.published, "2024-04-12");
	bool june = false;
	for (size_t i = 0; i < x.n; i++)
		june |= strcmp(x.m[i].type, "date") == 0 && strcmp(x.m[i].key, "2023-06") == 0;
	assert_true(june);
	kb_extraction_free(&x);
	/* a known date is not replaced */
	kb_extract(f->ex, "Judul", body, "2024-05-01", &x);
	assert_string_equal(x.published, "");
	kb_extraction_free(&x);
}

/* The mentions of type in body, as their texts joined by '|'. */
static char *mentions_of(struct fixture *f, const char *body, const char *type)
{
	struct kb_extraction x;
	kb_extract(f->ex, "Judul", body, NULL, &x);
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < x.n; i++)
		if (!x.m[i].in_title && strcmp(x.m[i].type, type) == 0) {
			if (buf[0])
				strcat(buf, "|");
			strncat(buf, body + x.m[i].start, x.m[i].end - x.m[i].start);
		}
	kb_extraction_free(&x);
	return buf;
}

/* English news: the dateline's place, "X-based", names joined by "of". */
static void english_name_shapes(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(mentions_of(f, "JAKARTA (Reuters) - Prices rose, said a Dubai-based analyst.",
					"place"),
			    "JAKARTA|Dubai");
	assert_string_equal(mentions_of(f, "Talks were held at the Ministry of Foreign Affairs.", "org"),
			    "Ministry of Foreign Affairs");
	assert_string_equal(mentions_of(f, "A fire broke out in the Makassar Strait today.", "person"),
			    "");
	/* an acronym in brackets names the organisation wherever it is written */
	assert_string_equal(mentions_of(f, "The Corruption Eradication Commission (KPKX) said on"
					   " Monday it would appeal. KPKX did not say when.",
					"org"),
			    "Corruption Eradication Commission|KPKX|KPKX");
	/* a surname alone, which the tagger misses at a sentence's start */
	assert_string_equal(mentions_of(f, "Russian envoy Sergei Shoigu arrived on Monday.\n\n"
					   "Shoigu, a former defence minister, told Wang that ties"
					   " were strong.",
					"person"),
			    "Sergei Shoigu|Wang|Shoigu");
}

/* A country standing alone, a pair of countries, a facility named by its
 * head word: places (or nothing), never persons. */
static void no_person_is_a_country_or_a_facility(void **state)
{
	struct fixture *f = *state;
	const char *t1 = "Delegasi itu tiba di Kosmodrom Baikonur pada Selasa.\n\n"
			 "Kosmodrom Baikonur dibangun pada 1955, kata Marina Volkova.";
	assert_string_equal(mentions_of(f, t1, "person"), "Marina Volkova");
	assert_string_equal(mentions_of(f, t1, "place"), "Kosmodrom Baikonur|Kosmodrom Baikonur");
	const char *t2 = "Pesawat itu mendarat di Pangkalan Udara Iswahjudi, ujar Budi Santoso.";
	assert_string_equal(mentions_of(f, t2, "person"), "Budi Santoso");
	const char *t3 = "The jets flew from Andersen Air Base on Monday, Mark Ruiz said.";
	assert_string_equal(mentions_of(f, t3, "person"), "Mark Ruiz");
	const char *t4 = "Menteri Pertahanan Jepang Minoru Kihara membahas hubungan"
			 " Jepang-Korea Selatan.\n\nJepang akan mengirim kapal, kata Kihara.";
	assert_string_equal(mentions_of(f, t4, "person"), "Minoru Kihara|Kihara");
}

static int count(const struct kb_row *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

static void mentions_resolve_across_articles(void **state)
{
	struct fixture *f = *state;
	struct kb_store *st = f->st;
	const char *bodies[] = {
		"Utusan khusus Korea Selatan Park Min-jun tiba di Jakarta. Park bertemu menteri.",
		"Special envoy Park Min Jun arrived in Jakarta on Monday, officials said.",
	};
	for (int i = 0; i < 2; i++) {
		char key[32], hash[32];
		snprintf(key, sizeof key, "k:%d", i);
		snprintf(hash, sizeof hash, "h%d", i);
		struct kb_article a = { .origin = key, .origin_key = key, .hash = hash,
					.title = "Judul", .body = bodies[i] };
		struct kb_extraction x;
		kb_extract(f->ex, a.title, a.body, NULL, &x);
		int64_t id;
		assert_int_equal(kb_store_begin(st), 0);
		assert_int_equal(kb_store_put_article(st, &a, &id), KB_PUT_NEW);
		assert_int_equal(kb_store_put_mentions(st, id, x.m, x.n), 0);
		assert_int_equal(kb_store_commit(st), 0);
		kb_extraction_free(&x);
	}
	char *k = kb_name_key("Park Min Jun", 12);
	int64_t park = kb_store_entity_find(st, "person", k, NULL);
	free(k);
	assert_true(park > 0);
	struct kb_list_query q = { .entity = park };
	int n = 0;
	assert_int_equal(kb_store_list(st, &q, count, &n), 0);
	assert_int_equal(n, 2);
	/* Jakarta in both languages is one place */
	int64_t jkt = kb_store_entity_find(st, "place", NULL, "Jakarta");
	assert_true(jkt > 0);
	n = 0;
	q.entity = jkt;
	assert_int_equal(kb_store_list(st, &q, count, &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_keys_fold_variants),
		cmocka_unit_test_setup_teardown(surnames_attach_and_types_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(title_names_survive_moving_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(publication_date_is_inferred, setup, teardown),
		cmocka_unit_test_setup_teardown(mentions_resolve_across_articles, setup, teardown),
		cmocka_unit_test_setup_teardown(english_name_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(no_person_is_a_country_or_a_facility, setup, teardown),
		cmocka_unit_test_setup_teardown(long_bodies_are_read_to_a_bound, setup, teardown),
	};
	return cmocka_run_group_tests_name("extract", tests, NULL, NULL);
}
