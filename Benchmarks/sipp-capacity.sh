#!/usr/bin/env bash
# The serve capacity benchmark (issue 17, docs/performance.md "Serve capacity"):
# SIPp against one `ivrc serve` (release build) on a small flow, at 1,000,
# 1,500 and 2,000 concurrent calls (100 calls/s, twice the level in calls), then
# optionally calls/s through Kamailio vs. direct and three nodes behind Kamailio.
# Writes a Markdown table to stdout and to capacity-results.md (or --out).
#   Benchmarks/sipp-capacity.sh                          the three levels
#   Benchmarks/sipp-capacity.sh --levels 2000 --runs 3   one level, three times
#   Benchmarks/sipp-capacity.sh --levels "" --kamailio-rates 100,200 --cluster 3000
#   Benchmarks/sipp-capacity.sh --serve-arg=--overload-lag=0    serve options
# Needs sipp (Debian sip-tester) and, for the Kamailio parts, kamailio. A run
# takes minutes and both cores: not part of `swift test`. IVRC_BIN: a built
# ivrc (default: swift build -c release --product ivrc).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sipp >/dev/null || { echo "sipp is missing: scripts/bootstrap.sh installs sip-tester" >&2; exit 77; }
if [ -z "${IVRC_BIN:-}" ]; then
  swift build -c release --product ivrc >/dev/null
  IVRC_BIN="$(swift build -c release --show-bin-path)/ivrc"
fi
out=capacity-results.md
for arg in "$@"; do case "$arg" in --out=*) out="${arg#--out=}";; esac; done
exec python3 scripts/sip-e2e/capacity_driver.py "$IVRC_BIN" --out "$out" "$@"
