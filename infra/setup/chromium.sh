#!/usr/bin/env bash
# Provides Debian's Chromium for the browser tests (Playwright drives it;
# browser downloads by test tools cannot work here). Prints its path.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"
if ! command -v chromium >/dev/null; then
  [ "$(id -u)" = 0 ] || die "Chromium is missing: sudo apt-get install -y chromium"
  step "Chromium: installing Debian's package (a minute or two)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi
command -v chromium
