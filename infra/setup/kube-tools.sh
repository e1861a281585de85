#!/usr/bin/env bash
# Provides one of the tools the delivery tests run, built with Go from its
# official module through a committed wrapper module in infra/kube-build/<tool>
# (go.mod repeating the upstream replaces, go.sum pinning every hash).
# Usage: kube-tools.sh kube-apiserver|kube-controllers|etcd|kwok|helm|kustomize|argocd
# (kube-apiserver and kube-controllers, i.e. kube-controller-manager and
# kube-scheduler, come from the one wrapper module kube-build/kubernetes: the
# server-side validation needs only the first.)
# Prints the directory holding the binaries on stdout; progress (modules
# fetched, packages compiled, time, sizes) goes to stderr. Idempotent: a build
# is reused while its wrapper module and its recipe below are unchanged.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/setup/common.sh"

tool=${1:?usage: kube-tools.sh kube-apiserver|kube-controllers|etcd|kwok|helm|kustomize|argocd}
case $tool in kube-apiserver | kube-controllers) wrapper=kubernetes ;; *) wrapper=$tool ;; esac
mod="$here/kube-build/$wrapper/go.mod"
[ -f "$mod" ] || die "no wrapper module infra/kube-build/$wrapper"
# The module the wrapper requires, and its version.
read -r upstream version < <(sed -n 's/^require \([^ ]*\) \(v[0-9.]*\)$/\1 \2/p' "$mod")

# The recipe: packages to build and the version stamps their own builds set.
# Charts' kubeVersion checks read the Kubernetes gitVersion; unstamped it is v0.0.0.
kv=k8s.io/component-base/version
kube_ldflags="-X $kv.gitVersion=$version -X $kv.gitMajor=1 -X $kv.gitMinor=$(echo "$version" | cut -d. -f2) -X $kv.gitTreeState=clean"
case $tool in
  kube-apiserver)
    packages=k8s.io/kubernetes/cmd/kube-apiserver ldflags=$kube_ldflags binaries=kube-apiserver ;;
  kube-controllers)
    packages="k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler"
    ldflags=$kube_ldflags binaries="kube-controller-manager kube-scheduler" ;;
  etcd)
    packages=go.etcd.io/etcd/server/v3 ldflags="" binaries=etcd ;;
  kwok)
    packages=sigs.k8s.io/kwok/cmd/kwok ldflags="-X sigs.k8s.io/kwok/pkg/consts.Version=$version" binaries=kwok ;;
  helm)
    packages=helm.sh/helm/v3/cmd/helm ldflags="-X helm.sh/helm/v3/internal/version.version=$version" binaries=helm ;;
  kustomize)
    packages=sigs.k8s.io/kustomize/kustomize/v5 ldflags="-X sigs.k8s.io/kustomize/api/provenance.version=$version" binaries=kustomize ;;
  argocd)
    # One binary; it acts as argocd-server, -repo-server, -application-controller
    # by the name it is called by (ARGOCD_BINARY_NAME).
    packages=github.com/argoproj/argo-cd/v3/cmd
    ldflags="-X github.com/argoproj/argo-cd/v3/common.version=${version#v} -X github.com/argoproj/argo-cd/v3/common.gitTreeState=clean"
    binaries=argocd ;;
  *) die "unknown tool $tool" ;;
esac

out="$CACHE/$tool-$version/bin"
sum="$here/kube-build/$wrapper/go.sum"
# Content only (not paths): every clone and worktree shares one build.
stamp="$out/.built-from-$( { cat "$mod"; [ -f "$sum" ] && cat "$sum"; echo "$packages $ldflags"; } | sha1sum | cut -c1-12)"
all_present() { for b in $binaries; do [ -x "$out/$b" ] || return 1; done; }
if [ -f "$stamp" ] && all_present; then echo "$out"; exit 0; fi

command -v go >/dev/null || die "Go is required to build $tool (apt-get install golang)"
# go.sum pins every hash; the public checksum database is not reachable for
# every module from here, and the pinned go.sum makes it redundant anyway.
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GONOSUMDB=* CGO_ENABLED=0
work="$CACHE/$tool-$version/build"
rm -rf "$work" && mkdir -p "$work" "$out"
cp "$mod" "$work/go.mod"
[ -f "$sum" ] && cp "$sum" "$work/go.sum"
step "$tool $version: fetching and building $binaries (cold: minutes on 2 cores; progress every 200 packages)"
start=$(date +%s)
# `go build -v` names each package it compiles: count them instead of echoing thousands of lines.
if ! (cd "$work" && go build -v -trimpath -ldflags "-s -w $ldflags" -o "$out/" $packages) 2>&1 |
  tee "$work/build.log" | awk '/^go: downloading/ { d++; if (d % 100 == 0) printf "    %d modules fetched\n", d > "/dev/stderr"; next }
                                 { n++; if (n % 200 == 0) printf "    %d packages compiled\n", n > "/dev/stderr" }'; then
  tail -30 "$work/build.log" >&2
  die "building $tool failed (full log: $work/build.log)"
fi
# Go names these binaries after their package paths (.../cmd, .../server/v3).
case $tool in argocd) mv "$out/cmd" "$out/argocd" ;; etcd) mv "$out/server" "$out/etcd" ;; esac
rm -f "$out"/.built-from-* && touch "$stamp"
step "$tool $version: built in $(( $(date +%s) - start ))s: $(cd "$out" && du -h $binaries | awk '{printf "%s %s  ", $2, $1}')"
echo "$out"
