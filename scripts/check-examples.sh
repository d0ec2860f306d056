#!/usr/bin/env bash
# Builds ivrc and checks every bundled example project (strict: warnings fail too).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release --product ivrc >/dev/null
for project in examples/*/; do
  echo "== $project"
  .build/release/ivrc check --strict "$project"
done
