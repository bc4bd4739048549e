#!/usr/bin/env bash
# Builds the pinned Helm CLI from its Go module (helm.sh/helm/v4 through the Go module proxy) into
# $FLOE_HELM_DIR (default ~/.cache/floe/helm/<version>/helm), for the chart tests (HelmChartIT) and
# for installing the chart by hand. helm.sh/helm/v4 has no replace directives, so a plain
# `go install module@version` builds it; no wrapper module is needed (unlike Kubernetes).
# Idempotent: with a matching stamp and the binary present it exits at once.
# Usage: tools/helm/build.sh [--force]     Prints the helm binary's path on its last line.
set -euo pipefail

HELM_VERSION=4.3.2

force=false
[[ "${1:-}" == "--force" ]] && force=true
command -v go >/dev/null || { echo "tools/helm/build.sh: 'go' not found on PATH (Go 1.26+ needed)" >&2; exit 1; }

out="${FLOE_HELM_DIR:-$HOME/.cache/floe/helm/v$HELM_VERSION}"
stamp="$out/.floe-build-stamp"
want="helm=v$HELM_VERSION $(go env GOVERSION)"

if ! $force && [[ -x "$out/helm" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "helm up to date (v$HELM_VERSION):"
  echo "$out/helm"
  exit 0
fi

mkdir -p "$out"
tmp="$(mktemp -d "$out/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
echo "building helm v$HELM_VERSION ..."
# Version stamping as Helm's Makefile does (LDFLAGS += -X .../internal/version.version=...); without
# it `helm version` reports the main module's default and charts see a wrong .Capabilities.HelmVersion.
GOBIN="$tmp" GOFLAGS= go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
  "helm.sh/helm/v4/cmd/helm@v$HELM_VERSION"
mv -f "$tmp/helm" "$out/helm"
echo "$want" > "$stamp"
"$out/helm" version
echo "built in $((SECONDS - start)) s:"
echo "$out/helm"
