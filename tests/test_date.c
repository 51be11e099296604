/* test_date.c - publication dates from headers, options and time stamps. */
#include "testutil.h"

#include "kabar/date.h"

static void check(bool (*fn)(const char *, char *, size_t), const char *in, const char *want)
{
	char out[64] = "";
	bool ok = fn(in, out, sizeof out);
	if (!want) {
		if (ok)
			fail_msg("\"%s\" parsed as %s", in, out);
		return;
	}
	if (!ok)
		fail_msg("\"%s\" not parsed", in);
	assert_string_equal(out, want);
}

static void header_dates(void **state)
{
	(void)state;
	check(kb_date_parse, "2024-11-29", "2024-11-29");
	check(kb_date_parse, "2024-06", "2024-06");
	check(kb_date_parse, "1945", "1945");
	check(kb_date_parse, "2024-04-12T09:30:00+07:00", "2024-04-12T09:30:00+07:00");
	check(kb_date_parse, "2024-04-12 09:30", "2024-04-12T09:30:00");
	check(kb_date_parse, "2024-04-12T02:30:00.123Z", "2024-04-12T02:30:00Z");
	check(kb_date_parse, "Fri, 29 Nov 2024 10:00:00 +0700", "2024-11-29T10:00:00+07:00");
	check(kb_date_parse, "29 Nov 2024 10:00 GMT", "2024-11-29T10:00:00Z");
	check(kb_date_parse, "Selasa, 9 Mei 2023", "2023-05-09");
	check(kb_date_parse, "13 September 2023", "2023-09-13");
	check(kb_date_parse, "Nov. 29, 2024", "2024-11-29");
	check(kb_date_parse, "2024-02-30", NULL);
	check(kb_date_parse, "2023-13", NULL);
	check(kb_date_parse, "nonsense", NULL);
	check(kb_date_parse, "31 Juni 2024", NULL);
	check(kb_date_parse, "", NULL);
}

static void time_stamp_lines(void **state)
{
	(void)state;
	check(kb_date_parse_stamp, "Jumat, 15 September 2023 | 07:45 WITA",
	      "2023-09-15T07:45:00+08:00");
	check(kb_date_parse_stamp, "13/09/2023, 21:05 WITA", "2023-09-13T21:05:00+08:00");
	check(kb_date_parse_stamp, "May 10, 2023 | 6:40 PM SGT", "2023-05-10T18:40:00+08:00");
	check(kb_date_parse_stamp, "Monday, June 17, 2024 - 4:55 pm ACST",
	      "2024-06-17T16:55:00+09:30");
	check(kb_date_parse_stamp, "Rabu, 4 September 2024 08:10 WIB",
	      "2024-09-04T08:10:00+07:00");
	check(kb_date_parse_stamp, "Pacific Wire | Nov. 28, 2023", "2023-11-28");
	check(kb_date_parse_stamp, "Irfan Maulana - Kamis, 25 Januari 2024", "2024-01-25");
	check(kb_date_parse_stamp, "Sabtu (12/10/2024) pukul 14.30 WIB",
	      "2024-10-12T14:30:00+07:00");
	/* sentences that mention a date are not stamps */
	check(kb_date_parse_stamp, "Kapal itu tiba pada 13 September 2023.", NULL);
	check(kb_date_parse_stamp, "The forum opens on May 10, 2023 in Belitung", NULL);
	check(kb_date_parse_stamp, "Kamis", NULL);
	check(kb_date_parse_stamp, "31/02/2024", NULL);
	check(kb_date_parse_stamp, "12:30 PM", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_dates),
		cmocka_unit_test(time_stamp_lines),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
