/* test_ner.c - the tokenizer, the tagger on invented sentences, place
 * keys, and loading bad models. */
#include "testutil.h"

#include "kabar/ner.h"
#include "ner-internal.h"

#define MODEL_DIR KB_SRC_ASSETS "/model"

/* The tokens of text joined by '|'; malloc'd. */
static char *toks(const char *text)
{
	struct kb_token *t;
	size_t n = kb_tokenize(text, strlen(text), &t);
	size_t len = 1;
	for (size_t k = 0; k < n; k++)
		len += t[k].end - t[k].start + 1;
	char *out = malloc(len), *p = out;
	for (size_t k = 0; k < n; k++) {
		if (k)
			*p++ = '|';
		memcpy(p, text + t[k].start, t[k].end - t[k].start);
		p += t[k].end - t[k].start;
	}
	*p = '\0';
	free(t);
	return out;
}

#define assert_toks(text, want)                    \
	do {                                       \
		char *got_ = toks(text);           \
		assert_string_equal(got_, (want)); \
		free(got_);                        \
	} while (0)

static void tokenize_words_and_punctuation(void **state)
{
	(void)state;
	assert_toks("Kapal itu berangkat, lalu (kembali).", "Kapal|itu|berangkat|,|lalu|(|kembali|)|.");
	assert_toks("\xe2\x80\x9cKami siap,\xe2\x80\x9d ujarnya.",
		    "\xe2\x80\x9c|Kami|siap|,|\xe2\x80\x9d|ujarnya|.");
	assert_toks("  \t\n ", "");
	assert_toks("", "");
	assert_toks("Tunggu...  ya?!", "Tunggu|...|ya|?|!");
}

static void tokenize_keeps_hyphens_numbers_abbreviations(void **state)
{
	(void)state;
	assert_toks("Kim Jong-un membahas perang Rusia-Ukraina.",
		    "Kim|Jong-un|membahas|perang|Rusia-Ukraina|.");
	assert_toks("Gempa 9,8 SR menewaskan 11.000 orang pada 29/11/2024 pukul 10:30.",
		    "Gempa|9,8|SR|menewaskan|11.000|orang|pada|29/11/2024|pukul|10:30|.");
	assert_toks("Dr. Rina dan J. Smith tiba di U.S. kemarin.",
		    "Dr.|Rina|dan|J.|Smith|tiba|di|U.S.|kemarin|.");
	assert_toks("Harga naik 5%, menurut PT Maju Tbk.", "Harga|naik|5|%|,|menurut|PT|Maju|Tbk.");
	assert_toks("Ma'ruf datang.", "Ma'ruf|datang|.");
	/* non-ASCII letters and a stray invalid byte */
	assert_toks("Andr\xc3\xa9 Gon\xc3\xa7" "alves \xff ke S\xc3\xa3o Paulo",
		    "Andr\xc3\xa9|Gon\xc3\xa7" "alves|\xff|ke|S\xc3\xa3o|Paulo");
}

static void tokenize_offsets_are_bytes(void **state)
{
	(void)state;
	const char text[] = "\xe2\x80\x9cYa\xe2\x80\x9d";
	struct kb_token *t;
	size_t n = kb_tokenize(text, sizeof text - 1, &t);
	assert_int_equal(n, 3);
	assert_int_equal(t[0].start, 0);
	assert_int_equal(t[0].end, 3);
	assert_int_equal(t[1].start, 3);
	assert_int_equal(t[1].end, 5);
	assert_int_equal(t[2].end, 8);
	free(t);
}

/* the committed model, loaded once for the whole group */
static struct kb_ner *model;

static int setup_model(void **state)
{
	(void)state;
	char *err = NULL;
	model = kb_ner_load(MODEL_DIR, &err);
	if (!model) {
		fprintf(stderr, "cannot load model: %s\n", err ? err : "?");
		free(err);
		return -1;
	}
	return 0;
}

static int teardown_model(void **state)
{
	(void)state;
	kb_ner_free(model);
	return 0;
}

