/* test_shape.c - how the words of a name trim, cut and type the tagger's
 * spans (src/extract/shape.c), on invented English and Indonesian text. */
#include "testutil.h"

#include "kabar/ner.h"
#include "shape.h"

#define MODEL_DIR KB_SRC_ASSETS "/model"

static struct kb_ner *ner;

static int load(void **state)
{
	(void)state;
	char *err = NULL;
	ner = kb_ner_load(MODEL_DIR, &err);
	if (!ner)
		fprintf(stderr, "%s\n", err);
	free(err);
	return ner ? 0 : -1;
}

static int unload(void **state)
{
	(void)state;
	kb_ner_free(ner);
	return 0;
}

/* Spans sp[0..n) of text as "TYPE:text" joined by '|' (P person, L place,
 * O organisation); a static buffer. */
static char *spans(const char *text, const struct kb_span *sp, size_t n)
{
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char one[160];
		char t = sp[i].type == KB_ENT_PERSON ? 'P' : sp[i].type == KB_ENT_PLACE ? 'L'
			 : sp[i].type == KB_ENT_ORG	? 'O'
							: '?';
		snprintf(one, sizeof one, "%s%c:%.*s", i ? "|" : "", t,
			 (int)(sp[i].end - sp[i].start), text + sp[i].start);
		strcat(buf, one);
	}
	return buf;
}

/* The pieces of the span of text that is its first occurrence of name. */
static char *pieces(const char *text, const char *name, enum kb_ent_type type)
{
	const char *at = strstr(text, name);
	assert_non_null(at);
	struct kb_span in = { (uint32_t)(at - text), (uint32_t)(at - text + strlen(name)), type };
	struct kb_span out[8];
	return spans(text, out, kb_shape_span(ner, text, in, out, 8));
}

static void sentence_words_come_off(void **state)
{
	(void)state;
	assert_string_equal(pieces("The Ministry said so.", "The Ministry", KB_ENT_ORG),
			    "O:Ministry");
	assert_string_equal(pieces("He met the Philippines team.", "the Philippines", KB_ENT_PLACE),
			    "L:Philippines");
	assert_string_equal(pieces("He left Beijing on Wednesday.", "Beijing on", KB_ENT_PLACE),
			    "L:Beijing");
	assert_string_equal(pieces("He met them in Beijing on Wednesday.", "Beijing on Wednesday",
				   KB_ENT_PLACE),
			    "L:Beijing");
	assert_string_equal(pieces("Envoy Park Min Jun came.", "Park Min Jun", KB_ENT_PERSON),
			    "P:Park Min Jun");
	/* an acronym is not the pronoun it spells */
	assert_string_equal(pieces("WHO Director warned.", "WHO", KB_ENT_ORG), "O:WHO");
	/* an Indonesian place keeps its lowercase head, a Korean name its
	 * family name, a Balinese name its "I" */
	assert_string_equal(pieces("Ia tinggal di desa Kemu kemarin.", "desa Kemu", KB_ENT_PLACE),
			    "L:desa Kemu");
	assert_string_equal(pieces("An Chang-ho spoke.", "An Chang-ho", KB_ENT_PERSON),
			    "P:An Chang-ho");
	assert_string_equal(pieces("I Made Mudharta spoke.", "I Made Mudharta", KB_ENT_PERSON),
			    "P:I Made Mudharta");
	/* descriptors and the words before a lowercase word that joins nothing */
	assert_string_equal(pieces("the Chinese-owned Landbridge Group said", "Chinese-owned Landbridge Group",
				   KB_ENT_ORG),
			    "O:Landbridge Group");
	assert_string_equal(pieces("a Singapore-flagged tanker", "Singapore-flagged", KB_ENT_ORG), "");
	assert_string_equal(pieces("Anti-graft group Indonesia Corruption Watch said",
				   "Anti-graft group Indonesia Corruption Watch", KB_ENT_ORG),
			    "O:Indonesia Corruption Watch");
	assert_string_equal(pieces("the Ministry of Marine Affairs and Fisheries said",
				   "Ministry of Marine Affairs and Fisheries", KB_ENT_ORG),
			    "O:Ministry of Marine Affairs and Fisheries");
	/* nothing left: no name */
	assert_string_equal(pieces("The rain fell.", "The", KB_ENT_ORG), "");
}

