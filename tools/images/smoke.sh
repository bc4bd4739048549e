#!/usr/bin/env bash
# Smoke test of the images, run for real with runc (no Docker, no containerd, no cluster): every
# container gets a read-only root filesystem, an empty directory at /tmp (the pods' emptyDir), no
# capabilities, no-new-privileges and, unless said otherwise, an arbitrary uid with gid 0 as
# OpenShift's restricted-v2 assigns (1000680000:0). Servers share the host's network namespace and
# listen on 127.0.0.1 ports from FLOE_SMOKE_PORT (default 18900) to +4.
#   base        java -version (CDS archive mapped, compact object headers), the trust store
#   catalog     floe --version/--help; floe serve --dev with a writable volume at /var/lib/floe and
#               a 512 MiB memory limit answers /health/readiness; `floe admin` beside it (as
#               kubectl exec would); the heap the launcher gives the JVM in that limit; the
#               PyIceberg client image runs tools/clients/pyiceberg_check.py against it
#   operator    starts and reports why it cannot reach a cluster; with FLOE_SMOKE_KUBECONFIG it
#               talks to that API server instead (watching only namespace floe-images-smoke)
#   postgresql  initdb + postgres on an empty volume, psql over TCP with SCRAM, a wrong password
#               refused, a restart on the same volume keeps the data
#   s3proxy     bucket, PUT, GET, list with SigV4 keys; anonymous access refused
# Usage: tools/images/smoke.sh [base|catalog|operator|postgresql|s3proxy ...]   (default: all)
# Needs root, runc, python3, curl; the Maven build's catalog/target/jib-image.tar and
# operator/target/jib-image.tar (./mvnw -pl catalog,operator -am package -DskipTests), and builds the
# base and test images itself when missing (tools/images/build-test-images.sh, seconds when cached).
# Ends with each image's size: the tarball (compressed layers) and unpacked.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
run="$here/run-image.py"
cache="${FLOE_IMAGE_CACHE:-$HOME/.cache/floe/images}"
port="${FLOE_SMOKE_PORT:-18900}"
uid="1000680000:0"
catalog_tar="$repo/catalog/target/jib-image.tar"
operator_tar="$repo/operator/target/jib-image.tar"
steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(base catalog operator postgresql s3proxy)

command -v runc >/dev/null || { echo "smoke.sh: runc not found (apt-get install runc)" >&2; exit 1; }
work="$(mktemp -d /tmp/floe-smoke.XXXXXX)"
chmod 0755 "$work"
# unpacked images and bundles live in the work directory, so runc's mount points and old image
# versions do not pile up between runs
export FLOE_RUN_DIR="${FLOE_RUN_DIR:-$work/run}"
started=()
cleanup() {
  local name
  for name in "${started[@]+"${started[@]}"}"; do "$run" stop "$name" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; exit 1; }
volume() {  # a host directory as a writable volume: group 0 may write, as with fsGroup/OpenShift
  local dir; dir="$(mktemp -d "$work/$1.XXXX")"; chmod 0775 "$dir"; echo "$dir"
}
start() {  # start NAME IMAGE [run-image options] [-- args]: detached, log in $work/NAME.log
  local what="$1" name="floe-smoke-$1-$$" image="$2"; shift 2
  "$run" run "$image" "$name" --detach --log "$work/$what.log" "$@" || fail "$name did not start: $(tail -n 20 "$work/$what.log")"
  started+=("$name")
}
stop() { "$run" stop "floe-smoke-$1-$$"; }
in_container() { local name="floe-smoke-$1-$$"; shift; "$run" exec "$name" -- "$@"; }
wait_for() {  # wait_for SECONDS WHAT COMMAND...: poll every 0.25 s
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    [[ $SECONDS -lt $deadline ]] || return 1
    sleep 0.25
  done
}
port_free() { ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }
need_test_images() {
  [[ -n "${test_images:-}" ]] || test_images="$("$here/build-test-images.sh" | tail -n 3)"
}
sizes=()
size_of() {  # size_of NAME TAR
  local root; root="$("$run" unpack "$2")"
  sizes+=("$(printf '%-36s %6s MB compressed  %6s MB unpacked' "$1" \
    "$(($(stat -c %s "$2") / 1000000))" "$(($(du -sb --exclude=.unpacked "$root" | cut -f1) / 1000000))")")
}

