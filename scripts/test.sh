#!/usr/bin/env bash
# Runs every test: installs what the tests need, builds, runs `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
swift test --skip-build
