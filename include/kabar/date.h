/* date.h - publication dates given by people and headers. */
#ifndef KABAR_DATE_H
#define KABAR_DATE_H

#include <stdbool.h>
#include <stddef.h>

/* Parses a publication date written as ISO 8601 ("2024-11-29",
 * "2024-11-29T10:00:00+07:00", "2024-11", "2024"), RFC 822/2822 ("Fri, 29
 * Nov 2024 10:00:00 +0700") or day-month-year with an English or
 * Indonesian month name ("29 November 2024", "9 Mei 2023"), and writes the
 * ISO form to out ("2024-11-29", "2024-11-29T10:00:00+07:00").  Returns
 * false when s is not such a date or the date does not exist. */
bool kb_date_parse(const char *s, char *out, size_t outsz);

/* Parses a line that is only a publication time stamp, as pages print
 * them near the headline: "Jumat, 15 September 2023 | 07:45 WITA",
 * "13/09/2023, 21:05 WITA", "May 10, 2023 | 6:40 PM SGT", "Monday, June
 * 17, 2024 - 4:55 pm ACST", optionally after one short label such as
 * "Pacific Wire | Nov. 28, 2023".  Writes the ISO form (with the time and
 * the zone when they are known) to out. */
bool kb_date_parse_stamp(const char *line, char *out, size_t outsz);

/* Month number (1-12) of an English or Indonesian month name or common
 * abbreviation ("Mei", "Agustus", "Sept", "Nov."), or 0. */
int kb_date_month(const char *s, size_t n);

/* True when s[0..n) is an English or Indonesian weekday name. */
bool kb_date_weekday(const char *s, size_t n);

/* True when y-m-d is a real calendar day. */
bool kb_date_valid(int y, int m, int d);

#endif
