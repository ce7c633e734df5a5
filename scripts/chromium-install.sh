#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing, and prints the browser's path.
#   scripts/chromium-install.sh
# Installing needs root (the tests run as root); playwright-core drives this browser, it downloads none.
set -euo pipefail

find_chromium() {
  command -v chromium || command -v chromium-browser || true
}

browser=$(find_chromium)
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium-install: chromium is not installed and we are not root to install it" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
  browser=$(find_chromium)
fi
[ -n "$browser" ] || { echo "chromium-install: chromium was not found after installing it" >&2; exit 1; }
echo "$browser"
