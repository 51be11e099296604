/* gen.c - the benchmark corpus: news-like articles, deterministic per seed.
 *
 *   bench/gen -n N [-s SEED] -o DIR [--rss FILE] [--html DIR2 [--html-n M]]
 *
 * Writes N plain-text articles of 2-6 KB, Indonesian and English, into
 * DIR/0000/0000000.txt (1,000 to a subdirectory); with --rss, the same
 * articles as one RSS 2.0 feed; with --html, the first M (default N) as
 * saved web pages DIR2/0000/0000000.html, each inside a site's navigation,
 * share buttons, related links, comments, newsletter box and footer.  Everything is invented: a few hundred
 * recurring people, each under two or three spellings ("Yevgeny Sorokin",
 * "Evgeny Sorokin"), invented organisations, real countries and cities,
 * role cues ("kata", "said", "Menteri ..."), absolute and relative dates
 * ("Jumat (12/4/2024)", "Maret lalu", "last week"), header blocks
 * (Title:/Date:/Source:) on most articles, and scraped boilerplate
 * ("Baca juga: ...", "Penulis: ...", "© 2024 ...").
 *
 * Streams (constant memory) and prints "articles=N bytes=B rss_bytes=R
 * html_pages=M html_bytes=H" on standard output.  The same seed always gives the same bytes.
 * Links nothing but libc. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- randomness (splitmix64: small, fast, the same everywhere) ---- */

static uint64_t rng;

