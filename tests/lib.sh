# tests/lib.sh - helpers for kabar's shell tests, sourced by tests/*.sh.
# POSIX sh.  Prints TAP; done_testing prints the plan and exits non-zero
# when a test failed.
#
# Environment (set by tests/run-tests): KABAR (the binary), KABAR_SRCDIR,
# KABAR_BUILDDIR, and optionally KABAR_WRAPPER (e.g. a valgrind command
# line put before every kabar run).

set -u
: "${KABAR:?KABAR is not set}" "${KABAR_SRCDIR:?KABAR_SRCDIR is not set}"
: "${KABAR_BUILDDIR:?KABAR_BUILDDIR is not set}"

# A scratch directory per script run, removed at exit.  HOME, XDG and
# KABAR_DB point into it, so a test never touches the user's own cache.
tmp=$KABAR_BUILDDIR/tests/tmp/$(basename "$0" .sh)-$$
rm -rf "$tmp"
mkdir -p "$tmp/home" "$tmp/data" || exit 1
# the loopback servers http_server started (killed at exit; each also
# exits by itself when this script does)
servers=
kill_servers() {
	for hs_pid in $servers; do
		kill "$hs_pid" 2>/dev/null
	done
	servers=
}
trap 'kill_servers; chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

HOME=$tmp/home
XDG_DATA_HOME=$tmp/data
XDG_CONFIG_HOME=$tmp/home/.config
KABAR_DB=$tmp/kabar.db
LC_ALL=C.UTF-8
export HOME XDG_DATA_HOME XDG_CONFIG_HOME KABAR_DB LC_ALL

t_count=0
t_failed=0

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

pass() {
	t_count=$((t_count + 1))
	printf 'ok %d - %s\n' "$t_count" "$1"
}

# fail DESC [DIAG...]
fail() {
	t_count=$((t_count + 1))
	t_failed=$((t_failed + 1))
	printf 'not ok %d - %s\n' "$t_count" "$1"
	shift
	[ $# -eq 0 ] || diag "$@"
}

skip() {
	t_count=$((t_count + 1))
	printf 'ok %d # SKIP %s\n' "$t_count" "$1"
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "got:" "$1" "expected:" "$2"
	fi
}

# like GOT ERE DESC / unlike GOT ERE DESC
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3" "got:" "$1" "expected to match: $2"
	fi
}
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		fail "$3" "got:" "$1" "expected not to match: $2"
	else
		pass "$3"
	fi
}

# check DESC COMMAND... : passes when COMMAND succeeds
check() {
	t_desc=$1
	shift
	if "$@" >"$tmp/check.out" 2>&1; then
		pass "$t_desc"
	else
		fail "$t_desc" "failed: $*" "$(head -n 20 "$tmp/check.out")"
	fi
}

done_testing() {
	echo "1..$t_count"
	[ "$t_failed" -eq 0 ] || exit 1
	exit 0
}

# kb ARGS... : runs kabar (under $KABAR_WRAPPER when set)
kb() {
	${KABAR_WRAPPER:-} "$KABAR" "$@"
}

# run ARGS... : runs kabar with stdout in $out, stderr in $err and the
# exit status in $rc
out=$tmp/out
err=$tmp/err
rc=0
run() {
	kb "$@" >"$out" 2>"$err"
	rc=$?
}

# nlines FILE : number of lines (a last line without newline counts)
nlines() {
	grep -c '' <"$1"
}

# is_rc WANT DESC : checks the status of the last run (diag shows stderr)
is_rc() {
	if [ "$rc" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "exit status $rc, expected $1; stderr:" "$(head -n 20 "$err")"
	fi
}

# err_lines N DESC : checks that the last run wrote N lines on stderr
err_lines() {
	is "$(nlines "$err")" "$1" "$2"
	[ "$(nlines "$err")" = "$1" ] || diag "stderr:" "$(head -n 20 "$err")"
}

# http_server ROOT [ARG...] : starts tests/http-server.py on 127.0.0.1 (never
# another address) serving ROOT, with ARG... for it (--log FILE, --tls PEM,
# --max-seconds N); sets $server (its pid) and $base (http://127.0.0.1:PORT,
# https:// with --tls).  Returns 1, with the reason in $http_error, when it
# did not start within 10 s (or python3 is missing).
http_server() {
	hs_root=$1
	shift
	server= base= http_error=
	if ! command -v python3 >/dev/null 2>&1; then
		http_error="python3 is needed for the loopback HTTP server"
		return 1
	fi
	hs_n=$(( ${hs_n:-0} + 1 ))
	hs_port=$tmp/http-port.$hs_n
	python3 "$KABAR_SRCDIR/tests/http-server.py" --root "$hs_root" --port-file "$hs_port" \
		--max-seconds 600 "$@" >/dev/null 2>"$hs_port.err" &
	server=$!
	servers="$servers $server"
	hs_i=0
	while [ ! -s "$hs_port" ] && [ $hs_i -lt 100 ]; do
		sleep 0.1
		hs_i=$((hs_i + 1))
	done
	if [ ! -s "$hs_port" ]; then
		http_error="the loopback HTTP server did not start: $(head -n 3 "$hs_port.err")"
		return 1
	fi
	hs_scheme=http
	case " $* " in *" --tls "*) hs_scheme=https ;; esac
	base=$hs_scheme://127.0.0.1:$(cat "$hs_port")
}
