#!/usr/bin/env bash
# Installs what ivrc needs on a fresh Debian/Ubuntu machine (idempotent):
# libyaml (the YAML parser) and zlib (DEFLATE for bundle sections), both
# through pkg-config, for building.
set -euo pipefail
need=()
pkg-config --exists yaml-0.1 2>/dev/null || need+=(libyaml-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
