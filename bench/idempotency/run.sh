#!/usr/bin/env bash
# Idempotency footprint benchmark: live heap and database growth of a catalog server over N commits
# to a table with large metadata, each with a new Idempotency-Key, against the same commits without
# one (two fresh servers in one JVM, embedded SQLite, --dev settings). Prints the figures at the end.
# Compiles against the catalog module's classes and runtime dependencies.
# Usage: bench/idempotency/run.sh   Tunables via BENCH_OPTS: -Dbench.commits=10000 -Dbench.metadata.kib=64
#        (and -Xmx; the default heap is 1 GiB). About 5 minutes with the defaults on 2 CPUs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/idempotency"
out="$here/target"
cd "$root"
./mvnw -B -q -pl catalog compile
./mvnw -B -q -pl catalog dependency:build-classpath -Dmdep.outputFile="$out/catalog.classpath" -Dmdep.includeScope=runtime
mkdir -p "$out/classes"
cp="$root/catalog/target/classes:$(cat "$out/catalog.classpath")"
javac --release 17 -cp "$cp" -d "$out/classes" $(find "$here/src" -name '*.java')
java -Xmx1g ${BENCH_OPTS:-} \
  -cp "$out/classes:$cp" dev.floe.bench.idempotency.IdempotencyFootprintBench
