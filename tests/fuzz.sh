#!/bin/sh
# fuzz.sh - a short run of every libFuzzer harness (tests/fuzz/fuzz-*.c,
# doc/fuzz.md) and a replay of every input that once crashed one
# (tests/fuzz/regress/HARNESS/*).  The harnesses are built by
# tests/fuzz/build in a clang tree of their own under the build directory
# (reused, so only the first run pays for the build).  Each runs for
# FUZZ_SECONDS (default 3).  Skipped without clang and libFuzzer, and in
# the valgrind stage (KABAR_VALGRIND=1): the fuzzers run under ASan and
# UBSan, which valgrind cannot wrap.
. "$KABAR_SRCDIR/tests/lib.sh"

if [ "${KABAR_VALGRIND:-0}" = 1 ]; then
	echo "1..0 # SKIP under valgrind: the fuzzers carry their own sanitizers"
	exit 0
fi
fuzzdir=$KABAR_BUILDDIR/fuzz-build
fuzz=$KABAR_SRCDIR/tests/fuzz

sh "$fuzz/build" "$KABAR_SRCDIR" "$fuzzdir" 2>"$tmp/build.err"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "1..0 # SKIP $(tail -n 1 "$tmp/build.err")"
	exit 0
fi
if [ "$rc" -ne 0 ]; then
	fail "the harnesses build with clang and libFuzzer" "$(tail -n 20 "$tmp/build.err")"
	done_testing
fi
pass "the harnesses build with clang and libFuzzer"

for c in "$fuzz"/fuzz-*.c; do
	h=$(basename "$c" .c)
	if FUZZ_QUICK=1 FUZZ_SEED=${FUZZ_SEED:-1} sh "$fuzz/run" "$KABAR_SRCDIR" "$fuzzdir" "$h" "${FUZZ_SECONDS:-3}" \
		>"$tmp/run.out" 2>&1; then
		pass "$(tail -n 1 "$tmp/run.out")"
	else
		fail "$(head -n 1 "$tmp/run.out")" "$(tail -n +2 "$tmp/run.out")"
	fi
done

for f in "$fuzz"/regress/*/*; do
	[ -f "$f" ] || continue
	h=$(basename "$(dirname "$f")")
	if sh "$fuzz/run" "$KABAR_SRCDIR" "$fuzzdir" "$h" --replay "$f" >"$tmp/replay.out" 2>&1; then
		pass "fuzz-$h replays regress/$h/$(basename "$f") cleanly"
	else
		fail "fuzz-$h crashes on regress/$h/$(basename "$f")" \
			"$(grep -E 'ERROR|SUMMARY|^fuzz: |runtime error' "$tmp/replay.out" | head -n 10)"
	fi
done
done_testing
