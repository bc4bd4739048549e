#!/usr/bin/env bash
# Operator scale benchmark: N IcebergCatalogs (default 200) applied at once to a real
# kube-apiserver + etcd (kube-api-test, binaries from tools/kube/build.sh), operator in-process.
# Prints time to converge, API requests per catalog, idle-window writes and heap.
# Usage: bench/operator-scale/run.sh [catalogs] [idleSeconds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export KUBE_API_TEST_OFFLINE_MODE=true
export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
tools/kube/build.sh >/dev/null
./mvnw -B -q -pl operator -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd operator
# Its own JVM (not Maven's), so the heap figure is the operator's plus this small driver.
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.floe.operator.bench.OperatorScaleBench "${1:-200}" "${2:-60}"
