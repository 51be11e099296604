/* keys.c - actions, key bindings and the config file. */
#include "config.h"

#include "kabar/tui.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistr.h>

#include "kabar/util.h"

static const char *const action_names[] = {
	[KB_ACT_NONE] = "none",
#define KB_ACT_NAME(name, str, help) [KB_ACT_##name] = str,
	KB_TUI_ACTIONS(KB_ACT_NAME)
#undef KB_ACT_NAME
};

static const char *const action_help[] = {
	[KB_ACT_NONE] = "",
#define KB_ACT_HELP(name, str, help) [KB_ACT_##name] = help,
	KB_TUI_ACTIONS(KB_ACT_HELP)
#undef KB_ACT_HELP
};

const char *kb_action_name(enum kb_action a)
{
	return a < KB_ACT_COUNT ? action_names[a] : "none";
}

const char *kb_action_help(enum kb_action a)
{
	return a < KB_ACT_COUNT ? action_help[a] : "";
}

enum kb_action kb_action_from_name(const char *name)
{
	for (int a = 1; a < KB_ACT_COUNT; a++)
		if (strcmp(action_names[a], name) == 0)
			return (enum kb_action)a;
	return KB_ACT_NONE;
}

/* The default bindings, as a user would write them in the config file. */
static const char default_bindings[] =
	"bind q quit\n"
	"bind Tab focus-next\n"
	"bind S-Tab focus-prev\n"
	"bind j down\n"
	"bind Down down\n"
	"bind k up\n"
	"bind Up up\n"
	"bind PgDn page-down\n"
	"bind Space page-down\n"
	"bind PgUp page-up\n"
	"bind b page-up\n"
	"bind g top\n"
	"bind Home top\n"
	"bind G bottom\n"
	"bind End bottom\n"
	"bind Enter open\n"
	"bind ] next-shared\n"
	"bind [ prev-shared\n"
	"bind r related\n"
	"bind e event\n"
	"bind / search\n"
	"bind n search-next\n"
	"bind p search-prev\n"
	"bind F outlets\n"
	"bind N toggle-read\n"
	"bind A mark-all-read\n"
	"bind u unread-only\n"
	"bind R update\n"
	"bind o open-browser\n"
	"bind Backspace back\n"
	"bind h back\n"
	"bind Left back\n"
	"bind l forward\n"
	"bind Right forward\n"
	"bind s toggle-sidebar\n"
	"bind z reading-mode\n"
	"bind ? help\n"
	"bind C-l redraw\n";

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Tab", KB_KEY_TAB },        { "S-Tab", KB_KEY_BTAB },    { "Enter", KB_KEY_ENTER },
	{ "Return", KB_KEY_ENTER },   { "Space", ' ' },            { "Down", KB_KEY_DOWN },
	{ "Up", KB_KEY_UP },          { "Left", KB_KEY_LEFT },     { "Right", KB_KEY_RIGHT },
	{ "PgDn", KB_KEY_NPAGE },     { "PageDown", KB_KEY_NPAGE }, { "PgUp", KB_KEY_PPAGE },
	{ "PageUp", KB_KEY_PPAGE },   { "Home", KB_KEY_HOME },     { "End", KB_KEY_END },
	{ "Backspace", KB_KEY_BACKSPACE },
};

int kb_key_parse(const char *name)
{
	for (size_t i = 0; i < KB_ARRAY_LEN(key_names); i++)
		if (strcasecmp(name, key_names[i].name) == 0)
			return key_names[i].key;
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && isalpha((unsigned char)name[2]) &&
	    !name[3])
		return tolower((unsigned char)name[2]) - 'a' + 1;
	/* one character, UTF-8 */
	unsigned char c = (unsigned char)name[0];
	if (!c)
		return -1;
	if (c < 0x80)
		return name[1] ? -1 : c;
	/* valid UTF-8 only: bytes such as "\xff\xff\xff\xff" once made a key
	 * above Unicode (a special key, or one without a name) */
	size_t len = strlen(name);
	ucs4_t cp;
	if (u8_mbtoucr(&cp, (const uint8_t *)name, len) != (int)len)
		return -1;
	return (int)cp;
}

void kb_key_name(int key, char *out, size_t outsz)
{
	for (size_t i = 0; i < KB_ARRAY_LEN(key_names); i++)
		if (key_names[i].key == key) {
			snprintf(out, outsz, "%s", key_names[i].name);
			return;
		}
	if (key == KB_KEY_BACKSPACE2) {
		snprintf(out, outsz, "Backspace");
	} else if (key >= 1 && key < 27) {
		snprintf(out, outsz, "C-%c", 'a' + key - 1);
	} else if (key < 0x80) {
		snprintf(out, outsz, "%c", key);
	} else {
		char u[5] = { 0 };
		if (key < 0x800) {
			u[0] = (char)(0xc0 | key >> 6);
			u[1] = (char)(0x80 | (key & 0x3f));
		} else if (key < 0x10000) {
			u[0] = (char)(0xe0 | key >> 12);
			u[1] = (char)(0x80 | (key >> 6 & 0x3f));
			u[2] = (char)(0x80 | (key & 0x3f));
		} else {
			u[0] = (char)(0xf0 | key >> 18);
			u[1] = (char)(0x80 | (key >> 12 & 0x3f));
			u[2] = (char)(0x80 | (key >> 6 & 0x3f));
			u[3] = (char)(0x80 | (key & 0x3f));
		}
		snprintf(out, outsz, "%s", u);
	}
}

