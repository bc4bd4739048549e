#!/usr/bin/env bash
# Builds the pinned local Kubernetes control plane (kube-apiserver, kube-controller-manager,
# kubectl, etcd) from the Go module proxy into the layout io.fabric8:kube-api-test reads:
#   $KUBE_API_TEST_DIR/k8s/<k8s version>-<os>-<arch>/{kube-apiserver,kube-controller-manager,kubectl,etcd}
# KUBE_API_TEST_DIR defaults to ~/.kubeapitest (kube-api-test's own default).
# Idempotent: with a warm cache it only checks the binaries and a stamp file, and exits.
# Usage: tools/kube/build.sh [--force]     Prints the binary directory on its last line.
set -euo pipefail

# Pins: keep in step with k8s/go.mod (require + replaces) and etcd/go.mod.
K8S_VERSION=1.37.2
ETCD_VERSION=3.6.16

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=false
[[ "${1:-}" == "--force" ]] && force=true

command -v go >/dev/null || { echo "build.sh: 'go' not found on PATH (Go 1.26+ needed)" >&2; exit 1; }

# Fail fast if a go.mod drifted from the pins above.
grep -Eq "^(require)?[[:space:]]*k8s.io/kubernetes v${K8S_VERSION}( // indirect)?\$" "$here/k8s/go.mod" \
  || { echo "build.sh: k8s/go.mod does not require k8s.io/kubernetes v${K8S_VERSION}" >&2; exit 1; }
grep -Eq "^(require)?[[:space:]]*go.etcd.io/etcd/server/v3 v${ETCD_VERSION}( // indirect)?\$" "$here/etcd/go.mod" \
  || { echo "build.sh: etcd/go.mod does not require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}" >&2; exit 1; }

goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
test_dir="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
out="$test_dir/k8s/${K8S_VERSION}-${goos}-${goarch}"
stamp="$out/.floe-build-stamp"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet kubectl etcd)

# The stamp names the pins and hashes the wrapper modules, so changing any of them rebuilds.
want="kubernetes=v${K8S_VERSION} etcd=v${ETCD_VERSION} $(go env GOVERSION) $(cat "$here"/k8s/go.mod "$here"/k8s/go.sum "$here"/etcd/go.mod "$here"/etcd/go.sum "$here"/etcd/main.go | sha256sum | cut -c1-16)"

up_to_date() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}

if ! $force && up_to_date; then
  echo "kube binaries up to date (kubernetes v${K8S_VERSION}, etcd v${ETCD_VERSION}):"
  echo "$out"
  exit 0
fi

mkdir -p "$out"
tmp="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# CGO stays at Go's default: switching it changes the cache key of every package that imports net,
# i.e. all of Kubernetes, and would turn a relink into a full rebuild.
export GOFLAGS="${GOFLAGS:--mod=mod}"
start=$SECONDS

# Version stamping as upstream's hack/lib/version.sh does; without it the binaries report
# v0.0.0-master and clients that parse the server version get confused.
vflags=""
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  vflags+=" -X ${pkg}.gitVersion=v${K8S_VERSION} -X ${pkg}.gitMajor=${K8S_VERSION%%.*}"
  minor="${K8S_VERSION#*.}"; minor="${minor%%.*}"
  vflags+=" -X ${pkg}.gitMinor=${minor} -X ${pkg}.gitTreeState=clean"
done

echo "building kubernetes v${K8S_VERSION} (control plane, node components, kubectl) ..."
(cd "$here/k8s" && go build -trimpath -ldflags="-s -w${vflags}" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kube-proxy \
  k8s.io/kubernetes/cmd/kubelet \
  k8s.io/kubernetes/cmd/kubectl)

echo "  ... $((SECONDS - start)) s"
echo "building etcd v${ETCD_VERSION} ..."
(cd "$here/etcd" && go build -trimpath -ldflags="-s -w" -o "$tmp/etcd" .)

for b in "${binaries[@]}"; do mv -f "$tmp/$b" "$out/$b"; done
echo "$want" > "$stamp"
echo "built in $((SECONDS - start)) s:"
echo "$out"
