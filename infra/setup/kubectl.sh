#!/usr/bin/env bash
# Provides kubectl (for `kubectl kustomize` in the gitops unit tests): Debian's
# kubernetes-client, installed only when no kubectl is on PATH. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"
if command -v kubectl >/dev/null; then command -v kubectl; exit 0; fi
[ "$(id -u)" = 0 ] || die "kubectl is missing: apt-get install kubernetes-client (as root)"
step "installing kubectl (Debian package kubernetes-client)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq kubernetes-client >&2
command -v kubectl