static uint64_t next64(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned rnd(unsigned n) /* 0 .. n-1 */
{
	return (unsigned)((next64() >> 32) * n >> 32);
}

static int chance(unsigned percent)
{
	return rnd(100) < percent;
}

#define PICK(a) ((a)[rnd(N_OF(a))])

/* A skewed pick in 0 .. n-1: low indices recur far more often (roughly
 * Zipf-like), as the names in a news archive do. */
static unsigned skewed(unsigned n)
{
	double u = (double)(next64() >> 11) / 9007199254740992.0;
	unsigned i = (unsigned)((double)n * u * u * u);
	return i < n ? i : n - 1;
}

/* ---- output buffer ---- */

struct buf {
	char *p;
	size_t n, cap;
};

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void grow(struct buf *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 16384;
	while (cap < b->n + more)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		die("out of memory");
	b->p = p;
	b->cap = cap;
}

static void put(struct buf *b, const char *s)
{
	size_t k = strlen(s);
	grow(b, k);
	memcpy(b->p + b->n, s, k);
	b->n += k;
}

static void putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	grow(b, (size_t)k + 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

/* ---- the world ---- */

/* Hand-made people: the first spelling is the usual one. */
static const char *const famous[][3] = {
	{ "Yevgeny Sorokin", "Evgeny Sorokin", "Yevgeniy Sorokin" },
	{ "Park Min-jun", "Park Min Jun", "Park Minjun" },
	{ "Muhammad Rizky Pratama", "Mohammad Rizky Pratama", "M. Rizky Pratama" },
	{ "Soetrisno Hadiwidjojo", "Sutrisno Hadiwijoyo", "Soetrisno Hadiwijoyo" },
	{ "Nguyen Van Thanh", "Nguyễn Văn Thanh", "Nguyen Thanh" },
	{ "Aleksandr Kovalenko", "Alexander Kovalenko", "Oleksandr Kovalenko" },
	{ "Kim Ji-woo", "Kim Ji Woo", "Kim Jiwoo" },
	{ "Tjahjo Wibisono", "Cahyo Wibisono", "Tjahyo Wibisono" },
	{ "Zhang Weiming", "Zhang Wei-ming", "Chang Wei-ming" },
	{ "Mohamad Hafiz Rahman", "Muhammad Hafiz Rahman", "Mohd Hafiz Rahman" },
	{ "Dewi Ratnasari Oetomo", "Dewi Ratnasari Utomo", "Dewi R. Oetomo" },
	{ "Olufemi Adeyemi", "Olufemi Adeyemi", "Femi Adeyemi" },
	{ "Siti Nurhaliza Harahap", "Siti Nurhalizah Harahap", "Siti N. Harahap" },
	{ "Jurgen Albrecht", "Jürgen Albrecht", "Juergen Albrecht" },
	{ "Takahashi Kenji", "Kenji Takahashi", "Takahasi Kenji" },
	{ "Abdurrahman Sjarif", "Abdurahman Syarif", "Abdurrahman Syarif" },
	{ "Mikhail Dvornikov", "Michail Dvornikov", "Mikhail Dvornikoff" },
	{ "Lee Seo-yeon", "Lee Seo Yeon", "Yi Seo-yeon" },
	{ "Francois Delacroix", "François Delacroix", "Francois Delacroix" },
	{ "Hendrawan Soedarmo", "Hendrawan Sudarmo", "Hendrawan Soedarmo" },
};

static const char *const given[] = {
	"Agus", "Bambang", "Citra", "Dimas", "Eko", "Fajar", "Gita", "Hendra",
	"Indah", "Joko", "Kartika", "Lestari", "Made", "Nanda", "Oktaviani",
	"Putu", "Rahmat", "Sari", "Teguh", "Utami", "Wahyu", "Yoga", "Zulkifli",
	"Arief", "Budi", "Dian", "Endang", "Gilang", "Hasan", "Irfan", "Nur",
	"Ratna", "Slamet", "Taufik", "Winarti", "Yusuf", "Andrei", "Daniel",
	"Helena", "Marta", "Rafael", "Sofia", "Tomas", "Viktor", "Amara",
	"Chen", "Hiroshi", "Priya", "Omar", "Leila",
};

static const char *const family[] = {
	"Soekarjo", "Wirawan", "Hidajat", "Djunaedi", "Santoso", "Kusuma",
	"Nugroho", "Saragih", "Siregar", "Lubis", "Tanoto", "Gunawan",
	"Prawiro", "Setiawan", "Wulandari", "Hutapea", "Pangaribuan", "Mahendra",
	"Rachmadi", "Sjahrial", "Tjokro", "Purnomo", "Hartono", "Manurung",
	"Oesman", "Djajadi", "Koesnadi", "Baskara", "Ardiansyah", "Wibowo",
	"Halvorsen", "Moreau", "Castellano", "Lindqvist", "Novak", "Okafor",
	"Varga", "Petrov", "Haddad", "Ferreira",
};

/* Old and new Indonesian spellings, and a few transliterations. */
static const char *const respell[][2] = {
	{ "oe", "u" }, { "dj", "j" }, { "tj", "c" }, { "sj", "sy" },
	{ "ch", "kh" }, { "j", "y" }, { "ff", "v" },
};

#define N_GEN (N_OF(given) * N_OF(family))
#define N_PEOPLE (N_OF(famous) + N_GEN)

struct role {
	const char *id, *en;
};

static const struct role roles[] = {
	{ "Menteri Perdagangan", "Trade Minister" },
	{ "Menteri Luar Negeri", "Foreign Minister" },
	{ "Menteri Kelautan dan Perikanan", "Fisheries Minister" },
	{ "Menteri Keuangan", "Finance Minister" },
	{ "Presiden", "President" },
	{ "Wakil Presiden", "Vice President" },
	{ "Gubernur", "Governor" },
	{ "Wali Kota", "Mayor" },
	{ "Bupati", "Regent" },
	{ "Kepala Kepolisian Daerah", "regional police chief" },
	{ "juru bicara", "spokesperson" },
	{ "Direktur Utama", "chief executive" },
	{ "ekonom senior", "senior economist" },
	{ "pengamat politik", "political analyst" },
	{ "Ketua Komisi", "committee chair" },
	{ "Duta Besar", "Ambassador" },
	{ "Kepala Badan Meteorologi", "head of the weather agency" },
	{ "peneliti", "researcher" },
};

struct place {
	const char *city, *country_id, *country_en;
};

static const struct place places[] = {
	{ "Jakarta", "Indonesia", "Indonesia" },
	{ "Surabaya", "Indonesia", "Indonesia" },
	{ "Makassar", "Indonesia", "Indonesia" },
	{ "Medan", "Indonesia", "Indonesia" },
	{ "Bandung", "Indonesia", "Indonesia" },
	{ "Denpasar", "Indonesia", "Indonesia" },
	{ "Balikpapan", "Indonesia", "Indonesia" },
	{ "Kupang", "Indonesia", "Indonesia" },
	{ "Jayapura", "Indonesia", "Indonesia" },
	{ "Pontianak", "Indonesia", "Indonesia" },
	{ "Semarang", "Indonesia", "Indonesia" },
	{ "Yogyakarta", "Indonesia", "Indonesia" },
	{ "Kuala Lumpur", "Malaysia", "Malaysia" },
	{ "Singapura", "Singapura", "Singapore" },
	{ "Manila", "Filipina", "the Philippines" },
	{ "Bangkok", "Thailand", "Thailand" },
	{ "Hanoi", "Vietnam", "Vietnam" },
	{ "Tokyo", "Jepang", "Japan" },
	{ "Seoul", "Korea Selatan", "South Korea" },
	{ "Beijing", "China", "China" },
	{ "Canberra", "Australia", "Australia" },
	{ "Darwin", "Australia", "Australia" },
	{ "Dili", "Timor Leste", "Timor-Leste" },
	{ "New Delhi", "India", "India" },
	{ "Moskwa", "Rusia", "Russia" },
	{ "Berlin", "Jerman", "Germany" },
	{ "Paris", "Prancis", "France" },
	{ "Lagos", "Nigeria", "Nigeria" },
	{ "Washington", "Amerika Serikat", "the United States" },
	{ "Brussel", "Belgia", "Belgium" },
};

static const char *const org_stem[] = {
	"Samudra", "Nusantara", "Cakrawala", "Bumi", "Angkasa", "Mitra",
	"Sinar", "Karya", "Tirta", "Garuda", "Merapi", "Lintas", "Mega",
	"Panca", "Surya", "Arunika", "Bahtera", "Kencana",
};

static const char *const org_tail[] = {
	"Biru Lines", "Energi Persada", "Logistik Utama", "Tambang Lestari",
	"Pangan Sejahtera", "Digital Raya", "Semen Perkasa", "Agro Makmur",
	"Telekomunikasi Andalan", "Kargo Mandiri", "Baja Sentosa",
	"Farmasi Sehat",
};

static const char *const org_other[] = {
	"Kementerian Perdagangan", "Kementerian Luar Negeri",
	"Badan Pusat Statistik Daerah", "Bank Sentral Nusantara",
	"Komisi Pengawas Pelayaran", "Asosiasi Nelayan Timur",
	"Pacific Shipping Council", "Southeast Asian Grain Board",
	"Regional Ports Authority", "Lembaga Riset Iklim Tropis",
	"Institute for Maritime Safety", "Dewan Energi Regional",
	"Eastern Seaboard Consortium", "Serikat Pekerja Pelabuhan",
};

#define N_ORGS (N_OF(org_stem) * N_OF(org_tail) + N_OF(org_other))

static const char *const outlets[] = {
	"Kabar Harian", "Warta Timur", "Suara Pesisir", "Jurnal Niaga",
	"The Archipelago Post", "Straits Daily Wire", "Nusa Today",
	"Harian Cakrawala", "Pacific Ledger", "Berita Sepekan",
};

struct topic {
	const char *id, *en;
};

static const struct topic topics[] = {
	{ "harga beras", "rice prices" },
	{ "keselamatan kapal penumpang", "passenger ferry safety" },
	{ "pembangunan pelabuhan baru", "the new port" },
	{ "kenaikan tarif listrik", "higher power tariffs" },
	{ "ekspor nikel", "nickel exports" },
	{ "banjir musiman", "seasonal flooding" },
	{ "perjanjian perikanan", "the fisheries agreement" },
	{ "subsidi bahan bakar", "fuel subsidies" },
	{ "jalur kereta cepat", "the high-speed rail line" },
	{ "kebakaran hutan", "forest fires" },
	{ "pemilihan kepala daerah", "the regional elections" },
	{ "vaksinasi anak", "child vaccination" },
	{ "inflasi pangan", "food inflation" },
	{ "izin tambang", "mining permits" },
	{ "pariwisata pulau kecil", "small-island tourism" },
	{ "kemacetan ibu kota", "traffic in the capital" },
};

static const char *const hari[] = { "Minggu", "Senin", "Selasa", "Rabu",
	"Kamis", "Jumat", "Sabtu" };
static const char *const days[] = { "Sunday", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const bulan[] = { "Januari", "Februari", "Maret",
	"April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
	"November", "Desember" };
static const char *const months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };
static const char *const mon3[] = { "Jan", "Feb", "Mar", "Apr", "May",
	"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const dow3[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	"Fri", "Sat" };

static const char *const quote_id[] = {
	"Kami tidak bisa menunggu lebih lama lagi",
	"Semua pihak harus duduk bersama",
	"Ini bukan soal politik, ini soal keselamatan warga",
	"Angkanya jelas, dan kami akan menindaklanjutinya",
	"Kami sudah menyampaikan keberatan secara resmi",
	"Warga berhak mendapat penjelasan yang terang",
	"Target kami tercapai sebelum akhir tahun",
	"Tidak ada yang ditutup-tutupi",
	"Masih banyak pekerjaan rumah yang harus diselesaikan",
	"Kami menghormati proses hukum yang berjalan",
};

static const char *const quote_en[] = {
	"We cannot afford to wait any longer",
	"Everyone needs to be at the table",
	"This is about public safety, not politics",
	"The numbers speak for themselves",
	"We have lodged a formal objection",
	"People deserve a clear explanation",
	"We expect to meet the target before the end of the year",
	"Nothing is being hidden",
	"There is still a great deal of work to do",
	"We respect the legal process",
};

static const char *const filler_id[] = {
	"Data terbaru menunjukkan tren yang belum berubah dalam tiga bulan terakhir.",
	"Sejumlah warga yang ditemui mengaku belum merasakan perubahan berarti.",
	"Pemerintah daerah berjanji mengevaluasi kebijakan tersebut secara berkala.",
	"Rapat lanjutan dijadwalkan berlangsung tertutup bagi media.",
	"Para pedagang di pasar tradisional menyambut kabar itu dengan hati-hati.",
	"Hingga berita ini diturunkan, belum ada tanggapan resmi dari pihak terkait.",
	"Anggaran untuk program itu diperkirakan naik dibandingkan tahun sebelumnya.",
	"Sebagian besar peserta menilai pembahasan berjalan lancar.",
};

static const char *const filler_en[] = {
	"The latest figures show a trend that has held for three months.",
	"Residents interviewed said they had yet to notice much difference.",
	"Local officials promised to review the policy at regular intervals.",
	"A follow-up meeting is expected to be closed to the press.",
	"Traders at the central market greeted the news with caution.",
	"No official response had been received by the time of publication.",
	"The budget for the programme is expected to rise on last year.",
	"Most participants described the talks as constructive.",
};

/* ---- dates ---- */

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int weekday(long z) /* 0 = Sunday */
{
	return (int)((z % 7 + 11) % 7);
}

#define DAY0 17897L /* 2019-01-01 */
#define NDAYS 2191L /* to 2024-12-31 */

struct art {
	int lang; /* 0 Indonesian, 1 English */
	long day; /* publication, days since 1970 */
	int hh, mm;
	unsigned people[4];
	int variant[4];
	unsigned npeople;
	unsigned orgs[2];
	unsigned place[3];
	unsigned topic;
	unsigned outlet;
};

static void put_person(struct buf *b, const struct art *a, unsigned k,
	int surname);

static void org_name(struct buf *b, unsigned o)
{
	if (o < N_OF(org_stem) * N_OF(org_tail))
		putf(b, "PT %s %s", org_stem[o % N_OF(org_stem)],
			org_tail[o / N_OF(org_stem)]);
	else
		put(b, org_other[o - N_OF(org_stem) * N_OF(org_tail)]);
}

/* A date mentioned in the article: some days before publication. */
static void put_date(struct buf *b, const struct art *a)
{
	long z = a->day - (long)rnd(a->lang ? 20 : 45);
	int y, m, d;
	civil(z, &y, &m, &d);
	int w = weekday(z);
	if (a->lang == 0) {
		switch (rnd(7)) {
		case 0: putf(b, "%s (%d/%d/%d)", hari[w], d, m, y); break;
		case 1: putf(b, "%d %s %d", d, bulan[m - 1], y); break;
		case 2: putf(b, "%s lalu", bulan[(m + 10) % 12]); break;
		case 3: put(b, "pekan lalu"); break;
		case 4: putf(b, "%s, %d %s %d", hari[w], d, bulan[m - 1], y); break;
		case 5: put(b, "kemarin"); break;
		default: putf(b, "%s lalu", hari[w]); break;
		}
	} else {
		switch (rnd(6)) {
		case 0: putf(b, "on %s %d, %d", months[m - 1], d, y); break;
		case 1: putf(b, "on %d %s %d", d, months[m - 1], y); break;
		case 2: put(b, "last week"); break;
		case 3: putf(b, "last %s", months[(m + 10) % 12]); break;
		case 4: put(b, "yesterday"); break;
		default: putf(b, "on %s", days[w]); break;
		}
	}
}

static void respelled(struct buf *b, const char *s, unsigned which)
{
	const char *from = respell[which][0], *to = respell[which][1];
	size_t k = strlen(from);
	int done = 0;
	for (const char *p = s; *p;) {
		if (!done && strncmp(p, from, k) == 0) {
			put(b, to);
			p += k;
			done = 1;
		} else {
			grow(b, 1);
			b->p[b->n++] = *p++;
		}
	}
}

/* Person k of the article; surname only (second mention) when asked. */
static void put_person(struct buf *b, const struct art *a, unsigned k,
	int surname)
{
	unsigned p = a->people[k];
	int v = a->variant[k];
	if (p < N_OF(famous)) {
		const char *name = famous[p][v];
		if (surname) {
			/* East Asian names are referred to by the family name,
			 * which comes first. */
			const char *sp = strchr(name, ' ');
			const char *last = strrchr(name, ' ');
			if (p == 1 || p == 4 || p == 6 || p == 8 || p == 14
				|| p == 17)
				putf(b, "%.*s", (int)(sp - name), name);
			else
				put(b, last ? last + 1 : name);
		} else {
			put(b, name);
		}
		return;
	}
	p -= (unsigned)N_OF(famous);
	const char *g = given[p % N_OF(given)];
	const char *f = family[p / N_OF(given)];
	if (!surname)
		putf(b, "%s ", g);
	/* the second spelling changes the first old-spelling group found */
	if (v) {
		for (unsigned i = 0; i < N_OF(respell); i++)
			if (strstr(f, respell[i][0])) {
				respelled(b, f, i);
				return;
			}
	}
	put(b, f);
}

static const struct role *role_of(unsigned p)
{
	return &roles[(p * 2654435761u >> 7) % N_OF(roles)];
}

static void put_role(struct buf *b, const struct art *a, unsigned k)
{
	const struct role *r = role_of(a->people[k]);
	put(b, a->lang ? r->en : r->id);
}

/* One sentence from the templates. */
static void sentence(struct buf *b, const struct art *a)
{
	unsigned k = rnd(a->npeople), k2 = (k + 1) % a->npeople;
	const struct place *pl = &places[a->place[rnd(3)]];
	const struct topic *t = &topics[a->topic];
	if (a->lang == 0) {
		switch (rnd(12)) {
		case 0:
			put_role(b, a, k); put(b, " "); put_person(b, a, k, 0);
			putf(b, " mengatakan %s akan dibahas di %s, ", t->id, pl->city);
			put_date(b, a); put(b, ".");
			break;
		case 1:
			putf(b, "\u201c%s,\u201d kata ", PICK(quote_id));
			put_person(b, a, k, 1); put(b, ".");
			break;
		case 2:
			putf(b, "\u201c%s,\u201d ujar ", PICK(quote_id));
			put_role(b, a, k); put(b, " "); put_person(b, a, k, 0);
			putf(b, " di %s, ", pl->city); put_date(b, a); put(b, ".");
			break;
		case 3:
			put(b, "Menurut "); put_person(b, a, k, 1); put(b, ", ");
			org_name(b, a->orgs[0]);
			putf(b, " telah menyiapkan dana Rp %u miliar untuk %s.",
				10 + rnd(990), t->id);
			break;
		case 4:
			org_name(b, a->orgs[rnd(2)]);
			putf(b, " yang berkantor pusat di %s mencatat kenaikan %u persen sejak ",
				pl->city, 1 + rnd(40));
			put_date(b, a); put(b, ".");
			break;
		case 5:
			putf(b, "Pertemuan di %s, %s, itu dihadiri ", pl->city, pl->country_id);
			put_person(b, a, k, 0); put(b, " dan ");
			put_person(b, a, k2, 0); put(b, ".");
			break;
		case 6:
			put(b, "Sementara itu, "); put_person(b, a, k, 0);
			put(b, " dari "); org_name(b, a->orgs[1]);
			putf(b, " menilai langkah soal %s itu terlambat.", t->id);
			break;
		case 7:
			put_role(b, a, k); put(b, " "); put_person(b, a, k, 1);
			putf(b, " dijadwalkan berkunjung ke %s pada ", pl->country_id);
			put_date(b, a); put(b, ".");
			break;
		case 8:
			put_role(b, a, k); put(b, " "); put_person(b, a, k, 1);
			putf(b, " menegaskan pemerintah tidak akan mundur soal %s.", t->id);
			break;
		default:
			put(b, PICK(filler_id));
			break;
		}
	} else {
		switch (rnd(12)) {
		case 0:
			put_person(b, a, k, 0); put(b, ", the "); put_role(b, a, k);
			putf(b, ", said %s would be discussed in %s ", t->en, pl->city);
			put_date(b, a); put(b, ".");
			break;
		case 1:
			putf(b, "\u201c%s,\u201d ", PICK(quote_en));
			put_person(b, a, k, 1); put(b, " said.");
			break;
		case 2:
			putf(b, "\u201c%s,\u201d said ", PICK(quote_en));
			put_person(b, a, k, 0); put(b, ", "); put_role(b, a, k);
			putf(b, ", in %s ", pl->city); put_date(b, a); put(b, ".");
			break;
		case 3:
			put(b, "According to "); put_person(b, a, k, 1); put(b, ", ");
			org_name(b, a->orgs[0]);
			putf(b, " has set aside $%u million for %s.", 5 + rnd(500), t->en);
			break;
		case 4:
			org_name(b, a->orgs[rnd(2)]);
			putf(b, ", based in %s, reported a %u percent rise in figures released ",
				pl->city, 1 + rnd(40));
			put_date(b, a); put(b, ".");
			break;
		case 5:
			putf(b, "The meeting in %s, %s, was attended by ", pl->city,
				pl->country_en);
			put_person(b, a, k, 0); put(b, " and ");
			put_person(b, a, k2, 0); put(b, ".");
			break;
		case 6:
			put(b, "Meanwhile, "); put_person(b, a, k, 0);
			put(b, " of "); org_name(b, a->orgs[1]);
			putf(b, " called the move on %s overdue.", t->en);
			break;
		case 7:
			put_role(b, a, k); put(b, " "); put_person(b, a, k, 1);
			putf(b, " is due to visit %s ", pl->country_en);
			put_date(b, a); put(b, ".");
			break;
		case 8:
			put_role(b, a, k); put(b, " "); put_person(b, a, k, 1);
			putf(b, " insisted the government would not back down on %s.", t->en);
			break;
		default:
			put(b, PICK(filler_en));
			break;
		}
	}
}

static void title(struct buf *b, const struct art *a)
{
	const struct topic *t = &topics[a->topic];
	const struct place *pl = &places[a->place[0]];
	if (a->lang == 0) {
		switch (rnd(4)) {
		case 0: put_person(b, a, 0, 1); putf(b, " Minta Pembahasan %s Dipercepat", t->id); break;
		case 1: org_name(b, a->orgs[0]); putf(b, " Catat Kenaikan %u Persen di %s", 1 + rnd(40), pl->city); break;
		case 2: putf(b, "Warga %s Soroti %s", pl->city, t->id); break;
		default: putf(b, "Soal %s, ", t->id); put_person(b, a, 0, 0); put(b, " Angkat Bicara"); break;
		}
	} else {
		switch (rnd(4)) {
		case 0: put_person(b, a, 0, 1); putf(b, " Urges Faster Talks on %s", t->en); break;
		case 1: org_name(b, a->orgs[0]); putf(b, " Posts %u Percent Rise in %s", 1 + rnd(40), pl->city); break;
		case 2: putf(b, "%s Residents Question %s", pl->city, t->en); break;
		default: put_person(b, a, 0, 0); putf(b, " Speaks Out on %s", t->en); break;
		}
	}
}

static const char *const byline_name[] = {
	"Rina Anggraeni", "Taufan Hidayat", "Maya Kusumawardani", "Fikri Ramadhan",
	"Laura Bennett", "Samuel Osei", "Nadia Permata", "Ilham Maulana",
};

/* Scraped decoration between paragraphs. */
static void boiler_mid(struct buf *b, const struct art *a)
{
	switch (rnd(5)) {
	case 0:
	case 1: {
		put(b, a->lang ? "Read also: " : "Baca juga: ");
		struct art other = *a;
		other.topic = rnd(N_OF(topics));
		title(b, &other);
		break;
	}
	case 2: put(b, "ADVERTISEMENT"); break;
	case 3: put(b, a->lang ? "Scroll to continue with content" : "Gulir untuk melanjutkan"); break;
	default: put(b, a->lang ? "Follow us on Google News" : "Simak berita lainnya di Google News"); break;
	}
	put(b, "\n\n");
}

static void boiler_tail(struct buf *b, const struct art *a, int year)
{
	if (chance(60))
		putf(b, "%s: %s\nEditor: %s\n\n", a->lang ? "Writer" : "Penulis",
			PICK(byline_name), PICK(byline_name));
	if (chance(40))
		put(b, a->lang ? "Share: Facebook Twitter WhatsApp\n\n"
			       : "Bagikan: Facebook Twitter WhatsApp\n\n");
	if (chance(70))
		putf(b, "\u00a9 %d %s. %s\n", year, outlets[a->outlet],
			a->lang ? "All rights reserved." : "Hak cipta dilindungi undang-undang.");
}

/* ---- one article, as text and as an RSS item ---- */

static void article(struct buf *txt, struct buf *body, struct buf *ttl,
	struct art *a, unsigned long i)
{
	a->lang = chance(40);
	a->day = DAY0 + (long)rnd(NDAYS);
	a->hh = 6 + (int)rnd(16);
	a->mm = (int)rnd(60);
	a->npeople = 2 + rnd(3);
	for (unsigned k = 0; k < a->npeople; k++) {
		a->people[k] = chance(30) ? rnd(N_OF(famous)) : skewed(N_PEOPLE);
		a->variant[k] = chance(75) ? 0 : 1 + (int)rnd(2);
		if (a->people[k] >= N_OF(famous) && a->variant[k])
			a->variant[k] = 1;
	}
	a->orgs[0] = skewed(N_ORGS);
	a->orgs[1] = rnd(N_ORGS);
	for (int k = 0; k < 3; k++)
		a->place[k] = skewed(N_OF(places));
	a->topic = rnd(N_OF(topics));
	a->outlet = rnd(N_OF(outlets));

	int y, m, d;
	civil(a->day, &y, &m, &d);
	size_t target = 2048 + rnd(3900);

	ttl->n = 0;
	title(ttl, a);
	grow(ttl, 1);
	ttl->p[ttl->n] = 0;

	/* body: a dateline, then paragraphs of 2-5 sentences */
	body->n = 0;
	if (chance(50))
		putf(body, "%s, %s \u2014 ", places[a->place[0]].city,
			outlets[a->outlet]);
	while (body->n + ttl->n + 220 < target) {
		unsigned ns = 2 + rnd(4);
		for (unsigned s = 0; s < ns; s++) {
			if (s)
				put(body, " ");
			sentence(body, a);
		}
		put(body, "\n\n");
		if (chance(15))
			boiler_mid(body, a);
	}
	if (chance(30))
		putf(body, a->lang ? "(Archive note %lu.)\n\n" : "(Catatan arsip %lu.)\n\n", i);
	else
		putf(body, "Ref. %lu/%04d\n\n", i, y);
	boiler_tail(body, a, y);

	/* the text file: mostly a header block; some bare title lines */
	txt->n = 0;
	unsigned h = rnd(100);
	if (h < 75) {
		putf(txt, "Title: %s\n", ttl->p);
		if (h < 65)
			putf(txt, "Date: %04d-%02d-%02dT%02d:%02d:00+07:00\n", y, m, d,
				a->hh, a->mm);
		putf(txt, "Source: %s\n", outlets[a->outlet]);
		if (h < 50)
			putf(txt, "URL: https://example.org/%lu/%04d/%02d/%02d/%lu\n",
				(unsigned long)a->outlet, y, m, d, i);
		if (h < 40)
			putf(txt, "Author: %s\n", PICK(byline_name));
		put(txt, "\n");
	} else {
		putf(txt, "%s\n\n", ttl->p);
		if (h < 88 && a->lang == 0)
			putf(txt, "%s, %d %s %d %02d:%02d WIB\n\n",
				hari[weekday(a->day)], d, bulan[m - 1], y, a->hh, a->mm);
		else if (h < 88)
			putf(txt, "%s, %s %d, %d %02d:%02d\n\n", days[weekday(a->day)],
				months[m - 1], d, y, a->hh, a->mm);
	}
	grow(txt, body->n);
	memcpy(txt->p + txt->n, body->p, body->n);
	txt->n += body->n;
}

static void xml_escape(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': put(b, "&amp;"); break;
		case '<': put(b, "&lt;"); break;
		case '>': put(b, "&gt;"); break;
		default:
			grow(b, 1);
			b->p[b->n++] = s[i];
		}
	}
}

/* The body's paragraphs, escaped, each between open and close. */
static void paragraphs(struct buf *b, const struct buf *body, const char *open,
	const char *close)
{
	const char *p = body->p, *end = body->p + body->n;
	while (p < end) {
		const char *q = p;
		while (q < end && !(q[0] == '\n' && q + 1 < end && q[1] == '\n'))
			q++;
		while (p < q && *p == '\n')
			p++;
		if (p < q) {
			put(b, open);
			xml_escape(b, p, (size_t)(q - p));
			put(b, close);
		}
		p = q + (q < end ? 2 : 0);
	}
}

static void rss_item(struct buf *r, const struct buf *body, const char *ttl,
	const struct art *a, unsigned long i)
{
	int y, m, d;
	civil(a->day, &y, &m, &d);
	put(r, "<item>\n<title>");
	xml_escape(r, ttl, strlen(ttl));
	putf(r, "</title>\n<link>https://example.org/%u/%04d/%02d/%02d/%lu</link>\n",
		a->outlet, y, m, d, i);
	putf(r, "<guid isPermaLink=\"false\">kabar-bench-%lu</guid>\n", i);
	putf(r, "<pubDate>%s, %02d %s %04d %02d:%02d:00 +0700</pubDate>\n",
		dow3[weekday(a->day)], d, mon3[m - 1], y, a->hh, a->mm);
	put(r, "<description>");
	paragraphs(r, body, "&lt;p&gt;", "&lt;/p&gt;"); /* escaped HTML */
	put(r, "</description>\n</item>\n");
}

/* The article as a saved page: the text inside a site's furniture. */
static void html_page(struct buf *h, const struct buf *body, const char *ttl,
	const struct art *a, unsigned long i)
{
	int y, m, d;
	civil(a->day, &y, &m, &d);
	put(h, "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	xml_escape(h, ttl, strlen(ttl));
	putf(h, " - Outlet %u</title>\n<meta property=\"og:title\" content=\"", a->outlet);
	xml_escape(h, ttl, strlen(ttl));
	putf(h, "\">\n<meta property=\"og:site_name\" content=\"Outlet %u\">\n"
		"<meta property=\"article:published_time\" content=\"%04d-%02d-%02dT%02d:%02d:00+07:00\">\n"
		"<link rel=\"canonical\" href=\"https://example.org/%u/%04d/%02d/%02d/%lu\">\n"
		"<link rel=\"stylesheet\" href=\"/s.css\"><script>var dataLayer=[];</script>\n"
		"</head>\n<body>\n<header><nav class=\"menu\"><a href=\"/\">Beranda</a> "
		"<a href=\"/nasional\">Nasional</a> <a href=\"/dunia\">Dunia</a> "
		"<a href=\"/ekonomi\">Ekonomi</a> <a href=\"/olahraga\">Olahraga</a> "
		"<a href=\"/teknologi\">Teknologi</a></nav></header>\n<main>\n<article>\n<h1>",
		a->outlet, y, m, d, a->hh, a->mm, a->outlet, y, m, d, i);
	xml_escape(h, ttl, strlen(ttl));
	put(h, "</h1>\n<div class=\"share\"><a href=\"#\">Facebook</a> <a href=\"#\">X</a> "
		"<a href=\"#\">WhatsApp</a></div>\n<div class=\"content\">\n");
	paragraphs(h, body, "<p>", "</p>\n");
	put(h, "</div>\n</article>\n<aside class=\"related\"><h3>Berita Terkait</h3><ul>");
	for (int k = 1; k <= 5; k++)
		putf(h, "<li><a href=\"/r/%lu\">Berita lain nomor %d hari ini</a></li>", i + (unsigned long)k, k);
	put(h, "</ul></aside>\n</main>\n<section id=\"comments\"><h3>Komentar</h3>"
		"<p>Belum ada komentar.</p></section>\n<div class=\"newsletter\">Dapatkan berita "
		"pilihan setiap pagi. <a href=\"/daftar\">Daftar</a></div>\n<footer><p>&copy; 2024 "
		"Outlet. Seluruh hak cipta dilindungi.</p></footer>\n</body>\n</html>\n");
}

static void write_all(int fd, const char *p, size_t n, const char *path)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			die("%s: %s", path, strerror(errno));
		}
		p += k;
		n -= (size_t)k;
	}
}

