#!/usr/bin/env bash
# Builds HashiCorp Vault (dev-mode server with the Transit engine, used by the vault KeyProvider's
# integration tests) from the Go module proxy through the wrapper module in tools/kms/vault/.
# Output: ${FLOE_TOOLS_BIN:-~/.cache/floe/bin}/vault-<version>. Idempotent: with a warm cache it
# checks the binary and a stamp file and exits at once.
# Usage: tools/kms/build-vault.sh [--force]     Prints the binary path on its last line.
set -euo pipefail

VAULT_VERSION=1.21.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force=false
[[ "${1:-}" == "--force" ]] && force=true
command -v go >/dev/null || { echo "build-vault.sh: 'go' not found on PATH (Go 1.25+ needed)" >&2; exit 1; }
grep -q "^require github.com/hashicorp/vault v${VAULT_VERSION}\$" "$here/vault/go.mod" \
  || { echo "build-vault.sh: vault/go.mod does not require github.com/hashicorp/vault v${VAULT_VERSION}" >&2; exit 1; }

out_dir="${FLOE_TOOLS_BIN:-$HOME/.cache/floe/bin}"
bin="$out_dir/vault-${VAULT_VERSION}"
stamp="$bin.stamp"
want="vault=v${VAULT_VERSION} $(go env GOVERSION) $(cat "$here"/vault/go.mod | sha256sum | cut -c1-16)"

if ! $force && [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "vault up to date:"
  echo "$bin"
  exit 0
fi

mkdir -p "$out_dir"
export CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--mod=mod}"
start=$SECONDS
cd "$here/vault"
# The wrapper's go.sum is committed; -mod=mod lets a cold cache fill in what it lacks.
nice -n 10 go build -trimpath -o "$bin.tmp" \
  -ldflags "-s -w -X github.com/hashicorp/vault/version.Version=${VAULT_VERSION} -X github.com/hashicorp/vault/version.VersionPrerelease=" \
  github.com/hashicorp/vault
mv "$bin.tmp" "$bin"
echo "$want" > "$stamp"
echo "built vault v${VAULT_VERSION} in $((SECONDS - start))s" >&2
echo "$bin"
