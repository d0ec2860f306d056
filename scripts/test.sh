#!/usr/bin/env bash
# Runs every test. First installs everything the tests need, in one place
# (scripts/bootstrap.sh: Debian packages in one apt-get transaction, then the
# Python virtual environment .build/test-venv), so no test installs anything;
# then builds and runs `swift test`. A test whose tool is missing shows as
# skipped with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
swift test --skip-build