/* "TYPE:text" lines of the mentions found; malloc'd. */
static char *find(const struct kb_ner *ner, const char *text)
{
	static const char *types[] = { "-", "PER", "LOC", "ORG", "DATE" };
	struct kb_span *sp;
	size_t n = kb_ner_find(ner, text, strlen(text), &sp);
	size_t len = 1;
	for (size_t k = 0; k < n; k++)
		len += sp[k].end - sp[k].start + 8;
	char *out = malloc(len), *p = out;
	*p = '\0';
	for (size_t k = 0; k < n; k++) {
		assert_true(sp[k].end > sp[k].start);
		assert_true(sp[k].end <= strlen(text));
		if (k > 0)
			assert_true(sp[k].start >= sp[k - 1].end);
		p += sprintf(p, "%s:%.*s\n", types[sp[k].type], (int)(sp[k].end - sp[k].start),
			     text + sp[k].start);
	}
	free(sp);
	return out;
}

static void tag_indonesian(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	char *got = find(ner, "Menteri Luar Negeri Jepang Haruto Sato bertemu Presiden Direktur "
			      "PT Samudra Biru Lines di Jakarta, kata juru bicara.");
	assert_contains(got, "PER:Haruto Sato\n");
	assert_contains(got, "ORG:PT Samudra Biru Lines\n");
	assert_contains(got, "LOC:Jakarta\n");
	assert_not_contains(got, "juru");
	free(got);

	got = find(ner, "Gubernur Jawa Tengah Budi Santoso meresmikan jembatan di Kabupaten "
			"Wonosari, Selasa.\n\nKetua Partai Rakyat Bersatu, Dewi Lestari, "
			"mengatakan bahwa partainya akan mendukung program itu.");
	assert_contains(got, "PER:Budi Santoso\n");
	assert_contains(got, "PER:Dewi Lestari\n");
	assert_contains(got, "ORG:Partai Rakyat Bersatu\n");
	assert_contains(got, "Wonosari\n");
	free(got);
}

static void tag_english(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	/* trained on Indonesian only: English works through shapes, cues and
	 * gazetteers */
	char *got = find(ner, "Foreign Minister Haruto Sato arrived in Japan on Monday and met "
			      "officials in Jakarta, a spokesman said.");
	assert_contains(got, "PER:Haruto Sato\n");
	assert_contains(got, "LOC:Japan\n");
	assert_contains(got, "LOC:Jakarta\n");
	free(got);
	got = find(ner, "President Daniel Okafor of Nigeria met officials from the World Health "
			"Organization in Geneva.");
	assert_contains(got, "PER:Daniel Okafor\n");
	assert_contains(got, "LOC:Geneva\n");
	free(got);
}

/* East Asian names after a country or a title keep their family name */
static void tag_family_names(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	char *got = find(ner, "Utusan khusus Korea Selatan Park Ha-eun tiba di Surabaya pada Senin.");
	assert_contains(got, "PER:Park Ha-eun\n");
	assert_contains(got, "LOC:Korea Selatan\n");
	free(got);
	got = find(ner, "Menteri Luar Negeri Choe Mi Ran dan Menteri Pertahanan Kang Tae Ho, "
			"serta Marsekal Pak Yong Gil menghadiri upacara itu.");
	assert_contains(got, "PER:Choe Mi Ran\n");
	assert_contains(got, "PER:Kang Tae Ho\n");
	assert_contains(got, "PER:Pak Yong Gil\n");
	free(got);
	got = find(ner, "The talks were chaired by deputy minister Nguyen Van Binh in the capital.");
	assert_contains(got, "PER:Nguyen Van Binh\n");
	free(got);
	/* a Korean name ends with its hyphenated given name */
	got = find(ner, "Park Min-jun Speaks Out on food inflation");
	assert_contains(got, "PER:Park Min-jun\n");
	assert_null(strstr(got, "Speaks"));
	free(got);
}

static void tag_nothing_and_garbage(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	struct kb_span *sp;
	assert_int_equal(kb_ner_find(ner, "", 0, &sp), 0);
	free(sp);
	assert_int_equal(kb_ner_find(ner, "ini dan itu saja.", 17, &sp), 0);
	free(sp);
	/* long runs, binary bytes, no crash */
	size_t n = 20000;
	char *junk = malloc(n);
	for (size_t k = 0; k < n; k++)
		junk[k] = (char)(k % 7 == 0 ? ' ' : (k * 131) % 251 + 1);
	kb_ner_find(ner, junk, n, &sp);
	free(sp);
	memset(junk, 'A', n);
	kb_ner_find(ner, junk, n, &sp);
	free(sp);
	free(junk);
}