static void bind(struct kb_keymap *km, int key, enum kb_action a)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key) {
			km->b[i].action = a;
			return;
		}
	km->b = kb_xrealloc(km->b, (km->n + 1) * sizeof *km->b);
	km->b[km->n++] = (struct kb_binding){ key, a };
}

enum kb_action kb_keymap_lookup(const struct kb_keymap *km, int key)
{
	if (key == KB_KEY_BACKSPACE2 || key == 8)
		key = KB_KEY_BACKSPACE;
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].key == key)
			return km->b[i].action;
	return KB_ACT_NONE;
}

void kb_keymap_free(struct kb_keymap *km)
{
	free(km->b);
	km->b = NULL;
	km->n = 0;
}

static const char *const style_names[KB_ST_COUNT] = {
	[KB_ST_NORMAL] = "normal",     [KB_ST_BORDER] = "border",
	[KB_ST_BORDER_FOCUS] = "border-focus", [KB_ST_HEADER] = "header",
	[KB_ST_SELECTED] = "selected", [KB_ST_CURSOR] = "cursor",
	[KB_ST_UNREAD] = "unread",     [KB_ST_TITLE] = "title",
	[KB_ST_META] = "meta",         [KB_ST_PERSON] = "person",
	[KB_ST_PLACE] = "place",       [KB_ST_ORG] = "org",
	[KB_ST_DATE] = "date",         [KB_ST_STATUS] = "status",
	[KB_ST_MESSAGE] = "message",
};

static int color_number(const char *s)
{
	static const char *const names[] = { "black", "red", "green", "yellow",
					     "blue", "magenta", "cyan", "white" };
	if (strcmp(s, "default") == 0)
		return -1;
	for (int i = 0; i < 8; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 || v > 255 ? -2 : (int)v;
}

int kb_config_read(struct kb_keymap *km, struct kb_tui_config *cfg, const char *text,
		   const char *path, char *err, size_t errsz)
{
	int bad = 0, lineno = 0;
	const char *p = text;
	if (err && errsz)
		err[0] = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		lineno++;
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
		p += len + (nl != NULL);
		char *words[6];
		int nw = 0;
		for (char *tok = strtok(line, " \t\r"); tok && nw < 6; tok = strtok(NULL, " \t\r"))
			words[nw++] = tok;
		if (nw == 0 || words[0][0] == '#')
			continue;
		const char *why = NULL;
		if (strcmp(words[0], "bind") == 0 && nw == 3) {
			int key = kb_key_parse(words[1]);
			enum kb_action a = kb_action_from_name(words[2]);
			if (key < 0)
				why = "unknown key";
			else if (a == KB_ACT_NONE && strcmp(words[2], "none") != 0)
				why = "unknown action";
			else
				bind(km, key, a);
		} else if (strcmp(words[0], "color") == 0 && (nw == 4 || nw == 5) && cfg) {
			int st = -1;
			for (int i = 0; i < KB_ST_COUNT; i++)
				if (strcmp(style_names[i], words[1]) == 0)
					st = i;
			int fg = color_number(words[2]), bg = color_number(words[3]), attr = 0;
			if (nw == 5)
				attr = strcmp(words[4], "bold") == 0	    ? KB_ATTR_BOLD
				       : strcmp(words[4], "reverse") == 0   ? KB_ATTR_REVERSE
				       : strcmp(words[4], "underline") == 0 ? KB_ATTR_UNDERLINE
				       : strcmp(words[4], "dim") == 0	    ? KB_ATTR_DIM
				       : strcmp(words[4], "normal") == 0    ? 0
									    : -1;
			if (st < 0)
				why = "unknown element";
			else if (fg < -1 || bg < -1 || attr < 0)
				why = "unknown colour or attribute";
			else
				cfg->color[st].fg = (short)fg, cfg->color[st].bg = (short)bg,
				cfg->color[st].attr = attr, cfg->color[st].set = true;
		} else if (strcmp(words[0], "set") == 0 && nw == 3 && cfg &&
			   strcmp(words[1], "reader-full") == 0) {
			const char *v = words[2];
			if (!strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcasecmp(v, "true") ||
			    !strcmp(v, "1"))
				cfg->reader_full = true;
			else if (!strcasecmp(v, "no") || !strcasecmp(v, "off") ||
				 !strcasecmp(v, "false") || !strcmp(v, "0"))
				cfg->reader_full = false;
			else
				why = "not yes or no";
		} else if (strcmp(words[0], "set") == 0 && nw == 3 && cfg) {
			char *end;
			long v = strtol(words[2], &end, 10);
			if (*end)
				why = "not a number";
			else if (strcmp(words[1], "sidebar-width") == 0 && v >= 16 && v <= 80)
				cfg->sidebar_width = (int)v;
			else if (strcmp(words[1], "list-width") == 0 && v >= 20 && v <= 80)
				cfg->list_width = (int)v;
			else
				why = "unknown setting or value out of range";
		} else {
			why = "not 'bind KEY ACTION', 'color ELEMENT FG BG [ATTR]' or 'set NAME VALUE'";
		}
		if (why) {
			if (!bad && err)
				snprintf(err, errsz, "%s:%d: %s", path, lineno, why);
			bad++;
		}
	}
	return bad;
}

void kb_keymap_defaults(struct kb_keymap *km)
{
	km->b = NULL;
	km->n = 0;
	kb_config_read(km, NULL, default_bindings, "defaults", NULL, 0);
}
