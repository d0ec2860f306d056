#!/usr/bin/env bash
# Loads an `ivrc report` HTML page in a real headless Chromium and prints the
# DOM Chromium built from it (what the page really contains once parsed).
# Optionally also writes a PNG screenshot of the page.
#
#   scripts/report-browser-test.sh report.html [screenshot.png]
#
# Installs the Debian package `chromium` with apt-get when it is missing.
# Exit status: 0 the page loaded, 2 no browser could be installed or run.
set -euo pipefail

page=${1:?usage: report-browser-test.sh PAGE.html [SCREENSHOT.png]}
shot=${2:-}

browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
    echo "report-browser-test: installing chromium with apt-get" >&2
    if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
    export DEBIAN_FRONTEND=noninteractive
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium; } >&2 || true
    browser=$(command -v chromium || command -v chromium-browser || true)
fi
if [[ -z "$browser" ]]; then
    echo "report-browser-test: no chromium available" >&2
    exit 2
fi

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
