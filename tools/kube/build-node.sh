#!/usr/bin/env bash
# Builds what the local single-node cluster runs besides the control plane (tools/kube/build.sh):
# containerd 2.x with its runc shim and ctr, CoreDNS, cert-manager's controller and a hostPath volume
# provisioner, each from a pinned wrapper module in this folder, into $FLOE_NODE_BIN (default ~/.cache/floe/node/bin).
# runc, the CNI plugins, iptables and conntrack come from Debian packages (installed by
# `cluster.sh up --node` / .ci/run, not here).
# Idempotent: with a matching stamp and every binary present it exits at once.
# Usage: tools/kube/build-node.sh [--force]     Prints the binary directory on its last line.
set -euo pipefail

# Pins: keep in step with containerd/go.mod, coredns/go.mod and cert-manager/go.mod.
CONTAINERD_VERSION=2.4.2
COREDNS_VERSION=1.15.0
CERT_MANAGER_VERSION=1.21.2

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=false
[[ "${1:-}" == "--force" ]] && force=true
command -v go >/dev/null || { echo "build-node.sh: 'go' not found on PATH (Go 1.26.6+ needed)" >&2; exit 1; }

pinned() { grep -Eq "^(require)?[[:space:]]*$2 v$3( // indirect)?\$" "$here/$1/go.mod" \
  || { echo "build-node.sh: $1/go.mod does not require $2 v$3" >&2; exit 1; }; }
pinned containerd github.com/containerd/containerd/v2 "$CONTAINERD_VERSION"
pinned coredns github.com/coredns/coredns "$COREDNS_VERSION"
pinned cert-manager github.com/cert-manager/cert-manager "$CERT_MANAGER_VERSION"

out="${FLOE_NODE_BIN:-$HOME/.cache/floe/node/bin}"
stamp="$out/.floe-build-stamp"
binaries=(containerd containerd-shim-runc-v2 ctr coredns cert-manager-controller hostpath-provisioner)
want="containerd=v$CONTAINERD_VERSION coredns=v$COREDNS_VERSION cert-manager=v$CERT_MANAGER_VERSION $(go env GOVERSION) $(cat "$here"/{containerd,coredns,cert-manager,hostpath-provisioner}/go.{mod,sum} "$here"/{cert-manager,hostpath-provisioner}/main.go | sha256sum | cut -c1-16)"

up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}
if ! $force && up_to_date; then
  echo "node binaries up to date (containerd v$CONTAINERD_VERSION, coredns v$COREDNS_VERSION, cert-manager v$CERT_MANAGER_VERSION):"
  echo "$out"
  exit 0
fi

mkdir -p "$out"
tmp="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
export GOFLAGS="${GOFLAGS:--mod=mod}"
start=$SECONDS

echo "building containerd v$CONTAINERD_VERSION ..."
# Snapshotters that need C headers or kernel features this node does not use are left out; the
# node uses overlayfs (or native where overlay is unavailable).
cpkg=github.com/containerd/containerd/v2
(cd "$here/containerd" && go build -trimpath -tags "no_btrfs no_devmapper no_zfs" \
  -ldflags "-s -w -X $cpkg/version.Version=v$CONTAINERD_VERSION -X $cpkg/version.Package=$cpkg" \
  -o "$tmp/" "$cpkg/cmd/containerd" "$cpkg/cmd/containerd-shim-runc-v2" "$cpkg/cmd/ctr")
echo "  ... $((SECONDS - start)) s"

echo "building coredns v$COREDNS_VERSION ..."
(cd "$here/coredns" && go build -trimpath -ldflags "-s -w" -o "$tmp/coredns" github.com/coredns/coredns)
echo "  ... $((SECONDS - start)) s"

echo "building cert-manager controller v$CERT_MANAGER_VERSION ..."
(cd "$here/cert-manager" && go build -trimpath -ldflags "-s -w" -o "$tmp/cert-manager-controller" .)
echo "  ... $((SECONDS - start)) s"

echo "building hostpath-provisioner ..."
(cd "$here/hostpath-provisioner" && go build -trimpath -ldflags "-s -w" -o "$tmp/hostpath-provisioner" .)

for b in "${binaries[@]}"; do mv -f "$tmp/$b" "$out/$b"; done
echo "$want" > "$stamp"
echo "built in $((SECONDS - start)) s:"
echo "$out"