/* Two 16-byte tokens with one kb_hash_bytes: x (given) and y, whose first
 * 8 bytes are lowercase and last 8 letters.  The hash takes 8 bytes at a
 * time, so y's second half can undo what its first half changed.  Returns
 * false when no y is found (the hash is not that one any more). */
static bool hash_twin(const char x[17], char y[17])
{
	uint64_t h0 = 0x9e3779b97f4a7c15ULL * 17;
	uint64_t hx = (h0 ^ kb_le64(x)) * 0xbf58476d1ce4e5b9ULL;
	hx ^= hx >> 31;
	/* about one y in 350000 has only letters */
	for (uint64_t k = 0; k < 100000000; k++) {
		uint64_t v = k;
		for (int j = 0; j < 8; j++, v /= 26)
			y[j] = (char)('a' + v % 26);
		uint64_t h = (h0 ^ kb_le64(y)) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
		kb_put_le64(y + 8, kb_le64(x + 8) ^ hx ^ h);
		int j = 8;
		while (j < 16 && ((y[j] >= 'a' && y[j] <= 'z') || (y[j] >= 'A' && y[j] <= 'Z')))
			j++;
		if (j < 16)
			continue;
		y[16] = '\0';
		return kb_hash_bytes(x, 16) == kb_hash_bytes(y, 16) && memcmp(x, y, 16) != 0;
	}
	return false;
}

/* The spans of text from byte from on, as "start-end:type " with offsets
 * from there; malloc'd. */
static char *span_list(const struct kb_ner *ner, const char *text, size_t from)
{
	struct kb_span *sp;
	size_t n = kb_ner_find(ner, text, strlen(text), &sp);
	char *out = malloc(n * 40 + 1), *p = out;
	*p = '\0';
	for (size_t k = 0; k < n; k++)
		if (sp[k].start >= from)
			p += sprintf(p, "%u-%u:%d ", (unsigned)(sp[k].start - from),
				     (unsigned)(sp[k].end - from), (int)sp[k].type);
	free(sp);
	return out;
}

/* Two tokens of one text whose byte hashes are equal are still two word
 * types: each sentence is tagged as it is alone. */
static void tag_hash_collision(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	const char x[17] = "Kartasasmitanata";
	char y[17];
	if (!hash_twin(x, y))
		fail_msg("no token with the hash of %s: kb_hash_bytes changed, update hash_twin", x);
	char one[128], two[128], both[256];
	snprintf(one, sizeof one, "Presiden %s tiba di Jakarta.", x);
	snprintf(two, sizeof two, "Presiden %s tiba di Jakarta.", y);
	snprintf(both, sizeof both, "%s\n%s", one, two);
	char *a = span_list(ner, one, 0), *b = span_list(ner, two, 0);
	char *ab = span_list(ner, both, 0), *ab2 = span_list(ner, both, strlen(one) + 1);
	/* the test can fail: the two tokens are tagged differently */
	assert_string_not_equal(a, b);
	assert_true(strncmp(ab, a, strlen(a)) == 0);
	assert_string_equal(ab2, b);
	free(a);
	free(b);
	free(ab);
	free(ab2);
}

/* kb_ner_find_cached gives text the spans kb_ner_find gives it; the
 * count of spans. */
static size_t assert_same_spans(const struct kb_ner *ner, struct kb_ner_cache *cache,
				const char *text)
{
	size_t n = strlen(text);
	struct kb_span *a, *b;
	size_t na = kb_ner_find(ner, text, n, &a);
	size_t nb = kb_ner_find_cached(ner, cache, text, n, &b);
	for (size_t k = 0; k < na && k < nb; k++)
		if (a[k].start != b[k].start || a[k].end != b[k].end || a[k].type != b[k].type)
			fail_msg("span %zu of \"%.60s...\": %u-%u:%d, cached %u-%u:%d", k, text,
				 (unsigned)a[k].start, (unsigned)a[k].end, (int)a[k].type,
				 (unsigned)b[k].start, (unsigned)b[k].end, (int)b[k].type);
	if (na != nb)
		fail_msg("\"%.60s...\": %zu spans, cached %zu", text, na, nb);
	free(a);
	free(b);
	return na;
}

