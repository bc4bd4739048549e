#!/usr/bin/env bash
# Operator Secret-cache benchmark: the operator's heap on a real kube-apiserver + etcd before and
# after N (default 1000) unrelated 1 KiB Secrets appear, and how many Secret copies its caches hold.
# Usage: bench/operator-secrets/run.sh [secrets]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export KUBE_API_TEST_OFFLINE_MODE=true
export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
tools/kube/build.sh >/dev/null
./mvnw -B -q -pl operator -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd operator
# Its own JVM (not Maven's), so the heap figures are the operator's plus this small driver.
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.floe.operator.bench.SecretCacheBench "${1:-1000}"
