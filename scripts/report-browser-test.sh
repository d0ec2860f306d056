#!/usr/bin/env bash
# Loads an `ivrc report` HTML page in a real headless Chromium and prints the
# DOM Chromium built from it (what the page really contains once parsed).
# Optionally also writes a PNG screenshot of the page.
#
#   scripts/report-browser-test.sh report.html [screenshot.png]
#
# Needs Debian's chromium (scripts/bootstrap.sh installs it).
# Exit status: 0 the page loaded, 2 the browser failed, 77 no browser (skipped).
set -euo pipefail

page=${1:?usage: report-browser-test.sh PAGE.html [SCREENSHOT.png]}
shot=${2:-}

. "$(dirname "$0")/test-tools.sh"
need_command chromium chromium
browser=$(command -v chromium)

abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: tests may run as root in a container, where the sandbox cannot start.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
       --user-data-dir="$profile" --hide-scrollbars)

if [[ -n "$shot" ]]; then
    shot_abs=$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")
    timeout 90 "$browser" "${flags[@]}" --window-size=1000,2400 --screenshot="$shot_abs" "file://$abs" >/dev/null 2>&1 || {
        echo "report-browser-test: screenshot failed" >&2; exit 2; }
fi
timeout 90 "$browser" "${flags[@]}" --dump-dom "file://$abs" 2>/dev/null || {
    echo "report-browser-test: chromium could not load the page" >&2; exit 2; }
