#!/usr/bin/env bash
# Provides `daprd` and `scheduler` of the pinned Dapr release.
# Uses binaries of that version already on PATH or in ~/.dapr/bin; otherwise
# builds them with Go from the official github.com/dapr/dapr module into the
# cache. Prints the directory holding both binaries on stdout.
#
# The build is "slim": daprd registers each component in an init() behind the
# stablecomponents tag, and compiling all ~130 pulls in every cloud SDK. We
# copy the module out of the Go module cache (its files are read-only and may
# not be overlaid), delete the registrations we don't use, and point the
# wrapper module at the copy with a replace directive.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

version=$(sed -n 's/^require github.com\/dapr\/dapr \(v[0-9.]*\)$/\1/p' "$here/dapr-build/go.mod")
# Registrations kept: the components in dapr/ and gitops/, plus name resolution.
KEEP="pubsub_kafka.go state_postgres.go secretstores_local_file.go secretstores_local_env.go secretstores_kubernetes.go nameresolution_mdns.go nameresolution_kubernetes.go nameresolution_sqlite.go"

has_version() { # $1 = binary; true when it reports our version
  [ -x "$1" ] && "$1" --version 2>/dev/null | grep -qx "${version#v}"
}

for dir in "$(dirname "$(command -v daprd 2>/dev/null || echo /nonexistent/daprd)")" "$HOME/.dapr/bin"; do
  if has_version "$dir/daprd" && [ -x "$dir/scheduler" ]; then echo "$dir"; exit 0; fi
done

out="$CACHE/dapr-$version/bin"
# Content only (not paths): every clone and worktree shares one build.
stamp="$out/.built-from-$(cat "$here/dapr-build/go.mod" "$here/dapr-build/go.sum" "$0" | sha1sum | cut -c1-12)"
if [ -f "$stamp" ] && [ -x "$out/daprd" ] && [ -x "$out/scheduler" ]; then echo "$out"; exit 0; fi

command -v go >/dev/null || die "Go is required to build Dapr (apt-get install golang, or use a daprd $version on PATH)"
# go.sum pins every hash; the public checksum database is not reachable for
# every module from here, and the pinned go.sum makes it redundant anyway.
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB=*
work="$CACHE/dapr-$version/build"
rm -rf "$work" && mkdir -p "$work"
step "Dapr $version: fetching the module"
(cd "$here/dapr-build" && go mod download github.com/dapr/dapr) >&2
src=$(cd "$here/dapr-build" && go list -m -f '{{.Dir}}' github.com/dapr/dapr)
cp -r "$src" "$work/dapr" && chmod -R u+w "$work/dapr"
for f in "$work/dapr/cmd/daprd/components/"*.go; do
  case " $KEEP " in
    # Some kept registrations (sqlite name resolution) are tagged allcomponents only.
    *" $(basename "$f") "*) sed -i '1s|^//go:build .*|//go:build allcomponents \|\| stablecomponents|' "$f" ;;
    *) [ "$(basename "$f")" = zz_notag.go ] || rm "$f" ;;
  esac
done
cp "$here/dapr-build/go.mod" "$work/go.mod"
[ -f "$here/dapr-build/go.sum" ] && cp "$here/dapr-build/go.sum" "$work/go.sum"
printf '\nreplace github.com/dapr/dapr => ./dapr\n' >> "$work/go.mod"
step "Dapr $version: building daprd and scheduler (cold: several minutes on 2 cores)"
start=$(date +%s)
(cd "$work" && go build -trimpath -tags stablecomponents -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${version#v}" \
  -o "$out/" github.com/dapr/dapr/cmd/daprd github.com/dapr/dapr/cmd/scheduler) >&2
rm -f "$out"/.built-from-* && touch "$stamp"
step "Dapr $version: built in $(( $(date +%s) - start ))s"
echo "$out"
