#!/usr/bin/env bash
# Builds the images the end-to-end suite runs beside Floe, from Debian and PyPI/Maven packages, as
# tarballs in the image cache (each with its stamp, so a warm run takes a second):
#   floe-test/pyiceberg-client:0.12.0  Debian trixie python3 (+ libstdc++6 for pyarrow) + pyiceberg[pyarrow] wheels;
#                                      entrypoint python3, user nobody (65534)
#   floe-test/postgresql:17            Debian trixie postgresql-17; initdb on an empty PGDATA from
#                                      POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB, scram-sha-256,
#                                      all interfaces (postgresql/entrypoint.sh); user 999
#   floe-test/s3proxy:4.1.0            Floe's JRE base + org.gaul:s3proxy:4.1.0 (jar-with-dependencies),
#                                      filesystem-nio2 store under /data, port 8080 (s3proxy/entrypoint.sh)
# Usage: tools/images/build-test-images.sh    Prints the three tarball paths, one per line, last.
# Environment: as build-rootfs-image.sh (FLOE_IMAGE_CACHE, FLOE_IMAGE_REFRESH, SOURCE_DATE_EPOCH).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${FLOE_IMAGE_CACHE:-$HOME/.cache/floe/images}"
PYICEBERG_VERSION=0.12.0  # as tools/clients/install.sh
S3PROXY_VERSION=4.1.0
S3PROXY_SHA256=a4d025969aaf796616ed4b1e2491d87d455ce84bb28cb9db086b2e6aaa68b48d
oci=org.opencontainers.image

last() { tail -n 1; }

pyiceberg="$("$here/build-rootfs-image.sh" "floe-test/pyiceberg-client:$PYICEBERG_VERSION" \
  python3 ca-certificates libstdc++6 --pip "pyiceberg[pyarrow]==$PYICEBERG_VERSION" \
  --entrypoint '["python3"]' --user 65534:65534 \
  --env HOME=/tmp --env PYTHONDONTWRITEBYTECODE=1 --env PYTHONUNBUFFERED=1 \
  --label "$oci.title=floe-test/pyiceberg-client" \
  --label "$oci.description=Debian trixie python3 with pyiceberg[pyarrow]==$PYICEBERG_VERSION, for Floe's end-to-end tests" \
  | last)"

# postgres gets a fixed uid (999, as in the official image) before postgresql-common would pick
# one, and no default cluster: the entrypoint initialises PGDATA on its volume. ssl-cert's
# snake-oil key is generated at install time: not a key to ship in an image (and no TLS here).
postgresql="$("$here/build-rootfs-image.sh" floe-test/postgresql:17 \
  postgresql-17 libnss-wrapper \
  --essential-hook 'echo "postgres:x:999:" >> "$1/etc/group" && echo "postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/bash" >> "$1/etc/passwd"' \
  --essential-hook 'mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main-cluster.conf"' \
  --add "$here/postgresql/entrypoint.sh:/usr/local/bin/floe-postgres-entrypoint:0755" \
  --hook 'install -d -o 999 -g 0 -m 0775 "$1/var/lib/postgresql" && install -d -o 999 -g 0 -m 2775 "$1/var/run/postgresql"' \
  --hook 'rm -f "$1/etc/ssl/private/ssl-cert-snakeoil.key" "$1/etc/ssl/certs/ssl-cert-snakeoil.pem"' \
  --entrypoint '["/usr/local/bin/floe-postgres-entrypoint"]' --user 999:999 --port 5432/tcp \
  --env PATH=/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env PGDATA=/var/lib/postgresql/data \
  --label "$oci.title=floe-test/postgresql" \
  --label "$oci.description=Debian trixie postgresql-17 for Floe's end-to-end tests" \
  | last)"

# s3proxy from Maven Central, checked against the SHA-256 pinned above.
jar="$cache/downloads/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
if [[ ! -f "$jar" ]] || ! echo "$S3PROXY_SHA256  $jar" | sha256sum -c --status; then
  mkdir -p "$cache/downloads"
  curl -fsSL -o "$jar.part" \
    "https://repo1.maven.org/maven2/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
  echo "$S3PROXY_SHA256  $jar.part" | sha256sum -c --status \
    || { echo "build-test-images: s3proxy jar SHA-256 mismatch" >&2; rm -f "$jar.part"; exit 1; }
  mv "$jar.part" "$jar"
fi
base="$("$here/build-base.sh" | last)"
s3proxy="$("$here/build-rootfs-image.sh" "floe-test/s3proxy:$S3PROXY_VERSION" --base "$base" \
  --add "$jar:/opt/s3proxy/s3proxy.jar" \
  --add "$here/s3proxy/entrypoint.sh:/usr/local/bin/floe-s3proxy-entrypoint:0755" \
  --hook 'install -d -o 10001 -g 0 -m 0775 "$1/data"' \
  --entrypoint '["/usr/local/bin/floe-s3proxy-entrypoint"]' --user 10001:10001 --port 8080/tcp \
  --label "$oci.title=floe-test/s3proxy" \
  --label "$oci.description=s3proxy $S3PROXY_VERSION (filesystem-nio2) on Floe's JRE base, for Floe's end-to-end tests" \
  | last)"

echo "$pyiceberg"
echo "$postgresql"
echo "$s3proxy"
