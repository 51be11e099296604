/* fuzz-config.c - the reader's config file (~/.config/kabar/config):
 * its text through kb_config_read onto the default key bindings, as
 * kb_tui_run reads it.  Whatever the file says, the bindings name real
 * actions, every bound key has a name the help screen can show (UTF-8),
 * the settings stay in their ranges, and a bad line is reported in err
 * as one line naming the file and line. */
#include "config.h"

#include "fuzz.h"

#include "kabar/tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *text = kb_xstrndup((const char *)data, n); /* a NUL ends it early */
	struct kb_keymap km;
	kb_keymap_defaults(&km);
	struct kb_tui_config cfg = { .sidebar_width = 30, .list_width = 40 };
	char *err = kb_xmalloc(256); /* what kb_tui_run gives */
	memset(err, 'x', 256);

	int bad = kb_config_read(&km, &cfg, text, "fuzz.conf", err, 256);
	fuzz_assert(bad >= 0);
	if (!memchr(err, '\0', 256))
		fuzz_fail("err is not a string");
	if (bad > 0 && strncmp(err, "fuzz.conf:", 10) != 0)
		fuzz_fail("bad lines, but err says \"%s\"", err);
	if (bad == 0 && err[0])
		fuzz_fail("no bad line, but err says \"%s\"", err);
	fuzz_assert(strchr(err, '\n') == NULL);

	for (size_t i = 0; i < km.n; i++) {
		int key = km.b[i].key;
		enum kb_action a = km.b[i].action;
		fuzz_assert(a >= KB_ACT_NONE && a < KB_ACT_COUNT);
		char name[32];
		kb_key_name(key, name, sizeof name);
		if (!name[0] || !fuzz_is_utf8(name, strlen(name)))
			fuzz_fail("key %#x has no name the help screen can show", (unsigned)key);
		(void)kb_action_name(a);
		(void)kb_action_help(a);
	}
	fuzz_assert(cfg.sidebar_width >= 16 && cfg.sidebar_width <= 80);
	fuzz_assert(cfg.list_width >= 20 && cfg.list_width <= 80);
	for (int i = 0; i < KB_ST_COUNT; i++) {
		if (!cfg.color[i].set)
			continue;
		fuzz_assert(cfg.color[i].fg >= -1 && cfg.color[i].fg <= 255);
		fuzz_assert(cfg.color[i].bg >= -1 && cfg.color[i].bg <= 255);
		fuzz_assert((cfg.color[i].attr & ~(KB_ATTR_BOLD | KB_ATTR_REVERSE |
						   KB_ATTR_UNDERLINE | KB_ATTR_DIM)) == 0);
	}

	free(err);
	kb_keymap_free(&km);
	free(text);
	return 0;
}
