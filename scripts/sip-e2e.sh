#!/usr/bin/env bash
# End-to-end SIP tests: real calls from PJSIP (pjsua2, null audio device)
# against `ivrc serve` on 127.0.0.1. Needs the pjsua2-python wheel in
# .build/test-venv (scripts/bootstrap.sh installs it; without it: SKIP, exit 77),
# and builds ivrc when IVRC_BIN is not given.
#   scripts/sip-e2e.sh            prints PASS/FAIL lines, then "RESULT all passed" or "RESULT failed"
# Environment: IVRC_BIN (a built ivrc, default: swift build), SIP_E2E_CALLS
# (concurrent calls, default 20). Exit status 0 only when every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/test-tools.sh
need_python pjsua2
venv=$test_venv
if [ -z "${IVRC_BIN:-}" ]; then
  swift build --product ivrc >/dev/null
  IVRC_BIN="$(swift build --show-bin-path)/ivrc"
fi
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; [ -n "${SIP_E2E_KEEP:-}" ] || rm -rf "$work"' EXIT
sip_port=$((20000 + RANDOM % 10000))
pj_port=$((sip_port + 1))
"$venv/bin/python" scripts/sip-e2e/make_project.py "$work" "$pj_port"
"$IVRC_BIN" serve "$work/project" --listen "127.0.0.1:$sip_port" --rtp-ports 40000-40999 \
  --records "$work/records.jsonl" --recordings "$work/recordings" --tts none --t1 100 \
  >"$work/serve.out" 2>"$work/serve.err" &
server=$!
sleep 1
set +e
"$venv/bin/python" scripts/sip-e2e/driver.py --server "127.0.0.1:$sip_port" --port "$pj_port" --work "$work" \
  --calls "${SIP_E2E_CALLS:-20}"
status=$?
# Graceful shutdown: SIGTERM, then the server must exit by itself.
kill -TERM "$server"
for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then echo "FAIL shutdown the server did not exit after SIGTERM"; status=1
else echo "PASS shutdown the server exited after SIGTERM"; fi
"$venv/bin/python" scripts/sip-e2e/check_records.py "$work" || status=1
if [ "$status" != 0 ]; then echo "--- serve stderr (tail)"; tail -20 "$work/serve.err"; fi
if [ "$status" = 0 ]; then echo "RESULT all passed"; else echo "RESULT failed"; fi
exit $status
