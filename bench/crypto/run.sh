#!/usr/bin/env bash
# Crypto benchmarks. "seal": JMH 1.37, seal/open of a 200-byte value through envelope encryption vs
# raw JCA AES-256-GCM with a fixed key (ratio), then KMS calls during 10,000 loadTable (catalog API).
# "http": loadTable through the HTTP API, encryption on vs off (two servers, same run, ratio), then
# KMS calls during 10,000 HTTP loadTable after warm-up.
# Compiles against the catalog module's classes and dependencies; prints the figures at the end.
# Usage: bench/crypto/run.sh [seal|http|all]   (default all; http tunables via BENCH_OPTS, see
#        LoadTableHttpBench's Javadoc)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/crypto"
out="$here/target"
JMH_VERSION=1.37
cd "$root"
# -am builds contract/ in the same reactor (catalog depends on it); catalog writes the file last.
./mvnw -B -q -pl catalog -am compile dependency:build-classpath -Dmdep.outputFile="$out/catalog.classpath" -Dmdep.includeScope=runtime
mkdir -p "$out/lib" "$out/classes"
for a in jmh-core jmh-generator-annprocess; do
  ./mvnw -B -q dependency:copy -Dartifact="org.openjdk.jmh:$a:$JMH_VERSION" -DoutputDirectory="$out/lib" >/dev/null
done
./mvnw -B -q dependency:copy -Dartifact=net.sf.jopt-simple:jopt-simple:5.0.4 -DoutputDirectory="$out/lib" >/dev/null
./mvnw -B -q dependency:copy -Dartifact=org.apache.commons:commons-math3:3.6.1 -DoutputDirectory="$out/lib" >/dev/null
cp="$root/catalog/target/classes:$(cat "$out/catalog.classpath"):$(ls "$out"/lib/*.jar | tr '\n' ':')"
javac --release 17 -cp "$cp" -processorpath "$cp" -d "$out/classes" $(find "$here/src" -name '*.java')
what="${1:-all}"
if [[ "$what" == seal || "$what" == all ]]; then
  java -cp "$out/classes:$cp" dev.floe.bench.crypto.CryptoBench
fi
if [[ "$what" == http || "$what" == all ]]; then
  java -Xmx1g ${BENCH_OPTS:-} -cp "$out/classes:$cp" dev.floe.bench.crypto.LoadTableHttpBench
fi
