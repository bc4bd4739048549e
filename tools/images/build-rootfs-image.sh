#!/usr/bin/env bash
# Builds a container image tarball without Docker: a minimal Debian root filesystem made by
# mmdebstrap (variant essential, no Recommends, no docs/man/locales), optional PyPI wheels and files,
# packed by pack-image.py into a tarball that Jib (tar://), `ctr images import` and
# tools/images/run-image.py read. With --base, files go into one new layer on top of an image
# tarball instead (no Debian packages then).
#
# Usage: tools/images/build-rootfs-image.sh NAME:TAG [options] [debian-package ...]
#   --base TAR             build on this image tarball (written by this script) instead of Debian
#   --pip SPEC             a PyPI requirement, installed as wheels for the image's own python3
#                          into /usr/local/lib/python3.X/dist-packages (repeatable)
#   --add SRC:DST[:MODE]   copy file SRC to DST in the image (repeatable; MODE octal, default 0644)
#   --hook CMD             shell command run as root with $1 = the root filesystem, after packages,
#                          wheels and files (mmdebstrap's customize hook; repeatable)
#   --essential-hook CMD   run after the essential packages, before the listed ones (repeatable)
#   --user U --workdir D --entrypoint JSON --cmd JSON --env K=V --label K=V --port 8080/tcp
#   --out FILE             tarball file name in the cache (default: NAME:TAG with / and : as -)
# Environment:
#   FLOE_IMAGE_CACHE       where tarballs go (default ~/.cache/floe/images)
#   FLOE_IMAGE_REFRESH=1   rebuild even when the stamp matches (e.g. to pick up security updates)
#   FLOE_DEBIAN_SUITE      default trixie; FLOE_DEBIAN_MIRROR, FLOE_DEBIAN_SECURITY_MIRROR
#   SOURCE_DATE_EPOCH      clamp file times and set the image's creation time; default: the
#                          newest Date of the Debian Release files used (or the base's time)
# Output, beside the tarball: .stamp (hash of this script, pack-image.py, the arguments and the
# added files; .stamp-inputs lists them, and a rebuild prints what changed), .packages (exact Debian package and wheel versions), .digest (JSON: manifest
# digest, image id, sizes). Idempotent: when the stamp matches it prints the path at once.
# The last line printed is the tarball's path.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${FLOE_IMAGE_CACHE:-$HOME/.cache/floe/images}"
suite="${FLOE_DEBIAN_SUITE:-trixie}"
mirror="${FLOE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${FLOE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
PIP_VERSION=26.3  # runs pip inside the image build only; not installed in the image

die() { echo "build-rootfs-image: $*" >&2; exit 1; }
[[ $# -ge 1 && "$1" != -* ]] || die "usage: $0 NAME:TAG [options] [debian-package ...]"
ref="$1"; shift
base="" out="" packages=() pips=() adds=() hooks=() ehooks=() pack_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --pip) pips+=("$2"); shift 2 ;;
    --add) adds+=("$2"); shift 2 ;;
    --hook) hooks+=("$2"); shift 2 ;;
    --essential-hook) ehooks+=("$2"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --user|--workdir|--entrypoint|--cmd|--env|--label|--port) pack_args+=("$1" "$2"); shift 2 ;;
    -*) die "unknown option $1" ;;
    *) packages+=("$1"); shift ;;
  esac
