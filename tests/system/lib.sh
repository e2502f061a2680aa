# lib.sh - helpers for system tests (tests/system/*.test).
#
# A system test is a bash script that boots the kernel through tools/qemu-run and
# checks what it printed and how the run ended:
#
#     . "$(dirname "$0")/lib.sh"
#     boot --opt "/SELFTEST=TIMER"       # any tools/qemu-run arguments
#     expect_status 0                    # 0 ok, 1 failure, 2 bugcheck, 124 timeout
#     expect_line "selftest TIMER: PASS" # a whole line of the serial output
#     expect_text "STOP: 0x00000050"     # text anywhere in the output
#
# The first failed expectation ends the test with a message and exit status 1.

set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUTPUT=$(mktemp)
STATUS=
trap 'rm -f "$OUTPUT"' EXIT

fail() {
    echo "FAILED: $*"
    echo "---- serial output ----"
    cat "$OUTPUT"
    exit 1
}

# Boots with the given tools/qemu-run arguments; the output also goes to the log.
boot() {
    echo "+ tools/qemu-run $*"
    "$ROOT/tools/qemu-run" "$@" > "$OUTPUT" 2>&1
    STATUS=$?
    echo "  runner status $STATUS"
}

expect_status() {
    [ "$STATUS" = "$1" ] || fail "runner status $STATUS, expected $1"
}

expect_line() {
    grep -qxF -- "$1" "$OUTPUT" || fail "no line '$1'"
}

expect_text() {
    grep -qF -- "$1" "$OUTPUT" || fail "no text '$1'"
}

expect_no_text() {
    ! grep -qF -- "$1" "$OUTPUT" || fail "unexpected text '$1'"
}

# The exit status line, always the kernel's last word in test mode.
expect_exit_status() {
    expect_line "exit status $1"
}
