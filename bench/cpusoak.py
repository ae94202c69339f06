#!/usr/bin/env python3
"""A long run of back-to-back CPU windows: is everything the agent keeps bounded and flat?

One JVM runs the bundled demo (or --main) with the agent; a client asks
/debug/pprof/profile?seconds=W back to back (Parca's pattern) for --minutes. Every --every
seconds it records, from /proc and the agent's own pages:
  rss        the process's resident memory (VmRSS)
  heap       the Java heap in use after a full GC (jcmd GC.run, then /debug/vars HeapAlloc)
  files      the agent's session files in the JVM's private java.io.tmpdir (count, bytes)
  fds        open file descriptors
  agent cpu  CPU seconds of the agent's threads (jpprof-*) and of async-profiler's own
             (Async-profiler*), and their share of one core over the last period
Prints one line per sample and a summary (first vs last sample after warm-up), with the
classes whose live instances grew most between those two samples (jcmd GC.class_histogram).

Usage: bench/cpusoak.py [--minutes 30] [--every 60] [--window 10] [--java java]
                        [--agent-args k=v,...] [--main CLASS] [--cp PATH]
(build first: mvn -B -q package -DskipTests)
"""
import argparse, json, os, re, socket, subprocess, sys, tempfile, threading, time, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--minutes", type=float, default=30)
ap.add_argument("--every", type=float, default=60)
ap.add_argument("--window", type=int, default=10)
ap.add_argument("--java", default="java")
ap.add_argument("--agent-args", default="")
ap.add_argument("--main", default="dev.jpprof.demo.Demo")
ap.add_argument("--cp", default=os.path.join(root, "integration-tests/target/classes"))
opts = ap.parse_args()

agent = os.path.join(root, "agent/target/profiler.jar")
tmp = tempfile.mkdtemp(prefix="jpprof-cpusoak-")
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
args = "port=%d%s" % (port, "," + opts.agent_args if opts.agent_args else "")
seconds = int(opts.minutes * 60) + 120
cmd = [opts.java, "-Djava.io.tmpdir=" + tmp, "-javaagent:%s=%s" % (agent, args),
       "-cp", opts.cp, opts.main, str(seconds)]
err = open(os.path.join(tmp, "stderr"), "w")
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
base = "http://127.0.0.1:%d/debug/pprof/" % port
deadline = time.time() + 60
while True:
    try:
        urllib.request.urlopen(base, timeout=5).read()
        break
    except OSError:
        if time.time() > deadline or proc.poll() is not None:
            raise SystemExit("the agent did not start; see " + err.name)
        time.sleep(0.2)

clk = os.sysconf("SC_CLK_TCK")
stop = threading.Event()
windows = {"ok": 0, "failed": 0}

def pull():
    while not stop.is_set():
        try:
            urllib.request.urlopen("%sprofile?seconds=%d" % (base, opts.window),
                                   timeout=opts.window + 30).read()
            windows["ok"] += 1
        except OSError:
            if not stop.is_set():  # not the window cut short by the end of the run
                windows["failed"] += 1
                time.sleep(1)

def thread_cpu():
    """CPU seconds by thread family: jpprof-* and Async-profiler*."""
    cpu = {"agent": 0.0, "async-profiler": 0.0}
    task_dir = "/proc/%d/task" % proc.pid
    for tid in os.listdir(task_dir):
        try:
            with open("%s/%s/stat" % (task_dir, tid)) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        used = (int(fields[11]) + int(fields[12])) / clk  # utime + stime
        if name.startswith("jpprof-"):
            cpu["agent"] += used
        elif name.startswith("Async-profiler"):
            cpu["async-profiler"] += used
    return cpu

def histogram():
    """{class: (instances, bytes)} of live objects (the histogram runs a full GC first)."""
    text = subprocess.run(["jcmd", str(proc.pid), "GC.class_histogram"], capture_output=True,
                          text=True, timeout=120).stdout
    live = {}
    for line in text.splitlines():
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            live[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return live

def sample():
    with open("/proc/%d/status" % proc.pid) as f:
        rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
    subprocess.run(["jcmd", str(proc.pid), "GC.run"], capture_output=True, timeout=60)
    heap = json.loads(urllib.request.urlopen(base.replace("/pprof/", "/vars"), timeout=10)
                      .read())["memstats"]["HeapAlloc"]
    files = [f for f in os.listdir(tmp) if f.startswith("jpprof-")]
    size = sum(os.path.getsize(os.path.join(tmp, f)) for f in files if os.path.exists(os.path.join(tmp, f)))
    fds = len(os.listdir("/proc/%d/fd" % proc.pid))
    return {"t": time.time(), "rss": rss, "heap": heap // 1024, "files": len(files),
            "fileKiB": size // 1024, "fds": fds, **thread_cpu()}

threading.Thread(target=pull, daemon=True).start()
print("java %s, agent %s, %s windows of %d s for %.0f min; tmpdir %s" % (
    opts.java, args, opts.main, opts.window, opts.minutes, tmp))
print("%6s %9s %9s %5s %8s %4s %10s %10s" % ("min", "rss KiB", "heap KiB", "files", "file KiB",
                                             "fds", "agent %", "ap %"))
start = time.time()
samples = []
prev = None
try:
    while time.time() - start < opts.minutes * 60:
        s = sample()
        share = lambda k: 100 * (s[k] - prev[k]) / (s["t"] - prev["t"]) if prev else float("nan")
        print("%6.1f %9d %9d %5d %8d %4d %10.2f %10.2f" % (
            (s["t"] - start) / 60, s["rss"], s["heap"], s["files"], s["fileKiB"], s["fds"],
            share("agent"), share("async-profiler")), flush=True)
        samples.append(s)
        if len(samples) == 2:
            first_histogram = histogram()
        prev = s
        stop.wait(opts.every)
    last_histogram = histogram() if len(samples) >= 3 else None
finally:
    stop.set()
    proc.terminate()
    proc.wait(30)

if len(samples) >= 3:
    a, b = samples[1], samples[-1]  # the first sample is before the JIT and heap settle
    hours = (b["t"] - a["t"]) / 3600
    print("windows: %(ok)d served, %(failed)d failed" % windows)
    print("from minute %.1f to %.1f: rss %+d KiB, heap after GC %+d KiB, files %d → %d, fds %d → %d"
          % ((a["t"] - start) / 60, (b["t"] - start) / 60, b["rss"] - a["rss"],
             b["heap"] - a["heap"], a["files"], b["files"], a["fds"], b["fds"]))
    print("agent threads %.2f %% of one core, async-profiler's %.2f %%" % (
        100 * (b["agent"] - a["agent"]) / (b["t"] - a["t"]),
        100 * (b["async-profiler"] - a["async-profiler"]) / (b["t"] - a["t"])))
    grew = sorted(((last_histogram.get(k, (0, 0))[1] - first_histogram.get(k, (0, 0))[1],
                    last_histogram.get(k, (0, 0))[0] - first_histogram.get(k, (0, 0))[0], k)
                   for k in set(first_histogram) | set(last_histogram)), reverse=True)
    print("live classes that grew most (bytes, instances):")
    for grown, count, name in grew[:8]:
        print("  %+9d B %+7d  %s" % (grown, count, name))
