#!/usr/bin/env bash
# Provides redis-server (Argo CD's cache in the delivery tests' sync): Debian's
# redis-server package, installed only when none is on PATH. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"
if command -v redis-server >/dev/null; then command -v redis-server; exit 0; fi
[ "$(id -u)" = 0 ] || die "redis-server is missing: apt-get install redis-server (as root)"
step "installing redis-server (Debian package redis-server)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq redis-server >&2
command -v redis-server
