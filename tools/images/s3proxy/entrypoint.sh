#!/bin/sh
# Entrypoint of the floe-test/s3proxy image (tools/images/build-test-images.sh): s3proxy's S3 API
# on S3PROXY_ENDPOINT (default http://0.0.0.0:8080) over the filesystem-nio2 blob store under
# JCLOUDS_FILESYSTEM_BASEDIR (default /data, a volume), with the access key S3PROXY_IDENTITY and
# secret S3PROXY_CREDENTIAL (both required unless S3PROXY_AUTHORIZATION=none). S3PROXY_BUCKETS, a
# comma-separated list, creates those buckets first. JVM options: S3PROXY_JAVA_OPTS.
set -eu
: "${S3PROXY_ENDPOINT:=http://0.0.0.0:8080}"
: "${S3PROXY_AUTHORIZATION:=aws-v2-or-v4}"
: "${JCLOUDS_FILESYSTEM_BASEDIR:=/data}"
if [ "$S3PROXY_AUTHORIZATION" != none ] && { [ -z "${S3PROXY_IDENTITY:-}" ] || [ -z "${S3PROXY_CREDENTIAL:-}" ]; }; then
  echo "floe-test/s3proxy: set S3PROXY_IDENTITY and S3PROXY_CREDENTIAL (or S3PROXY_AUTHORIZATION=none)" >&2
  exit 1
fi
mkdir -p "$JCLOUDS_FILESYSTEM_BASEDIR"
for bucket in $(echo "${S3PROXY_BUCKETS:-}" | tr ',' ' '); do
  mkdir -p "$JCLOUDS_FILESYSTEM_BASEDIR/$bucket"
done
# shellcheck disable=SC2086 # the options are words
exec java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData \
  -XX:ErrorFile=/tmp/hs_err_pid%p.log ${S3PROXY_JAVA_OPTS:-} \
  -Ds3proxy.endpoint="$S3PROXY_ENDPOINT" \
  -Ds3proxy.authorization="$S3PROXY_AUTHORIZATION" \
  -Ds3proxy.identity="${S3PROXY_IDENTITY:-}" \
  -Ds3proxy.credential="${S3PROXY_CREDENTIAL:-}" \
  -Djclouds.provider=filesystem-nio2 \
  -Djclouds.filesystem.basedir="$JCLOUDS_FILESYSTEM_BASEDIR" \
  -jar /opt/s3proxy/s3proxy.jar --properties /dev/null
