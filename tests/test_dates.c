/* test_dates.c - dates in running text. */
#include "testutil.h"

#include "kabar/dates.h"

/* Finds the dates in text and compares them with want, a list such as
 * "Jumat (29/11/2024)=2024-11-29|kemarin=2024-11-28" ("" for none). */
static void check(const char *text, const char *anchor, const char *want)
{
	struct kb_date_mention *m;
	size_t n = kb_dates_find(text, strlen(text), anchor, &m);
	char got[1024] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(m[i].start < m[i].end);
		assert_true(m[i].end <= strlen(text));
		if (i)
			assert_true(m[i].start >= m[i - 1].end);
		len += (size_t)snprintf(got + len, sizeof got - len, "%s%.*s=%s", i ? "|" : "",
					(int)(m[i].end - m[i].start), text + m[i].start, m[i].iso);
	}
	free(m);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" (anchor %s):\n  got  %s\n  want %s", text, anchor ? anchor : "-",
			 got, want);
}

static void absolute_forms(void **state)
{
	(void)state;
	check("Polisi menangkapnya Jumat (29/11/2024) malam.", NULL,
	      "Jumat (29/11/2024)=2024-11-29");
	check("Sidang pada 29/11/2024 ditunda.", NULL, "29/11/2024=2024-11-29");
	check("Terbit Selasa, 9 Mei 2023, di Jakarta.", NULL, "Selasa, 9 Mei 2023=2023-05-09");
	check("Digelar 13 September 2023.", NULL, "13 September 2023=2023-09-13");
	check("Rapat Rabu (13/9/2023) itu.", NULL, "Rabu (13/9/2023)=2023-09-13");
	check("Sejak Februari 2022 harga naik.", NULL, "Februari 2022=2022-02");
	check("Dibangun pada 1945.", NULL, "1945=1945");
	check("Berdiri tahun 1952.", NULL, "tahun 1952=1952");
	check("Signed on Nov. 29, 2024, in Jakarta.", NULL, "Nov. 29, 2024=2024-11-29");
	check("Signed on November 29, 2024.", NULL, "November 29, 2024=2024-11-29");
	check("Signed on 29 Nov 2024.", NULL, "29 Nov 2024=2024-11-29");
	check("Effective 2024-08-17 at noon.", NULL, "2024-08-17=2024-08-17");
	check("Merdeka 17 Agustus 1945.", NULL, "17 Agustus 1945=1945-08-17");
	check("Released Friday, November 29, 2024.", NULL,
	      "Friday, November 29, 2024=2024-11-29");
	check("Lahir 12-03-1980 di Medan.", NULL, "12-03-1980=1980-03-12");
	check("Konser Sabtu malam (23/11/2024) itu.", NULL,
	      "Sabtu malam (23/11/2024)=2024-11-23");
	check("Saksi, Jum'at (29/11/2024), datang.", NULL, "Jum'at (29/11/2024)=2024-11-29");
	check("Saksi, Jum\xe2\x80\x99" "at (29/11/2024), datang.", NULL,
	      "Jum\xe2\x80\x99" "at (29/11/2024)=2024-11-29");
	check("Laporan 11/29/2024 itu.", NULL, "11/29/2024=2024-11-29");
	check("On the 29th of November 2024.", NULL, "29th of November 2024=2024-11-29");
	check("Sejak 1998 hingga 2004.", NULL, "1998=1998|2004=2004");
	check("Losses in 2023 and 2024.", NULL, "2023=2023|2024=2024");
}

static void not_dates(void **state)
{
	(void)state;
	check("Tercatat 11.000 wajib pajak.", "2024-11-29", "");
	check("Anggaran Rp 2.024 miliar.", NULL, "");
	check("Sebanyak 1945 peserta.", NULL, "");
	check("Pukul 19.45 WIB dan 10:30.", NULL, "");
	check("Skor 3-1 dan 2/3 porsi.", NULL, "");
	check("Nomor 6/2023 digugat.", NULL, "");
	check("About 2,024 people; $1.945 billion.", NULL, "");
	check("Officials may delay; they will march.", "2024-11-29", "");
	check("Mei Lestari dan Pak Mei.", "2024-11-29", "");
	check("Periode 2015-2020 naik.", NULL, "");
	check("Dalam 2020s.", NULL, "");
	check("pada 2024%", NULL, "");
	check("", NULL, "");
}

static void invalid_dates(void **state)
{
	(void)state;
	check("Tanggal 31/02/2024 keliru.", NULL, "");
	check("Bertanggal 30 Februari 2024.", NULL, "");
	check("Pada 29/2/2023.", NULL, "");
	check("Deadline Feb. 30, 2024.", NULL, "");
	check("Pada 2024-13-01.", NULL, "");
	check("Selasa (31/4) pagi.", "2024-11-29", "");
	/* leap days */
	check("Pada 29/2/2024.", NULL, "29/2/2024=2024-02-29");
	check("Pada 29 Februari 2000.", NULL, "29 Februari 2000=2000-02-29");
	check("Pada 29 Februari 1900.", NULL, "");
}

