#!/usr/bin/env python3
"""Warm restarts of two or more builds of floe.jar, alternating, each with its own JDK AOT cache.

Usage: bench/footprint/restarts.py [--runs 8] NAME=path/to/floe.jar NAME=… [-- JVM options for all]
A NAME's JVM options of its own follow its jar in the same argument: 'lib=floe.jar -Dsome.property=x'.

For each jar: trains an AOT cache (a `serve --dev` with -XX:AOTCacheOutput, a short workload over
HTTP, SIGTERM; the cache is written next to the jar, so keep one jar per path), then a first start on
an empty data directory. Then --runs rounds of one warm restart per jar, the order reversed every
other round so that a burst of outside load does not land on one jar. Prints, per jar, medians
(min–max) of start to the first 200 on /health/readiness, and the CPU the process, and its main
thread alone, used until then: on a loaded machine the CPU figures move far less than the wall time.
The JVM flags are the image launcher's defaults (tools/images/jib/catalog/usr/local/bin/floe) with
-XX:MaxRAM=1g, as the footprint benchmark's floe-jar target; java is BENCH_JAVA (default: a JDK 25
under /usr/lib/jvm).
"""
import glob
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAVA = os.environ.get("BENCH_JAVA") or (sorted(glob.glob("/usr/lib/jvm/*25*/bin/java")) or ["java"])[0]
PORT = int(os.environ.get("BENCH_PORT", "18791"))
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def launcher_flags():
    """The `default NAME OPTION` lines of the image launcher, as FootprintBench reads them."""
    path = os.path.join(ROOT, "tools/images/jib/catalog/usr/local/bin/floe")
    return [m.group(1) for m in re.finditer(r"^\s*default\s+\S+\s+(\S+)", open(path).read(), re.M)]


def cpu_ms(stat_path):
    fields = open(stat_path).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS


def main_thread_cpu_ms(pid):
    """The launcher runs main() on a new thread, also named java; the first one only waits."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        stat = f"/proc/{pid}/task/{tid}/stat"
        if re.search(r"\(java\)", open(stat).read()):
            total += cpu_ms(stat)
    return total


def start(jar, jvm, data, log):
    """Starts serve --dev in data; returns the process and its start-to-ready figures."""
    began = time.monotonic()
    process = subprocess.Popen(
        [JAVA, *jvm, "-jar", jar, "serve", "--dev", "--port", str(PORT)],
        cwd=data, stdout=log, stderr=subprocess.STDOUT)
    while True:
        if process.poll() is not None:
            sys.exit(f"{jar} exited with {process.returncode}; see {log.name}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/health/readiness")
            if connection.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.005)
    ready_ms = (time.monotonic() - began) * 1000
    return process, (ready_ms, cpu_ms(f"/proc/{process.pid}/stat"), main_thread_cpu_ms(process.pid))


def call(method, path, key, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    connection.request(method, path, json.dumps(body) if body else None, headers)
    response = connection.getresponse()
    response.read()
    if response.status >= 300:
        sys.exit(f"training: {method} {path} answered {response.status}")


def train(jar, flags, work):
    """Writes jar's AOT cache from a short workload; returns its path."""
    cache = jar + ".aot"
    data = tempfile.mkdtemp(prefix="train-", dir=work)
    with open(os.path.join(work, "train.log"), "a") as log:
        process, _ = start(jar, flags + ["-XX:AOTCacheOutput=" + cache], data, log)
        key = open(os.path.join(data, ".floe/dev-admin.key")).read().strip()
        schema = {"type": "struct", "schema-id": 0, "fields": [{"id": 1, "name": "id", "type": "long", "required": False}]}
        call("GET", "/v1/config", key)
        call("POST", "/v1/default/namespaces", key, {"namespace": ["train"]})
        call("POST", "/v1/default/namespaces/train/tables", key, {"name": "t", "schema": schema})
        for _ in range(200):
            call("GET", "/v1/default/namespaces/train/tables/t", key)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=600)  # the JVM writes the cache as it exits
    return cache


def summary(values):
    return f"{statistics.median(values):,.0f} ms ({min(values):,.0f}–{max(values):,.0f})"


def main(argv):
    runs = 8
    if argv[:1] == ["--runs"]:
        runs, argv = int(argv[1]), argv[2:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    targets = [arg.split("=", 1) for arg in (argv[:argv.index("--")] if "--" in argv else argv)]
    if len(targets) < 2:
        sys.exit(__doc__)
    jars = [(name, os.path.abspath(spec.split()[0])) for name, spec in targets]
    own = {name: spec.split()[1:] for name, spec in targets}
    flags = launcher_flags() + ["-XX:MaxRAM=1g"] + extra
    work = tempfile.mkdtemp(prefix="floe-restarts-")
    print(f"java {JAVA}; flags {' '.join(flags)}; {runs} rounds; load average {os.getloadavg()[0]:.1f}")
    trained = {jar: train(jar, flags, work) for jar in dict.fromkeys(jar for _, jar in jars)}
    caches = {name: trained[jar] for name, jar in jars}
    data = {name: tempfile.mkdtemp(prefix=name + "-", dir=work) for name, _ in jars}
    samples = {name: [] for name, _ in jars}
    with open(os.path.join(work, "serve.log"), "a") as log:
        for name, jar in jars:  # the first start creates the store the warm restarts open
            process, _ = start(jar, flags + own[name] + ["-XX:AOTCache=" + caches[name]], data[name], log)
            process.send_signal(signal.SIGTERM)
            process.wait()
        for round_ in range(runs):
            for name, jar in jars if round_ % 2 == 0 else list(reversed(jars)):
                process, figures = start(jar, flags + own[name] + ["-XX:AOTCache=" + caches[name]], data[name], log)
                process.send_signal(signal.SIGTERM)
                process.wait()
                samples[name].append(figures)
    print(f"warm restart, start to ready / process CPU / main-thread CPU, medians (min–max); "
          f"load average {os.getloadavg()[0]:.1f}")
    for name, values in samples.items():
        ready, cpu, main_cpu = zip(*values)
        print(f"  {name:>10}  {summary(ready)}  /  {summary(cpu)}  /  {summary(main_cpu)}")


if __name__ == "__main__":
    main(sys.argv[1:])
