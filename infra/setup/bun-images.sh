#!/usr/bin/env bash
# Provides the two base images the Dockerfile builds on, made here
# because Docker Hub (oven/bun) is out of reach: the build stage's
# (libc, dash, coreutils and Bun) and the runtime stage's (libc and Bun
# only, like the distroless image). Bun is the official binary from npm
# (@oven/bun-linux-x64); the rest are Debian's packages, unpacked with dpkg.
# Built with buildah from scratch, into the local image store. Prints the two
# image names on stdout, one a line: build, then runtime.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

version=$(sed -n 's/.*bun@\([0-9.]*\).*/\1/p' "$here/../.ci/run" | head -1)
[ -n "$version" ] || die "no Bun version found in .ci/run"
build_image="localhost/todo-platform/bun:$version"
runtime_image="localhost/todo-platform/bun:$version-distroless"
# The build stage fetches packages from npm: it trusts what this machine trusts
# (its CA bundle, which may hold a proxy's CA). The runtime image does not.
ca_bundle=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
recipe=$(cat "$0" "$ca_bundle" 2>/dev/null | sha1sum | cut -c1-12)
# Debian's buildah (builds), podman and runc (runs: crun refuses this kernel's hybrid cgroups).
missing=$(for c in buildah podman runc; do command -v $c >/dev/null || echo $c; done)
if [ -n "$missing" ]; then
  [ "$(id -u)" = 0 ] || die "missing $(echo $missing): apt-get install buildah podman runc (as root)"
  step "installing $(echo $missing) (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq buildah podman runc >&2
fi
has_recipe() { [ "$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "todo.platform/recipe"}}' "$1" 2>/dev/null)" = "$recipe" ]; }
if has_recipe "$build_image" && has_recipe "$runtime_image"; then printf '%s\n%s\n' "$build_image" "$runtime_image"; exit 0; fi

work="$CACHE/bun-images-$version"
rm -rf "$work" && mkdir -p "$work/debs"
step "Bun $version base images: fetching Bun from npm and Debian's libc, dash, coreutils"
(cd "$work" && npm pack "@oven/bun-linux-x64@$version" --silent >/dev/null && tar -xzf oven-bun-linux-x64-*.tgz package/bin/bun)
# apt-get download writes as the _apt user where it can; the cache dir is root's.
(cd "$work/debs" && apt-get download -qq libc6 dash coreutils libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0 2>/dev/null) >&2

rootfs() { # $1 = directory, then the .deb name prefixes to unpack into it
  local dir=$1; shift
  mkdir -p "$dir/usr/local/bin" "$dir/tmp" "$dir/root" "$dir/etc"
  chmod 1777 "$dir/tmp"
  for p in "$@"; do dpkg -x "$work/debs/${p}"_*.deb "$dir"; done
  cp "$work/package/bin/bun" "$dir/usr/local/bin/bun"
  echo "root:x:0:0:root:/root:/bin/sh" >"$dir/etc/passwd"
}
rootfs "$work/runtime" libc6
rootfs "$work/build" libc6 dash coreutils libacl1 libattr1 libgmp10 libselinux1 libpcre2-8-0
ln -sfn dash "$work/build/bin/sh" # dash ships it only as a diversion target
mkdir -p "$work/build/etc/ssl/certs" && cp "$ca_bundle" "$work/build/etc/ssl/certs/ca-certificates.crt"

image() { # $1 = rootfs, $2 = name, then extra `buildah config` options
  local c rootfs=$1 name=$2
  shift 2
  c=$(buildah from scratch)
  buildah copy --quiet "$c" "$rootfs/" / >/dev/null
  buildah config --env PATH=/usr/local/bin:/usr/bin:/bin --env HOME=/root --label "todo.platform/recipe=$recipe" \
    --entrypoint '["bun"]' "$@" "$c"
  buildah commit --quiet --rm "$c" "$name" >/dev/null
  step "Bun $version base image $name: $(buildah images --format '{{.Size}}' "$name")"
}
image "$work/build" "$build_image" --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
image "$work/runtime" "$runtime_image"
rm -rf "$work"
printf '%s\n%s\n' "$build_image" "$runtime_image"
