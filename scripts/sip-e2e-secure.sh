#!/usr/bin/env bash
# End-to-end SRTP: real calls from PJSIP (pjsua2, SDES keys, null audio)
# against `ivrc serve --srtp required` on 127.0.0.1 (scripts/sip-e2e/secure_driver.py,
# then check_secure.py on the records, the serve log and PJSIP's log).
# Needs the pjsua2-python wheel in .build/test-venv (without it: SKIP, exit 77).
#   scripts/sip-e2e-secure.sh     prints PASS/FAIL lines, then "RESULT all passed" or "RESULT failed"
# Environment: IVRC_BIN (a built ivrc, default: swift build);
#   SIP_E2E_TRANSPORT  udp (default), tcp or tls: the transport of the calls
#                      (tcp and tls need serve's `--listen tcp:`/`tls:`);
#   SIP_E2E_SRTP       serve's --srtp (default required; the checks expect it).
set -euo pipefail
cd "$(dirname "$0")/.."
transport=${SIP_E2E_TRANSPORT:-udp}
. scripts/test-tools.sh
need_python pjsua2
. scripts/sip-e2e/serve-setup.sh
e2e_begin
e2e_transport "$transport"
"$test_venv/bin/python" scripts/sip-e2e/make_project.py "$work" "$pj_port"
e2e_serve --rtp-ports 41000-41999 --srtp "${SIP_E2E_SRTP:-required}" \
  --records "$work/records.jsonl" --recordings "$work/recordings" --tts none --t1 100
set +e
"$test_venv/bin/python" scripts/sip-e2e/secure_driver.py --server "127.0.0.1:$sip_port" --port "$pj_port" --work "$work" \
  "${pjsip[@]}"
status=$?
kill -TERM "$server"; wait "$server" 2>/dev/null   # drains, writes the records, exits
"$test_venv/bin/python" scripts/sip-e2e/check_secure.py "$work" || status=1
if [ "$status" != 0 ]; then echo "--- serve stderr (tail)"; tail -20 "$work/serve.err"; fi
if [ "$status" = 0 ]; then echo "RESULT all passed"; else echo "RESULT failed"; fi
exit $status