static void possessives_and_titles_cut(void **state)
{
	(void)state;
	assert_string_equal(pieces("Thailand's Supreme Court ruled.", "Thailand's Supreme Court",
				   KB_ENT_PERSON),
			    "P:Thailand|O:Supreme Court");
	assert_string_equal(pieces("Premier Li Qiang said.", "Premier Li Qiang", KB_ENT_PERSON),
			    "P:Li Qiang");
	assert_string_equal(pieces("Chinese Foreign Minister Wang Yi said.",
				   "Chinese Foreign Minister Wang Yi", KB_ENT_PERSON),
			    "P:Wang Yi");
	assert_string_equal(pieces("Kata Pak Jokowi.", "Pak Jokowi", KB_ENT_PERSON), "P:Jokowi");
	assert_string_equal(pieces("Jenderal Pak Jong Chon hadir.", "Pak Jong Chon", KB_ENT_PERSON),
			    "P:Pak Jong Chon");
	/* a title after a name ends it; "General Motors" is no person */
	assert_string_equal(pieces("Bank Indonesia Governor Perry said.", "Bank Indonesia Governor",
				   KB_ENT_ORG),
			    "O:Bank Indonesia");
	assert_string_equal(pieces("General Motors sold cars.", "General Motors", KB_ENT_ORG),
			    "O:General Motors");
}

static void head_words_type(void **state)
{
	(void)state;
	assert_string_equal(pieces("Ships crossed the Timor Sea.", "Timor Sea", KB_ENT_PERSON),
			    "L:Timor Sea");
	assert_string_equal(pieces("Beagle Gulf Port Holdings said.", "Beagle Gulf Port Holdings",
				   KB_ENT_PERSON),
			    "O:Beagle Gulf Port Holdings");
	assert_string_equal(pieces("He flew to Mount Hagen.", "Mount Hagen", KB_ENT_ORG),
			    "L:Mount Hagen");
	/* a head word starts no name: the capitalised words before it */
	assert_string_equal(pieces("A fire in the Makassar Strait today.", "Strait", KB_ENT_PERSON),
			    "L:Makassar Strait");
	/* one word: no head rule ("Navy" alone stays what the tagger said) */
	assert_string_equal(pieces("Jakarta Post", "Jakarta", KB_ENT_PLACE), "L:Jakarta");
}

static void nationality_words_are_no_names(void **state)
{
	(void)state;
	assert_string_equal(pieces("Indonesian rescuers came.", "Indonesian", KB_ENT_PLACE), "");
	assert_string_equal(pieces("Australian police said.", "Australian", KB_ENT_PERSON), "");
	assert_string_equal(pieces("Japanese firms bid.", "Japanese", KB_ENT_ORG), "");
	assert_string_equal(pieces("Southern winds.", "Southern", KB_ENT_PLACE), "");
	/* "X-based": the place */
	assert_string_equal(pieces("a Singapore-based firm", "Singapore-based", KB_ENT_ORG),
			    "L:Singapore");
	/* the country itself stays */
	assert_string_equal(pieces("Indonesia said.", "Indonesia", KB_ENT_PLACE), "L:Indonesia");
	assert_string_equal(pieces("Adrian said.", "Adrian", KB_ENT_PERSON), "P:Adrian");
}

static struct kb_span at(const char *text, const char *name, enum kb_ent_type type)
{
	const char *p = strstr(text, name);
	assert_non_null(p);
	return (struct kb_span){ (uint32_t)(p - text), (uint32_t)(p - text + strlen(name)), type };
}

