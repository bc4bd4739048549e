#!/usr/bin/env bash
# Installs Azurite (Microsoft's Azure Storage emulator: Blob, Queue and Table APIs; used by the
# ADLS warehouse and SAS-vending integration tests) from the npm registry, pinned by version, into
# a prefix under the user's cache directory. Needs Node.js (Azurite 3.x runs on Node 18+).
# Output: ${FLOE_AZURITE_DIR:-~/.cache/floe/azurite-<version>}/node_modules/.bin/azurite-blob.
# Idempotent: with a warm cache it checks a stamp file and exits at once.
# Usage: tools/azure/install-azurite.sh     Prints the azurite-blob path on its last line.
set -euo pipefail

AZURITE_VERSION=3.37.0

dir="${FLOE_AZURITE_DIR:-$HOME/.cache/floe/azurite-${AZURITE_VERSION}}"
bin="$dir/node_modules/.bin/azurite-blob"
stamp="$dir/.floe-azurite-version"

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$AZURITE_VERSION" ]]; then
  echo "azurite up to date:"
  echo "$bin"
  exit 0
fi

fail() { echo "install-azurite.sh: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node not found (Node.js 18+ needed: apt-get install nodejs npm)"
command -v npm >/dev/null || fail "npm not found (apt-get install npm)"
start=$SECONDS
mkdir -p "$dir"
# --prefix keeps it out of the global node_modules; --no-save/--no-package-lock leave no files to
# keep in step; --omit=dev skips Azurite's build-only packages.
npm install --prefix "$dir" --no-save --no-package-lock --omit=dev --no-audit --no-fund --loglevel=error \
  "azurite@${AZURITE_VERSION}" >&2
[[ -x "$bin" ]] || fail "npm did not install $bin"
"$dir/node_modules/.bin/azurite" --version | grep -qx "$AZURITE_VERSION" \
  || fail "the installed azurite does not report ${AZURITE_VERSION}"
echo "$AZURITE_VERSION" > "$stamp"
echo "installed azurite ${AZURITE_VERSION} in $((SECONDS - start))s" >&2
echo "$bin"
