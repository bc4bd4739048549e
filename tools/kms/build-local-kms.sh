#!/usr/bin/env bash
# Builds local-kms (github.com/nsmithuk/local-kms: a real AWS KMS API server that keeps its keys in
# a LevelDB directory, so it can be stopped and restarted by the outage tests) from the Go module
# proxy. Its go.mod has no replace directives, so `go install` works without a wrapper module.
# Output: ${FLOE_TOOLS_BIN:-~/.cache/floe/bin}/local-kms-<version>. Idempotent and fast when warm.
# Usage: tools/kms/build-local-kms.sh [--force]     Prints the binary path on its last line.
set -euo pipefail

LOCAL_KMS_VERSION=v0.0.0-20260228092603-2a5e92d09ab6

force=false
[[ "${1:-}" == "--force" ]] && force=true
command -v go >/dev/null || { echo "build-local-kms.sh: 'go' not found on PATH" >&2; exit 1; }

out_dir="${FLOE_TOOLS_BIN:-$HOME/.cache/floe/bin}"
bin="$out_dir/local-kms-${LOCAL_KMS_VERSION}"
if ! $force && [[ -x "$bin" ]]; then
  echo "local-kms up to date:"
  echo "$bin"
  exit 0
fi

mkdir -p "$out_dir"
gobin="$(mktemp -d)"
trap 'rm -rf "$gobin"' EXIT
start=$SECONDS
CGO_ENABLED=0 GOBIN="$gobin" nice -n 10 go install -trimpath -ldflags "-s -w" \
  "github.com/nsmithuk/local-kms@${LOCAL_KMS_VERSION}"
mv "$gobin/local-kms" "$bin"
echo "built local-kms ${LOCAL_KMS_VERSION} in $((SECONDS - start))s" >&2
echo "$bin"
