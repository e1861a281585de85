#!/usr/bin/env bash
# Provides Debian's Prometheus server and promtool (2.42 in bookworm),
# installing the package when missing, without its recommended node
# exporters (the stack does not use them). Prints the directory holding
# `prometheus` and `promtool` on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  [ "$(id -u)" = 0 ] || die "Prometheus is missing: sudo apt-get install -y --no-install-recommends prometheus"
  step "Prometheus: installing Debian's package"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
  step "Prometheus: $(prometheus --version 2>&1 | head -n 1)"
fi
dirname "$(command -v prometheus)"
