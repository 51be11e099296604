/* date.c - publication dates given by people and headers. */
#include "config.h"

#include "kabar/date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int month;
} months[] = {
	{ "january", 1 },  { "januari", 1 },   { "jan", 1 },      { "february", 2 },
	{ "februari", 2 }, { "pebruari", 2 },  { "feb", 2 },      { "march", 3 },
	{ "maret", 3 },    { "mar", 3 },       { "april", 4 },    { "apr", 4 },
	{ "may", 5 },      { "mei", 5 },       { "june", 6 },     { "juni", 6 },
	{ "jun", 6 },      { "july", 7 },      { "juli", 7 },     { "jul", 7 },
	{ "august", 8 },   { "agustus", 8 },   { "aug", 8 },      { "agu", 8 },
	{ "agt", 8 },      { "ags", 8 },       { "september", 9 },{ "sept", 9 },
	{ "sep", 9 },      { "october", 10 },  { "oktober", 10 }, { "oct", 10 },
	{ "okt", 10 },     { "november", 11 }, { "nopember", 11 },{ "nov", 11 },
	{ "december", 12 },{ "desember", 12 }, { "dec", 12 },     { "des", 12 },
};

int kb_date_month(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '.')
		n--;
	if (n < 3 || n > 9) /* "mei" .. "september" */
		return 0;
	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
		if ((s[0] | 0x20) == months[i].name[0] && strlen(months[i].name) == n &&
		    strncasecmp(s, months[i].name, n) == 0)
			return months[i].month;
	return 0;
}

bool kb_date_valid(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	int max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

static bool parse_iso(const char *s, char *out, size_t outsz)
{
	const char *p = s;
	int y, m = 0, d = 0, hh = 0, mm = 0, ss = 0;
	if (!digits(&p, 4, &y))
		return false;
	if (*p == '-') {
		p++;
		if (!digits(&p, 2, &m))
			return false;
		if (*p == '-') {
			p++;
			if (!digits(&p, 2, &d))
				return false;
		}
	}
	if (*p == '\0') {
		if (y < 1 || (m && (m > 12)) || (d && !kb_date_valid(y, m, d)))
			return false;
		if (d)
			snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
		else if (m)
			snprintf(out, outsz, "%04d-%02d", y, m);
		else
			snprintf(out, outsz, "%04d", y);
		return true;
	}
	if (!d || (*p != 'T' && *p != ' ') || !kb_date_valid(y, m, d))
		return false;
	p++;
	if (!digits(&p, 2, &hh) || *p++ != ':' || !digits(&p, 2, &mm))
		return false;
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &ss))
			return false;
		if (*p == '.') /* fractions of a second are dropped */
			while (isdigit((unsigned char)*++p))
				;
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return false;
	char zone[24] = "";
	if (*p == 'Z' && p[1] == '\0') {
		strcpy(zone, "Z");
	} else if ((*p == '+' || *p == '-') && strlen(p) >= 3) {
		int zh, zm = 0;
		char sign = *p++;
		if (!digits(&p, 2, &zh))
			return false;
		if (*p == ':')
			p++;
		if (*p && !digits(&p, 2, &zm))
			return false;
		if (*p || zh > 14 || zm > 59)
			return false;
		snprintf(zone, sizeof zone, "%c%02d:%02d", sign, zh % 100, zm % 100);
	} else if (*p) {
		return false;
	}
	snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, hh, mm, ss, zone);
	return true;
}

/* The zone names of RFC 822 (5.1), which feeds still write. */
static const char *rfc822_zone(const char *p)
{
	static const struct {
		const char *name, *offset;
	} z[] = { { "UT", "Z" },	 { "EST", "-05:00" }, { "EDT", "-04:00" },
		  { "CST", "-06:00" }, { "CDT", "-05:00" }, { "MST", "-07:00" },
		  { "MDT", "-06:00" }, { "PST", "-08:00" }, { "PDT", "-07:00" } };
	for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
		if (strcasecmp(p, z[i].name) == 0)
			return z[i].offset;
	return NULL;
}