static uint64_t next_rand(uint64_t *r)
{
	*r ^= *r << 13;
	*r ^= *r >> 7;
	*r ^= *r << 17;
	return *r;
}

/* Appends a made-up word of 2 to 4 syllables to p, capitalised or not,
 * from a vocabulary of some 260000 words; returns the end. */
static char *made_up_word(uint64_t *r, char *p, bool cap)
{
	static const char *syl[] = { "ka", "ru", "mi", "ta", "so", "ngu", "wa", "di", "lo", "pe",
				     "bar", "sin", "to", "ha", "je", "mur", "ya", "ri", "gan", "tu" };
	char *w = p;
	for (int k = 2 + (int)(next_rand(r) % 3); k-- > 0;)
		p += sprintf(p, "%s", syl[next_rand(r) % 20]);
	if (cap)
		*w = (char)(*w - 'a' + 'A');
	return p;
}

/* A text of sentences made of made-up names between cue words, with
 * about nwords words. */
static char *made_up_text(uint64_t *r, size_t nwords)
{
	static const char *frame[] = { "Presiden", "bertemu", "di", "Kota", "kata", "dari",
				       "PT", "Menteri", "Universitas", "pada", "Senin", "dan" };
	char *text = malloc(nwords * 16 + 16), *p = text;
	for (size_t k = 0; k < nwords; k++) {
		unsigned v = (unsigned)(next_rand(r) % 16);
		if (v < 6)
			p += sprintf(p, "%s", frame[next_rand(r) % 12]);
		else
			p = made_up_word(r, p, v < 11);
		*p++ = k % 12 == 11 ? '.' : ' ';
		if (k % 12 == 11)
			*p++ = ' ';
	}
	*p = '\0';
	return text;
}

/* The word type cache changes nothing: texts that repeat, share words,
 * have non-ASCII and long tokens, a token whose hash is another's, and
 * more words than the cache holds, tagged twice, with a cache and
 * without. */
static void tag_cached(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	struct kb_ner_cache *cache = kb_ner_cache_new();
	assert_non_null(cache);
	static const char *texts[] = {
		"Menteri Luar Negeri Jepang Haruto Sato bertemu Presiden Direktur PT Samudra "
		"Biru Lines di Jakarta, kata juru bicara.",
		"Gubernur Jawa Tengah Budi Santoso meresmikan jembatan di Kabupaten Wonosari, "
		"Selasa.\n\nKetua Partai Rakyat Bersatu, Dewi Lestari, mengatakan bahwa "
		"partainya akan mendukung program itu.",
		/* the same words again, in other sentences */
		"Budi Santoso dan Haruto Sato tiba di Jakarta. Dewi Lestari dari Partai Rakyat "
		"Bersatu bertemu Gubernur Jawa Tengah.",
		"Menteri Luar Negeri Jepang Haruto Sato bertemu Presiden Direktur PT Samudra "
		"Biru Lines di Jakarta, kata juru bicara.",
		"Foreign Minister Haruto Sato arrived in Japan on Monday and met officials in "
		"Jakarta, a spokesman said.",
		"Utusan khusus Korea Selatan Park Ha-eun tiba di Surabaya pada Senin.",
		"Andr\xc3\xa9 Gon\xc3\xa7" "alves tiba di S\xc3\xa3o Paulo bersama \xc3\x89mile "
		"M\xc3\xbcller dari \xe6\x9d\xb1\xe4\xba\xac \xff dan Presiden \xc3\x89MILE.",
		"S\xc3\xa3o Paulo, kata Andr\xc3\xa9 Gon\xc3\xa7" "alves kepada \xc3\x89mile.",
		/* 31, 32, 33 and 70 bytes: kept, kept, not kept */
		"Presiden Abcdefghijklmnopqrstuvwxyzabcde tiba di Abcdefghijklmnopqrstuvwxyzabcdef "
		"bersama Abcdefghijklmnopqrstuvwxyzabcdefg dan Abcdefghijklmnopqrstuvwxyzabcdefghij"
		"klmnopqrstuvwxyzabcdefghijklmnopqr di Jakarta.",
		"Abcdefghijklmnopqrstuvwxyzabcdefg bertemu Abcdefghijklmnopqrstuvwxyzabcdef di "
		"Abcdefghijklmnopqrstuvwxyzabcde.",
	};
	size_t found = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
			found += assert_same_spans(ner, cache, texts[k]);
	assert_true(found > 20);

	/* two texts whose tokens have one hash: the second must not take
	 * the first's type */
	const char x[17] = "Kartasasmitanata";
	char y[17], one[64], two[64];
	assert_true(hash_twin(x, y));
	snprintf(one, sizeof one, "Presiden %s tiba di Jakarta.", x);
	snprintf(two, sizeof two, "Presiden %s tiba di Jakarta.", y);
	assert_same_spans(ner, cache, one);
	assert_same_spans(ner, cache, two);

	/* some 60000 words in all, of a vocabulary larger than the cache:
	 * words are replaced, then met again */
	uint64_t r = 0x9e3779b97f4a7c15ULL;
	found = 0;
	for (int k = 0; k < 60; k++) {
		char *t = made_up_text(&r, 1000);
		found += assert_same_spans(ner, cache, t);
		free(t);
	}
	assert_true(found > 1000);
	/* one text with more distinct words than the cache holds: its sets
	 * fill with its own words, the rest get types of their own */
	char *t = made_up_text(&r, 40000);
	assert_true(assert_same_spans(ner, cache, t) > 1000);
	free(t);
	for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
		assert_same_spans(ner, cache, texts[k]);
	kb_ner_cache_free(cache);
	/* no cache: kb_ner_find */
	assert_same_spans(ner, NULL, texts[0]);
}

