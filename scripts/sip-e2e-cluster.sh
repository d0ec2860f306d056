#!/usr/bin/env bash
# End-to-end cluster (issue 17, docs/deploy.md): Kamailio with the shipped
# deploy/kamailio/kamailio.cfg in front of three `ivrc serve` nodes on loopback,
# SIPp placing calls through it while one node drains (SIGTERM), one reloads a
# changed flow (SIGHUP) and one is killed (SIGKILL) and started again; then the
# records and each node's /metrics are checked (scripts/sip-e2e/cluster_driver.py).
#   scripts/sip-e2e-cluster.sh [CALLS [RATE]]   (default 320 calls at 10/s)
# prints PASS/FAIL lines, then "RESULT all passed" or "RESULT failed".
# Needs kamailio, sipp (Debian kamailio, sip-tester) and prometheus_client in
# .build/test-venv; without them: SKIP, exit 77. Environment: IVRC_BIN (a built
# ivrc, default: swift build), SIP_E2E_KEEP (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/test-tools.sh
need_command kamailio kamailio
need_command sipp sip-tester
need_python prometheus_client
. scripts/sip-e2e/serve-setup.sh
e2e_begin
set +e
(cd scripts/sip-e2e && "$test_venv/bin/python" cluster_driver.py "$IVRC_BIN" "$work" "${1:-320}" "${2:-10}")
status=$?
if [ "$status" != 0 ]; then
  for n in 1 2 3; do echo "--- node-$n serve.err (tail)"; tail -15 "$work/node-$n/serve.err" 2>/dev/null; done
  echo "--- kamailio (tail)"; grep -v "ivrc-lb: INVITE" "$work/kamailio/kamailio.log" 2>/dev/null | tail -15
fi
if [ "$status" = 0 ]; then echo "RESULT all passed"; else echo "RESULT failed"; fi
exit $status
