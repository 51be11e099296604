/* gazetteer.c - name lists as a hash set of token spans, the cue words,
 * the table from place names to ISO 3166 codes, and what they say of a
 * name or word (kb_ner_place_key, kb_ner_word_is, kb_ner_gazetteer). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner-internal.h"

int kb_gaz_init(struct kb_gaz *g, size_t expect)
{
	size_t size = 1024;
	while (size * 3 < expect * 4) /* at most 3/4 full */
		size *= 2;
	g->slots = calloc(size, sizeof *g->slots);
	g->mask = size - 1;
	g->count = 0;
	g->mapped = false;
	if (!g->slots) {
		kb_gaz_free(g);
		return -1;
	}
	return 0;
}

void kb_gaz_free(struct kb_gaz *g)
{
	if (!g->mapped)
		free(g->slots);
	g->slots = NULL;
	g->mask = 0;
	g->count = 0;
	g->mapped = false;
}

static void grow(struct kb_gaz *g)
{
	struct kb_gaz ng;
	if (kb_gaz_init(&ng, (g->mask + 1) * 2) != 0)
		return;
	for (size_t k = 0; k <= g->mask; k++) {
		uint64_t s = kb_le64(g->slots + k);
		if (s)
			kb_gaz_add(&ng, s, (uint16_t)s);
	}
	kb_gaz_free(g);
	*g = ng;
}

void kb_gaz_add(struct kb_gaz *g, uint64_t h, uint16_t bits)
{
	if (!g->slots || g->mapped)
		return;
	if ((g->count + 1) * 4 > (g->mask + 1) * 3) {
		grow(g);
		if ((g->count + 1) * 4 > (g->mask + 1) * 3)
			return;
	}
	uint64_t key = kb_gaz_key(h);
	size_t k = (size_t)(key >> 40) & g->mask;
	uint64_t s;
	while ((s = kb_le64(g->slots + k)) && (s & ~(uint64_t)0xffff) != key)
		k = (k + 1) & g->mask;
	if (!s) {
		s = key;
		g->count++;
	}
	kb_put_le64(g->slots + k, s | bits);
}

void kb_gaz_add_tokens(struct kb_gaz *g, const char *text, const struct kb_token *toks, size_t cnt,
		       uint16_t bits)
{
	if (cnt == 0 || cnt > KB_GAZ_MAXSPAN)
		return;
	uint64_t h = KB_SPAN_SEED;
	char buf[128];
	size_t bl;
	uint16_t part = bits & KB_GAZ_PER ? KB_GAZ_PERPART : bits & KB_GAZ_ORG ? KB_GAZ_ORGPART : 0;
	for (size_t k = 0; k < cnt; k++) {
		uint64_t lw = kb_tok_lower(text + toks[k].start, toks[k].end - toks[k].start, buf, &bl);
		h = kb_span_next(h, lw);
		kb_gaz_add(g, h, k + 1 < cnt ? KB_GAZ_PREFIX : bits);
		if (part && cnt > 1)
			kb_gaz_add(g, kb_span_next(KB_SPAN_SEED, lw), part);
	}
}

/* Adds a name (tokenised here) and its prefixes. */
static void gaz_add_name(struct kb_gaz *g, const char *name, size_t n, uint16_t bits)
{
	struct kb_token *toks;
	size_t cnt = kb_tokenize(name, n, &toks);
	kb_gaz_add_tokens(g, name, toks, cnt, bits);
	free(toks);
}

int kb_gaz_copy(struct kb_gaz *dst, const struct kb_gaz *src)
{
	dst->slots = malloc((src->mask + 1) * sizeof *dst->slots);
	if (!dst->slots)
		return -1;
	memcpy(dst->slots, src->slots, (src->mask + 1) * sizeof *dst->slots);
	dst->mask = src->mask;
	dst->count = src->count;
	dst->mapped = false;
	return 0;
}

static char *chomp(char *line)
{
	size_t l = strlen(line);
	while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r' || line[l - 1] == ' '))
		line[--l] = '\0';
	return line;
}

/* Calls fn on every line of path, without its line end; fn returns
 * whether the line counted.  Returns the count, or -1 when path cannot be
 * read. */
static long each_line(const char *path, bool (*fn)(struct kb_gaz *, char *, uint8_t),
		      struct kb_gaz *g, uint8_t bits)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	long cnt = 0;
	while (fgets(line, sizeof line, f))
		cnt += fn(g, chomp(line), bits);
	fclose(f);
	return cnt;
}

