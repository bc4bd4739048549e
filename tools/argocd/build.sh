#!/usr/bin/env bash
# Builds tools/argocd/health.go (argocd-health: runs an Argo CD Lua health check on one object with
# gopher-lua, the interpreter Argo CD embeds, pinned in go.mod) into $FLOE_ARGOCD_DIR (default
# ~/.cache/floe/argocd-health), for ArgoCdHealthCheckWithStubbedDeploymentStatusIT and for trying a
# health script by hand (docs/operator.md, "Argo CD", shows how to extract the scripts):
#   kubectl get icebergcatalog dev -o json | "$(tools/argocd/build.sh | tail -1)" icebergcatalog.lua
# Idempotent: with a matching stamp (sources and Go version) and the binary present it exits at once.
# Prints the binary's path on its last line.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null || { echo "tools/argocd/build.sh: 'go' not found on PATH (Go 1.24+ needed)" >&2; exit 1; }

out="${FLOE_ARGOCD_DIR:-$HOME/.cache/floe/argocd-health}"
stamp="$out/.floe-build-stamp"
want="$(cat "$here/go.mod" "$here/go.sum" "$here/health.go" | sha256sum | cut -c1-16) $(go env GOVERSION)"

if [[ -x "$out/argocd-health" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "argocd-health up to date:"
  echo "$out/argocd-health"
  exit 0
fi

mkdir -p "$out"
(cd "$here" && GOFLAGS=-mod=readonly go build -trimpath -o "$out/argocd-health.new" .)
mv -f "$out/argocd-health.new" "$out/argocd-health"
echo "$want" > "$stamp"
echo "built:"
echo "$out/argocd-health"
