/* feed_input.c - the bytes the feed parser reads, with feeds' usual
 * mistakes mended on the way.
 *
 * Three repairs, all lexical and only for ASCII-compatible charsets
 * (never UTF-16): junk before the document (a PHP warning, a stray
 * byte-order mark) is skipped up to the first "<?xml", "<!DOCTYPE",
 * "<rss", "<feed" or "<rdf:RDF"; HTML entity names XML does not know
 * ("&nbsp;", "&eacute;") become numeric references, which libxml2 reads
 * as the same characters (outside CDATA only: inside it the text is HTML
 * and means the same either way); and a CDATA section still open when the
 * next item starts is closed, with its element and item, so one missing
 * "]]>" does not swallow the rest of the feed.
 *
 * The filtered bytes libxml2 was given lately stay in a window, so that
 * after an error the parse can restart at the next item from where it
 * broke (libxml2's reader stops at the first well-formedness error, even
 * when told to recover). */
#include "config.h"

#include "feed.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

/* Raw bytes read at a time, and what stays behind the read position. */
#define RAW_CHUNK 16384
#define WINDOW (64u << 10)
/* Lookahead a repair needs: "<![CDATA[", an entity name, a tag name. */
#define LOOKAHEAD ((int)sizeof(((struct feed_input *)0)->carry))

void feed_input_init(struct feed_input *in, const char *head, size_t head_n, kb_read_fn rd,
		     void *io, bool ascii)
{
	memset(in, 0, sizeof *in);
	in->head = head;
	in->head_n = head_n;
	in->rd = rd;
	in->io = io;
	in->ascii = ascii;
	in->started = !ascii;
}

void feed_input_free(struct feed_input *in)
{
	kb_buf_free(&in->out);
	kb_buf_free(&in->prefix);
	kb_buf_free(&in->suffix);
	kb_buf_free(&in->closers);
}

static bool is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == ':';
}

/* Where the document starts in the first bytes: the first of the
 * markers, or 0 when none is there (libxml2 then says what is wrong). */
static size_t doc_start(const char *s, size_t n)
{
	static const char *const marks[] = { "<?xml", "<!DOCTYPE", "<rss", "<feed", "<rdf:RDF" };
	size_t best = n;
	for (size_t k = 0; k < KB_ARRAY_LEN(marks); k++) {
		size_t m = strlen(marks[k]);
		for (size_t i = 0; i + m <= best; i++)
			if (s[i] == '<' && memcmp(s + i, marks[k], m) == 0) {
				best = i;
				break;
			}
	}
	return best == n ? 0 : best;
}

/* The qualified name at s[from..n) when its local part is "item" or
 * "entry" and a tag's end follows: its length, or 0. */
static size_t item_name(const char *s, size_t n, size_t from)
{
	if (from >= n || !is_name_start((unsigned char)s[from]))
		return 0;
	size_t i = from;
	while (i < n && is_name_char((unsigned char)s[i]) && i - from < 48)
		i++;
	if (i >= n || !strchr(" \t\r\n>/", s[i]))
		return 0;
	const char *local = s + from;
	for (size_t j = i; j > from; j--)
		if (s[j - 1] == ':') {
			local = s + j;
			break;
		}
	size_t ln = (size_t)(s + i - local);
	if ((ln == 4 && memcmp(local, "item", 4) == 0) || (ln == 5 && memcmp(local, "entry", 5) == 0))
		return i - from;
	return 0;
}

/* An item's start tag at s ("<item>", "<entry ", "<atom:entry>"): its
 * qualified name's length, or 0. */
static size_t item_tag(const char *s, size_t n)
{
	return n > 0 && s[0] == '<' ? item_name(s, n, 1) : 0;
}

static size_t item_end_tag(const char *s, size_t n)
{
	return n > 1 && s[0] == '<' && s[1] == '/' ? item_name(s, n, 2) : 0;
}

static unsigned long count_lines(const char *s, size_t n)
{
	unsigned long k = 0;
	for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		k++;
	return k;
}

static unsigned long current_line(const struct feed_input *in)
{
	return in->junk_lines + in->lines_out + 1;
}

/* "&name;" at s[0..n) with an HTML name XML lacks: appends "&#N;" and
 * returns the bytes used; 0 to copy s[0] as it is; -1 when the name may
 * continue past n. */
