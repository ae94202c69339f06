#!/usr/bin/env python3
"""Whole-process cost of allocation profilers, interleaved runs, median ratios vs no agent.

Each run is one JVM running bench/AllocMain (one worker thread: warm-up, then a fixed window)
under one configuration:
  none          no profiler
  jpprof        -javaagent:agent/target/profiler.jar, alloc.rate 512 KiB (no CPU profile asked):
                the default engine, alloc.engine=auto (JVMTI SampledObjectAlloc via libjpprof)
  jpprof-jfr    the same with alloc.engine=jfr (JFR jdk.ObjectAllocationSample, allocs only)
  jpprof-bytebuddy  the same with alloc.engine=bytebuddy (allocation sites rewritten)
  ap-alloc      async-profiler as -agentpath, event=alloc,alloc=512k, JFR output
  ap-alloc-live the same with live (tracks which samples are still reachable)
  jfr           JFR with only jdk.ObjectAllocationSample on (default.jfc's throttle, 150/s)
Workloads: ea (allocation that C2 scalar-replaces) and mixed (collections growth, strings,
builders, boxing, array copies). The order of the configurations rotates every round.
Reported per workload and configuration, as medians over the rounds with min-max:
  ops per process-CPU-second (agent threads, JIT and GC included) and its ratio to the same
  round's no-agent run; worker-thread allocated bytes per op (ThreadMXBean) and its ratio.

A jpprof run first waits until the index page's "allocation sampling:" line says neither
"starting" (the JFR engine starts after the server) nor "installing" (the Byte Buddy engine
rewriting the JDK classes already loaded deoptimizes running code, under load seconds after
start), a start-up cost this benchmark must not count as steady state.
For jpprof runs it also prints the coverage: the allocs profile's alloc_space, unsampled,
over the worker's allocated bytes.
A second table splits the window's CPU by thread (/proc/self/task/*/schedstat: worker, jpprof-heap, other
jpprof threads, JIT, GC + VM thread) in ms per second of window, gives jpprof's JVMTI samples per
second (index page) and the extra process CPU per sample against the round's no-agent run
((cpu/op - none's cpu/op) x ops / samples; for configurations without a sample count, samples
are estimated as allocated bytes / 512 KiB).

Usage: bench/alloc.py [--rounds 5] [--java java] [--workloads ea,mixed] [--configs ...]
                      [--variant NAME=other-profiler.jar ...] [--agent-args k=v,...]
                      [--warmup 4] [--window 4]
A variant is one more configuration, "jpprof-NAME", running another build of the agent jar (for
comparing changes to the engine in the same interleaved rounds).
(build first: mvn -B -o -q -pl agent -am package -DskipTests)
"""
import argparse, glob, os, socket, statistics, subprocess, sys, tempfile, zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--java", default="java")
ap.add_argument("--workloads", default="ea,mixed")
ap.add_argument("--configs",
                default="none,jpprof,jpprof-jfr,jpprof-bytebuddy,ap-alloc,ap-alloc-live,jfr")
ap.add_argument("--variant", action="append", default=[])
ap.add_argument("--agent-args", default="")
ap.add_argument("--warmup", default="4", help="seconds before the window")
ap.add_argument("--window", default="4", help="seconds measured")
opts = ap.parse_args()
rounds, java = opts.rounds, opts.java
extra = "," + opts.agent_args if opts.agent_args else ""
WARMUP, MEASURE = opts.warmup, opts.window
agent = os.path.join(root, "agent/target/profiler.jar")
if not os.path.exists(agent):
    raise SystemExit("build the agent first: mvn -B -o -q -pl agent -am package -DskipTests")

tmp = tempfile.mkdtemp(prefix="jpprof-allocbench-")
subprocess.run(["javac", "--release", "11", "-d", tmp,
                os.path.join(root, "bench/AllocMain.java")], check=True)

jars = sorted(glob.glob(os.path.expanduser(
    "~/.m2/repository/tools/profiler/async-profiler/*/async-profiler-*.jar")))
jars = [j for j in jars if not j.endswith(("-sources.jar", "-javadoc.jar"))]
if not jars:
    raise SystemExit("no tools.profiler:async-profiler jar in ~/.m2")
lib = os.path.join(tmp, "libasyncProfiler.so")
with zipfile.ZipFile(jars[-1]) as z, open(lib, "wb") as f:
    f.write(z.read("linux-x64/libasyncProfiler.so"))

jfc = os.path.join(tmp, "alloc.jfc")
with open(jfc, "w") as f:
    f.write("""<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocation samples only">
  <event name="jdk.ObjectAllocationSample">
    <setting name="enabled">true</setting>
    <setting name="throttle">150/s</setting>
    <setting name="stackTrace">true</setting>
  </event>
</configuration>
""")

def out(name):
    return os.path.join(tmp, name)

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def jpprof(jar, args=""):
    return lambda: ["-javaagent:%s=port=%d,alloc.rate=524288%s%s" % (jar, free_port(), args, extra)]

