#!/usr/bin/env bash
# Builds the Benchmarks/ package in release and runs both benchmarks,
# printing their figures (docs/performance.md explains them).
#   scripts/bench.sh                  front end (2,000 and 20,000 menus), then the runtime
#   scripts/bench.sh runtime [SECTION]   only the runtime: sizes, memory, throughput or testpath
#   scripts/bench.sh startup          the whole ivrc process (release build of ivrc first)
# Timings are single-threaded; run on an idle machine for stable figures.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --package-path Benchmarks -c release >/dev/null
bin=$(swift build --package-path Benchmarks -c release --show-bin-path)
if [ "${1:-}" = startup ]; then
  swift build -c release --product ivrc >/dev/null
  "$bin/FrontEndBenchmark" startup --ivrc "$(swift build -c release --show-bin-path)/ivrc"
  exit 0
fi
if [ "${1:-}" != runtime ]; then
  echo "== Front end: ivrc check vs a bare libyaml scan"
  "$bin/FrontEndBenchmark" 2000 20000
  echo
fi
echo "== Runtime"
"$bin/RuntimeBenchmark" --root "$PWD" ${2:-}
