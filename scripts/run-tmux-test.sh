#!/usr/bin/env bash
# Drives `ivrc run` in a real terminal (tmux): starts a call, types keys with
# send-keys, reads the screen with capture-pane, and checks what it shows and
# the call records it writes. Needs tmux (scripts/bootstrap.sh installs it).
#
#   scripts/run-tmux-test.sh [path/to/ivrc]       (default: .build/debug/ivrc)
#
# Prints one "PASS name" line per scenario; exit status 0 when all pass,
# 1 when one fails (its screen is printed), 77 when tmux is not installed (skipped).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
ivrc=$(cd "$(dirname "${1:-$root/.build/debug/ivrc}")" && pwd)/$(basename "${1:-ivrc}")
[[ -x "$ivrc" ]] || { echo "run-tmux-test: no ivrc binary at $ivrc" >&2; exit 2; }

. "$root/scripts/test-tools.sh"
need_command tmux tmux

work=$(mktemp -d)
# One private tmux server per scenario (never the user's, never reused while
# it shuts down), all stopped at exit.
runs=0
socket=
session=ivrc-run-test
cleanup() {
    for s in "$work"/tmux-*.sock; do [[ -S "$s" ]] && tmux -S "$s" kill-server </dev/null >/dev/null 2>&1; done
    rm -rf "$work"
}
trap cleanup EXIT

# without_inherited_fds CMD...: runs CMD with the descriptors this script
# inherited (beyond stdio) closed, in a subshell. The tmux server CMD starts
# would keep them, and a caller reading our output to its end would wait for
# the server. The script itself keeps them: a caller may watch one to learn
# when the script ends (Foundation's Process does, and closing it early
# makes Foundation block waiting for this script, stalling every other child
# of the caller).
without_inherited_fds() (
    for fd in /proc/$BASHPID/fd/*; do
        n=${fd##*/}
        if ((n > 2 && n != 255)); then eval "exec $n>&-" 2>/dev/null; fi
    done
    "$@"
)

screen() { tmux -S "$socket" capture-pane -p -J -t "$session" 2>/dev/null; }

# wait_for TEXT SECONDS: until the screen shows TEXT.
wait_for() {
    local deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}

fail() {
    echo "FAIL $scenario: $1"
    echo "---- screen ----"
    screen
    echo "----------------"
    exit 1
}

# start ARGS...: a new call in a fresh session; after ivrc exits, the shell
# prints its exit status and whether the terminal echoes again (restored).
start() {
    [[ -n "$socket" ]] && tmux -S "$socket" kill-server </dev/null >/dev/null 2>&1
    runs=$((runs + 1))
    socket="$work/tmux-$runs.sock"
    without_inherited_fds tmux -S "$socket" new-session -d -s "$session" -x 200 -y 50 \
        "cd '$root' && '$ivrc' run $* ; echo EXIT=\$?; stty -a | tr ' ' '\n' | grep -x -e echo -e -echo | sed 's/^/TTY=/'; sleep 120" \
        </dev/null >/dev/null 2>&1    # the tmux server must not hold our output open
}

keys() { tmux -S "$socket" send-keys -t "$session" "$@" </dev/null >/dev/null 2>&1; }

field() { python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).readlines()[-1]); print(eval(sys.argv[2], {}, {"r": r}))' "$@"; }

# 1. A menu choice, a capture and a failing webhook, with real waits.
scenario=menu-capture-webhook
records="$work/calls.jsonl"
start "examples/first-national-bank --no-speech --records '$records'"
wait_for "Welcome to First National Bank." 15 || fail "no welcome prompt"
wait_for "waiting for a key (7s)" 10 || fail "no menu wait"
keys 1
wait_for "> 1" 5 || fail "key 1 not shown"
wait_for "Please enter your account number" 5 || fail "no account prompt"
keys 1 2 3 4 5 6 7 8 '#'
wait_for "> 12345678#" 5 || fail "account digits not shown"
wait_for "POST https://api.firstnational.example/ivr/v1/customers/lookup" 5 || fail "no webhook"
wait_for "webhook failed:" 10 || fail "the webhook did not fail"
wait_for "Sorry, we cannot look up your account right now." 5 || fail "on-error not taken"
wait_for "Call ended: transfer to group operators" 5 || fail "no transfer"
wait_for "EXIT=0" 20 || fail "ivrc did not exit 0"
wait_for "TTY=echo" 5 || fail "terminal not restored"
[[ $(wc -l < "$records") -eq 1 ]] || fail "expected one call record"
[[ $(field "$records" 'r["outcome"]') == transfer ]] || fail "record outcome"
[[ $(field "$records" '[i["digits"] for i in r["inputs"]]') == "['1', '12345678']" ]] || fail "record inputs"
[[ $(field "$records" 'r["backend"]') == terminal ]] || fail "record backend"
echo "PASS $scenario"

# 2. Ctrl-C is the caller hanging up; the record is still written.
scenario=ctrl-c-hangs-up
start "examples/first-national-bank --no-speech --records '$records'"
wait_for "waiting for a key (7s)" 15 || fail "no menu wait"
keys C-c
wait_for "Call ended: caller-hangup at main-menu" 5 || fail "Ctrl-C did not hang up"
wait_for "EXIT=0" 20 || fail "ivrc did not exit 0"
wait_for "TTY=echo" 5 || fail "terminal not restored"
[[ $(wc -l < "$records") -eq 2 ]] || fail "expected a second call record"
[[ $(field "$records" 'r["outcome"]') == caller-hangup ]] || fail "record outcome"
echo "PASS $scenario"

# 3. Real timeouts, and keys typed during the first prompt's wait.
scenario=timeouts
mkdir -p "$work/flows"
cat > "$work/flows/quick.yaml" <<'YAML'
ivr: quick
nodes:
  menu:
    menu:
      prompt: {say: "Press 1 for sales."}
      options:
        "1": sales
      timeout: 1s
      attempts: 2
      on-timeout: {say: "I did not hear a choice."}
      on-exhausted: bye
  sales:
    transfer: {extension: "100"}
  bye:
    - say: Goodbye.
    - hangup
YAML
start "'$work/flows' --no-speech --records '$records'"
wait_for "Call ended: hangup" 15 || fail "the silent caller was not disconnected"
[[ $(screen | grep -c "(no key: timeout)") -eq 2 ]] || fail "expected two timeouts"
wait_for "I did not hear a choice." 1 || fail "no on-timeout prompt"
wait_for "EXIT=0" 20 || fail "ivrc did not exit 0"
[[ $(field "$records" 'r["outcome"]') == hangup ]] || fail "record outcome"
ms=$(field "$records" 'r["durationMs"]')
(( ms >= 2000 && ms < 6000 )) || fail "two 1s timeouts took ${ms}ms"
echo "PASS $scenario"
