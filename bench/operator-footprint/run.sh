#!/usr/bin/env bash
# Operator footprint benchmark: the operator's jar, started as its image starts it (the launcher's
# JVM options, the Deployment's 512 MiB limit as -XX:MaxRAM) on JDK 25 like the image, against a real
# kube-apiserver + etcd (kube-api-test, binaries from tools/kube/build.sh). Prints start-to-ready
# over several starts with 0 and with N catalogs, and RSS idle and after N catalogs (each with its
# own KmsBinding) are reconciled.
# Usage: BENCH_OPTS="-Dbench.catalogs=200 -Dbench.starts=5 -Dbench.idle.seconds=30" bench/operator-footprint/run.sh
#   BENCH_JVM="-XX:NativeMemoryTracking=summary" adds options to the operator's JVM (with NMT the
#   bench also prints the NMT summary and the heap histogram); -Dbench.memory.limit=512m.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export KUBE_API_TEST_OFFLINE_MODE=true
export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
java_home="${BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)}"
[[ -x "$java_home/bin/java" ]] || { echo "operator-footprint: set BENCH_JAVA_HOME to a JDK 25 (the image's java)" >&2; exit 1; }
tools/kube/build.sh >/dev/null
# package: target/floe-operator.jar, the jar the image's classes come from.
./mvnw -B -q -pl operator -am package dependency:build-classpath -DskipTests -Dfloe.images.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd operator
# shellcheck disable=SC2086 # BENCH_OPTS are words
exec java -Xmx256m -Dbench.java="$java_home/bin/java" -Dbench.jvm="${BENCH_JVM:-}" ${BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" dev.floe.operator.bench.OperatorFootprintBench