static int entity(struct feed_input *in, const char *s, size_t n, bool eof)
{
	if (n >= 2 && s[1] == '#') { /* "&#27;": a character XML forbids is a space */
		bool hex = n >= 3 && (s[2] == 'x' || s[2] == 'X');
		size_t i = hex ? 3 : 2;
		unsigned long v = 0;
		while (i < n && i < 12 && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
			unsigned d = isdigit((unsigned char)s[i]) ? (unsigned)(s[i] - '0')
							    : (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
			v = v * (hex ? 16 : 10) + d;
			i++;
		}
		if (i == n && !eof && n < (size_t)LOOKAHEAD)
			return -1;
		if (i >= n || s[i] != ';' || i == (hex ? 3u : 2u))
			return 0;
		bool xml_char = v == 0x9 || v == 0xa || v == 0xd || (v >= 0x20 && v <= 0xd7ff) ||
				(v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff);
		if (xml_char)
			return 0;
		kb_buf_addc(&in->out, ' ');
		return (int)i + 1;
	}
	size_t i = 1;
	char name[40];
	while (i < n && i < sizeof name && ((s[i] >= 'a' && s[i] <= 'z') ||
					   (s[i] >= 'A' && s[i] <= 'Z') ||
					   (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == n && !eof && n < (size_t)LOOKAHEAD)
		return -1;
	if (i == 1 || i >= n || s[i] != ';' || i >= sizeof name)
		return 0;
	memcpy(name, s + 1, i - 1);
	name[i - 1] = '\0';
	static const char *const xml[] = { "amp", "lt", "gt", "quot", "apos" };
	for (size_t k = 0; k < KB_ARRAY_LEN(xml); k++)
		if (strcmp(name, xml[k]) == 0)
			return 0;
	const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
	if (!e)
		return 0; /* libxml2 reports it; the parse restarts after it */
	kb_buf_printf(&in->out, "&#%u;", e->value);
	return (int)i + 1;
}

/* Filters s[0..n) onto out.  Returns how many bytes were used: the rest
 * (a construct cut by the end of what was read) waits for more. */
static size_t filter(struct feed_input *in, const char *s, size_t n, bool eof)
{
	size_t i = 0, run = 0;
#define FLUSH()                                                 \
	(kb_buf_add(&in->out, s + run, i - run),                \
	 in->lines_out += count_lines(s + run, i - run), run = i)
	while (i < n) {
		char c = s[i];
		if ((unsigned char)c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			/* a control character XML forbids (an ESC in a title): a
			 * space, not the end of the feed */
			FLUSH();
			kb_buf_addc(&in->out, ' ');
			run = ++i;
			continue;
		}
		if (c != '&' && c != '<' && c != ']') {
			i++;
			continue;
		}
		size_t left = n - i;
		if (!eof && left < (size_t)LOOKAHEAD)
			break; /* decide once the construct is whole */
		if (in->in_cdata) {
			size_t q;
			if (c == ']' && left >= 3 && memcmp(s + i, "]]>", 3) == 0) {
				in->in_cdata = false;
				i += 3;
			} else if (c == '<' && (q = item_tag(s + i, left)) > 0) {
				/* the CDATA never ended: close it, its element and
				 * its item before the next item begins */
				FLUSH();
				if (!in->repair_line)
					in->repair_line = in->cdata_line;
				if (in->last_tag[0])
					kb_buf_printf(&in->out, "]]></%s></%.*s>", in->last_tag,
						      (int)q, s + i + 1);
				else
					kb_buf_adds(&in->out, "]]>");
				in->in_cdata = false;
			} else {
				i++;
			}
			continue;
		}
		if (c == '&') {
			FLUSH();
			int used = entity(in, s + i, left, eof);
			if (used < 0)
				break;
			if (used > 0)
				i += (size_t)used, run = i;
			else
				i++;
		} else if (c == '<' && left >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			FLUSH();
			in->in_cdata = true;
			in->cdata_line = current_line(in);
			i += 9;
		} else if (c == '<' && left >= 2 && is_name_start((unsigned char)s[i + 1])) {
			size_t q = item_tag(s + i, left);
			if (q > 0) {
				/* where each item starts, for replaying items after an error */
				in->items_lex++;
				in->item_off[(in->items_lex - 1) % KB_ARRAY_LEN(in->item_off)] =
					in->out_base + in->out.len + (i - run);
				if (q < sizeof in->item_qname)
					memcpy(in->item_qname, s + i + 1, q), in->item_qname[q] = '\0';
			}
			size_t k = 0;
			while (i + 1 + k < n && k + 1 < sizeof in->last_tag &&
			       is_name_char((unsigned char)s[i + 1 + k]))
				k++;
			memcpy(in->last_tag, s + i + 1, k);
			in->last_tag[k] = '\0';
			i += 1 + k;
		} else {
			i++;
		}
	}
	FLUSH();
#undef FLUSH
	return i;
}

/* Drops what is far behind the read position. */
static void trim(struct feed_input *in)
{
	if (in->pos <= 2 * WINDOW)
		return;
	size_t drop = in->pos - WINDOW;
	in->lines_before += count_lines(in->out.p, drop);
	memmove(in->out.p, in->out.p + drop, in->out.len - drop);
	in->out.len -= drop;
	in->out.p[in->out.len] = '\0';
	in->out_base += drop;
	in->pos -= drop;
}

/* Reads and filters more; false at the end (or on a read error). */
static bool fill(struct feed_input *in)
{
	char raw[RAW_CHUNK + LOOKAHEAD];
	trim(in);
	while (!in->raw_eof) {
		size_t n = in->carry_n;
		memcpy(raw, in->carry, n);
		long got = 0;
		if (in->head_pos < in->head_n) {
			size_t k = in->head_n - in->head_pos;
			if (k > RAW_CHUNK)
				k = RAW_CHUNK;
			memcpy(raw + n, in->head + in->head_pos, k);
			in->head_pos += k;
			got = (long)k;
		} else if (in->rd) {
			got = in->rd(in->io, raw + n, RAW_CHUNK);
		}
		if (got < 0)
			in->read_error = true;
		if (got <= 0)
			in->raw_eof = true;
		else
			n += (size_t)got;
		size_t from = 0;
		if (!in->started) {
			/* the first bytes hold the sniffing window: look there */
			in->started = true;
			from = doc_start(raw, n);
			if (from == 0 && n >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0)
				from = 3; /* libxml2 assumes UTF-8 without it too */
			in->junk_lines = count_lines(raw, from);
		}
		size_t before = in->out.len;
		size_t used = filter(in, raw + from, n - from, in->raw_eof);
		in->carry_n = n - from - used;
		memcpy(in->carry, raw + from + used, in->carry_n);
		if (in->raw_eof && in->in_cdata) {
			/* a CDATA section open at the end: closed, so that libxml2
			 * keeps its text and says what else is missing */
			if (!in->repair_line)
				in->repair_line = in->cdata_line;
			kb_buf_adds(&in->out, "]]>");
			if (in->last_tag[0] && in->item_qname[0])
				kb_buf_printf(&in->out, "</%s></%s>", in->last_tag, in->item_qname);
			kb_buf_add(&in->out, in->closers.p ? in->closers.p : "", in->closers.len);
			in->in_cdata = false;
		}
		if (in->out.len > before)
			return true;
	}
	return false;
}

static bool fill_raw_only(struct feed_input *in)
{
	char raw[RAW_CHUNK];
	trim(in);
	if (in->raw_eof)
		return false;
	long got;
	if (in->head_pos < in->head_n) {
		size_t k = in->head_n - in->head_pos;
		if (k > sizeof raw)
			k = sizeof raw;
		memcpy(raw, in->head + in->head_pos, k);
		in->head_pos += k;
		got = (long)k;
	} else {
		got = in->rd ? in->rd(in->io, raw, sizeof raw) : 0;
	}
	if (got < 0)
		in->read_error = true;
	if (got <= 0) {
		in->raw_eof = true;
		return false;
	}
	kb_buf_add(&in->out, raw, (size_t)got);
	return true;
}

static bool more(struct feed_input *in)
{
	return in->ascii ? fill(in) : fill_raw_only(in);
}

int feed_input_read(void *ctx, char *buf, int len)
{
	struct feed_input *in = ctx;
	if (len <= 0)
		return 0;
	if (in->prefix_pos < in->prefix.len) {
		size_t k = in->prefix.len - in->prefix_pos;
		if (k > (size_t)len)
			k = (size_t)len;
		memcpy(buf, in->prefix.p + in->prefix_pos, k);
		in->prefix_pos += k;
		return (int)k;
	}
	size_t end = in->out.len;
	if (in->limited) {
		end = in->limit > in->out_base ? (size_t)(in->limit - in->out_base) : 0;
		if (end > in->out.len)
			end = in->out.len;
		if (in->pos >= end) {
			size_t k = in->suffix.len - in->suffix_pos;
			if (k > (size_t)len)
				k = (size_t)len;
			memcpy(buf, in->suffix.p + in->suffix_pos, k);
			in->suffix_pos += k;
			return (int)k;
		}
	}
	while (in->pos >= end) {
		if (!more(in))
			return in->read_error ? -1 : 0;
		end = in->out.len;
	}
	size_t k = end - in->pos;
	if (k > (size_t)len)
		k = (size_t)len;
	memcpy(buf, in->out.p + in->pos, k);
	in->pos += k;
	return (int)k;
}

uint64_t feed_input_offset(const struct feed_input *in)
{
	return in->out_base + in->pos;
}

unsigned long feed_input_line(const struct feed_input *in, uint64_t off)
{
	if (off < in->out_base)
		off = in->out_base;
	size_t k = (size_t)(off - in->out_base);
	if (k > in->out.len)
		k = in->out.len;
	return in->junk_lines + in->lines_before + count_lines(in->out.p, k) + 1;
}

bool feed_input_resync(struct feed_input *in, uint64_t off, const char *prefix, size_t n)
{
	in->limited = false;
	if (!in->ascii)
		return false; /* item tags cannot be found in these bytes */
	if (off < in->out_base)
		off = in->out_base;
	size_t at = (size_t)(off - in->out_base);
	if (at > in->out.len)
		at = in->out.len;
	in->pos = at;
	for (;;) {
		while (in->pos < in->out.len) {
			const char *p = memchr(in->out.p + in->pos, '<', in->out.len - in->pos);
			if (!p) {
				in->pos = in->out.len;
				break;
			}
			size_t left = in->out.len - (size_t)(p - in->out.p);
			if (left < 64 && !in->raw_eof) {
				in->pos = (size_t)(p - in->out.p);
				break; /* a tag name cut by the end: read on */
			}
			if (item_tag(p, left)) {
				in->pos = (size_t)(p - in->out.p);
				kb_buf_reset(&in->prefix);
				kb_buf_add(&in->prefix, prefix, n);
				in->prefix_pos = 0;
				return true;
			}
			in->pos = (size_t)(p - in->out.p) + 1;
		}
		if (!fill(in) && in->pos >= in->out.len)
			return false;
	}
}

bool feed_input_item_at(const struct feed_input *in, uint64_t ord, uint64_t *off)
{
	size_t ring = KB_ARRAY_LEN(in->item_off);
	if (ord == 0 || ord > in->items_lex || in->items_lex - ord >= ring)
		return false;
	*off = in->item_off[(ord - 1) % ring];
	return *off >= in->out_base;
}

uint64_t feed_input_item_ordinal(const struct feed_input *in, uint64_t off)
{
	uint64_t at;
	for (uint64_t ord = in->items_lex; ord > 0 && feed_input_item_at(in, ord, &at); ord--)
		if (at == off)
			return ord;
	return 0;
}

size_t feed_input_items_in(const struct feed_input *in, uint64_t from, uint64_t to)
{
	size_t k = 0;
	uint64_t at;
	for (uint64_t ord = in->items_lex; ord > 0 && feed_input_item_at(in, ord, &at); ord--)
		if (at >= from && at < to)
			k++;
	return k;
}

uint64_t feed_input_item_end_before(const struct feed_input *in, uint64_t from, uint64_t to)
{
	if (from < in->out_base || to <= from)
		return 0;
	size_t lo = (size_t)(from - in->out_base), hi = (size_t)(to - in->out_base);
	if (hi > in->out.len)
		hi = in->out.len;
	for (size_t i = hi; i-- > lo;) {
		if (in->out.p[i] != '<' || !item_end_tag(in->out.p + i, in->out.len - i))
			continue;
		const char *gt = memchr(in->out.p + i, '>', hi - i);
		return gt ? in->out_base + (uint64_t)(gt + 1 - in->out.p) : 0;
	}
	return 0;
}

void feed_input_segment(struct feed_input *in, uint64_t from, uint64_t to, const char *prefix,
			size_t pn, const char *suffix, size_t sn)
{
	in->pos = (size_t)(from - in->out_base);
	kb_buf_reset(&in->prefix);
	kb_buf_add(&in->prefix, prefix, pn);
	in->prefix_pos = 0;
	kb_buf_reset(&in->suffix);
	kb_buf_add(&in->suffix, suffix, sn);
	in->suffix_pos = 0;
	in->limited = true;
	in->limit = to;
}
