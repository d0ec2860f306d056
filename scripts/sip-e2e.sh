#!/usr/bin/env bash
# End-to-end SIP tests: real calls from PJSIP (pjsua2, null audio device)
# against `ivrc serve` on 127.0.0.1. Needs the pjsua2-python wheel in
# .build/test-venv (scripts/bootstrap.sh installs it; without it: SKIP, exit 77),
# and builds ivrc when IVRC_BIN is not given.
#   scripts/sip-e2e.sh            prints PASS/FAIL lines, then "RESULT all passed" or "RESULT failed"
# Environment: IVRC_BIN (a built ivrc, default: swift build), SIP_E2E_CALLS
# (concurrent calls, default 20), SIP_E2E_TRANSPORT (udp, the default; tcp
# or tls: PJSIP calls over a tcp: or tls: listener of serve; for tls a CA
# and a server certificate for 127.0.0.1 are made with openssl, or taken
# from SIP_E2E_TLS_DIR's ca.pem, server.pem, server-key.pem), SIP_E2E_ONLY
# (comma-separated checks of driver.py to run; the record checks then
# are skipped), SIP_E2E_SERVE_ARGS and SIP_E2E_PJSIP_ARGS (more options
# for serve and for driver.py, e.g. SRTP ones). Exit status 0 only when
# every check passed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/test-tools.sh
need_python pjsua2
venv=$test_venv
. scripts/sip-e2e/serve-setup.sh
e2e_begin
"$venv/bin/python" scripts/sip-e2e/make_project.py "$work" "$pj_port"
e2e_transport "${SIP_E2E_TRANSPORT:-udp}"
# shellcheck disable=SC2086  # the extra arguments are words on purpose
e2e_serve --rtp-ports 40000-40999 --records "$work/records.jsonl" --recordings "$work/recordings" --tts none --t1 100 \
  ${SIP_E2E_SERVE_ARGS:-}
set +e
# shellcheck disable=SC2086
"$venv/bin/python" scripts/sip-e2e/driver.py --server "127.0.0.1:$sip_port" --port "$pj_port" --work "$work" \
  --calls "${SIP_E2E_CALLS:-20}" "${pjsip[@]}" --only "${SIP_E2E_ONLY:-}" ${SIP_E2E_PJSIP_ARGS:-}
status=$?
# Graceful shutdown: SIGTERM, then the server must exit by itself.
kill -TERM "$server"
for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then echo "FAIL shutdown the server did not exit after SIGTERM"; status=1
else echo "PASS shutdown the server exited after SIGTERM"; fi
if [ -z "${SIP_E2E_ONLY:-}" ]; then "$venv/bin/python" scripts/sip-e2e/check_records.py "$work" || status=1; fi
if [ "$status" != 0 ]; then echo "--- serve stderr (tail)"; tail -20 "$work/serve.err"; fi
if [ "$status" = 0 ]; then echo "RESULT all passed"; else echo "RESULT failed"; fi
exit $status
