#!/bin/sh
# tui.sh - the terminal reader (SPEC "The TUI") driven end to end: the real
# binary runs in a private tmux server, keys go in with send-keys and the
# screen comes back with capture-pane.  Expected values come from the sample
# corpus (assets/sample, doc/sample-corpus.md), include/kabar/tui.h and
# kabar's own command line (list/search, checked against the corpus by
# cli.sh and facts.sh).
#
# Under valgrind (KABAR_WRAPPER set) the TUI runs through the wrapper too,
# with every timeout ten times longer: a screen under valgrind takes a few
# seconds to come up, which the polling absorbs.  Valgrind's own report
# goes to the session's stderr file ($tmp/NAME.err), not on the screen, and
# its --error-exitcode shows up in the exit status every session checks.
. "$KABAR_SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 0
fi

sample=$KABAR_SRCDIR/assets/sample
db=$tmp/s.db
sock=kabar-test-$$
scr=$tmp/screen
scale=1
[ -z "${KABAR_WRAPPER:-}" ] || scale=10

# not inside someone's tmux, and colours unless a test asks for NO_COLOR
unset TMUX TMUX_PANE NO_COLOR

tm() {
	tmux -L "$sock" -f /dev/null "$@"
}

# lib.sh's EXIT trap removes $tmp; this one stops the private tmux server
# (and every kabar still running in it) and removes its socket first, then
# does the same.
tui_cleanup() {
	_sock=$(tm display-message -p '#{socket_path}' 2>/dev/null)
	tm kill-server >/dev/null 2>&1
	[ -z "$_sock" ] || rm -f "$_sock"
	chmod -R u+rwx "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap tui_cleanup EXIT

# ---- screen helpers (perl: always there on Debian, and width-aware) -------

cat >"$tmp/scr.pl" <<'EOF'
# scr.pl CMD FILE ARGS: reads a captured screen (UTF-8 text, one line per
# row).  Display widths: 2 for East Asian Wide/Fullwidth, 0 for combining
# marks and format characters, else 1 -- what tmux gives them.
use strict;
use warnings;
use utf8;
binmode STDOUT, ':encoding(UTF-8)';
my ($cmd, $file, @args) = @ARGV;
open my $fh, '<:encoding(UTF-8)', $file or die "$file: $!";
my @rows = <$fh>;
chomp @rows;
close $fh;
@args = map { utf8::decode(my $s = $_); $s } @args;

sub cw { my $c = shift;
	return 0 if $c =~ /[\p{Mn}\p{Me}\p{Cf}]/;
	return 2 if $c =~ /[\p{East_Asian_Width=Wide}\p{East_Asian_Width=Fullwidth}]/;
	return 1; }
sub width { my $w = 0; $w += cw($_) for split //, shift; return $w; }
# the panes of a row: list, reader, sidebar
sub fields { return split /│/, $_[0], -1; }
sub body { return @rows[1 .. $#rows - 1]; }

if ($cmd eq 'cols') {
	# every row but the status line: the display columns of its │
	for my $r (@rows[0 .. $#rows - 1]) {
		my ($col, @at) = (0);
		for my $c (split //, $r) {
			push @at, $col if $c eq '│';
			$col += cw($c);
		}
		print "@at\n";
	}
} elsif ($cmd eq 'maxwidth') {
	my $m = 0;
	for (@rows) { my $w = width($_); $m = $w if $w > $m; }
	print "$m\n";
} elsif ($cmd eq 'field') {
	# pane K (1-based) of the body rows
	for my $r (body()) { my @f = fields($r); my $t = $f[$args[0] - 1] // ''; $t =~ s/\s+$//; print "$t\n"; }
} elsif ($cmd eq 'flat') {
	# pane K of the body rows, all white space removed
	my $s = '';
	for my $r (body()) { my @f = fields($r); $s .= $f[$args[0] - 1] // ''; }
	$s =~ s/\s+//g;
	print "$s\n";
} elsif ($cmd eq 'list') {
	# list EXPECTED DATES: the list rows against EXPECTED ("date<TAB>title"
	# lines in list order); DATES=1 when the date column is shown.  Prints
	# the number of rows shown, then one line per wrong row.
	open my $e, '<:encoding(UTF-8)', $args[0] or die "$args[0]: $!";
	my @exp = <$e>;
	chomp @exp;
	my ($n, @bad) = (0);
	for my $r (body()) {
		my ($cell) = fields($r);
		$cell //= '';
		$cell =~ s/\s+$//;
		last if $cell eq '';
		my $x = $exp[$n++];
		unless (defined $x) { push @bad, "row $n: '$cell', expected no row"; next; }
		my ($date, $title) = split /\t/, $x, 2;
		my $t = substr($cell, 2);
		my $d = '';
		if ($args[1]) { $d = substr($t, 0, 12); $t = length($t) > 12 ? substr($t, 12) : ''; $d =~ s/\s+$//; }
		my $ok = $args[1] ? $d eq $date : 1;
		if ($t =~ s/…$//) {
			$ok &&= length($t) >= 5 && index($title, $t) == 0;
		} else {
			$ok &&= $t eq $title;
		}
		push @bad, "row $n: '$cell', expected '" . ($args[1] ? "$date " : '') . "$title'" unless $ok;
	}
	print "$n\n";
	print "$_\n" for @bad;
} elsif ($cmd eq 'sideidx') {
	# the 0-based place of entity NAME among the sidebar's entity rows
	my $i = 0;
	for my $r (body()) {
		my @f = fields($r);
		my $s = $f[2] // next;
		next unless $s =~ /^  (\S.*?)(?:\s+\d+)?\s*$/;
		if ($1 eq $args[0]) { print "$i\n"; exit 0; }
		$i++;
	}
	print "-1\n";
} elsif ($cmd eq 'colours') {
	# SGR parameters that set a colour (capture-pane -e)
	my $n = 0;
	for (@rows) {
		while (/\e\[([0-9;:]*)m/g) {
			for (split /[;:]/, $1) { $n++ if /^(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])$/; }
		}
	}
	print "$n\n";
} elsif ($cmd eq 'nonascii') {
	my $n = 0;
	for (@rows) { $n += () = /[^\x00-\x7f]/g; }
	print "$n\n";
} elsif ($cmd eq 'marks') {
	my $n = 0;
	for (@rows) { $n += () = /\p{Mn}/g; }
	print "$n\n";
} else {
	die "scr.pl: unknown command $cmd\n";
}
EOF

sp() {
	perl "$tmp/scr.pl" "$@"
}

# ---- tmux helpers ----------------------------------------------------------

# start NAME W H VAR=VALUE... : a session NAME of W x H running kabar on $db
# with those variables.  kabar runs in a shell that prints "EXITED status"
# when it ends and then waits for a line, so the screen after exit and the
# terminal modes can be looked at; the pane stays (remain-on-exit) so its
# exit status can be read.
cur=
start() {
	cur=$1
	_w=$2 _h=$3
	shift 3
	_env="HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME'"
	for _v in "$@"; do
		_env="$_env '$_v'"
	done
	tm start-server \; set-option -g remain-on-exit on \; \
		new-session -d -s "$cur" -x "$_w" -y "$_h" \
		"env $_env ${KABAR_WRAPPER:-} '$KABAR' --db '$db' 2>'$tmp/$cur.err'; s=\$?; echo EXITED \$s; read x; exit \$s"
}

snap() {
	tm capture-pane -p -t "$cur" >"$scr" 2>/dev/null
}
snap_e() {
	tm capture-pane -p -e -t "$cur" >"$tmp/screen-e" 2>/dev/null
}
fmt() {
	tm display-message -p -t "$cur" "$1" 2>/dev/null
}
keys() {
	tm send-keys -t "$cur" "$@"
}

# poll TIMEOUT COMMAND... : runs COMMAND after a fresh capture ($scr) every
# 0.1 s until it succeeds, for at most TIMEOUT seconds (x10 under
# valgrind), then lets the screen settle.  Fails (and says so) on time out.
poll() {
	_n=$(($1 * 10 * scale))
	shift
	while :; do
		snap
		if "$@"; then
			settle
			return 0
		fi
		if [ "$_n" -le 0 ]; then
			diag "timed out waiting for: $*"
			return 1
		fi
		_n=$((_n - 1))
		sleep 0.1
	done
}

# settle: the screen may be caught in the middle of a redraw; takes
# captures until two in a row are the same
settle() {
	_m=$((20 * scale))
	while [ "$_m" -gt 0 ]; do
		cp "$scr" "$scr.prev"
		sleep 0.1
		snap
		cmp -s "$scr" "$scr.prev" && return 0
		_m=$((_m - 1))
	done
}

# wait_for ERE [TIMEOUT] : waits until a row of the screen matches ERE
# (TIMEOUT 5 s by default)
wait_for() {
	poll "${2:-5}" grep -Eq -- "$1" "$scr"
}

status_line() {
	tail -n 1 "$scr"
}
header() {
	head -n 1 "$scr"
}
reader_has() { # TEXT: the reader pane holds TEXT (white space ignored)
	case $(sp flat "$scr" 2) in
	*"$(printf '%s' "$1" | tr -d ' \t\n')"*) return 0 ;;
	esac
	return 1
}
status_has() { # ERE: the status line matches
	status_line | grep -Eq -- "$1"
}
nrows_is() {
	[ "$(grep -c '' "$scr")" = "$1" ]
}

# every row but the status line has its │ at the same columns as the first
aligned() {
	[ "$(sp cols "$scr" | sort -u | wc -l | tr -d ' ')" = 1 ]
}
check_aligned() {
	if aligned; then
		pass "$1"
	else
		fail "$1" "columns of │ per row:" "$(sp cols "$scr" | tr ' ' , | tr '\n' ' ')" "screen:" "$(cat "$scr")"
	fi
}

# check_list DESC EXPECTED DATES : the list pane shows EXPECTED's rows
check_list() {
	sp list "$scr" "$2" "$3" >"$tmp/listcheck"
	_want=$(grep -c '' "$2")
	_body=$(($(grep -c '' "$scr") - 2))
	[ "$_want" -le "$_body" ] || _want=$_body
	if [ "$(head -n 1 "$tmp/listcheck")" = "$_want" ] && [ "$(grep -c '' "$tmp/listcheck")" = 1 ]; then
		pass "$1"
	else
		fail "$1" "rows shown: $(head -n 1 "$tmp/listcheck"), expected $_want" \
			"$(tail -n +2 "$tmp/listcheck")" "screen:" "$(cat "$scr")"
	fi
}

# dead: the pane's process has ended and tmux has its exit status.  tmux
# sometimes misses the SIGCHLD of a pane and leaves it a zombie, without a
# status, until its next child ends: a run-shell gives it one.
dead() {
	[ "$(fmt '#{pane_dead}')" = 1 ] || return 1
	[ -z "$(fmt '#{pane_dead_status}#{pane_dead_signal}')" ] || return 0
	tm run-shell true >/dev/null 2>&1
	[ -n "$(fmt '#{pane_dead_status}#{pane_dead_signal}')" ]
}

# 9. a clean exit, checked at the end of every session:
# quit_ok NAME ALTSCREEN : q at the top level, then kabar's exit: status 0,
# and, when the terminal has an alternate screen (ALTSCREEN=1), the
# terminal given back: normal screen without kabar's rows, cursor shown,
# keypad mode off.
quit_ok() {
	[ "$2" != 1 ] || is "$(fmt '#{alternate_on}')" 1 "$1: (control) the running TUI is on the alternate screen"
	keys q
	if ! wait_for '^EXITED [0-9]+'; then
		fail "$1: q at the top level ends kabar" "screen:" "$(cat "$scr")"
		tm kill-session -t "$cur" >/dev/null 2>&1
		return
	fi
	is "$(grep -Eo '^EXITED [0-9]+' "$scr")" "EXITED 0" "$1: q at the top level ends kabar with status 0"
	if [ "$2" = 1 ]; then
		is "$(fmt 'alternate=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_cursor_flag}')" \
			"alternate=0 cursor=1 keypad=0" \
			"$1: the terminal is given back (normal screen, cursor shown, keypad mode off)"
		unlike "$(cat "$scr")" 'Articles [0-9]|│|Reader' "$1: after exit the screen shows none of kabar's rows"
	fi
	keys Enter # lets the waiting shell end
	poll 5 dead
	is "$(fmt '#{pane_dead} #{pane_dead_status}#{pane_dead_signal}')" "1 0" "$1: the pane ends with kabar's status, 0"
	[ ! -s "$tmp/$1.err" ] || diag "stderr of $1:" "$(head -n 20 "$tmp/$1.err")"
}

# repeat N KEY : KEY N times, as words for keys
repeat() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		printf '%s ' "$2"
		_i=$((_i + 1))
	done
}

# a terminal type, or xterm-256color when this system has no entry for it
term_or_xterm() {
	if ! command -v infocmp >/dev/null 2>&1 || infocmp "$1" >/dev/null 2>&1; then
		echo "$1"
	else
		echo xterm-256color
	fi
}

utf8="LANG=C.UTF-8 LC_ALL=C.UTF-8"

# ---- expected values ---------------------------------------------------------

# title_of NN : the title of sample file NN: its Title: header, else its
# first line (as cli.sh checks)
file_of() {
	for _f in "$sample/$1"-*.txt; do
		echo "$_f"
	done
}
title_of() {
	_t=$(sed -n '1,/^$/s/^Title: //p' "$(file_of "$1")")
	[ -n "$_t" ] || _t=$(head -n 1 "$(file_of "$1")")
	printf '%s\n' "$_t"
}
# rows_of TSV : "date<TAB>title" of a list/search tsv (header skipped), the
# date with ~ when inferred, as the list pane shows them
rows_of() {
	awk -F '\t' 'NR > 1 { d = substr($2, 1, 10); if ($3 == "true") d = "~" d; print d "\t" $5 }' "$1"
}
# place_of NN TSV : the 1-based place of sample file NN in a tsv listing
place_of() {
	awk -F '\t' -v n="$1" 'NR > 1 { k++; f = $6; sub(/.*\//, "", f); if (substr(f, 1, 3) == n "-") print k }' "$2"
}
# title_at K TSV : the title of the K-th row of a tsv listing
title_at() {
	awk -F '\t' -v k="$1" 'NR == k + 1 { print $5 }' "$2"
}

kb --db "$db" import -q "$sample" >"$tmp/import.out" 2>&1
kb --db "$db" list --format tsv >"$tmp/all.tsv" 2>>"$tmp/import.out"
rows_of "$tmp/all.tsv" >"$tmp/all.rows"
set -- "$sample"/*.txt
nfiles=$#
total=$(grep -c '' "$tmp/all.rows")
if [ "$total" = "$nfiles" ] && [ "$total" -gt 0 ]; then
	pass "setup: the cache holds the $nfiles sample articles"
else
	fail "setup: the cache holds the $nfiles sample articles" "list shows $total rows" "$(head -n 20 "$tmp/import.out")"
fi

# ---- 1. start-up at 120x40 and 2. help ----------------------------------------

start main 120 40 TERM=xterm-256color $utf8
wait_for 'Articles 1/'
like "$(header)" "^ Articles 1/$total +│ Reader.*│ Entities\$" \
	"120x40: the first row titles the panes: Articles 1/$total, Reader, Entities"
check_list "120x40: the list shows all $total articles, newest first, each with its date (~ inferred) and title" \
	"$tmp/all.rows" 1
like "$(status_line)" '(^|[[:space:]])All([[:space:]]|$)' "120x40: the status line shows the breadcrumb All"
unlike "$(status_line)" '›' "120x40: the breadcrumb has no filter at start"
check_aligned "120x40: the pane borders │ are straight on every row"
snap_e
like "$(sp colours "$tmp/screen-e")" '^[1-9]' "120x40: (control) TERM=xterm-256color without NO_COLOR shows colours"

cp "$scr" "$tmp/before-help"
keys '?'
wait_for 'kabar: keys'
missing=
nhelp=0
grep -v 'config-name' "$KABAR_SRCDIR/include/kabar/tui.h" |
	sed -n 's/.*X([A-Z_]*, *"[^"]*", *"\([^"]*\)").*/\1/p' >"$tmp/helps"
while IFS= read -r h; do
	nhelp=$((nhelp + 1))
	grep -qF -- "$h" "$scr" || missing="$missing
$h"
done <"$tmp/helps"
if [ -z "$missing" ] && [ "$nhelp" -ge 20 ]; then
	pass "? shows the help with every action of tui.h ($nhelp)"
else
	fail "? shows the help with every action of tui.h ($nhelp)" "missing:$missing" "screen:" "$(cat "$scr")"
fi
# help_key KEY CONFIG-NAME : the help row of the action lists KEY
help_key() {
	_h=$(sed -n "s/.*X([A-Z_]*, *\"$2\", *\"\\([^\"]*\\)\").*/\\1/p" "$KABAR_SRCDIR/include/kabar/tui.h")
	_row=$(grep -F -- "$_h" "$scr" | head -n 1)
	case " $(printf '%s' "$_row" | sed "s/  *$(printf '%s' "$_h" | sed 's/[][\\.*^$/]/\\&/g')\$//") " in
	*" $1 "*) pass "help: '$1' is listed for $2 ($_h)" ;;
	*) fail "help: '$1' is listed for $2 ($_h)" "row: $_row" ;;
	esac
}
help_key ']' next-shared
help_key '[' prev-shared
help_key Backspace back
help_key h back
help_key l forward
help_key / search
help_key n search-next
help_key p search-prev
help_key N toggle-read
help_key F outlets
help_key u unread-only
help_key A mark-all-read
help_key R update
help_key o open-browser
help_key s toggle-sidebar
help_key '?' help
help_key q quit
help_key Enter open
help_key Tab focus-next
help_key z reading-mode
keys x
poll 5 cmp -s "$scr" "$tmp/before-help"
if cmp -s "$scr" "$tmp/before-help"; then
	pass "any key (x) closes the help and the screen is back as it was"
else
	fail "any key (x) closes the help and the screen is back as it was" "before:" "$(cat "$tmp/before-help")" "after:" "$(cat "$scr")"
fi

quit_ok main 1

# ---- 1. start-up at 80x24: the sidebar folds ----------------------------------

start small 80 24 TERM=screen $utf8
wait_for 'Articles 1/'
like "$(header)" "^ Articles 1/$total +│ Reader" "80x24: the first row titles the panes: Articles 1/$total, Reader"
unlike "$(cat "$scr")" 'Entities' "80x24: the Entities pane is folded (below 100 columns)"
check_list "80x24: the list shows the newest articles with their date and title" "$tmp/all.rows" 1
like "$(status_line)" '(^|[[:space:]])All([[:space:]]|$)' "80x24: the status line shows the breadcrumb All"
check_aligned "80x24: the pane borders are straight"
t1=$(title_at 1 "$tmp/all.tsv")
keys Tab Tab
wait_for 'Entities'
like "$(header)" 'Entities' "80x24: Tab Tab focuses the folded sidebar, which then shows"
check_aligned "80x24, sidebar shown: the pane borders are straight"
if reader_has "$t1"; then
	pass "80x24, sidebar shown: the reader re-wraps to the narrower pane (the whole title is there)"
else
	fail "80x24, sidebar shown: the reader re-wraps to the narrower pane (the whole title is there)" \
		"keys: Tab Tab; title: $t1" "reader pane:" "$(sp field "$scr" 2 | head -n 8)"
fi
keys Tab
no_sidebar() {
	! grep -q Entities "$scr"
}
poll 5 no_sidebar
unlike "$(cat "$scr")" 'Entities' "80x24: Tab on to the list folds the sidebar again"
quit_ok small 1

# ---- 3. an entity jump and back -------------------------------------------------

who="Andi Nurhayati"
kb --db "$db" list --person "$who" --format tsv >"$tmp/who.tsv"
nwho=$(($(grep -c '' "$tmp/who.tsv") - 1))
p06=$(place_of 06 "$tmp/who.tsv")
r06=$(place_of 06 "$tmp/all.tsv")
t06=$(title_of 06)
if [ -n "$p06" ] && [ "$p06" -gt 1 ] && [ "$p06" -lt "$nwho" ]; then
	tnext=$(title_at $((p06 + 1)) "$tmp/who.tsv")
	tprev=$(title_at $((p06 - 1)) "$tmp/who.tsv")
	start jump 120 40 TERM=xterm-256color $utf8
	wait_for 'Articles 1/'
	keys $(repeat $((r06 - 1)) j)
	wait_for "Articles $r06/$total"
	keys Enter
	poll 5 reader_has "$t06"
	if reader_has "$t06"; then pass "j.. Enter opens the selected article (06)"; else fail "j.. Enter opens the selected article (06)" "$(cat "$scr")"; fi
	idx=$(sp sideidx "$scr" "$who")
	like "$(sp field "$scr" 3)" "^  $who +$((nwho - 1))\$" \
		"the sidebar lists $who with the $((nwho - 1)) other articles that share the person"
	if [ "$idx" -ge 0 ]; then
		# Enter left the focus on the reader: Tab to the sidebar, down to the person, ]
		keys Tab $(repeat "$idx" j) ']'
		poll 5 status_has "$who [0-9]+/[0-9]+"
		like "$(status_line)" "$who $((p06 + 1))/$nwho\$" \
			"] jumps to the next article sharing $who: status shows '$who $((p06 + 1))/$nwho'"
		if reader_has "$tnext" && reader_has "$who"; then
			pass "] opens the next article of $who (by date, as the list runs) and its text names $who"
		else
			fail "] opens the next article of $who (by date, as the list runs) and its text names $who" \
				"keys: $(repeat $((r06 - 1)) j)Enter Tab $(repeat "$idx" j)]" "expected title: $tnext" "screen:" "$(cat "$scr")"
		fi
		keys BSpace
		poll 5 reader_has "$t06"
		if reader_has "$t06"; then pass "Backspace goes back to the article before the jump"; else fail "Backspace goes back to the article before the jump" "$(cat "$scr")"; fi
		keys l
		poll 5 reader_has "$tnext"
		if reader_has "$tnext"; then pass "l goes forward to the jumped-to article again"; else fail "l goes forward to the jumped-to article again" "$(cat "$scr")"; fi
		keys h
		poll 5 reader_has "$t06"
		if reader_has "$t06"; then pass "h goes back again"; else fail "h goes back again" "$(cat "$scr")"; fi
		keys '['
		poll 5 status_has "$who $((p06 - 1))/"
		like "$(status_line)" "$who $((p06 - 1))/$nwho\$" "[ jumps the other way: status shows '$who $((p06 - 1))/$nwho'"
		if reader_has "$tprev"; then pass "[ opens the previous article of $who"; else fail "[ opens the previous article of $who" "expected title: $tprev" "$(cat "$scr")"; fi
	else
		fail "the sidebar of 06 lists $who" "$(cat "$scr")"
	fi
	quit_ok jump 0
else
	fail "test data: sample 06 is neither the first nor the last article of $who" "$(cat "$tmp/who.tsv")"
fi

# ---- 4. Enter on a sidebar entity filters the list ------------------------------

who="Bambang Wicaksono"
kb --db "$db" list --person "$who" --format tsv >"$tmp/who.tsv"
rows_of "$tmp/who.tsv" >"$tmp/who.rows"
nwho=$(grep -c '' "$tmp/who.rows")
start filter 120 40 TERM="$(term_or_xterm tmux-256color)" $utf8
wait_for 'Articles 1/'
# the reader holds the first article; Enter (re)opens it and focuses the
# reader, Tab goes on to the sidebar of its entities
idx=$(sp sideidx "$scr" "$who")
if [ "$idx" -ge 0 ]; then
	keys Enter Tab $(repeat "$idx" j) Enter
	wait_for "All › $who"
	like "$(status_line)" "(^|[[:space:]])All › $who\$" "Enter on $who in the sidebar: the breadcrumb is 'All › $who'"
	like "$(header)" "^ Articles 1/$nwho +│" "the list is the $nwho articles of $who: 'Articles 1/$nwho'"
	check_list "the list rows are the articles of $who (list --person), newest first" "$tmp/who.rows" 1
	keys BSpace
	wait_for "Articles 1/$total"
	like "$(status_line)" '(^|[[:space:]])All$' "Backspace returns to All"
	check_list "Backspace: the list is the whole cache again" "$tmp/all.rows" 1
else
	fail "the sidebar of the first article lists $who" "$(cat "$scr")"
fi

# ---- 5. search ----------------------------------------------------------------------

word=arbitrase
# the sample files with the word, as a word, anywhere (title or body)
grep -liw -- "$word" "$sample"/*.txt | while IFS= read -r f; do
	n=$(basename "$f" | cut -c1-2)
	title_of "$n"
done | sort >"$tmp/hits.want"
nhits=$(grep -c '' "$tmp/hits.want")
kb --db "$db" search "$word" --format tsv >"$tmp/hits.tsv"
rows_of "$tmp/hits.tsv" >"$tmp/hits.rows"
is "$(cut -f 2 "$tmp/hits.rows" | sort)" "$(cat "$tmp/hits.want")" \
	"test data: the $nhits search hits for '$word' are the sample files with the word"
start search 120 40 TERM=xterm-256color $utf8 KABAR_KEYTIMES="$tmp/keytimes"
wait_for 'Articles 1/'
keys /
poll 5 status_has '^/_$'
like "$(status_line)" '^/_$' "/ opens the search prompt on the status line"
keys -l "$word"
poll 5 status_has "^/${word}_\$"
like "$(status_line)" "^/${word}_\$" "the typed word shows in the prompt"
keys Enter
wait_for "hit 1/"
like "$(status_line)" "hit 1/$nhits for \"$word\"\$" "Enter searches: the status line shows 'hit 1/$nhits'"
like "$(status_line)" "(^|[[:space:]])All › search \"$word\"" "the breadcrumb shows the search"
like "$(header)" "^ Articles 1/$nhits +│" "the list holds the $nhits hits"
check_list "the list shows the hits (dates and titles), best first" "$tmp/hits.rows" 1
t1=$(title_at 1 "$tmp/hits.tsv")
t2=$(title_at 2 "$tmp/hits.tsv")
if reader_has "$t1"; then pass "the reader shows the first hit"; else fail "the reader shows the first hit" "expected: $t1" "$(cat "$scr")"; fi
keys n
wait_for "hit 2/"
like "$(status_line)" "hit 2/$nhits for \"$word\"\$" "n: 'hit 2/$nhits'"
like "$(header)" "^ Articles 2/$nhits +│" "n moves the list selection to the second hit"
if reader_has "$t2"; then pass "n opens the second hit"; else fail "n opens the second hit" "expected: $t2" "$(cat "$scr")"; fi
t3=$(title_at 3 "$tmp/hits.tsv")
keys n
wait_for "hit 3/"
if reader_has "$t3"; then pass "n again opens the third hit"; else fail "n again opens the third hit" "expected: $t3" "$(cat "$scr")"; fi
# n at the last hit (nothing further), then p: every hit has been opened,
# so none of them may show the unread mark • again
keys n p
wait_for "hit 2/"
like "$(status_line)" "hit 2/$nhits for \"$word\"\$" "n at the last hit, then p: 'hit 2/$nhits'"
if reader_has "$t2"; then pass "p opens the second hit again"; else fail "p opens the second hit again" "expected: $t2" "$(cat "$scr")"; fi
unlike "$(sp field "$scr" 1)" '^•' "the hits opened keep their read mark (no • after n at the last hit)"
keys p
wait_for "hit 1/"
like "$(status_line)" "hit 1/$nhits for \"$word\"\$" "p again: 'hit 1/$nhits'"
if reader_has "$t1"; then pass "p opens the first hit again"; else fail "p opens the first hit again" "expected: $t1" "$(cat "$scr")"; fi
keys BSpace
wait_for "Articles 1/$total"
like "$(status_line)" '(^|[[:space:]])All$' "Backspace leaves the search for All"
quit_ok search 0
# KABAR_KEYTIMES: "0 MICROSECONDS" for the first screen, then one
# "KEY MICROSECONDS" line per key, the prompt's '/' (47) first
like "$(head -n 1 "$tmp/keytimes")" '^0 [0-9]+$' "KABAR_KEYTIMES starts with the first screen's time (key 0)"
like "$(sed -n 2p "$tmp/keytimes")" '^47 [0-9]+$' "KABAR_KEYTIMES logs each key with kabar's time (then / as 47)"
is "$(grep -cvE '^[0-9]+ [0-9]+$' "$tmp/keytimes")" 0 "KABAR_KEYTIMES lines are all KEY MICROSECONDS"
like "$(wc -l <"$tmp/keytimes")" '^ *([1-9][0-9])' "KABAR_KEYTIMES has a line for each of the keys sent (more than 10)"

# ---- 6. resize ------------------------------------------------------------------------

r03=$(place_of 03 "$tmp/all.tsv")
t03=$(title_of 03)
start resize 120 40 TERM=xterm-256color $utf8
wait_for 'Articles 1/'
keys $(repeat $((r03 - 1)) j)
wait_for "Articles $r03/$total"
keys Enter
poll 5 reader_has "$t03"
cols120=$(sp cols "$scr" | head -n 1)
# redrawn at 60x20: 20 rows, the list border moved left, no sidebar
at60() {
	nrows_is 20 && aligned && [ "$(sp cols "$scr" | head -n 1)" != "$cols120" ] &&
		no_sidebar
}
tm resize-window -t "$cur" -x 60 -y 20
poll 5 at60
if at60; then
	pass "resize to 60x20: the screen is redrawn at once, in 60x20 (border moved, sidebar folded)"
else
	fail "resize to 60x20: the screen is redrawn at once, in 60x20 (border moved, sidebar folded)" \
		"columns of │: $(sp cols "$scr" | sort -u | tr '\n' ' ')" "$(cat "$scr")"
fi
like "$(sp maxwidth "$scr")" '^([1-5]?[0-9]|60)$' "60x20: no row is wider than 60 columns"
like "$(header)" "^ Articles $r03/$total +│ Reader" "60x20: the list selection stays ($r03/$total)"
like "$(sp field "$scr" 1)" "^. $(printf '%.12s' "$t03")" "60x20: the selected article's row is on screen"
if reader_has "$t03"; then pass "60x20: the same article stays open, re-wrapped"; else fail "60x20: the same article stays open, re-wrapped" "expected: $t03" "$(cat "$scr")"; fi
like "$(status_line)" '(^|[[:space:]])All$' "60x20: the status line is the last row"
keys BTab j
wait_for "Articles $((r03 + 1))/$total"
like "$(header)" "^ Articles $((r03 + 1))/$total" "60x20: still works (S-Tab to the list, j moves down)"
keys k
wait_for "Articles $r03/$total"
tm resize-window -t "$cur" -x 120 -y 40
at120() {
	nrows_is 40 && aligned && [ "$(sp cols "$scr" | head -n 1)" = "$cols120" ]
}
poll 5 at120
if at120; then
	pass "resize back to 120x40: redrawn at once with the first layout"
else
	fail "resize back to 120x40: redrawn at once with the first layout" "$(cat "$scr")"
fi
like "$(header)" "^ Articles $r03/$total +│ Reader.*│ Entities\$" "120x40 again: the selection stays and the sidebar is back"
if reader_has "$t03"; then pass "120x40 again: the same article is open"; else fail "120x40 again: the same article is open" "expected: $t03" "$(cat "$scr")"; fi
quit_ok resize 0

# ---- 6b. reading mode: the reader alone, full width ------------------------------

# full_mode: the reader alone: its title first, no list, no sidebar, no │
full_mode() {
	head -n 1 "$scr" | grep -q '^ Reader' && ! grep -q '│' "$scr" &&
		! grep -Eq 'Articles [0-9]|Entities' "$scr"
}
# panes: the three-pane screen (list first, borders straight)
panes() {
	head -n 1 "$scr" | grep -q '^ Articles [0-9]' && aligned
}
# full_has TEXT: the text rows hold TEXT (white space ignored)
full_has() {
	case $(sed '1d;$d' "$scr" | tr -d ' \t\n') in
	*"$(printf '%s' "$1" | tr -d ' \t\n')"*) return 0 ;;
	esac
	return 1
}
t1=$(title_at 1 "$tmp/all.tsv")
start full 120 40 TERM=xterm-256color $utf8
wait_for 'Articles 1/'
keys Enter z
poll 5 full_mode
if full_mode; then
	pass "120x40: Enter z shows the reader alone (no list, no sidebar, no border)"
else
	fail "120x40: Enter z shows the reader alone (no list, no sidebar, no border)" "$(cat "$scr")"
fi
if full_has "$t1"; then pass "120x40, reading mode: the open article is shown"; else fail "120x40, reading mode: the open article is shown" "expected: $t1" "$(cat "$scr")"; fi
like "$(sp maxwidth "$scr")" '^(10[1-9]|11[0-9]|120)$' "120x40, reading mode: the text runs across the screen (rows over 100 columns)"
like "$(status_line)" '(^|[[:space:]])All$' "120x40, reading mode: the status line stays"
keys z
poll 5 panes
if panes && grep -q 'Entities' "$scr"; then
	pass "120x40: z again brings the list and the sidebar back"
else
	fail "120x40: z again brings the list and the sidebar back" "$(cat "$scr")"
fi
keys z
poll 5 full_mode
keys q
poll 5 panes
if panes; then
	pass "120x40: q in reading mode leaves the mode (kabar goes on)"
else
	fail "120x40: q in reading mode leaves the mode (kabar goes on)" "$(cat "$scr")"
fi
quit_ok full 1

start fullsmall 80 24 TERM=screen $utf8
wait_for 'Articles 1/'
keys Enter z
poll 5 full_mode
if full_mode && full_has "$t1"; then
	pass "80x24: z shows the article alone"
else
	fail "80x24: z shows the article alone" "$(cat "$scr")"
fi
like "$(sp maxwidth "$scr")" '^(6[1-9]|7[0-9]|80)$' "80x24, reading mode: the text is wider than the three-pane reader"
tm resize-window -t "$cur" -x 60 -y 20
full60() {
	nrows_is 20 && full_mode
}
poll 5 full60
if full60 && full_has "$t1"; then
	pass "reading mode resized to 60x20: still the reader alone, the article re-wrapped"
else
	fail "reading mode resized to 60x20: still the reader alone, the article re-wrapped" "$(cat "$scr")"
fi
like "$(sp maxwidth "$scr")" '^([1-5]?[0-9]|60)$' "reading mode at 60x20: no row is wider than 60 columns"
like "$(status_line)" '(^|[[:space:]])All$' "reading mode at 60x20: the status line is the last row"
tm resize-window -t "$cur" -x 80 -y 24
full80() {
	nrows_is 24 && full_mode
}
poll 5 full80
if full80; then pass "resized back to 80x24: still in reading mode"; else fail "resized back to 80x24: still in reading mode" "$(cat "$scr")"; fi
keys z
poll 5 panes
if panes && no_sidebar; then
	pass "80x24: z goes back to the list and reader (sidebar folded)"
else
	fail "80x24: z goes back to the list and reader (sidebar folded)" "$(cat "$scr")"
fi
quit_ok fullsmall 1

# ---- 7. CJK and combining marks --------------------------------------------------------

r10=$(place_of 10 "$tmp/all.tsv")
r11=$(place_of 11 "$tmp/all.tsv")
t10=$(title_of 10)
t11=$(title_of 11)
nfc=$(printf 'Nguy\341\273\205n V\304\203n Th\303\240nh')
nfd=$(printf 'Nguye\314\202\314\203n Va\314\206n Tha\314\200nh')
check "test data: sample 11 has Nguyen Van Thanh in NFD, sample 10 in NFC" \
	sh -c 'grep -qF "$1" "$2" && grep -qF "$3" "$4"' sh "$nfd" "$(file_of 11)" "$nfc" "$(file_of 10)"
start cjk 120 40 TERM="$(term_or_xterm tmux-256color)" $utf8
wait_for 'Articles 1/'
like "$(sp field "$scr" 1)" '東京' "the list shows the CJK title of sample 10"
check_aligned "with 東京 in the list, every row's │ is at the same column"
keys $(repeat $((r10 - 1)) j)
wait_for "Articles $r10/$total"
keys Enter
poll 5 reader_has "$t10"
if reader_has "$t10" && reader_has '港区' && reader_has '佐藤陽翔'; then
	pass "the reader shows sample 10 with its CJK (東京 in the title, 港区, 佐藤陽翔)"
else
	fail "the reader shows sample 10 with its CJK (東京 in the title, 港区, 佐藤陽翔)" "$(cat "$scr")"
fi
check_aligned "sample 10 open: every row's │ at the same columns (wide characters take 2)"
keys BTab k
wait_for "Articles $r11/$total"
keys Enter
poll 5 reader_has "$t11"
if reader_has "$t11" && reader_has "$nfc"; then
	pass "the reader shows sample 11 with the Vietnamese name composed (NFC)"
else
	fail "the reader shows sample 11 with the Vietnamese name composed (NFC)" "$(cat "$scr")"
fi
is "$(sp marks "$scr")" 0 "sample 11 open: no combining mark reaches the screen"
check_aligned "sample 11 open: every row's │ at the same columns"
quit_ok cjk 1

# ---- 8. a non-UTF-8 locale and a terminal without colour --------------------------

start ascii 100 30 TERM=xterm LANG=C LC_ALL=C
wait_for 'Articles 1/'
like "$(header)" "^ Articles 1/$total +\\| Reader.*\\| Entities\$" "LANG=C: starts, with ASCII borders '|'"
unlike "$(cat "$scr")" '│' "LANG=C: no box-drawing character"
is "$(sp nonascii "$scr")" 0 "LANG=C: the whole screen is ASCII"
like "$(status_line)" '(^|[[:space:]])All$' "LANG=C: the status line shows All"
keys j
wait_for "Articles 2/$total"
like "$(header)" "^ Articles 2/$total" "LANG=C: j moves down"
keys Tab Tab Enter
wait_for 'All > '
like "$(status_line)" '(^|[[:space:]])All > [A-Za-z]' "LANG=C: the breadcrumb uses an ASCII separator"
keys BSpace
wait_for "Articles 2/$total"
quit_ok ascii 1

start mono 80 24 TERM=vt100 NO_COLOR=1 $utf8
wait_for 'Articles 1/'
like "$(header)" "^ Articles 1/$total +│ Reader" "TERM=vt100 NO_COLOR=1: starts"
snap_e
is "$(sp colours "$tmp/screen-e")" 0 "TERM=vt100 NO_COLOR=1: no colour on the screen"
t2=$(title_at 2 "$tmp/all.tsv")
keys j Enter
poll 5 reader_has "$t2"
if reader_has "$t2"; then pass "TERM=vt100: j Enter opens the second article"; else fail "TERM=vt100: j Enter opens the second article" "$(cat "$scr")"; fi
snap_e
is "$(sp colours "$tmp/screen-e")" 0 "TERM=vt100 NO_COLOR=1: still no colour with an article open"
quit_ok mono 0

start nocolor 120 40 TERM=xterm-256color NO_COLOR=1 $utf8
wait_for 'Articles 1/'
keys Tab
settle
snap_e
is "$(sp colours "$tmp/screen-e")" 0 "TERM=xterm-256color NO_COLOR=1: no colour even where the terminal has them"
quit_ok nocolor 1

# an unknown terminal type: one clear line and status 1, not a curses abort
if command -v script >/dev/null 2>&1; then
	TERM=no-such-terminal script -qec "$KABAR --db $tmp/s.db" /dev/null </dev/null >"$tmp/badterm.out" 2>&1
	is "$?" 1 "TERM=no-such-terminal: exit status 1"
	like "$(tr -d '\r' <"$tmp/badterm.out")" "^kabar: TERM=no-such-terminal: unknown terminal type" \
		"TERM=no-such-terminal: one line naming the terminal type"
else
	skip "script(1) is not installed"
fi

# the other terminal types SPEC names: each starts, moves and quits
for term in xterm screen tmux; do
	tt=$(term_or_xterm "$term")
	start "term-$term" 80 24 TERM="$tt" $utf8
	wait_for 'Articles 1/'
	like "$(header)" "^ Articles 1/$total " "TERM=$tt: starts at 80x24"
	keys j
	wait_for "Articles 2/$total"
	like "$(header)" "^ Articles 2/$total " "TERM=$tt: j moves"
	quit_ok "term-$term" 0
done

# ---- 10. what a newsboat user reaches for: refresh, u, F, R ----------------------
# On a cache of its own (the sections above count the sample's 24).

db=$tmp/news.db
kb --db "$db" import -q "$sample" >>"$tmp/import.out" 2>&1
mkdir -p "$tmp/fresh"
printf 'Fresh From Elsewhere\n\nAn article another kabar imported while the reader was open.\n' >"$tmp/fresh/fresh.txt"
printf 'Second Fresh Article\n\nOne more, imported by the stand-in update.\n' >"$tmp/fresh/second.txt"
# the stand-in for kabar update: its arguments to a file, two progress
# lines to $KABAR_PROGRESS_FD, an import with the real kabar between them
cat >"$tmp/update.sh" <<EOF
#!/bin/sh
echo "\$*" >'$tmp/update.args'
echo "feeds 1/2 items 1 bytes 100 errors 0" >&"\$KABAR_PROGRESS_FD"
while [ ! -e '$tmp/update.go' ]; do sleep 0.1; done
${KABAR_WRAPPER:-} '$KABAR' --db "\$2" import -q --published 2036-01-01 --source 'Update Post' '$tmp/fresh/second.txt'
echo "feeds 2/2 items 2 bytes 300 errors 1" >&"\$KABAR_PROGRESS_FD"
EOF
chmod +x "$tmp/update.sh"

start news 120 40 TERM="$(term_or_xterm tmux-256color)" $utf8 KABAR_UPDATE_CMD="$tmp/update.sh"
wait_for 'Articles 1/'
keys j j
wait_for "Articles 3/$total"
sel3=$(title_at 3 "$tmp/all.tsv")
kb --db "$db" import -q --published 2035-01-01 --source 'Elsewhere Post' "$tmp/fresh/fresh.txt"
wait_for "Articles 4/$((total + 1))" 10
like "$(header)" "^ Articles 4/$((total + 1)) " "an import from another process: the count grows without a key (4/$((total + 1)))"
like "$(status_line)" "^ 4/$((total + 1))  All" "the status line counts it too"
like "$(sp field "$scr" 1 | head -n 1)" 'Fresh From Elsewhere' "the new (newest) article shows at the top of the list"
like "$(sp field "$scr" 1 | sed -n 4p)" "$(printf '%s' "$sel3" | cut -c1-12 | sed 's/[][\\.*^$()|+?{}]/\\&/g')" \
	"the selection stays on the same article, one row down"

# u: only the articles not read (the first, shown at start, is not read yet)
keys Enter Tab Tab u
wait_for 'All › unread'
like "$(status_line)" 'All › unread' "u: the breadcrumb says unread"
like "$(header)" "^ Articles [0-9]+/$total " "u: the list counts the $total articles not read ($((total + 1)) less the one opened)"
keys u
wait_for "Articles [0-9]+/$((total + 1)) "
unlike "$(status_line)" 'unread' "u again: all articles"

# F: the feeds and outlets, Enter lists one, Backspace goes back
keys F
wait_for ' Feeds 1/'
like "$(header)" '^ Feeds 1/12 ' "F: the outlets view (the sample's 10, the articles without one, Elsewhere Post)"
like "$(sp field "$scr" 1 | head -n 1)" 'Elsewhere Post +1/1$' "the outlet of the newest article first, with unread/all counts"
pw=$(sp field "$scr" 1 | grep -n 'Pacific Wire' | cut -d: -f1)
like "$(sp field "$scr" 1 | sed -n "${pw}p")" 'Pacific Wire +5/5$' "Pacific Wire: 5 articles, 5 not read"
keys $(repeat $((pw - 1)) j) Enter
wait_for 'Feeds › Pacific Wire'
like "$(status_line)" 'All › Feeds › Pacific Wire$' "Enter: the breadcrumb 'All › Feeds › Pacific Wire'"
like "$(header)" '^ Articles 1/5 ' "Enter: the 5 articles of Pacific Wire"
keys A
wait_for 'marked 5 articles read'
like "$(status_line)" 'marked 5 articles read' "A: the outlet's 5 articles marked read"
keys BSpace
wait_for ' Feeds '
like "$(sp field "$scr" 1 | sed -n "${pw}p")" 'Pacific Wire +0/5$' "Backspace: back to the outlets, Pacific Wire now 0/5"
keys BSpace g
wait_for "Articles 1/$((total + 1)) "

# R: the stand-in update in the background, its progress in the status line
keys R
wait_for 'updating: feeds 1/2, 1 item, 0 errors' 10
like "$(status_line)" 'updating: feeds 1/2, 1 item, 0 errors' "R: the progress line shows in the status line"
keys j
wait_for "Articles 2/"
like "$(header)" "^ Articles 2/" "R: keys still move the list while the update runs"
keys R
wait_for 'an update is running'
like "$(status_line)" 'an update is running: feeds 1/2' "a second R: it says the update is running"
: >"$tmp/update.go"
wait_for 'update done: feeds 2/2, 2 items, 1 error' 20
like "$(status_line)" 'update done: feeds 2/2, 2 items, 1 error' "the update ends: 'update done' with its last line"
wait_for "Articles [0-9]+/$((total + 2)) " 10
like "$(header)" "^ Articles [0-9]+/$((total + 2)) " "what the update imported is counted"
is "$(cat "$tmp/update.args")" "--db $db update" "R runs the update command with --db PATH update"
quit_ok news 0
db=$tmp/s.db

done_testing