smoke_base() {
  local base; base="$("$here/build-base.sh" | tail -n 1)"
  "$run" run "$base" "floe-smoke-base-$$" --user "$uid" --emptydir /tmp --entrypoint '["java"]' \
    -- -Xshare:on -XX:+UseCompactObjectHeaders -version > "$work/base.log" 2>&1 || fail "base: java -version: $(cat "$work/base.log")"
  ok "base: $(grep -m1 'Runtime Environment' "$work/base.log") runs as $uid with -Xshare:on"
  "$run" run "$base" "floe-smoke-base-$$" --user "$uid" --emptydir /tmp --entrypoint '["sh", "-c"]' \
    -- 'test -r /etc/ssl/certs/java/cacerts && test "$(readlink -f "$JAVA_HOME/lib/security/cacerts")" = /etc/ssl/certs/java/cacerts && id -u' \
    > "$work/base.log" 2>&1 || fail "base: Java trust store: $(cat "$work/base.log")"
  ok "base: the JRE's cacerts is Debian's /etc/ssl/certs/java/cacerts, readable"
  size_of "floe/base (JRE)" "$base"
}

smoke_catalog() {
  [[ -f "$catalog_tar" ]] || fail "catalog: $catalog_tar missing: ./mvnw -B -pl catalog,operator -am package -DskipTests"
  "$run" run "$catalog_tar" "floe-smoke-cli-$$" --user "$uid" --emptydir /tmp -- --version > "$work/cli.log" 2>&1 \
    || fail "catalog: floe --version: $(cat "$work/cli.log")"
  ok "catalog: floe --version as $uid: $(tail -n 1 "$work/cli.log")"
  "$run" run "$catalog_tar" "floe-smoke-cli-$$" --emptydir /tmp -- --help > "$work/cli.log" 2>&1 \
    || fail "catalog: floe --help: $(cat "$work/cli.log")"
  grep -q "serve" "$work/cli.log" || fail "catalog: floe --help lists no serve: $(cat "$work/cli.log")"
  ok "catalog: floe --help as the image's user 10001:10001"

  local data p=$((port + 1)) started_at=$SECONDS
  data="$(volume catalog-data)"
  port_free "$p" || fail "catalog: port $p is in use (set FLOE_SMOKE_PORT)"
  start catalog "$catalog_tar" --user "$uid" --emptydir /tmp --bind "$data:/var/lib/floe" --host-network \
    --memory $((512 * 1024 * 1024)) -- serve --dev --port "$p"
  wait_for 120 readiness curl -fs "http://127.0.0.1:$p/health/readiness" \
    || fail "catalog: no readiness on $p: $(tail -n 30 "$work/catalog.log")"
  ok "catalog: floe serve --dev ready in $((SECONDS - started_at)) s: $(curl -fs "http://127.0.0.1:$p/health/readiness"), data in the volume: $(cd "$data" && echo .floe/*)"
  in_container catalog floe admin --help > "$work/admin.log" 2>&1 || fail "catalog: floe admin --help: $(cat "$work/admin.log")"
  ok "catalog: floe admin --help beside the server (as kubectl exec would run it)"
  local heap
  heap="$(in_container catalog sh -c 'FLOE_JAVA_OPTS=-XX:+PrintFlagsFinal floe --version' | awk '$2 == "MaxHeapSize" {print $4}')"
  ok "catalog: the launcher's JVM in a 512 MiB limit gets a $((heap / 1048576)) MiB heap (MaxRAMPercentage=75)"

  need_test_images
  local client token
  client="$(echo "$test_images" | grep pyiceberg)"
  token="$(cat "$data/.floe/dev-admin.key")"
  "$run" run "$client" "floe-smoke-client-$$" --user "$uid" --emptydir /tmp --host-network \
    --bind "$data:/var/lib/floe" --bind "$repo/tools/clients/pyiceberg_check.py:/scripts/check.py:ro" \
    --env "FLOE_URI=http://127.0.0.1:$p" --env "FLOE_TOKEN=$token" -- /scripts/check.py > "$work/client.log" 2>&1 \
    || fail "pyiceberg client: $(tail -n 30 "$work/client.log")"
  grep -q '"rows": 4' "$work/client.log" || fail "pyiceberg client: $(cat "$work/client.log")"
  ok "pyiceberg client image: $(grep RESULT "$work/client.log" | cut -c1-120)…"
  stop catalog
  size_of "ghcr.io/floe-dev/floe" "$catalog_tar"
  size_of "floe-test/pyiceberg-client" "$client"
}

