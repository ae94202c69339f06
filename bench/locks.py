#!/usr/bin/env python3
"""Lock profiling cost: ops per process-CPU-second of four lock workloads, interleaved runs.

Configurations: no agent; jpprof with block/mutex off (its other engines only); jpprof with
block.rate/mutex.fraction at the candidate defaults; async-profiler `lock` at 10 us (jfr output
to a temp file); JFR jdk.JavaMonitorEnter + jdk.ThreadPark at 10 ms (bench/locks.jfc).
Prints the median ratio to "no agent" per workload and configuration.
Runs with jpprof wait until its index page says every engine is installed, then warm up 4 s.
Usage: bench/locks.py [rounds] [java] [block.rate] [mutex.fraction]
(build first: mvn -B -q package -DskipTests; async-profiler's library is taken from its jar in ~/.m2)
"""
import glob, os, statistics, subprocess, sys, tempfile, zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
java = sys.argv[2] if len(sys.argv) > 2 else "java"
rate = sys.argv[3] if len(sys.argv) > 3 else "1ms"
fraction = sys.argv[4] if len(sys.argv) > 4 else "10"
warmup, measure = "4", "4"
agent = os.path.join(root, "agent/target/profiler.jar")
tmp = tempfile.mkdtemp()
subprocess.run(["javac", "--release", "11", "-d", tmp, os.path.join(root, "bench/LockBench.java")],
               check=True)
jar = sorted(glob.glob(os.path.expanduser(
    "~/.m2/repository/tools/profiler/async-profiler/*/async-profiler-*.jar")))[-1]
with zipfile.ZipFile(jar) as z:
    z.extract("linux-x64/libasyncProfiler.so", tmp)
lib = os.path.join(tmp, "linux-x64/libasyncProfiler.so")

configs = {
    "none": [],
    "jpprof, locks off": ["-javaagent:%s=port=0,block.rate=0,mutex.fraction=0" % agent],
    "jpprof block.rate=%s mutex.fraction=%s" % (rate, fraction):
        ["-javaagent:%s=port=0,block.rate=%s,mutex.fraction=%s" % (agent, rate, fraction)],
    "async-profiler lock=10us": ["-agentpath:%s=start,event=lock,lock=10us,jfr,file=%s/ap.jfr"
                                 % (lib, tmp)],
    "JFR monitor+park 10ms": ["-XX:StartFlightRecording:settings=%s,filename=%s/jfr.jfr"
                              % (os.path.join(root, "bench/locks.jfc"), tmp)],
}
workloads = ["sync", "lock", "queue", "syncpair"]

def run(flags, workload):
    # With jpprof, LockBench first waits until the agent's index says every engine is installed.
    waits = ["agent"] if any("profiler.jar" in f for f in flags) else []
    out = subprocess.run([java, "-Xmx256m"] + flags + ["-cp", tmp, "LockBench", workload, warmup,
                          measure] + waits, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                         check=True).stdout
    return float(out.split("ops_per_cpu_second")[1].split()[0])

ratios = {(c, w): [] for c in configs for w in workloads}
base = {w: [] for w in workloads}
for r in range(rounds):
    for w in workloads:
        none = run([], w)
        base[w].append(none)
        for c, flags in configs.items():
            if c != "none":
                ratios[(c, w)].append(run(flags, w) / none)
print("java: %s, %d interleaved rounds, load average %s, median ratio to no agent "
      "(ops per process-CPU-second)" % (java, rounds, open("/proc/loadavg").read().split()[0]))
print("| config | " + " | ".join(workloads) + " |")
print("|---|" + "---|" * len(workloads))
print("| none (ops/CPU-s) | " + " | ".join("%.3g" % statistics.median(base[w]) for w in workloads) + " |")
for c in configs:
    if c != "none":
        print("| %s | " % c + " | ".join("%.3f" % statistics.median(ratios[(c, w)])
                                         for w in workloads) + " |")