ALL = {
    "none": lambda: [],
    "jpprof": jpprof(agent),
    "jpprof-jfr": jpprof(agent, ",alloc.engine=jfr"),
    "jpprof-bytebuddy": jpprof(agent, ",alloc.engine=bytebuddy"),
    "ap-alloc": lambda: ["-agentpath:%s=start,event=alloc,alloc=512k,jfr,file=%s,loglevel=warn"
                         % (lib, out("ap.jfr"))],
    "ap-alloc-live": lambda: ["-agentpath:%s=start,event=alloc,alloc=512k,live,jfr,file=%s,loglevel=warn"
                              % (lib, out("ap-live.jfr"))],
    "jfr": lambda: ["-XX:StartFlightRecording:settings=%s,filename=%s" % (jfc, out("jfr.jfr"))],
}
for v in opts.variant:
    name, _, jar = v.partition("=")
    ALL["jpprof-" + name] = jpprof(os.path.abspath(jar))
NAMES = opts.configs.split(",") + ["jpprof-" + v.partition("=")[0] for v in opts.variant]
CONFIGS = {n: ALL[n] for n in NAMES}
WORKLOADS = opts.workloads.split(",")

def run(config, workload):
    args = CONFIGS[config]()
    cmd = [java] + args + ["-cp", tmp, "AllocMain", workload, WARMUP, MEASURE]
    if config.startswith("jpprof"):
        port = args[0].split("port=")[1].split(",")[0]
        cmd.append("http://127.0.0.1:%s/debug/pprof/" % port)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    values = {}
    for line in p.stdout.splitlines():
        key, eq, value = line.partition("=")
        if eq and key in ("ops", "cpuNs", "wallNs", "allocatedBytes"):
            values[key] = int(value)
        elif eq and key == "coverage":
            coverage[(workload, config)].append(float(value))
        elif eq and (key.startswith("threadCpuNs.") or key == "samples"):
            values[key] = int(value)
    if p.returncode != 0 or not all(k in values for k in ("ops", "cpuNs", "wallNs", "allocatedBytes")):
        raise SystemExit("%s %s failed (%d):\n%s\n%s" % (config, workload, p.returncode,
                                                         p.stdout, p.stderr))
    if config != "none" and p.stderr.strip() and "jpprof: serving" not in p.stderr:
        print("  stderr of %s/%s: %s" % (config, workload, p.stderr.strip()[:300]), file=sys.stderr)
    ops = values["ops"]
    return ops / (values["cpuNs"] / 1e9), values["allocatedBytes"] / ops, values

load_before = os.getloadavg()
results = {(w, c): [] for w in WORKLOADS for c in NAMES}
coverage = {(w, c): [] for w in WORKLOADS for c in NAMES}
for r in range(rounds):
    order = NAMES[r % len(NAMES):] + NAMES[:r % len(NAMES)]
    for w in WORKLOADS:
        for c in order:
            results[(w, c)].append(run(c, w))
    print("round %d/%d done, load %.1f" % (r + 1, rounds, os.getloadavg()[0]), file=sys.stderr)
load_after = os.getloadavg()

version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print("java: %s; %d interleaved rounds; warm-up %s s, window %s s; load avg (1/5/15 min) "
      "before %.1f/%.1f/%.1f, after %.1f/%.1f/%.1f%s" % (
          version, rounds, WARMUP, MEASURE, *load_before, *load_after,
          "; jpprof args +" + extra[1:] if extra else ""))
print()

def span(xs, fmt):
    return "%s (%s–%s)" % (fmt % statistics.median(xs), fmt % min(xs), fmt % max(xs))

print("| workload | config | ops / CPU-s | vs none | B/op | B/op vs none | coverage |")
print("|---|---|---|---|---|---|---|")
for w in WORKLOADS:
    base = results[(w, "none")]
    for c in NAMES:
        xs = results[(w, c)]
        speed = [x[0] / b[0] for x, b in zip(xs, base)]
        row = [w, c, span([x[0] for x in xs], "%.3g"), span(speed, "%.3f"),
               span([x[1] for x in xs], "%.1f")]
        if statistics.median(b[1] for b in base) >= 1:
            row.append(span([x[1] / b[1] for x, b in zip(xs, base)], "%.3f"))
        else:
            row.append("(baseline allocates ~0)")
        cov = coverage[(w, c)]
        row.append(span(cov, "%.2f") if cov else "")
        print("| " + " | ".join(row) + " |")

print()
print("CPU by thread in the window (ms per s of window), samples per s, extra process CPU per sample:")
print()
GROUPS = ["worker", "jpprof-heap", "jpprof-other", "jit", "gc+vm", "other"]
print("| workload | config | " + " | ".join(GROUPS) + " | samples/s | extra CPU / sample |")
print("|---" * (len(GROUPS) + 4) + "|")
for w in WORKLOADS:
    base = results[(w, "none")]
    for c in NAMES:
        xs = results[(w, c)]
        row = [w, c]
        for g in GROUPS:
            row.append("%.0f" % statistics.median(
                x[2].get("threadCpuNs." + g, 0) / x[2]["wallNs"] * 1e3 for x in xs))
        rates, costs = [], []
        for x, b in zip(xs, base):
            v, bv = x[2], b[2]
            n = v["samples"] if "samples" in v else v["allocatedBytes"] / 524288.0
            rates.append(n / (v["wallNs"] / 1e9))
            extra = (v["cpuNs"] / v["ops"] - bv["cpuNs"] / bv["ops"]) * v["ops"]
            if n >= 100:  # a workload that allocates ~nothing has no cost per sample to speak of
                costs.append(extra / n / 1e3)
        est = "" if all("samples" in x[2] for x in xs) else " (est.)"
        row.append("%.0f%s" % (statistics.median(rates), est) if c != "none" else "")
        row.append(span(costs, "%.1f") + " µs" if costs and c != "none" else "")
        print("| " + " | ".join(row) + " |")
