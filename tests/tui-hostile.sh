#!/bin/sh
# tui-hostile.sh - no article controls the terminal through the reader: a
# cache written by sqlite3 directly holds OSC 52 (clipboard), OSC 8
# (links), a window title, DCS, APC, CSI, C1 controls in UTF-8 and as
# bare bytes, bytes that are not UTF-8, and bidi overrides and isolates,
# in titles, sources, bodies and entity names.  The real binary reads it
# in tmux; every byte it writes to the terminal is recorded with
# pipe-pane and must hold no escape but curses' own (CSI and the
# character-set and keypad escapes): no ESC ], ESC P, ESC _, ESC ^, no C1,
# no bidi control, nothing that is not UTF-8.
. "$KABAR_SRCDIR/tests/lib.sh"

for tool in tmux sqlite3 perl; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done
unset TMUX TMUX_PANE NO_COLOR
sock=kabar-hostile-$$
scale=1
[ -z "${KABAR_WRAPPER:-}" ] || scale=10
tm() {
	tmux -L "$sock" -f /dev/null "$@"
}
cleanup() {
	_sock=$(tm display-message -p '#{socket_path}' 2>/dev/null)
	tm kill-server >/dev/null 2>&1
	[ -z "$_sock" ] || rm -f "$_sock"
	chmod -R u+rwx "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# A real cache (its schema, entities), then hostile text put in by sqlite3.
printf 'Title: Feri tiba di Makassar\nSource: Harian Selat\n\nKapal feri tiba di Makassar pagi ini, kata Rina Hapsari.\n\nPresiden Joko Widodo tiba di Surabaya.\n' >"$tmp/a.txt"
run import "$tmp/a.txt"
is_rc 0 "a first article imports"
# as SQL hex: ESC ] 52 (clipboard), ESC ] 8 (link), ESC ] 0 (title), ESC P
# (DCS), ESC _ (APC), CSI 2J, U+009B (C1 CSI), a bare 0x9b and 0x90
# (C1 CSI and DCS in 8 bits, not UTF-8), 0xff, RLO, LRI, PDI, LRE, DEL
osc52=1b5d35323b633b6147466a61325a6b07
osc8=1b5d383b3b687474703a2f2f6576696c2e6578616d706c652f1b5c
title=1b5d303b6f776e656407
dcs=1b50717e1b5c
apc=1b5f6170631b5c
csi=1b5b324a1b5b48
c1=c29b33316d
bare=9b33316d90ff
bidi=e280aee281a6e281a9e280aa7f
bad="41${osc52}42${osc8}43${title}44${dcs}45${apc}46${csi}47${c1}48${bare}49${bidi}4a"
sqlite3 "$KABAR_DB" "UPDATE article SET
		title = 'Judul ' || CAST(X'$bad' AS TEXT),
		source = CAST(X'$bad' AS TEXT),
		body = 'Kapal ' || CAST(X'$bad' AS TEXT) || ' tiba.' || char(10) || char(10) ||
			'Baris ' || CAST(X'$bad' AS TEXT) || ' kedua.';
	UPDATE entity SET name = name || CAST(X'$bad' AS TEXT);"
is "$(sqlite3 "$KABAR_DB" "SELECT instr(hex(title), '1B5D35323B') > 0 FROM article")" 1 \
	"the cache holds the escapes"

# kabar waits for pipe-pane before it starts, so every byte is recorded
tm start-server \; set-option -g remain-on-exit on \; \
	new-session -d -s h -x 120 -y 30 \
	"while [ ! -e '$tmp/go' ]; do sleep 0.05; done; env HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' TERM=tmux-256color ${KABAR_WRAPPER:-} '$KABAR' --db '$KABAR_DB' 2>'$tmp/err'; echo EXITED \$?; sleep 600"
tm pipe-pane -t h "cat >>'$tmp/bytes'"
: >"$tmp/go"

# wait_for ERE : until the screen shows ERE (10 s, x10 under valgrind)
wait_for() {
	_n=$((100 * scale))
	while [ "$_n" -gt 0 ]; do
		tm capture-pane -p -t h >"$tmp/screen" 2>/dev/null
		grep -Eq -- "$1" "$tmp/screen" && return 0
		_n=$((_n - 1))
		sleep 0.1
	done
	diag "timed out waiting for: $1" "$(cat "$tmp/screen")"
	return 1
}

if wait_for 'Judul A'; then
	pass "the reader shows the hostile title"
else
	fail "the reader shows the hostile title"
fi
wait_for 'Kapal A' && pass "...and the hostile body" || fail "...and the hostile body"
# every pane and view draws the text: the reader, the sidebar, reading
# mode, the outlets, the help, and the list again
for k in Enter Tab Tab z z F Enter BSpace r BSpace '?' q; do
	tm send-keys -t h "$k"
	sleep 0.2
done
tm send-keys -t h q
tm send-keys -t h q
wait_for 'EXITED' >/dev/null
like "$(cat "$tmp/screen")" 'EXITED 0' "kabar exits cleanly"
tm pipe-pane -t h
sleep 0.2
n=$(wc -c <"$tmp/bytes" | tr -d ' ')
[ "$n" -gt 1000 ] && pass "the terminal's bytes are recorded ($n)" || fail "the terminal's bytes are recorded ($n)"

# perl, byte by byte: what in the recorded bytes a terminal would obey
# beyond curses' own
cat >"$tmp/check.pl" <<'EOF'
use strict;
use warnings;
local $/;
open my $fh, '<:raw', $ARGV[0] or die "$ARGV[0]: $!";
my $b = <$fh>;
my @bad;
push @bad, "OSC (ESC ])" if $b =~ /\e\]/;
push @bad, "DCS (ESC P)" if $b =~ /\eP/;
push @bad, "APC (ESC _)" if $b =~ /\e_/;
push @bad, "PM (ESC ^)" if $b =~ /\e\^/;
push @bad, "SOS (ESC X)" if $b =~ /\eX/;
push @bad, "BEL" if $b =~ /\x07/;
push @bad, "C1 in UTF-8" if $b =~ /\xc2[\x80-\x9f]/;
push @bad, "bidi control" if $b =~ /\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]/;
push @bad, "DEL" if $b =~ /\x7f/;
# what is left after curses' escapes must be UTF-8 (a bare 0x9b is CSI
# to a terminal in 8-bit mode)
(my $t = $b) =~ s/\e\[[0-9;?>=]*[ -\/]*[@-~]|\e[()][0-9A-Za-z]|\e[=>78MDEc]//g;
push @bad, "ESC outside CSI" if $t =~ /\e/;
push @bad, "bytes that are not UTF-8" unless utf8::decode(my $copy = $t);
print join(", ", @bad), "\n";
EOF
found=$(perl "$tmp/check.pl" "$tmp/bytes")
is "$found" "" "no byte of the content controls the terminal"
# the checker itself: the hostile bytes as they are would fail it
printf '%s' "$bad" | perl -ne 'print pack("H*", $_)' >"$tmp/raw"
like "$(perl "$tmp/check.pl" "$tmp/raw")" 'OSC.*DCS.*APC.*C1.*bidi.*not UTF-8' \
	"the check finds every kind in the raw text"

done_testing