smoke_operator() {
  [[ -f "$operator_tar" ]] || fail "operator: $operator_tar missing: ./mvnw -B -pl catalog,operator -am package -DskipTests"
  # no network namespace of the host: no API server to find
  start operator "$operator_tar" --user "$uid" --emptydir /tmp --env FLOE_HTTP_PORT=0
  wait_for 60 "a connection error" grep -q "UnresolvedAddressException\|Failed to start\|Couldn't start\|KubernetesClientException" "$work/operator.log" \
    || fail "operator: no start-up error without a cluster: $(tail -n 20 "$work/operator.log")"
  stop operator
  ok "operator: without a cluster: $(grep -m1 'starting floe-operator' "$work/operator.log" | cut -d' ' -f5-), then $(grep -m1 -o 'UnresolvedAddressException\|Couldn.t start informer[^:]*' "$work/operator.log")"
  if [[ -n "${FLOE_SMOKE_KUBECONFIG:-}" ]]; then
    local p=$((port + 2)) kc="$work/kubeconfig"
    install -m 0644 "$FLOE_SMOKE_KUBECONFIG" "$kc"
    start operator-kube "$operator_tar" --user "$uid" --emptydir /tmp --host-network \
      --bind "$kc:/etc/floe/kubeconfig:ro" --env KUBECONFIG=/etc/floe/kubeconfig \
      --env FLOE_WATCH_NAMESPACES=floe-images-smoke --env FLOE_HTTP_HOST=127.0.0.1 --env "FLOE_HTTP_PORT=$p"
    # ready when the CRDs are installed; else the API server's own answer (404 for the CRD) shows
    # that the image reached it with the kubeconfig's credentials
    wait_for 90 "the API server" sh -c "curl -fs http://127.0.0.1:$p/readyz || grep -q 'Failure executing' '$work/operator-kube.log'" \
      || fail "operator: no answer from the API server: $(tail -n 20 "$work/operator-kube.log")"
    ok "operator: with $FLOE_SMOKE_KUBECONFIG: /healthz $(curl -s "http://127.0.0.1:$p/healthz"), /readyz $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/readyz")$(grep -m1 -o 'Message: [^.]*' "$work/operator-kube.log" | sed 's/^/, API server: /')"
    stop operator-kube
  fi
  size_of "ghcr.io/floe-dev/floe-operator" "$operator_tar"
}