/* Whether ner and other tag text differently. */
static bool tags_differ(const struct kb_ner *ner, const struct kb_ner *other, const char *text)
{
	struct kb_span *a, *b;
	size_t na = kb_ner_find(ner, text, strlen(text), &a);
	size_t nb = kb_ner_find(other, text, strlen(text), &b);
	bool differ = na != nb || memcmp(a, b, na * sizeof *a) != 0;
	free(a);
	free(b);
	return differ;
}

/* A cache used with other models does not give them the word types it
 * made with the first: neither its row sums (other weights) nor what it
 * looked up (the same weights without word clusters); nor, after its
 * weights change, the row sums of the ones it had. */
static void tag_cached_models(void **state)
{
	(void)state;
	char *err = NULL;
	struct kb_ner *other = kb_ner_load_domain(MODEL_DIR, 1, &err);
	struct kb_ner *noclus = kb_ner_load(MODEL_DIR, &err);
	assert_non_null(other);
	assert_non_null(noclus);
	kb_gaz_free(&noclus->clus);
	uint64_t r = 12345;
	char *t = made_up_text(&r, 3000);
	/* the test can fail: the models tag the text differently */
	assert_true(tags_differ(model, other, t));
	assert_true(tags_differ(model, noclus, t));
	struct kb_ner_cache *cache = kb_ner_cache_new();
	assert_non_null(cache);
	for (int k = 0; k < 2; k++) {
		assert_same_spans(model, cache, t);
		assert_same_spans(other, cache, t);
		assert_same_spans(model, cache, t);
		assert_same_spans(noclus, cache, t);
	}
	kb_ner_set_weights(other, model->w);
	assert_same_spans(other, cache, t);
	free(t);
	kb_ner_cache_free(cache);
	kb_ner_free(other);
	kb_ner_free(noclus);
}

