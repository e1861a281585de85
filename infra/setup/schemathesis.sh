#!/usr/bin/env bash
# Provides schemathesis (from PyPI, pinned) in its own virtualenv in the
# cache, for the API fuzzing test. Prints the path of its `st` command.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

version=4.32.5
venv="$CACHE/schemathesis-$version"
if [ ! -x "$venv/bin/st" ]; then
  command -v python3 >/dev/null || die "python3 is required for schemathesis"
  step "schemathesis $version: installing from PyPI into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$version" >&2
fi
echo "$venv/bin/st"