static bool add_name_line(struct kb_gaz *g, char *line, uint8_t bits)
{
	if (!line[0] || line[0] == '#')
		return false;
	gaz_add_name(g, line, strlen(line), bits);
	return true;
}

long kb_gaz_add_file(struct kb_gaz *g, const char *path, uint8_t bits)
{
	return each_line(path, add_name_line, g, bits);
}

/* "KP<TAB>Korea Utara": a place named in either language, by ISO code. */
static bool add_place_line(struct kb_gaz *g, char *line, uint8_t unused)
{
	(void)unused;
	char *tab = strchr(line, '\t');
	if (line[0] == '#' || !tab)
		return false;
	uint16_t bits = KB_GAZ_LOC | KB_GAZ_ISO;
	if (tab - line == 2 || strncmp(line, "ID-", 3) == 0)
		bits |= KB_GAZ_COUNTRY;
	gaz_add_name(g, tab + 1, strlen(tab + 1), bits);
	return true;
}

long kb_gaz_add_places(struct kb_gaz *g, const char *path)
{
	return each_line(path, add_place_line, g, 0);
}

static int place_cmp(const void *a, const void *b)
{
	const struct kb_place *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	/* a country before a region of the same name, then by code */
	size_t lx = strlen(x->code), ly = strlen(y->code);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->code, y->code);
}

int kb_places_load(struct kb_ner *ner, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t cap = 8192, cnt = 0;
	struct kb_place *p = malloc(cap * sizeof *p);
	char line[1024];
	while (p && fgets(line, sizeof line, f)) {
		chomp(line);
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || !tab || tab == line || (size_t)(tab - line) >= sizeof p->code)
			continue;
		uint64_t h = kb_name_hash(tab + 1, strlen(tab + 1));
		if (!h)
			continue;
		if (cnt == cap) {
			struct kb_place *np = realloc(p, cap * 2 * sizeof *p);
			if (!np)
				break;
			p = np;
			cap *= 2;
		}
		p[cnt].hash = h;
		memcpy(p[cnt].code, line, (size_t)(tab - line));
		p[cnt].code[tab - line] = '\0';
		cnt++;
	}
	fclose(f);
	if (!p)
		return -1;
	qsort(p, cnt, sizeof *p, place_cmp);
	ner->places = p;
	ner->nplaces = cnt;
	return 0;
}

/* Generic cue words, Indonesian and English (lowercase). */
static const struct {
	uint8_t cls;
	const char *words;
} cues[] = {
	{ KB_CUE_TITLE,
	  "presiden wakil menteri menlu menhan pemimpin ketua direktur dirut gubernur bupati "
	  "walikota wali camat lurah kapolri kapolda kapolres jenderal kolonel letnan mayor "
	  "brigjen irjen kombes komisaris panglima raja ratu pangeran perdana sekretaris sekjen "
	  "dubes duta hakim jaksa profesor prof dr. dr ir hj kh pak bu ibu bapak mr mr. mrs "
	  "ms dr president minister leader chairman chairwoman director governor mayor king "
	  "queen prince general spokesman spokeswoman spokesperson secretary chief ceo senator "
	  "sen rep gen col capt lt sgt sir lord juru jubir pelatih kapten pengamat peneliti "
	  "anggota tersangka terdakwa saudara sdr syekh ayatollah paus uskup kiai ustaz haji "
	  "pendiri founder pemilik owner manajer manager kepala komandan diktator kanselir "
	  "chancellor pm premier commissioner ambassador envoy deputy vice coach" },
	{ KB_CUE_SPEECH,
	  "kata ujar ucap tutur jelas ungkap tegas sebut imbuh tambah katanya ujarnya ucapnya "
	  "tuturnya jelasnya ungkapnya tegasnya menurut said says told added stated according "
	  "mengatakan menyatakan menjelaskan mengungkapkan menegaskan menambahkan bicara "
	  "berkata mengaku" },
	{ KB_CUE_ORG,
	  "pt cv tbk partai universitas kementerian kementrian bank badan komisi dewan lembaga "
	  "institut sekolah yayasan perusahaan persatuan asosiasi federasi organisasi komite "
	  "majelis mahkamah pengadilan kejaksaan kepolisian polda polres polri tni fc inc inc. "
	  "corp ltd company university ministry party council committee agency association "
	  "persero grup group klub club kantor dinas direktorat pemerintah pemkot pemkab "
	  "pemprov dpr dprd mpr kpk rumah sakit rs koran harian stasiun" },
	{ KB_CUE_LOC,
	  "kabupaten kota provinsi kecamatan desa kelurahan pulau gunung sungai danau selat "
	  "teluk laut jalan jl jl. negara negeri wilayah daerah kawasan distrik city province "
	  "island district county state region kampung dusun bandara pelabuhan" },
	{ KB_CUE_PREP, "di ke dari menuju asal at in from to near dekat sekitar antara" },
	{ KB_CUE_DIR,
	  "utara selatan timur barat tengah raya north south east west central new" },
	/* common Korean, Vietnamese and Chinese family names (romanised),
	 * leaving out those that are common words ("Do", "He") */
	{ KB_CUE_FAMILY,
	  "kim lee yi ri rhee park pak choi choe jung jeong chung kang cho jo yoon yun jang "
	  "chang lim im han shin sin kwon hwang ahn an song ryu yoo hong jeon chun ko koh "
	  "moon mun yang bae baek paek heo nam noh seo suh son "
	  "nguyen tran le pham hoang huynh phan vu vo dang bui ngo duong ly trinh dinh "
	  "wang zhang liu chen zhao zhou xu zhu guo lin luo gao xi deng xie feng cao "
	  "zheng huang wu li" },
};