static void usage(void)
{
	fputs("usage: gen -n N [-s SEED] -o DIR [--rss FILE] [--html DIR [--html-n M]]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long n = 0;
	unsigned long long seed = 1;
	const char *dir = NULL, *rss = NULL, *html = NULL;
	unsigned long html_n = (unsigned long)-1;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		char *end;
		if (strcmp(o, "-n") == 0) {
			n = strtoul(v, &end, 10);
			if (*end || !*v)
				usage();
		} else if (strcmp(o, "-s") == 0) {
			seed = strtoull(v, &end, 10);
			if (*end || !*v)
				usage();
		} else if (strcmp(o, "-o") == 0) {
			dir = v;
		} else if (strcmp(o, "--rss") == 0) {
			rss = v;
		} else if (strcmp(o, "--html") == 0) {
			html = v;
		} else if (strcmp(o, "--html-n") == 0) {
			html_n = strtoul(v, &end, 10);
			if (*end || !*v)
				usage();
		} else {
			usage();
		}
	}
	if (!dir || !n)
		usage();
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		die("%s: %s", dir, strerror(errno));
	if (html && mkdir(html, 0777) != 0 && errno != EEXIST)
		die("%s: %s", html, strerror(errno));
	if (!html)
		html_n = 0;

	FILE *rf = NULL;
	if (rss) {
		rf = fopen(rss, "wb");
		if (!rf)
			die("%s: %s", rss, strerror(errno));
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<rss version=\"2.0\">\n<channel>\n"
		      "<title>kabar benchmark corpus</title>\n"
		      "<link>https://example.org/</link>\n"
		      "<description>Invented news-like articles</description>\n", rf);
	}

	struct buf txt = { 0 }, body = { 0 }, ttl = { 0 }, item = { 0 };
	size_t pathcap = strlen(dir) + (html ? strlen(html) : 0) + 32;
	char *path = malloc(pathcap);
	if (!path)
		die("out of memory");
	unsigned long long bytes = 0, rbytes = 0, hbytes = 0, hpages = 0;
	for (unsigned long i = 0; i < n; i++) {
		/* each article has its own stream, so any one can be made alone */
		rng = seed * 0x100000001B3ULL ^ (i + 1) * 0xD6E8FEB86659FD93ULL;
		next64();
		struct art a;
		article(&txt, &body, &ttl, &a, i);
		if (i % 1000 == 0) {
			snprintf(path, pathcap, "%s/%04lu", dir, i / 1000);
			if (mkdir(path, 0777) != 0 && errno != EEXIST)
				die("%s: %s", path, strerror(errno));
		}
		snprintf(path, pathcap, "%s/%04lu/%07lu.txt", dir, i / 1000, i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0)
			die("%s: %s", path, strerror(errno));
		write_all(fd, txt.p, txt.n, path);
		if (close(fd) != 0)
			die("%s: %s", path, strerror(errno));
		bytes += txt.n;
		if (rf) {
			item.n = 0;
			rss_item(&item, &body, ttl.p, &a, i);
			if (fwrite(item.p, 1, item.n, rf) != item.n)
				die("%s: %s", rss, strerror(errno));
			rbytes += item.n;
		}
		if (i < html_n) {
			if (i % 1000 == 0) {
				snprintf(path, pathcap, "%s/%04lu", html, i / 1000);
				if (mkdir(path, 0777) != 0 && errno != EEXIST)
					die("%s: %s", path, strerror(errno));
			}
			item.n = 0;
			html_page(&item, &body, ttl.p, &a, i);
			snprintf(path, pathcap, "%s/%04lu/%07lu.html", html, i / 1000, i);
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
			if (fd < 0)
				die("%s: %s", path, strerror(errno));
			write_all(fd, item.p, item.n, path);
			if (close(fd) != 0)
				die("%s: %s", path, strerror(errno));
			hbytes += item.n;
			hpages++;
		}
	}
	if (rf) {
		fputs("</channel>\n</rss>\n", rf);
		if (fclose(rf) != 0)
			die("%s: %s", rss, strerror(errno));
	}
	printf("articles=%lu bytes=%llu rss_bytes=%llu html_pages=%llu html_bytes=%llu\n", n, bytes,
	       rbytes, hpages, hbytes);
	free(txt.p);
	free(body.p);
	free(ttl.p);
	free(item.p);
	free(path);
	return 0;
}
