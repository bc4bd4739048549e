#!/usr/bin/env bash
# Builds fake-gcs-server (an emulator of the Google Cloud Storage JSON and XML APIs; used by the
# GCS warehouse integration tests) from its Go module, pinned by version, through the Go module
# proxy (the module's go.sum pins its dependencies).
# Output: ${FLOE_TOOLS_BIN:-~/.cache/floe/bin}/fake-gcs-server-<version>. Idempotent: with a warm
# cache it checks the binary and a stamp file and exits at once.
# Usage: tools/gcs/install-fake-gcs-server.sh     Prints the binary path on its last line.
set -euo pipefail

FAKE_GCS_VERSION=v1.56.1
MODULE=github.com/fsouza/fake-gcs-server

out_dir="${FLOE_TOOLS_BIN:-$HOME/.cache/floe/bin}"
bin="$out_dir/fake-gcs-server-${FAKE_GCS_VERSION}"
stamp="$bin.stamp"
want="${MODULE}@${FAKE_GCS_VERSION}"

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "fake-gcs-server up to date:"
  echo "$bin"
  exit 0
fi

fail() { echo "install-fake-gcs-server.sh: $*" >&2; exit 1; }
command -v go >/dev/null || fail "go not found (Go 1.24+ needed)"
start=$SECONDS
mkdir -p "$out_dir"
gobin="$(mktemp -d "$out_dir/.gobin.XXXXXX")"
trap 'rm -rf "$gobin"' EXIT
# go install module@version builds with the module's own go.mod/go.sum (no replace directives).
GOBIN="$gobin" CGO_ENABLED=0 go install "${want}" >&2
[[ -x "$gobin/fake-gcs-server" ]] || fail "go install produced no fake-gcs-server binary"
mv "$gobin/fake-gcs-server" "$bin"
echo "$want" > "$stamp"
echo "built fake-gcs-server ${FAKE_GCS_VERSION} in $((SECONDS - start))s" >&2
echo "$bin"
