/* fuzz-dates.c - dates: the date finder (kb_dates_find, kb_dates_latest)
 * over running text, and the publication-date readers (kb_date_parse,
 * kb_date_parse_stamp, kb_date_month, kb_date_weekday) over its lines
 * and words.  The first line of the input is the anchor that relative
 * dates resolve against ("-" or an empty line: none); the rest is the
 * text, made UTF-8 the way an article is. */
#include "config.h"

#include <ctype.h>

#include "fuzz.h"

#include "kabar/date.h"
#include "kabar/dates.h"

#define OUTSZ 40 /* what the callers give (struct kb_extraction.published) */

static bool is_iso_value(const char *iso)
{
	/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" */
	size_t k = strnlen(iso, 11);
	if (k != 4 && k != 7 && k != 10)
		return false;
	for (size_t i = 0; i < k; i++)
		if ((i == 4 || i == 7) ? iso[i] != '-' : !isdigit((unsigned char)iso[i]))
			return false;
	return true;
}

/* Whether relative dates may be resolved against a: it starts with a
 * real day written YYYY-MM-DD. */
static bool anchors(const char *a)
{
	if (!a || strnlen(a, 10) < 10)
		return false;
	char day[11];
	memcpy(day, a, 10);
	day[10] = '\0';
	return is_iso_value(day) &&
	       kb_date_valid(atoi(day), atoi(day + 5), atoi(day + 8));
}

/* A date reader's output: true with a NUL-terminated ISO form. */
static void check_parsed(const char *fn, bool ok, const char *out)
{
	if (!ok)
		return;
	if (!memchr(out, '\0', OUTSZ))
		fuzz_fail("%s wrote no NUL", fn);
	if (strlen(out) < 4 || !isdigit((unsigned char)out[0]) || !isdigit((unsigned char)out[3]))
		fuzz_fail("%s gave \"%s\"", fn, out);
}

static void parse_line(const char *s, size_t n)
{
	char *line = kb_xstrndup(s, n);
	char *out = kb_xmalloc(OUTSZ);
	check_parsed("kb_date_parse", kb_date_parse(line, out, OUTSZ), out);
	check_parsed("kb_date_parse_stamp", kb_date_parse_stamp(line, out, OUTSZ), out);
	free(out);
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const char *raw = (const char *)data;
	const char *nl = memchr(raw, '\n', n);
	size_t an = nl ? (size_t)(nl - raw) : n;
	char *anchor = kb_xstrndup(raw, an); /* a NUL in it ends it early */
	const char *use_anchor = anchor[0] && strcmp(anchor, "-") != 0 ? anchor : NULL;
	parse_line(anchor, strlen(anchor));

	size_t off = nl ? an + 1 : n, len = 0;
	char *text = fuzz_utf8(data + off, n - off, &len);
	if (!text) {
		free(anchor);
		return 0;
	}

	struct kb_date_mention *m = NULL;
	size_t k = kb_dates_find(text, len, use_anchor, &m);
	fuzz_assert((k == 0) == (m == NULL));
	for (size_t i = 0; i < k; i++) {
		if (m[i].start >= m[i].end || m[i].end > len)
			fuzz_fail("mention %zu is [%u, %u) in %zu bytes", i, m[i].start, m[i].end, len);
		if (i > 0 && m[i].start < m[i - 1].end)
			fuzz_fail("mentions %zu and %zu overlap or are out of order", i - 1, i);
		if (!is_iso_value(m[i].iso))
			fuzz_fail("mention %zu has the value \"%.11s\"", i, m[i].iso);
		if (m[i].relative && !anchors(use_anchor))
			fuzz_fail("mention %zu is relative without an anchor", i);
	}
	free(m);

	char latest[11];
	if (kb_dates_latest(text, len, latest) && !is_iso_value(latest))
		fuzz_fail("kb_dates_latest gave \"%.11s\"", latest);

	/* every line as a header value or a time stamp, every word as a
	 * month or a weekday name */
	for (size_t i = 0; i < len;) {
		const char *e = memchr(text + i, '\n', len - i);
		size_t ln = e ? (size_t)(e - (text + i)) : len - i;
		if (ln <= 200)
			parse_line(text + i, ln);
		i += ln + 1;
	}
	for (size_t i = 0; i < len;) {
		while (i < len && (text[i] == ' ' || text[i] == '\n'))
			i++;
		size_t j = i;
		while (j < len && text[j] != ' ' && text[j] != '\n')
			j++;
		if (j > i) {
			int mon = kb_date_month(text + i, j - i);
			fuzz_assert(mon >= 0 && mon <= 12);
			(void)kb_date_weekday(text + i, j - i);
		}
		i = j;
	}
	free(text);
	free(anchor);
	return 0;
}