static void relative_forms(void **state)
{
	(void)state;
	const char *a = "2024-11-29"; /* a Friday */
	check("Naik pada bulan Juni tahun ini.", a, "bulan Juni tahun ini=2024-06");
	check("Sejak Juni tahun ini.", a, "Juni tahun ini=2024-06");
	check("Sejak Juni tahun lalu.", a, "Juni tahun lalu=2023-06");
	check("Ambruk Maret lalu.", a, "Maret lalu=2024-03");
	check("Sejak bulan Maret lalu.", a, "bulan Maret lalu=2024-03");
	check("Naik November lalu.", a, "November lalu=2023-11");
	check("Inflasi bulan ini.", a, "bulan ini=2024-11");
	check("Dibanding bulan lalu dan last month.", a, "bulan lalu=2024-10|last month=2024-10");
	check("Dibanding tahun lalu; last year.", a, "tahun lalu=2023|last year=2023");
	check("Target tahun ini; this year.", a, "tahun ini=2024|this year=2024");
	check("Kemarin dan yesterday.", a, "Kemarin=2024-11-28|yesterday=2024-11-28");
	check("Hari ini, today.", a, "Hari ini=2024-11-29|today=2024-11-29");
	check("Pekan lalu, last week.", a, "Pekan lalu=2024-11-22|last week=2024-11-22");
	check("Dibuka 14 bulan lalu.", a, "14 bulan lalu=2023-09");
	check("Tiga hari lalu; three days ago.", a,
	      "Tiga hari lalu=2024-11-26|three days ago=2024-11-26");
	check("Dua tahun yang lalu.", a, "Dua tahun yang lalu=2022");
	check("Sebulan lalu dan setahun lalu.", a, "Sebulan lalu=2024-10|setahun lalu=2023");
	check("Besok, tahun depan, bulan depan.", a,
	      "Besok=2024-11-30|tahun depan=2025|bulan depan=2024-12");
	check("Tiba 17 Agustus lalu.", a, "17 Agustus lalu=2024-08-17");
	check("Berlaku 1 Desember mendatang.", a, "1 Desember mendatang=2024-12-01");
	check("Naik pada Oktober.", a, "Oktober=2024-10");
	check("Voted last March, in June last year.", a,
	      "last March=2024-03|June last year=2023-06");
	check("Tim SAR tiba Selasa (26/11) pagi.", a, "Selasa (26/11)=2024-11-26");
}

static void weekdays(void **state)
{
	(void)state;
	const char *a = "2024-11-29"; /* a Friday */
	check("Diperiksa pada hari Jumat.", a, "hari Jumat=2024-11-29"); /* the anchor itself */
	check("Bubar pada Sabtu sore.", a, "Sabtu=2024-11-23");
	check("Jumat lalu ditolak.", a, "Jumat lalu=2024-11-22"); /* strictly before */
	check("Kamis lalu dirawat.", a, "Kamis lalu=2024-11-28");
	check("Said on Tuesday.", a, "Tuesday=2024-11-26");
	check("Resigned last Tuesday.", a, "last Tuesday=2024-11-26");
	check("Rapat Senin depan.", a, "Senin depan=2024-12-02");
	check("Talks would resume on Monday.", a, "Monday=2024-12-02"); /* future */
	check("\"Kami akan memantau,\" kata dia, Senin.", a, "Senin=2024-11-25");
	check("Bertemu pada Minggu.", "2024-12-01", "Minggu=2024-12-01"); /* a Sunday */
}

static void minggu(void **state)
{
	(void)state;
	const char *a = "2024-11-29";
	/* the week */
	check("Minggu lalu gubernur datang.", a, "Minggu lalu=2024-11-22");
	check("Hasilnya minggu depan.", a, "minggu depan=2024-12-06");
	check("Dua minggu lalu harga naik.", a, "Dua minggu lalu=2024-11-15");
	check("Selama dua minggu.", a, "");
	check("Setiap minggu petani ke pasar.", a, "");
	check("Pada minggu ketiga vaksinasi.", a, "");
	check("Minggu ini harga naik.", a, "");
	/* Sunday */
	check("Pada hari Minggu jalan ditutup.", a, "hari Minggu=2024-11-24");
	check("Minggu (1/9/2024) warga datang.", a, "Minggu (1/9/2024)=2024-09-01");
	check("Pada Minggu pagi warga berlari.", a, "Minggu=2024-11-24");
	check("\"Siap,\" ujarnya, Minggu.", a, "Minggu=2024-11-24");
	check("Pada hari Minggu lalu.", a, "hari Minggu lalu=2024-11-24");
	check("Minggu (1/9/2024) warga datang.", NULL, "Minggu (1/9/2024)=2024-09-01");
}

