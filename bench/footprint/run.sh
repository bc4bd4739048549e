#!/usr/bin/env sh
# Footprint benchmark: start-to-ready, RSS idle and after a fixed load, and loadTable throughput of
# Floe (the shaded jar with the image's JVM flags, and the real image under runc when run as root
# with runc) against Iceberg's reference RESTCatalogServer; see FootprintBench's Javadoc.
# Builds floe.jar and the image (if missing) and the benchmark. About 2 minutes per run of 3 targets.
# Tunables via BENCH_OPTS: -Dbench.runs=3 -Dbench.loads=10000 -Dbench.threads=1,4,16 -Dbench.seconds=4
# -Dbench.targets=floe-jar,floe-image,reference -Dbench.memory.limit=1073741824 -Dbench.floe.jvm='…'
# -Dbench.floe.image.env='FLOE_JAVA_OPTS=…;MALLOC_ARENA_MAX=…' (the image container's environment, ;-separated).
# The jars run on the JDK in BENCH_JAVA_HOME (default: a JDK 25 under /usr/lib/jvm, else java on PATH).
# Results are printed and written to bench/footprint/results/.
set -eu
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
cd "$ROOT"
[ -f catalog/target/floe.jar ] || ./mvnw -B -q -pl catalog -am package -DskipTests
./mvnw -B -q -f bench/footprint/pom.xml package
CP="bench/footprint/target/footprint-0.1.0-SNAPSHOT.jar:$(cat bench/footprint/target/classpath.txt)"
JAVA_HOME_BENCH=${BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1)}
JAVA=${JAVA_HOME_BENCH:+$JAVA_HOME_BENCH/bin/}java
# the reference server's Hadoop file IO needs JDK <= 22 (Subject.getSubject): JDK 17 when present
REF_JAVA=${BENCH_REFERENCE_JAVA:-$(ls -d /usr/lib/jvm/java-17-openjdk*/bin/java 2>/dev/null | head -n 1)}
mkdir -p bench/footprint/results
OUT="bench/footprint/results/$(date -u +%Y%m%dT%H%M%SZ).txt"
{ date -u; uptime; } | tee "$OUT"
"$JAVA" -Xmx512m ${REF_JAVA:+-Dbench.reference.java=$REF_JAVA} ${BENCH_OPTS:-} -cp "$CP" dev.floe.bench.FootprintBench "$ROOT" | tee -a "$OUT"
uptime | tee -a "$OUT"
echo "results written to $OUT"
