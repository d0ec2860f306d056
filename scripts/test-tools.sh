# Sourced by the scripts that tests run: where the tools scripts/bootstrap.sh
# installs are, and what a script says when one is missing. Nothing here
# installs anything: a missing tool ends the script with exit 77 (skipped),
# naming what is missing and where it comes from.
test_venv="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.build/test-venv"

# need_command TOOL PACKAGE: TOOL must be on PATH (from Debian's PACKAGE).
need_command() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "SKIP: $1 is not installed (Debian package $2; scripts/bootstrap.sh installs it)"
    exit 77
}

# need_python MODULE...: the test venv must import every MODULE.
need_python() {
    local m
    for m in "$@"; do
        "$test_venv/bin/python" -c "import $m" >/dev/null 2>&1 && continue
        echo "SKIP: Python module $m is not in .build/test-venv (scripts/bootstrap.sh installs it)"
        exit 77
    done
}