/* "[Weekday,] 29 Nov 2024 [10:00[:00] [+0700|GMT|WIB]]" and "Nov 29, 2024". */
static bool parse_words(const char *s, char *out, size_t outsz)
{
	char word[4][32];
	int nw = 0;
	const char *p = s;
	int y = 0, m = 0, d = 0, hh = -1, mm = 0, ss = 0;
	char zone[24] = "";
	while (*p && nw < 4) {
		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ,");
		if (n >= sizeof word[0])
			return false;
		memcpy(word[nw], p, n);
		word[nw][n] = '\0';
		p += n;
		/* a leading weekday is skipped */
		if (nw == 0 && isalpha((unsigned char)word[0][0]) && !kb_date_month(word[0], n))
			continue;
		nw++;
	}
	if (nw < 3)
		return false;
	int mi = kb_date_month(word[0], strlen(word[0])) ? 0 : 1;
	m = kb_date_month(word[mi], strlen(word[mi]));
	const char *dw = word[mi == 0 ? 1 : 0];
	const char *yw = word[2];
	char *end;
	long dv = strtol(dw, &end, 10), yv = strtol(yw, &end, 10);
	if (!m || *end || dv < 1 || yv < 1 || yv > 9999)
		return false;
	d = (int)dv;
	y = (int)yv;
	if (strlen(yw) == 2) /* RFC 2822 4.3: "24" is 2024, "99" is 1999 */
		y += y < 50 ? 2000 : 1900;
	if (!kb_date_valid(y, m, d))
		return false;
	if (nw == 4 && sscanf(word[3], "%d:%d:%d", &hh, &mm, &ss) < 2)
		return false;
	while (*p == ' ')
		p++;
	if (hh >= 0 && (*p == '+' || *p == '-') && isdigit((unsigned char)p[1])) {
		int z = 0;
		const char *q = p + 1;
		if (!digits(&q, 4, &z))
			return false;
		snprintf(zone, sizeof zone, "%c%02d:%02d", *p, (z / 100) % 100, z % 100);
	} else if (hh >= 0 && (strcasecmp(p, "GMT") == 0 || strcasecmp(p, "UTC") == 0 ||
			       strcmp(p, "Z") == 0)) {
		strcpy(zone, "Z");
	} else if (hh >= 0 && strcasecmp(p, "WIB") == 0) {
		strcpy(zone, "+07:00");
	} else if (hh >= 0 && rfc822_zone(p)) {
		strcpy(zone, rfc822_zone(p));
	} else if (*p) {
		return false;
	}
	if (hh < 0)
		snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
	else if (hh > 23 || mm > 59 || ss > 60)
		return false;
	else
		snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, m, d, hh, mm, ss, zone);
	return true;
}

bool kb_date_parse(const char *s, char *out, size_t outsz)
{
	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	return parse_iso(s, out, outsz) || parse_words(s, out, outsz);
}

static const char *const weekdays[] = {
	"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
};

static const struct {
	const char *name;
	const char *offset;
} zones[] = {
	{ "wib", "+07:00" },  { "wita", "+08:00" }, { "wit", "+09:00" },  { "sgt", "+08:00" },
	{ "myt", "+08:00" },  { "pht", "+08:00" },  { "jst", "+09:00" },  { "kst", "+09:00" },
	{ "acst", "+09:30" }, { "aest", "+10:00" }, { "awst", "+08:00" }, { "ict", "+07:00" },
	{ "gmt", "Z" },       { "utc", "Z" },
};

static bool word_in(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; n > 0 && i < count; i++)
		if ((w[0] | 0x20) == list[i][0] && strlen(list[i]) == n &&
		    strncasecmp(w, list[i], n) == 0)
			return true;
	return false;
}

bool kb_date_weekday(const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '.')
		n--;
	return word_in(s, n, weekdays, sizeof weekdays / sizeof weekdays[0]);
}

struct stamp {
	int y, m, d, hh, mm;
	const char *zone;
};

