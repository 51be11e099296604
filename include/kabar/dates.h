/* dates.h - dates in running text, absolute and relative, as ISO values. */
#ifndef KABAR_DATES_H
#define KABAR_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A date found in text: bytes [start, end) and its value. */
struct kb_date_mention {
	uint32_t start, end;
	char iso[11];  /* "2024-11-29", "2024-06" or "1945" */
	bool relative; /* resolved against the anchor ("Maret lalu") */
};

/* Finds the dates in text (Indonesian and English; absolute forms such as
 * "Jumat (29/11/2024)", "Selasa, 9 Mei 2023", "Februari 2022", "1945",
 * "Nov. 29, 2024"; relative ones such as "bulan Juni tahun ini", "Maret
 * lalu", "Minggu lalu", "pada hari Jumat", "kemarin", "last week").
 * Relative dates are resolved against anchor ("YYYY-MM-DD"); with anchor
 * NULL (or not such a date) they are not reported.  Returns the count;
 * *out is malloc'd, in text order, non-overlapping, and NULL when the
 * count is 0.  A weekday in front of a date is part of its mention
 * ("Jumat (29/11/2024)"), prepositions are not ("pada 1945" gives
 * "1945"); doc/dates.md has the rules.  Safe to call from several
 * threads. */
size_t kb_dates_find(const char *text, size_t n, const char *anchor,
		     struct kb_date_mention **out);

/* The latest absolute full date (YYYY-MM-DD) in text, for articles whose
 * publication date is unknown; false when there is none.  Months, years
 * and relative dates do not count. */
bool kb_dates_latest(const char *text, size_t n, char out[11]);

#endif
