#!/usr/bin/env bash
# End-to-end bridged transfers: one PJSIP endpoint (pjsua2, null audio) is the
# caller and the agents; `ivrc serve` places the agents' calls and joins them
# (scripts/sip-e2e/bridge_driver.py, then check_bridge_records.py on the records).
# Needs the pjsua2-python wheel in .build/test-venv (without it: SKIP, exit 77).
#   scripts/sip-e2e-bridge.sh     prints PASS/FAIL lines, then "RESULT all passed" or "RESULT failed"
# Environment: IVRC_BIN (a built ivrc, default: swift build), SIP_E2E_ONLY
# (comma-separated scenarios of bridge_driver.py; the record checks then are skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/test-tools.sh
need_python pjsua2
. scripts/sip-e2e/serve-setup.sh
e2e_begin
e2e_transport udp
"$test_venv/bin/python" scripts/sip-e2e/bridge_project.py "$work" "$pj_port"
e2e_serve --rtp-ports 42000-42999 --records "$work/records.jsonl" --recordings "$work/recordings" --tts none --t1 100
set +e
"$test_venv/bin/python" scripts/sip-e2e/bridge_driver.py --server "127.0.0.1:$sip_port" --port "$pj_port" --work "$work" \
  --only "${SIP_E2E_ONLY:-}"
status=$?
kill -TERM "$server"; wait "$server" 2>/dev/null   # drains, writes the records, exits
if [ -z "${SIP_E2E_ONLY:-}" ]; then "$test_venv/bin/python" scripts/sip-e2e/check_bridge_records.py "$work" || status=1; fi
if [ "$status" != 0 ]; then echo "--- serve stderr (tail)"; tail -30 "$work/serve.err"; fi
if [ "$status" = 0 ]; then echo "RESULT all passed"; else echo "RESULT failed"; fi
exit $status