static void place_keys(void **state)
{
	(void)state;
	const struct kb_ner *ner = model;
	char a[32], b[32];
	static const char *north[] = { "Korea Utara", "North Korea", "Korut", "DPRK", "korea  utara" };
	static const char *us[] = { "AS", "Amerika Serikat", "United States", "USA" };
	for (size_t k = 0; k < sizeof north / sizeof *north; k++) {
		assert_true(kb_ner_place_key(ner, north[k], strlen(north[k]), a, sizeof a));
		assert_string_equal(a, "iso:KP");
	}
	for (size_t k = 0; k < sizeof us / sizeof *us; k++) {
		assert_true(kb_ner_place_key(ner, us[k], strlen(us[k]), b, sizeof b));
		assert_string_equal(b, "iso:US");
	}
	assert_true(kb_ner_place_key(ner, "Jepang", 6, a, sizeof a));
	assert_true(kb_ner_place_key(ner, "Japan", 5, b, sizeof b));
	assert_string_equal(a, b);
	assert_true(kb_ner_place_key(ner, "Korea Selatan", 13, a, sizeof a));
	assert_string_equal(a, "iso:KR");
	assert_true(kb_ner_place_key(ner, "Jawa Tengah", 11, a, sizeof a));
	assert_string_equal(a, "iso:ID-JT");
	assert_false(kb_ner_place_key(ner, "Haruto Sato", 11, a, sizeof a));
	assert_false(kb_ner_place_key(ner, "", 0, a, sizeof a));
	/* too small a buffer is a miss, not an overflow */
	assert_false(kb_ner_place_key(ner, "Korut", 5, a, 4));
}

static void load_missing_and_corrupt(void **state)
{
	(void)state;
	char *err = NULL;
	assert_null(kb_ner_load("/nonexistent/kabar/model", &err));
	assert_non_null(err);
	free(err);

	char *dir = test_dir("ner");
	assert_non_null(dir);
	err = NULL;
	assert_null(kb_ner_load(dir, &err)); /* empty directory */
	assert_non_null(err);
	free(err);

	/* garbage, then a real model cut short, then one flipped byte */
	test_write(dir, "ner.bin", "not a model at all", 18);
	err = NULL;
	assert_null(kb_ner_load(dir, &err));
	assert_contains(err, "not a kabar NER model");
	free(err);

	FILE *f = fopen(MODEL_DIR "/ner.bin", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (long cut = 40; cut < size; cut = cut * 3 + 1) {
		test_write(dir, "ner.bin", buf, (size_t)cut);
		err = NULL;
		assert_null(kb_ner_load(dir, &err));
		assert_non_null(err);
		free(err);
	}
	/* an older version (4: no word clusters) */
	buf[8] = 4;
	test_write(dir, "ner.bin", buf, (size_t)size);
	err = NULL;
	assert_null(kb_ner_load(dir, &err));
	assert_contains(err, "unsupported model version 4");
	free(err);
	buf[8] = 5;
	buf[size / 2] ^= 0x40;
	test_write(dir, "ner.bin", buf, (size_t)size);
	err = NULL;
	assert_null(kb_ner_load(dir, &err));
	assert_contains(err, "corrupt");
	free(err);
	buf[size / 2] ^= 0x40;
	/* a good model without places.tsv */
	test_write(dir, "ner.bin", buf, (size_t)size);
	err = NULL;
	assert_null(kb_ner_load(dir, &err));
	assert_contains(err, "places.tsv");
	free(err);
	free(buf);
	test_rmdir(dir);
}

static void default_dir(void **state)
{
	(void)state;
	setenv("KABAR_MODEL_DIR", "/somewhere/model", 1);
	assert_string_equal(kb_ner_default_dir(), "/somewhere/model");
	unsetenv("KABAR_MODEL_DIR");
	const char *d = kb_ner_default_dir();
	assert_non_null(d);
	assert_contains(d, "/model");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokenize_words_and_punctuation),
		cmocka_unit_test(tokenize_keeps_hyphens_numbers_abbreviations),
		cmocka_unit_test(tokenize_offsets_are_bytes),
		cmocka_unit_test(load_missing_and_corrupt),
		cmocka_unit_test(default_dir),
		cmocka_unit_test(tag_indonesian),
		cmocka_unit_test(tag_english),
		cmocka_unit_test(tag_family_names),
		cmocka_unit_test(tag_nothing_and_garbage),
		cmocka_unit_test(tag_hash_collision),
		cmocka_unit_test(tag_cached),
		cmocka_unit_test(tag_cached_models),
		cmocka_unit_test(place_keys),
	};
	return cmocka_run_group_tests_name("ner", tests, setup_model, teardown_model);
}
