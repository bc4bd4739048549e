#!/usr/bin/env bash
# Adds a JDK 25 AOT cache (JEPs 483/514/515: classes loaded and linked, method profiles) to the
# catalog image tarball Jib wrote, as one more layer holding /app/floe.aot.
#
# An AOT cache is only used by the JVM build that wrote it, with the same class path (same jars,
# same sizes and modification times). So it is trained inside the image itself, with the image's
# own java and launcher: tools/images/run-image.py runs the image with runc as the pods do (read-only
# root, emptyDir /tmp and data volume, 1 GiB limit, host network on loopback) with
# FLOE_JAVA_OPTS=-XX:AOTCacheOutput=…, this script drives a short workload over HTTP with curl
# (config, namespace and table create, loadTable, commit, list, the health and metrics endpoints),
# then stops it with SIGTERM; the JVM writes the cache as it exits. Jib's files are dated
# 1970-01-01 00:00:01 in every build, so the cache stays valid for the image it is added to.
#
# Usage: tools/images/aot-cache.sh catalog/target/jib-image.tar IMAGE-REF
# Needs root and runc (as smoke.sh), python3, curl. The launcher uses the cache when it is there
# (-XX:AOTCache=/app/floe.aot); an image without it still works, only starts slower.
set -euo pipefail
tarball="$(readlink -f "$1")"
ref="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/floe-aot.XXXXXX)"
name="floe-aot-train-$$"
# A free loopback port unless one is given: two builds on one machine (worktrees, CI beside a
# developer) training at once on a fixed port would send one build's requests to the other's server.
port="${FLOE_AOT_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
trap 'python3 "$here/run-image.py" stop "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
# A private unpack directory: run-image.py's shared one is keyed by the image's last layer, which
# Jib leaves unchanged when only the classes change, so it could hand back an older build's root
# filesystem. A cache trained on older jars would be worse than none: Jib dates every file
# 1970-01-01, so when a jar's size is unchanged the JVM cannot tell and would run the archived
# older classes.
export FLOE_RUN_DIR="$work/run"

mkdir -p "$work/out" "$work/data" "$work/layer/app"
chmod 0777 "$work/out" "$work/data"
started=$SECONDS
python3 "$here/run-image.py" run "$tarball" "$name" --emptydir /tmp --bind "$work/data:/var/lib/floe" \
  --bind "$work/out:/aot" --host-network --memory $((1 << 30)) \
  --env FLOE_JAVA_OPTS=-XX:AOTCacheOutput=/aot/floe.aot --detach --log "$work/train.log" \
  -- serve --dev --port "$port"
base="http://127.0.0.1:$port"
for _ in $(seq 600); do
  curl -fs -o /dev/null "$base/health/readiness" && break
  sleep 0.1
done
curl -fs -o /dev/null "$base/health/readiness" || { tail -n 40 "$work/train.log" >&2; echo "aot-cache.sh: the training server did not get ready" >&2; exit 1; }

auth="Authorization: Bearer $(cat "$work/data/.floe/dev-admin.key")"
call() {  # call METHOD PATH [JSON]: fails on any non-2xx answer
  local method="$1" path="$2"; shift 2
  curl -fsS -o /dev/null -X "$method" -H "$auth" -H 'Content-Type: application/json' ${1:+-d "$1"} "$base$path"
}
schema='{"type":"struct","schema-id":0,"fields":[{"id":1,"name":"id","type":"long","required":false},{"id":2,"name":"ts","type":"timestamptz","required":false},{"id":3,"name":"note","type":"string","required":false}]}'
call GET /v1/config
call POST /v1/default/namespaces '{"namespace":["train"],"properties":{"owner":"aot"}}'
for t in 1 2 3 4 5; do
  call POST /v1/default/namespaces/train/tables "{\"name\":\"t$t\",\"schema\":$schema,\"partition-spec\":{\"spec-id\":0,\"fields\":[{\"source-id\":2,\"field-id\":1000,\"name\":\"ts_day\",\"transform\":\"day\"}]}}"
  call POST /v1/default/namespaces/train/tables/t$t '{"requirements":[],"updates":[{"action":"set-properties","updates":{"k":"v"}}]}'
done
for _ in $(seq 300); do
  for t in 1 2 3 4 5; do call GET /v1/default/namespaces/train/tables/t$t; done
done
call GET /v1/default/namespaces
call GET /v1/default/namespaces/train
call GET /v1/default/namespaces/train/tables
call HEAD /v1/default/namespaces/train/tables/t1
curl -fs -o /dev/null "$base/health/liveness"
curl -fs -o /dev/null "$base/metrics" || true
# The JVM writes the cache as it exits: seconds when idle, minutes on a loaded 2-CPU machine.
python3 "$here/run-image.py" stop "$name" --wait 600
[[ -s "$work/out/floe.aot" ]] || { tail -n 40 "$work/train.log" >&2; echo "aot-cache.sh: no AOT cache was written" >&2; exit 1; }

# readable by any uid (the pods run as an arbitrary uid with gid 0)
install -m 0644 "$work/out/floe.aot" "$work/layer/app/floe.aot"
# pack-image.py reads a base whose layers are named blobs/sha256/<digest>; Jib names them
# <digest>.tar.gz: the same blobs under pack-image's names
python3 - "$tarball" "$work/jib-base.tar" <<'PY'
import io, json, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as tin, tarfile.open(dst, "w") as tout:
    manifest = json.load(tin.extractfile("manifest.json"))
    renamed = {n: "blobs/sha256/" + n[:-len(".tar.gz")] for n in manifest[0]["Layers"]}
    manifest[0]["Layers"] = [renamed[n] for n in manifest[0]["Layers"]]
    for member in tin.getmembers():
        data = tin.extractfile(member)
        if member.name == "manifest.json":
            raw = json.dumps(manifest).encode()
            member.size, data = len(raw), io.BytesIO(raw)
        member.name = renamed.get(member.name, member.name)
        tout.addfile(member, data)
PY
python3 "$here/pack-image.py" --ref "$ref" --out "$tarball.part" --base "$work/jib-base.tar" --layer "$work/layer" --sde 1 \
  --comment "tools/images/aot-cache.sh: JDK AOT cache /app/floe.aot, trained in this image" > /dev/null
mv "$tarball.part" "$tarball"
echo "aot-cache.sh: /app/floe.aot ($(stat -c %s "$work/layer/app/floe.aot") bytes) trained in $((SECONDS - started)) s, added to $tarball"
