#!/bin/sh
# bounds-slow.sh - the bounds of tests/bounds.sh at full size, too slow
# for make check (about a minute): a feed of a million items, streamed
# from a generator, imports whole in bounded memory.  Run it with
# `make check-slow`; its numbers are in README.md (Reliability).
. "$KABAR_SRCDIR/tests/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1 || [ "${KABAR_VALGRIND:-0}" = 1 ] || [ ! -x /usr/bin/time ] || LC_ALL=C grep -q __asan_init "$KABAR"; then
	echo "1..0 # SKIP needs a plain build, sqlite3 and /usr/bin/time"
	exit 0
fi

items() {
	awk -v n="$1" 'BEGIN {
		printf "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Sejuta</title>";
		for (i = 0; i < n; i++)
			printf "<item><title>Butir %d</title><link>http://x.example/%d</link><description>Isi butir %d.</description></item>\n", i, i, i;
		print "</channel></rss>" }'
}
mkfifo "$tmp/fifo"
(items 1000000 >"$tmp/fifo" &)
/usr/bin/time -f %M -o "$tmp/rss" "$KABAR" import - <"$tmp/fifo" >"$out" 2>"$err"
rc=$?
is_rc 0 "a feed of a million items imports"
is "$(sqlite3 "$KABAR_DB" 'SELECT count(*) FROM article')" 1000000 "...every one of them"
kbytes=$(tail -n 1 "$tmp/rss")
if [ "$kbytes" -le $((128 * 1024)) ]; then
	pass "peak RSS $((kbytes / 1024)) MB <= 128 MB"
else
	fail "peak RSS $((kbytes / 1024)) MB > 128 MB"
fi
done_testing
