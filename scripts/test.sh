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
# At most four tests a core at once (docs/testing.md "How many tests run at
# once"): Swift Testing otherwise starts all ~900 together, and on 2 cores the
# real-time tests (SIP peers, Kamailio, timers) then wait behind the CPU-bound ones.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-$((4 * $(nproc)))}"
echo "test.sh: at most $SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH tests at once"
swift test --skip-build