smoke_postgresql() {
  need_test_images
  local image data p=$((port + 3)) psql via
  image="$(echo "$test_images" | grep postgresql)"
  data="$(volume pg-data)"
  port_free "$p" || fail "postgresql: port $p is in use"
  local opts=(--user "$uid" --emptydir /tmp --emptydir /var/run/postgresql --bind "$data:/var/lib/postgresql/data"
    --host-network --env PGDATA=/var/lib/postgresql/data/pgdata --env POSTGRES_USER=floe
    --env POSTGRES_PASSWORD=smoke-password --env POSTGRES_DB=catalog)
  if command -v psql >/dev/null; then
    psql=(env PGPASSWORD=smoke-password psql -h 127.0.0.1 -p "$p" -U floe -d catalog -Atc)
    via="the host's psql"
  else
    via="the image's psql"
    psql=(in_container postgresql env PGPASSWORD=smoke-password psql -h 127.0.0.1 -p "$p" -U floe -d catalog -Atc)
  fi
  start postgresql "$image" "${opts[@]}" -- -c port="$p"
  wait_for 60 postgres "${psql[@]}" "select 1" || fail "postgresql: no answer on $p: $(tail -n 20 "$work/postgresql.log")"
  "${psql[@]}" "create table smoke(v text); insert into smoke values ('kept')" >/dev/null
  ok "postgresql: $("${psql[@]}" "select current_user || '@' || current_database() || ', ' || split_part(version(), ' ', 2) || ', ' || current_setting('password_encryption')") over TCP with $via"
  if "${psql[@]/smoke-password/wrong}" "select 1" >/dev/null 2>&1; then
    fail "postgresql: a wrong password was accepted"
  fi
  ok "postgresql: a wrong password is refused"
  stop postgresql
  start postgresql "$image" "${opts[@]}" -- -c port="$p"
  wait_for 60 postgres "${psql[@]}" "select 1" || fail "postgresql: no restart: $(tail -n 20 "$work/postgresql.log")"
  [[ "$("${psql[@]}" "select v from smoke")" == kept ]] || fail "postgresql: data lost on restart"
  ok "postgresql: restarted on the same volume, data kept"
  stop postgresql
  size_of "floe-test/postgresql" "$image"
}

smoke_s3proxy() {
  need_test_images
  local image data p=$((port + 4))
  image="$(echo "$test_images" | grep s3proxy)"
  data="$(volume s3-data)"
  port_free "$p" || fail "s3proxy: port $p is in use"
  start s3proxy "$image" --user "$uid" --emptydir /tmp --bind "$data:/data" --host-network \
    --env "S3PROXY_ENDPOINT=http://127.0.0.1:$p" --env S3PROXY_IDENTITY=smoke-key --env S3PROXY_CREDENTIAL=smoke-secret
  wait_for 60 s3proxy curl -s -o /dev/null "http://127.0.0.1:$p/" || fail "s3proxy: no answer: $(tail -n 20 "$work/s3proxy.log")"
  # curl signs with SigV4 itself; s3proxy wants the payload hash header, UNSIGNED-PAYLOAD will do
  local s3=(curl -fsS --aws-sigv4 aws:amz:us-east-1:s3 --user smoke-key:smoke-secret -H x-amz-content-sha256:UNSIGNED-PAYLOAD)
  echo "hello from the smoke test" > "$work/object.txt"
  "${s3[@]}" -X PUT "http://127.0.0.1:$p/smoke-bucket" || fail "s3proxy: create bucket"
  "${s3[@]}" -T "$work/object.txt" "http://127.0.0.1:$p/smoke-bucket/dir/object.txt" || fail "s3proxy: PUT"
  [[ "$("${s3[@]}" "http://127.0.0.1:$p/smoke-bucket/dir/object.txt")" == "hello from the smoke test" ]] || fail "s3proxy: GET"
  "${s3[@]}" "http://127.0.0.1:$p/smoke-bucket?list-type=2" | grep -q "<Key>dir/object.txt</Key>" || fail "s3proxy: list"
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/smoke-bucket/dir/object.txt")" == 403 ]] || fail "s3proxy: anonymous GET not refused"
  ok "s3proxy: bucket, PUT, GET, ListObjectsV2 with SigV4; anonymous GET 403; object stored in the volume"
  stop s3proxy
  size_of "floe-test/s3proxy" "$image"
}

for step in "${steps[@]}"; do
  case "$step" in
    base|catalog|operator|postgresql|s3proxy) "smoke_$step" ;;
    *) fail "unknown step $step (base catalog operator postgresql s3proxy)" ;;
  esac
done
echo "sizes (MB = 10^6 bytes):"
printf '  %s\n' "${sizes[@]}"
echo "smoke test passed: ${steps[*]}"
