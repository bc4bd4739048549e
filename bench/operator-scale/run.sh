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
./mvnw -B -q -pl operator test-compile
./mvnw -B -q -pl operator exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.floe.operator.bench.OperatorScaleBench \
  -Dexec.args="${1:-200} ${2:-60}" -Dexec.cleanupDaemonThreads=false
