#!/usr/bin/env bash
# Installs moto's server (a real AWS KMS API implementation, used by the aws KeyProvider's
# integration tests) into a virtualenv under the user's cache directory.
# Output: ${FLOE_TOOLS_VENV:-~/.cache/floe/moto-venv}/bin/moto_server. Idempotent: with a warm
# cache it checks the installed version and exits at once.
# Usage: tools/kms/install-moto.sh     Prints the moto_server path on its last line.
set -euo pipefail

MOTO_VERSION=5.2.5

venv="${FLOE_TOOLS_VENV:-$HOME/.cache/floe/moto-venv}"
server="$venv/bin/moto_server"
stamp="$venv/.floe-moto-version"

if [[ -x "$server" && -f "$stamp" && "$(cat "$stamp")" == "$MOTO_VERSION" ]]; then
  echo "moto up to date:"
  echo "$server"
  exit 0
fi

command -v python3 >/dev/null || { echo "install-moto.sh: python3 not found (3.9+ with venv needed)" >&2; exit 1; }
start=$SECONDS
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
echo "$MOTO_VERSION" > "$stamp"
echo "installed moto ${MOTO_VERSION} in $((SECONDS - start))s" >&2
echo "$server"