static void anchors(void **state)
{
	(void)state;
	/* across the year boundary: 2025-01-02 is a Thursday */
	const char *a = "2025-01-02";
	check("Kemarin.", a, "Kemarin=2025-01-01");
	check("Bulan lalu.", a, "Bulan lalu=2024-12");
	check("Desember lalu.", a, "Desember lalu=2024-12");
	check("Januari lalu.", a, "Januari lalu=2024-01");
	check("Pekan lalu.", a, "Pekan lalu=2024-12-26");
	check("Pada Sabtu.", a, "Sabtu=2024-12-28");
	check("Laga Minggu (29/12).", a, "Minggu (29/12)=2024-12-29");
	check("Pada 31 Desember.", a, "31 Desember=2024-12-31");
	check("Dimulai 14 bulan lalu.", a, "14 bulan lalu=2023-11");
	check("Desember tahun lalu.", a, "Desember tahun lalu=2024-12");
	/* leap day */
	check("Kemarin tutup.", "2024-03-01", "Kemarin=2024-02-29");
	check("Tutup 1 Maret.", "2025-02-28", "1 Maret=2025-03-01");
	check("Pada 29 Februari.", "2024-03-10", "29 Februari=2024-02-29");
	check("Pada 29 Februari.", "2025-03-10", "29 Februari=2024-02-29");
	check("Kemarin.", "2023-03-01", "Kemarin=2023-02-28");
	check("Dua minggu lagi.", "2024-12-25", "Dua minggu lagi=2025-01-08");
}

static void no_anchor(void **state)
{
	(void)state;
	check("Kemarin, Maret lalu, pada hari Jumat, 14 bulan lalu, tahun lalu, "
	      "last week, yesterday, Selasa (26/11), 17 Agustus.", NULL, "");
	check("Kemarin pada 17 Agustus 1945.", NULL, "17 Agustus 1945=1945-08-17");
	check("Kemarin.", "2024-13-45", ""); /* a bad anchor is no anchor */
	check("Kemarin.", "yesterday", "");
	struct kb_date_mention *m = (void *)1;
	assert_int_equal(kb_dates_find("Kemarin.", 8, NULL, &m), 0);
	assert_null(m);
}

static void offsets_and_flags(void **state)
{
	(void)state;
	const char *t = "Pada Jumat (29/11/2024) dan kemarin, harga naik.";
	struct kb_date_mention *m;
	size_t n = kb_dates_find(t, strlen(t), "2024-11-30", &m);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].start, 5);
	assert_int_equal(m[0].end, 23);
	assert_string_equal(m[0].iso, "2024-11-29");
	assert_false(m[0].relative);
	assert_int_equal(m[1].start, 28);
	assert_int_equal(m[1].end, 35);
	assert_string_equal(m[1].iso, "2024-11-29");
	assert_true(m[1].relative);
	free(m);
	/* n limits the text: the date past it is not seen */
	n = kb_dates_find(t, 20, NULL, &m);
	assert_int_equal(n, 0);
	free(m);
	/* multibyte text around a date */
	const char *u = "\xe2\x80\x9cPada 9 Mei 2023\xe2\x80\x9d \xe6\x97\xa5\xe6\x9c\xac 2024-01-02";
	n = kb_dates_find(u, strlen(u), NULL, &m);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].start, 8);
	assert_string_equal(m[0].iso, "2023-05-09");
	assert_string_equal(m[1].iso, "2024-01-02");
	free(m);
}

static void latest(void **state)
{
	(void)state;
	char out[11];
	const char *t = "Pada 17 Agustus 1945, lalu Jumat (29/11/2024) dan 2024-08-17, "
			"serta Desember 2025 dan kemarin.";
	assert_true(kb_dates_latest(t, strlen(t), out));
	assert_string_equal(out, "2024-11-29");
	assert_false(kb_dates_latest("Maret lalu dan 2025.", 20, out));
	assert_false(kb_dates_latest("", 0, out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(absolute_forms), cmocka_unit_test(not_dates),
		cmocka_unit_test(invalid_dates),  cmocka_unit_test(relative_forms),
		cmocka_unit_test(weekdays),       cmocka_unit_test(minggu),
		cmocka_unit_test(anchors),        cmocka_unit_test(no_anchor),
		cmocka_unit_test(offsets_and_flags), cmocka_unit_test(latest),
	};
	return cmocka_run_group_tests_name("dates", tests, NULL, NULL);
}