done
[[ -z "$base" || ${#packages[@]} -eq 0 ]] || die "--base and Debian packages do not mix"
[[ -n "$base" || ${#packages[@]} -gt 0 ]] || die "give Debian packages or --base"
[[ -z "$base" || -f "$base" ]] || die "base tarball $base not found"
[[ ${#pips[@]} -eq 0 || -z "$base" ]] || die "--pip needs a Debian root filesystem with python3"

mkdir -p "$cache"
file="${out:-$(echo "$ref" | tr '/:' '--').tar}"
tarball="$cache/$file"
stem="${tarball%.tar}"

# The stamp: everything that decides the image's content.
stamp_inputs() {
  {
    sha256sum "$here/build-rootfs-image.sh" "$here/pack-image.py" | cut -d' ' -f1
    # no absolute paths: checkouts in other directories share the cache without rebuilding
    printf '%s\n' "$ref" "$suite" "$mirror" "$security" "${SOURCE_DATE_EPOCH:-}" "base=${base##*/}"
    printf 'pkg %s\n' "${packages[@]+"${packages[@]}"}"
    printf 'pip %s\n' "${pips[@]+"${pips[@]}"}"
    printf 'hook %s\n' "${hooks[@]+"${hooks[@]}"}" "${ehooks[@]+"${ehooks[@]}"}"
    printf 'arg %s\n' "${pack_args[@]+"${pack_args[@]}"}"
    local spec
    for spec in "${adds[@]+"${adds[@]}"}"; do
      printf 'add %s %s\n' "${spec#*:}" "$(sha256sum < "${spec%%:*}" | cut -d' ' -f1)"
    done
    [[ -z "$base" ]] || cat "${base%.tar}.digest"
  }
}
inputs="$(stamp_inputs)"
want="$(echo "$inputs" | sha256sum | cut -d' ' -f1)"
if [[ "${FLOE_IMAGE_REFRESH:-0}" != 1 && -f "$tarball" && -f "$stem.stamp" && "$(cat "$stem.stamp")" == "$want" ]]; then
  echo "$ref up to date ($(jq -r .digest "$stem.digest" 2>/dev/null || cat "$stem.digest"))" >&2
  echo "$tarball"
  exit 0
fi

# One build at a time per cache (Maven modules, parallel callers); re-check under the lock.
exec 9>"$cache/.lock"
flock 9
if [[ "${FLOE_IMAGE_REFRESH:-0}" != 1 && -f "$tarball" && -f "$stem.stamp" && "$(cat "$stem.stamp")" == "$want" ]]; then
  echo "$tarball"; exit 0
fi
if [[ -f "$stem.stamp-inputs" && "${FLOE_IMAGE_REFRESH:-0}" != 1 ]]; then
  echo "build-rootfs-image: $ref changed since its last build:" >&2
  diff "$stem.stamp-inputs" <(echo "$inputs") | sed -n 's/^[<>]/  &/p' >&2 || true
fi
[[ $(id -u) -eq 0 ]] || die "needs root (mmdebstrap root mode, files owned by root in the image)"

start=$SECONDS
work="$(mktemp -d "$cache/.work-XXXXXX")"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
root="$work/rootfs"

add_files() {  # $1 = root directory
  local spec src rest dst mode
  for spec in "${adds[@]+"${adds[@]}"}"; do
    src="${spec%%:*}"; rest="${spec#*:}"; dst="${rest%%:*}"; mode=0644
    [[ "$rest" == *:* ]] && mode="${rest#*:}"
    [[ -f "$src" ]] || die "--add: $src is not a file"
    install -D -m "$mode" -o 0 -g 0 "$src" "$1$dst"
  done
}

if [[ -n "$base" ]]; then
  sde="${SOURCE_DATE_EPOCH:-$(tar -xOf "$base" manifest.json | python3 -c '
import json, sys, tarfile, datetime
m = json.load(sys.stdin)[0]
c = json.load(tarfile.open(sys.argv[1]).extractfile(m["Config"]))
print(int(datetime.datetime.strptime(c["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()))' "$base")}"
  mkdir -p "$root"
  add_files "$root"
  for hook in "${hooks[@]+"${hooks[@]}"}"; do sh -c "$hook" sh "$root"; done
  cp "${base%.tar}.packages" "$stem.packages.part" 2>/dev/null || : > "$stem.packages.part"
  echo "# layer on ${base##*/}: ${adds[*]-}" >> "$stem.packages.part"
  info="$(python3 "$here/pack-image.py" --ref "$ref" --out "$tarball" --base "$base" --layer "$root" --sde "$sde" \
    --comment "build-rootfs-image.sh: ${adds[*]-}" "${pack_args[@]+"${pack_args[@]}"}")"
else
  command -v mmdebstrap >/dev/null || die "mmdebstrap not found: apt-get install mmdebstrap"
  # Fail before mmdebstrap if the suite's Release file does not verify with the host keyring.
  curl -fsSL "$mirror/dists/$suite/InRelease" -o "$work/InRelease"
  gpgv --keyring "$keyring" "$work/InRelease" 2>/dev/null \
    || die "$mirror/dists/$suite/InRelease does not verify with $keyring (install a newer debian-archive-keyring)"

  mm=(mmdebstrap --variant=essential --mode=root --format=directory --keyring="$keyring"
      --aptopt='APT::Install-Recommends "false"' --aptopt='Acquire::Languages "none"'
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
      --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/bug/*'
      --skip=output/dev --include="$(IFS=,; echo "${packages[*]}")"
      # update-alternatives (e.g. java) needs its man directories even when the pages are excluded
      --essential-hook='mkdir -p "$1/usr/share/man/man1" "$1/usr/share/man/man7"')
  for hook in "${ehooks[@]+"${ehooks[@]}"}"; do mm+=(--essential-hook="$hook"); done
  # The newest Release date: the archive state this root filesystem comes from.
  mm+=(--customize-hook='for f in "$1"/var/lib/apt/lists/*Release; do sed -n "s/^Date: //p" "$f"; done | while read -r d; do date -d "$d" +%s; done | sort -n | tail -n 1 > "$1/.floe-release-date"')
  if [[ ${#pips[@]} -gt 0 ]]; then
    # pip runs with the image's own python3 (markers and wheel tags for that interpreter), from a
    # pip wheel fetched on the host; wheels only, no compilers. Byte code is compiled with
    # unchecked hashes, so it stays valid whatever the files' times (they are clamped below).
    mkdir -p "$work/pip"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      -d "$work/pip" "pip==$PIP_VERSION"
    printf '%s\n' "${pips[@]}" > "$work/pip/requirements.txt"
    # pip inside the build trusts what the host trusts for PyPI (e.g. an egress proxy's CA); the
    # bundle is removed with pip afterwards, the image keeps Debian's ca-certificates only.
    cp "${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}" "$work/pip/host-ca.crt"
    mm+=(--customize-hook="cp -r '$work/pip' \"\$1/tmp/pip\""
         --customize-hook='set -e; py=$(chroot "$1" python3 -c "import sys; print(\"python%d.%d\" % sys.version_info[:2])");
           chroot "$1" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp ${https_proxy:+https_proxy=$https_proxy} ${HTTPS_PROXY:+HTTPS_PROXY=$HTTPS_PROXY} ${no_proxy:+no_proxy=$no_proxy} PIP_CONFIG_FILE=/dev/null PIP_CERT=/tmp/pip/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 python3 /tmp/pip/pip-'$PIP_VERSION'-py3-none-any.whl/pip install --quiet --only-binary=:all: --no-compile --target /usr/local/lib/$py/dist-packages -r /tmp/pip/requirements.txt;
           chroot "$1" python3 /tmp/pip/pip-'$PIP_VERSION'-py3-none-any.whl/pip list --path /usr/local/lib/$py/dist-packages --format=freeze > "$1/.floe-pip-freeze";
           chroot "$1" python3 -m compileall -q -j 0 --invalidation-mode unchecked-hash /usr/local/lib/$py/dist-packages > /dev/null;
           rm -rf "$1/tmp/pip" "$1/usr/local/lib/$py/dist-packages/bin"')
  fi
  for hook in "${hooks[@]+"${hooks[@]}"}"; do mm+=(--customize-hook="$hook"); done
  mm+=("$suite" "$root"
       "deb $mirror $suite main" "deb $mirror $suite-updates main" "deb $security $suite-security main")
  echo "build-rootfs-image: mmdebstrap $suite ${packages[*]}" >&2
  "${mm[@]}" > "$work/mmdebstrap.log" 2>&1 || { tail -n 40 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed (log above)"; }
  add_files "$root"

  sde="${SOURCE_DATE_EPOCH:-$(cat "$root/.floe-release-date")}"
  {
    echo "# $ref: Debian $suite from $mirror (+updates, security), $(date -u -d "@$sde" +%FT%TZ)"
    chroot "$root" dpkg-query -W -f '${Package}=${Version}\n' | LC_ALL=C sort
    if [[ -f "$root/.floe-pip-freeze" ]]; then echo "# PyPI wheels"; LC_ALL=C sort "$root/.floe-pip-freeze"; fi
  } > "$stem.packages.part"

  # Leave out what a container never uses and what only records this build.
  rm -rf "$root"/.floe-* "$root"/usr/share/man "$root"/usr/share/info \
    "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
    "$root"/var/cache/ldconfig/aux-cache "$root"/var/lib/dpkg/*-old "$root"/var/log/* \
    "$root"/etc/passwd- "$root"/etc/group- "$root"/etc/shadow- "$root"/etc/gshadow- "$root"/etc/subuid- "$root"/etc/subgid-
  find "$root/dev" -mindepth 1 -delete
  find "$root/tmp" -mindepth 1 -delete
  # No set-user-id or set-group-id programs: containers run with no-new-privileges anyway.
  find "$root" -xdev -type f -perm /6000 -exec chmod ug-s {} +
  : > "$root/etc/machine-id"
  info="$(python3 "$here/pack-image.py" --ref "$ref" --out "$tarball" --layer "$root" --sde "$sde" \
    --comment "build-rootfs-image.sh: mmdebstrap --variant=essential $suite ${packages[*]}" \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --env LANG=C.UTF-8 \
    "${pack_args[@]+"${pack_args[@]}"}")"
fi

echo "$info" > "$stem.digest"
mv "$stem.packages.part" "$stem.packages"
echo "$inputs" > "$stem.stamp-inputs"
echo "$want" > "$stem.stamp"
echo "built $ref in $((SECONDS - start))s: $info" >&2
echo "$tarball"
