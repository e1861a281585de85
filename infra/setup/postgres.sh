#!/usr/bin/env bash
# Provides Debian's PostgreSQL server, installing it when missing.
# Prints the directory holding `postgres`, `initdb` and `pg_ctl` on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
  [ "$(id -u)" = 0 ] || die "PostgreSQL server is missing: sudo apt-get install -y postgresql"
  step "PostgreSQL: installing Debian's server package"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi
[ -x "$bin/postgres" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
echo "$bin"