int kb_gaz_cues(struct kb_gaz *g)
{
	if (kb_gaz_init(g, 512) != 0)
		return -1;
	for (size_t c = 0; c < sizeof cues / sizeof *cues; c++) {
		const char *p = cues[c].words;
		while (*p) {
			while (*p == ' ')
				p++;
			const char *e = p;
			while (*e && *e != ' ')
				e++;
			if (e > p) {
				char buf[128];
				size_t bl;
				uint64_t h = kb_span_next(KB_SPAN_SEED, kb_tok_lower(p, (size_t)(e - p),
										 buf, &bl));
				kb_gaz_add(g, h, (uint16_t)(cues[c].cls << 8));
			}
			p = e;
		}
	}
	return 0;
}

/* ---- what the gazetteers and cue words say (kb_ner_* queries) ---------- */

bool kb_ner_place_key(const struct kb_ner *ner, const char *name, size_t n, char *key,
		      size_t keysz)
{
	if (!ner || !name || !ner->nplaces)
		return false;
	uint64_t h = kb_name_hash(name, n);
	if (!h)
		return false;
	size_t lo = 0, hi = ner->nplaces;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ner->places[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ner->nplaces || ner->places[lo].hash != h)
		return false;
	int w = snprintf(key, keysz, "iso:%s", ner->places[lo].code);
	return w > 0 && (size_t)w < keysz;
}

bool kb_ner_word_is(const struct kb_ner *ner, const char *w, size_t n, enum kb_word_kind kind)
{
	static const uint8_t bits[] = { [KB_WORD_TITLE] = KB_CUE_TITLE,
					[KB_WORD_PLACE] = KB_CUE_LOC,
					[KB_WORD_FAMILY] = KB_CUE_FAMILY,
					[KB_WORD_PREP] = KB_CUE_PREP };
	char low[128];
	size_t ln;
	if (!ner || n == 0 || n > 64)
		return false;
	uint64_t h = kb_span_next(KB_SPAN_SEED, kb_tok_lower(w, n, low, &ln));
	return (kb_gaz_get(&ner->cues, h) >> 8) & bits[kind];
}

unsigned kb_ner_gazetteer(const struct kb_ner *ner, const char *s, size_t n)
{
	if (!ner || n == 0 || n > 256)
		return 0;
	uint64_t h = kb_name_hash(s, n); /* as the gazetteer's names were added */
	unsigned g = h ? kb_gaz_get(&ner->gaz, h) : 0, out = 0;
	if (g & (KB_GAZ_PER | KB_GAZ_TPER))
		out |= KB_NAME_PERSON;
	if (g & (KB_GAZ_LOC | KB_GAZ_TLOC | KB_GAZ_ISO))
		out |= KB_NAME_PLACE;
	if (g & (KB_GAZ_ORG | KB_GAZ_TORG))
		out |= KB_NAME_ORG;
	return out;
}

