#!/usr/bin/env bash
# Builds ivrc (release) and checks every bundled example project (strict:
# warnings fail too). Installs only what building needs (scripts/bootstrap.sh
# --build: pkg-config, libyaml-dev, zlib1g-dev, libsrtp2-dev, libssl-dev, libc6-dev). The first build compiles the
# Swift packages ivrc uses and takes 5-10 minutes on 2 cores; every 50th build
# step is shown as it goes, and every message of the compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --build
echo "check-examples: building ivrc (release)"
swift build -c release --product ivrc 2>&1 \
    | awk '/^\[[0-9]+\/[0-9]+\]/ { if (n++ % 50 == 0) { print "  " $1 " " $2 " " $3; fflush() } next } { print; fflush() }'
for project in examples/*/; do
  echo "== $project"
  .build/release/ivrc check --strict "$project"
done