static void spans_join(void **state)
{
	(void)state;
	const char *t = "Mohammed bin Salman met Kim Jong Un in the Singapore Strait.";
	assert_true(kb_shape_joins(t, at(t, "Mohammed", KB_ENT_PERSON),
				   at(t, "Salman", KB_ENT_PERSON)));
	assert_true(kb_shape_joins(t, at(t, "Kim", KB_ENT_PERSON), at(t, "Jong Un", KB_ENT_PERSON)));
	assert_true(kb_shape_joins(t, at(t, "Singapore", KB_ENT_PLACE),
				   at(t, "Strait", KB_ENT_PERSON)));
	/* not across other words, nor persons of other types */
	assert_false(kb_shape_joins(t, at(t, "Salman", KB_ENT_PERSON), at(t, "Kim", KB_ENT_PERSON)));
	assert_false(kb_shape_joins(t, at(t, "Mohammed", KB_ENT_PERSON),
				    at(t, "Salman", KB_ENT_PLACE)));
	const char *u = "Budi di Jakarta";
	assert_false(kb_shape_joins(u, at(u, "Budi", KB_ENT_PERSON), at(u, "Jakarta", KB_ENT_PERSON)));
}

/* kb_shape_of_names over text, as "TYPE:text" joined by '|'. */
static char *of_names(const char *text)
{
	struct kb_span sp[8];
	return spans(text, sp, kb_shape_of_names(text, strlen(text), sp, 8));
}

static void names_joined_by_of(void **state)
{
	(void)state;
	assert_string_equal(of_names("said the Ministry of Foreign Affairs and Trade, adding"),
			    "O:Ministry of Foreign Affairs and Trade");
	assert_string_equal(of_names("Tankers met in the Strait of Malacca."), "L:Strait of Malacca");
	assert_string_equal(of_names("at Renmin University of China's campus"),
			    "O:Renmin University of China");
	assert_string_equal(of_names("the Port of Singapore Authority said"),
			    "O:Port of Singapore Authority");
	assert_string_equal(of_names("a bank of the river and a court of law"), "");
}

static void datelines(void **state)
{
	(void)state;
	struct kb_span sp;
	const char *t = "JAKARTA (Reuters) - Indonesia said";
	assert_int_equal(kb_shape_dateline(t, strlen(t), &sp), 1);
	assert_int_equal(sp.end, 7);
	t = "PORT MORESBY, May 3 (AFP) - A quake";
	assert_int_equal(kb_shape_dateline(t, strlen(t), &sp), 1);
	assert_int_equal(sp.end, 12);
	t = "SYDNEY \xe2\x80\x94 Rates held";
	assert_int_equal(kb_shape_dateline(t, strlen(t), &sp), 1);
	assert_int_equal(sp.end, 6);
	t = "Indonesia said on Monday";
	assert_int_equal(kb_shape_dateline(t, strlen(t), &sp), 0);
	t = "NEWS FLASH";
	assert_int_equal(kb_shape_dateline(t, strlen(t), &sp), 0);
}

static void gazetteer_and_cue_words(void **state)
{
	(void)state;
	assert_true(kb_ner_gazetteer(ner, "Jakarta", 7) & KB_NAME_PLACE);
	assert_true(kb_ner_gazetteer(ner, "Korea Utara", 11) & KB_NAME_PLACE);
	assert_int_equal(kb_ner_gazetteer(ner, "Xqzvw Bnrtk", 11), 0);
	assert_true(kb_ner_word_is(ner, "in", 2, KB_WORD_PREP));
	assert_true(kb_ner_word_is(ner, "di", 2, KB_WORD_PREP));
	assert_false(kb_ner_word_is(ner, "said", 4, KB_WORD_PREP));
	assert_true(kb_ner_word_is(ner, "Menteri", 7, KB_WORD_TITLE));
	assert_true(kb_ner_word_is(ner, "KIM", 3, KB_WORD_FAMILY));
	assert_true(kb_ner_word_is(ner, "desa", 4, KB_WORD_PLACE));
	assert_false(kb_ner_word_is(ner, "Jakarta", 7, KB_WORD_TITLE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sentence_words_come_off),
		cmocka_unit_test(possessives_and_titles_cut),
		cmocka_unit_test(head_words_type),
		cmocka_unit_test(nationality_words_are_no_names),
		cmocka_unit_test(spans_join),
		cmocka_unit_test(names_joined_by_of),
		cmocka_unit_test(datelines),
		cmocka_unit_test(gazetteer_and_cue_words),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
