#!/usr/bin/env bash
# Provides `sentry`, Dapr's certificate authority, of the pinned Dapr release,
# beside the daprd and scheduler that dapr.sh provides. Prints the directory
# holding it on stdout.
#
# A script of its own rather than a step of dapr.sh: dapr.sh's build stamp
# covers its own text, so editing it would rebuild daprd and the Scheduler in
# every cache that already holds them. Sentry registers no components, so it
# builds from the module as published, without dapr.sh's slimmed copy.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

version=$(sed -n 's/^require github.com\/dapr\/dapr \(v[0-9.]*\)$/\1/p' "$here/dapr-build/go.mod")

has_version() { # $1 = binary; true when it reports our version
  [ -x "$1" ] && "$1" --version 2>/dev/null | grep -qx "${version#v}"
}

# Next to a daprd of our version on PATH or from `dapr init`, as dapr.sh looks.
for dir in "$(dirname "$(command -v daprd 2>/dev/null || echo /nonexistent/daprd)")" "$HOME/.dapr/bin"; do
  if has_version "$dir/daprd" && [ -x "$dir/sentry" ]; then echo "$dir"; exit 0; fi
done

out="$CACHE/dapr-$version/bin"
# Not `.built-from-*`: dapr.sh removes those when it rebuilds.
stamp="$out/.sentry-built-from-$(cat "$here/dapr-build/go.mod" "$here/dapr-build/go.sum" "$0" | sha1sum | cut -c1-12)"
if [ -f "$stamp" ] && [ -x "$out/sentry" ]; then echo "$out"; exit 0; fi

command -v go >/dev/null || die "Go is required to build Dapr's Sentry (apt-get install golang)"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB=*
# Its own directory: dapr.sh empties its build directory before each build.
work="$CACHE/dapr-$version/sentry-build"
rm -rf "$work" && mkdir -p "$work"
cp "$here/dapr-build/go.mod" "$here/dapr-build/go.sum" "$work/"
step "Dapr $version: building sentry (cold: a few minutes on 2 cores)"
start=$(date +%s)
mkdir -p "$out"
(cd "$work" && go build -trimpath -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${version#v}" \
  -o "$out/" github.com/dapr/dapr/cmd/sentry) >&2
rm -f "$out"/.sentry-built-from-* && touch "$stamp"
step "Dapr $version: sentry built in $(( $(date +%s) - start ))s"
echo "$out"