/* One token of a time stamp; false when it is not part of one. */
static bool stamp_token(const char *w, size_t n, struct stamp *st)
{
	if (n > 0 && w[n - 1] == '.' && !isdigit((unsigned char)w[0]))
		n--; /* "Nov." */
	if (word_in(w, n, weekdays, sizeof weekdays / sizeof weekdays[0]) ||
	    (n == 5 && strncasecmp(w, "pukul", 5) == 0))
		return true;
	int mon = kb_date_month(w, n);
	if (mon) {
		if (st->m)
			return false;
		st->m = mon;
		return true;
	}
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strlen(zones[i].name) == n && strncasecmp(w, zones[i].name, n) == 0) {
			st->zone = zones[i].offset;
			return true;
		}
	if (n == 2 && (strncasecmp(w, "am", 2) == 0 || strncasecmp(w, "pm", 2) == 0)) {
		if (st->hh < 0 || st->hh > 12)
			return false;
		if (tolower((unsigned char)w[0]) == 'p' && st->hh < 12)
			st->hh += 12;
		else if (tolower((unsigned char)w[0]) == 'a' && st->hh == 12)
			st->hh = 0;
		return true;
	}
	char buf[24];
	if (n == 0 || n >= sizeof buf || !isdigit((unsigned char)w[0]))
		return false;
	memcpy(buf, w, n);
	buf[n] = '\0';
	int a, b, c, k = 0;
	if (sscanf(buf, "%d/%d/%d%n", &a, &b, &c, &k) == 3 && k == (int)n && c >= 1000) {
		st->d = a, st->m = b, st->y = c; /* day first, as Indonesia writes it */
		return true;
	}
	if (sscanf(buf, "%d-%d-%d%n", &a, &b, &c, &k) == 3 && k == (int)n && a >= 1000) {
		st->y = a, st->m = b, st->d = c;
		return true;
	}
	if ((sscanf(buf, "%d:%d%n", &a, &b, &k) == 2 || sscanf(buf, "%d.%d%n", &a, &b, &k) == 2) &&
	    (k == (int)n || (buf[k] == ':' && k + 3 == (int)n)) && st->hh < 0) {
		if (a > 23 || b > 59)
			return false;
		st->hh = a, st->mm = b;
		return true;
	}
	if (sscanf(buf, "%d%n", &a, &k) == 1 && k == (int)n) {
		if (n == 4 && !st->y) {
			st->y = a;
			return true;
		}
		if (n <= 2 && !st->d && a >= 1 && a <= 31) {
			st->d = a;
			return true;
		}
	}
	return false;
}

static bool parse_stamp(const char *s, size_t n, char *out, size_t outsz)
{
	struct stamp st = { .hh = -1 };
	size_t i = 0;
	while (i < n) {
		while (i < n && strchr(" ,|()", s[i]))
			i++;
		if (i < n && s[i] == '-' && (i + 1 == n || s[i + 1] == ' ')) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !strchr(" ,|()", s[j]))
			j++;
		if (j > i && !stamp_token(s + i, j - i, &st))
			return false;
		i = j;
	}
	if (!kb_date_valid(st.y, st.m, st.d))
		return false;
	if (st.hh < 0)
		snprintf(out, outsz, "%04d-%02d-%02d", st.y, st.m, st.d);
	else
		snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:00%s", st.y, st.m, st.d, st.hh,
			 st.mm, st.zone ? st.zone : "");
	return true;
}

bool kb_date_parse_stamp(const char *line, char *out, size_t outsz)
{
	size_t n = strlen(line);
	if (n == 0 || n > 80)
		return false;
	if (parse_stamp(line, n, out, outsz))
		return true;
	/* "Label | date" or "Label - date" with a short capitalised label */
	const char *seps[] = { " | ", " - ", " – ", " — " };
	for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
		const char *sep = strstr(line, seps[k]);
		if (!sep || sep == line)
			continue;
		size_t label = (size_t)(sep - line), words = 1;
		for (size_t i = 0; i < label; i++)
			words += line[i] == ' ';
		if (words > 4 || !isupper((unsigned char)line[0]))
			continue;
		const char *rest = sep + strlen(seps[k]);
		if (parse_stamp(rest, strlen(rest), out, outsz))
			return true;
	}
	return false;
}
