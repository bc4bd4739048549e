#!/usr/bin/env bash
# Builds Floe's base image from Debian packages: Debian 13 (trixie), variant essential, plus a
# headless JRE and ca-certificates; user floe (10001:10001) and /var/lib/floe (10001:0, 0775).
# Jib builds the catalog and operator images on it (<from><image>tar://…/floe-base.tar</image>),
# and tools/images/build-test-images.sh builds the s3proxy test image on it.
#
# Why OpenJDK 25 and not 21 (measured, tools/images/README.md): the same start-up and memory
# for `floe serve` without extra flags, and on top JDK 25's AOT cache (JEP 483/514/515) and compact
# object headers (JEP 519), which 21 lacks. FLOE_BASE_JRE=openjdk-21-jre-headless builds on 21.
#
# Usage: tools/images/build-base.sh      Prints the tarball's path on its last line.
# Environment: as build-rootfs-image.sh (FLOE_IMAGE_CACHE, FLOE_IMAGE_REFRESH, SOURCE_DATE_EPOCH).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jre="${FLOE_BASE_JRE:-openjdk-25-jre-headless}"
feature="$(echo "$jre" | sed -n 's/^openjdk-\([0-9]*\)-jre-headless$/\1/p')"
[[ -n "$feature" ]] || { echo "build-base.sh: FLOE_BASE_JRE must be openjdk-NN-jre-headless" >&2; exit 1; }

exec "$here/build-rootfs-image.sh" "floe/base:trixie-openjdk-$feature" --out floe-base.tar \
  "$jre" ca-certificates \
  --hook 'echo "floe:x:10001:" >> "$1/etc/group" && echo "floe:x:10001:10001:Floe:/tmp:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --hook 'install -d -o 10001 -g 0 -m 0775 "$1/var/lib/floe"' \
  --user 10001:10001 \
  --env HOME=/tmp \
  --env "JAVA_HOME=/usr/lib/jvm/java-$feature-openjdk-amd64" \
  --label org.opencontainers.image.title=floe-base \
  --label "org.opencontainers.image.description=Debian trixie (essential) with $jre and ca-certificates, user floe 10001" \
  --label org.opencontainers.image.source=https://github.com/floe-dev/floe \
  --label org.opencontainers.image.base.name=debian:trixie
