#!/usr/bin/env python3
"""A realistic service under a bounded load, with and without jpprof: interleaved pairs.

Each run starts two JVMs from bench/ServiceMain.java: the server (com.sun.net.httpserver, a
fixed pool of --threads workers answering GET /orders?user=N with JSON-ish work: records,
strings, boxing, a HashMap of ArrayLists, sorting, String.format, a ConcurrentHashMap of
long-lived totals, a ~3 KB body) with the configuration's JVM options, and a closed-loop load
client without an agent (--connections keep-alive sockets on loopback, one request in flight on
each). The client warms up, then counts the answers completed in a fixed window. While the
server runs, the configuration's pulls fetch agent endpoints on their own schedule (from the
server's start, so the window sees them at steady state, as a scraper would).

Reported per configuration, as the median (min-max) over rounds: requests per second, its ratio
to the same round's `none` run, requests per second of server CPU (utime+stime of the server
process in the window, /proc) and its ratio. The order of the configurations rotates each round.

Configurations live in one table, CONFIGS: JVM options (agent or not, its arguments) and pulls
(path, period in seconds; period 0 = back to back, the next request as soon as one returns).
The CPU rows (cpu-*, ap-once, jfr-profile) are issue 11's: see CONFIGS. For them use a warm-up
of two windows or more (--warmup 25 --window 30): the agent's own parsing code is compiled by
the JIT during its first windows, a one-time cost the steady state must not count.

The push rows (issue 14) push cpu, allocs and goroutine every second to bench/pyroscope_fake.py, which
answers each as its row says: ok, down (refused), 500, 400, slow (3 s) and hang (longer than
push.timeout). For them add --heap: the server's heap after a full GC at the end of the window
(jcmd GC.run, then GC.heap_info), and the agent's push counters from /metrics.

Usage: bench/service.py [--configs none,idle,heap-pull] [--rounds 10] [--warmup 8] [--window 15]
                        [--java java] [--agent-args k=v,...] [--variant NAME=profiler.jar ...]
                        [--threads 4] [--connections 8] [--steady [--together]] [--perf] [--heap]
  --steady keeps one server per configuration up for the whole run (warmed up for --warmup
  seconds of load each, in 30 s turns), and measures them in turn: steady state without paying a
  JVM start and a long warm-up for every window.
  --together (with --steady) loads all the servers in the same windows instead of in turn: on a
  shared host whose speed drifts between seconds, only a per-CPU-second comparison made in the
  same seconds can tell a point or two apart.
  A configuration named NAME#2 (#3, …) is another server of NAME: with --steady each
  configuration is one JVM, and two JVMs of one configuration can differ by what their JITs
  happened to compile; NAME against NAME#2 shows how much.
  --agent-args is appended to every jpprof configuration's agent arguments.
  --variant NAME=jar adds a configuration NAME: `idle` with another build of the agent jar.
(build first: mvn -B -o -q install -DskipTests)
"""
import argparse, glob, os, random, re, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request, zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AGENT = os.path.join(root, "agent/target/profiler.jar")

# name -> (agent jar or None, extra agent arguments, [(path under /debug/pprof/, period s)],
#          other JVM options). The CPU rows (issue 11) turn allocation sampling off, so that
# only the CPU path is measured: Parca's back-to-back 10 s windows, the same with the session
# restarted per window (cpu.idleTimeout=0, the design before issue 11), Parca's and Alloy's
# schedules with a person's 30 s window on top, async-profiler started once at JVM start (same
# event, interval and JFR output) and JFR's `profile` settings.
CPU_ONLY = "alloc.rate=0"
CONFIGS = {
    "none": (None, "", [], []),
    "idle": (AGENT, "", [], []),
    "heap-pull": (AGENT, "", [("allocs", 15), ("heap", 15)], []),
    # Issue 10's cost split: allocation sampling off, 4x sparser, so sparse that only the
    # sampler's fixed cost is left (capability held, events on, almost no samples), the
    # sampler at alloc.rate whatever it costs (no alloc.maxSamplesPerSecond cap), and a third of
    # the default cap.
    "alloc-off": (AGENT, "alloc.rate=0", [], []),
    "alloc-2m": (AGENT, "alloc.rate=2097152", [], []),
    "alloc-1g": (AGENT, "alloc.rate=1073741824", [], []),
    "alloc-nocap": (AGENT, "alloc.maxSamplesPerSecond=0", [], []),
    "alloc-cap100": (AGENT, "alloc.maxSamplesPerSecond=100", [], []),
    "cpu-idle": (AGENT, CPU_ONLY, [], []),
    "cpu-b2b": (AGENT, CPU_ONLY, [("profile?seconds=10", 0)], []),
    # One window for the whole run: what async-profiler started by the agent costs without any
    # per-window work (dump, parse, build, encode), against ap-once and cpu-b2b.
    "cpu-once": (AGENT, CPU_ONLY, [("profile?seconds=600", 0)], []),
    "cpu-b2b-restart": (AGENT, CPU_ONLY + ",cpu.idleTimeout=0", [("profile?seconds=10", 0)], []),
    "cpu-fleet": (AGENT, CPU_ONLY, [("profile?seconds=10", 10), ("profile?seconds=14", 15),
                                    ("profile?seconds=30", 30)], []),
    "ap-once": (None, "", [], ["-agentpath:{lib}=start,event=cpu,interval=10ms,jfr,file={tmp}/ap-{n}.jfr,"
                               "quiet,loglevel=none"]),
    "jfr-profile": (None, "", [], ["-XX:StartFlightRecording:settings=profile,filename={tmp}/jfr-{n}.jfr"]),
    # Toggles splitting cpu-once's gap to ap-once, one difference each: the agent loaded (not
    # profiling) beside ap-once's own session; async-profiler's library loaded at JVM start by
    # -agentpath (not started) and the agent's session started through it, instead of loaded
    # late by the agent; cpu-once at async-profiler's default depth (ap-once's) instead of 128.
    "ap-agent": (AGENT, CPU_ONLY, [], ["-agentpath:{lib}=start,event=cpu,interval=10ms,jfr,"
                                       "file={tmp}/ap-{n}.jfr,quiet,loglevel=none"]),
    "ap-lib-once": (AGENT, CPU_ONLY, [("profile?seconds=600", 0)], ["-agentpath:{lib}"]),
    # cpu-b2b with the agent's own classes kept out of C2 (a compiler directive file, written at
    # start): whether the JIT's churn on the per-window code is what back-to-back pulling costs.
    "cpu-b2b-c1": (AGENT, CPU_ONLY, [("profile?seconds=10", 0)],
                   ["-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile={tmp}/c1-agent.json"]),
    "cpu-once-d2048": (AGENT, CPU_ONLY + ",stack.depth=2048", [("profile?seconds=600", 0)], []),
}
# Issue 14: push to a fake Pyroscope playing one fault a row ({pyroscope}: bench/pyroscope_fake.py).
PUSH = "push.interval=1s,push.timeout=2s,push.types=cpu;allocs;goroutine,push.url="
for mode in ("ok", "down", "500", "400", "slow", "hang"):
    CONFIGS["push-" + mode] = (AGENT, PUSH + ("{down}" if mode == "down" else "{pyroscope}/" + mode),
                               [], [])

ap = argparse.ArgumentParser()
ap.add_argument("--configs", default="none,idle,heap-pull")
ap.add_argument("--rounds", type=int, default=10)
ap.add_argument("--warmup", type=float, default=8)
ap.add_argument("--window", type=float, default=15)
ap.add_argument("--java", default="java")
ap.add_argument("--agent-args", default="")
ap.add_argument("--variant", action="append", default=[])
ap.add_argument("--threads", type=int, default=4)
ap.add_argument("--connections", type=int, default=8)
ap.add_argument("--versus", default="",
                help="also report each configuration against this one, pair by pair "
                     "(e.g. ap-once: issue 11's target is cpu-b2b within 1 point of it)")
ap.add_argument("--steady", action="store_true",
                help="one long-lived server per configuration, warmed up for --warmup seconds of "
                     "load (in 30 s turns), then measured in turn every round")
ap.add_argument("--together", action="store_true",
                help="with --steady: load every configuration's server in the same window (one "
                     "client each) instead of in turn, so the host's drift and steal hit them all "
                     "in the same seconds; compare per server CPU-s (req/s then mostly shows the "
                     "share of the cores each got)")
ap.add_argument("--heap", action="store_true",
                help="after each window: the server's heap after a full GC, and push's counters")
ap.add_argument("--perf", action="store_true",
                help="perf record the server during each window (perf-<config>-<run>.data in the "
                     "temp dir; compare shares with perf report --sort comm,dso)")
opts = ap.parse_args()
if opts.together and not opts.steady:
    raise SystemExit("--together needs --steady")
for v in opts.variant:
    name, _, jar = v.partition("=")
    CONFIGS[name] = (os.path.abspath(jar), "", [], [])
NAMES = opts.configs.split(",") + [v.partition("=")[0] for v in opts.variant]
for n in NAMES:  # NAME#2: a second server of NAME, to see how far two JVMs of one config differ
    if "#" in n:
        CONFIGS[n] = CONFIGS[n.partition("#")[0]]
if NAMES[0] != "none":
    raise SystemExit("the first configuration must be none (the baseline of each pair)")
if not os.path.exists(AGENT):
    raise SystemExit("build the agent first: mvn -B -o -q install -DskipTests")

tmp = tempfile.mkdtemp(prefix="jpprof-servicebench-")
subprocess.run(["javac", "--release", "11", "-d", tmp,
                os.path.join(root, "bench/ServiceMain.java")], check=True)


def async_profiler_lib():
    """async-profiler's library from the Maven artifact the agent is built with."""
    jars = sorted(j for j in glob.glob(os.path.expanduser(
        "~/.m2/repository/tools/profiler/async-profiler/*/async-profiler-*.jar"))
        if not j.endswith(("-sources.jar", "-javadoc.jar")))
    if not jars:
        raise SystemExit("no tools.profiler:async-profiler jar in ~/.m2")
    lib = os.path.join(tmp, "libasyncProfiler.so")
    with zipfile.ZipFile(jars[-1]) as z, open(lib, "wb") as f:
        f.write(z.read("linux-x64/libasyncProfiler.so"))
    return lib


PYROSCOPE, DOWN = (None, None)
if any("{pyroscope}" in CONFIGS[n][1] or "{down}" in CONFIGS[n][1] for n in NAMES):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import pyroscope_fake
    PYROSCOPE, DOWN = pyroscope_fake.start()
if any("{tmp}/c1-agent.json" in o for n in NAMES for o in CONFIGS[n][3]):
    with open(os.path.join(tmp, "c1-agent.json"), "w") as f:
        f.write('[{match: "dev/jpprof/*.*", c2: {Exclude: true}}]')
LIB = async_profiler_lib() if any(CONFIGS[n][3] and "{lib}" in CONFIGS[n][3][0] for n in NAMES) else None
runs = 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ns(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1e9 / os.sysconf("SC_CLK_TCK")


def puller(port, path, period, stop, log):
    url = "http://127.0.0.1:%d/debug/pprof/%s" % (port, path)
    seconds = int(path.partition("seconds=")[2] or 0)  # a window answers only when it ends
    index = "http://127.0.0.1:%d/debug/pprof/" % port
    deadline = time.time() + 60
    while not stop.is_set():  # the agent's port opens after the application's
        try:
            urllib.request.urlopen(index, timeout=10).read()
            break
        except OSError:
            if time.time() > deadline:
                log.append((path, 0, "error: the agent did not answer in 60 s"))
                return
            stop.wait(0.2)
    next_at = time.time() + (5 if period else 0)
    while not stop.wait(max(0, next_at - time.time())):
        t0 = time.time()
        try:
            with urllib.request.urlopen(url, timeout=120 + seconds) as r:
                n = len(r.read())
            log.append((path, time.time() - t0, n))
        except Exception as e:  # counted, reported: a failing pull is a finding
            if stop.is_set():
                return  # the window cut short by the end of the run
            log.append((path, time.time() - t0, "error: %s" % e))
            if not period:
                stop.wait(1)  # not a busy loop against an agent that refuses
        next_at = t0 + period if period else time.time()


class Server:
    """One server JVM of a configuration, with its pullers running from its start."""

    def __init__(self, name):
        global runs
        runs += 1
        self.name = name
        jar, args, pulls, options = CONFIGS[name]
        self.port, agent_port = free_port(), free_port()
        self.agent_port = agent_port if jar else None
        jvm = [o.format(lib=LIB, tmp=tmp, n=runs) for o in options]
        if jar:
            args = args.format(pyroscope=PYROSCOPE, down=DOWN)
            agent_args = "port=%d" % agent_port + ("," + args if args else "") + \
                ("," + opts.agent_args if opts.agent_args else "")
            jvm.append("-javaagent:%s=%s" % (jar, agent_args))
        self.proc = subprocess.Popen([opts.java] + jvm + ["-cp", tmp, "ServiceMain", "server",
                                                         str(self.port), str(opts.threads)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stop, self.log = threading.Event(), []
        # JFR prints "Started recording ..." on stdout before the server's own line.
        for line in self.proc.stdout:
            if line.strip() == "ready":
                break
        else:
            self.close()
            raise SystemExit("%s: server did not start:\n%s" % (name, self.proc.stderr.read()))
        for path, period in pulls:
            threading.Thread(target=puller, args=(agent_port, path, period, self.stop, self.log),
                             daemon=True).start()

    def load(self, warmup, window):
        """One client run: warm-up, then the window; (req/s, req per server CPU-s, JIT CPU-s)."""
        client = subprocess.Popen([opts.java, "-cp", tmp, "ServiceMain", "client", str(self.port),
                                   str(opts.connections), str(warmup), str(window)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        values, cpu0, jit0 = {}, None, None
        for line in client.stdout:
            line = line.strip()
            if line == "window-start":
                cpu0, jit0 = cpu_ns(self.proc.pid), jit_ns(self.proc.pid)
                if opts.perf:
                    perf = subprocess.Popen(
                        ["perf", "record", "-q", "-F", "499", "-p", str(self.proc.pid), "-o",
                         os.path.join(tmp, "perf-%s-%d.data" % (self.name, runs))],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elif line == "window-end":
                values["cpuNs"] = cpu_ns(self.proc.pid) - cpu0
                values["jitNs"] = jit_ns(self.proc.pid) - jit0
                if opts.heap:
                    self.log.append(("heap", heap_after_gc(self.proc.pid),
                                     push_counters(self.agent_port) if self.agent_port else ""))
                if opts.perf:
                    perf.send_signal(2)
                    perf.wait()
            elif "=" in line:
                k, _, v = line.partition("=")
                values[k] = int(v)
        client.wait()
        if client.returncode != 0 or "requests" not in values:
            raise SystemExit("%s: client failed:\n%s" % (self.name, client.stderr.read()))
        if values["errors"]:
            print("  %s: %d request errors" % (self.name, values["errors"]), file=sys.stderr)
        rps = values["requests"] / (values["wallNs"] / 1e9)
        return rps, values["requests"] / (values["cpuNs"] / 1e9), values["jitNs"] / values["cpuNs"]

    def close(self):
        self.stop.set()
        self.proc.kill()
        self.proc.wait()
        errors = [e for e in self.log if isinstance(e[2], str) and e[0] != "heap"]
        if errors:
            print("  %s: pull errors %s" % (self.name, errors[:3]), file=sys.stderr)


def heap_after_gc(pid):
    """KiB of heap in use after a full GC (jcmd GC.run, then GC.heap_info)."""
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True,
                          timeout=60).stdout
    # G1: one "garbage-first heap total NK, used NK" line; Serial/Parallel: one per generation.
    used = [int(m.group(1)) for m in re.finditer(r"total \d+K, used (\d+)K", info)]
    return sum(used) if used else -1


def push_counters(port):
    """push's uploads/retries/rejected/dropped and queued, from the agent's /metrics."""
    try:
        text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10).read()
    except OSError as e:
        return "metrics: %s" % e
    got = {}
    for line in text.decode().splitlines():
        for k in ("uploads_total", "retries_total", "rejected_total", "dropped_total", "queued"):
            if line.startswith("jpprof_push_" + k + " "):
                got[k] = int(float(line.split()[1]))
    return "%(uploads_total)d/%(retries_total)d/%(rejected_total)d/%(dropped_total)d q%(queued)d" % got \
        if len(got) == 5 else ""


def jit_ns(pid):
    """CPU of the JIT compiler threads (C1, C2) of a process, from /proc."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        if stat[stat.index("(") + 1:].startswith(("C1 ", "C2 ")):
            fields = stat.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) * 1e9 / os.sysconf("SC_CLK_TCK")
    return total


def run(name):
    """A fresh server, warmed up and measured once."""
    server = Server(name)
    try:
        rps, per_cpu, jit = server.load(opts.warmup, opts.window)
    finally:
        server.close()
    return rps, per_cpu, jit, server.log


def host_steal():
    """(steal, total) jiffies of the whole machine: a guest's CPU time taken by its host, which
    moves every configuration's throughput at once and is what decides whether a run is readable."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def load_together(servers):
    """One window of load on every server at once; {name: (req/s, req per CPU-s, JIT share)}."""
    got, failed = {}, []

    def one(n):
        try:
            got[n] = servers[n].load(2, opts.window)
        except BaseException as e:  # SystemExit from load() ends only this thread: pass it on
            failed.append(e)

    threads = [threading.Thread(target=one, args=(n,)) for n in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise failed[0]
    return got


def median_interval(ratios, resamples=2000):
    """95 % interval of the median by bootstrap over the rounds (fixed seed: reruns agree)."""
    rnd = random.Random(1)
    meds = sorted(statistics.median(rnd.choices(ratios, k=len(ratios))) for _ in range(resamples))
    return meds[int(0.025 * resamples)], meds[int(0.975 * resamples) - 1]


load_before = os.getloadavg()
steal_before = host_steal()
results = {n: [] for n in NAMES}
pull_log = {n: [] for n in NAMES}
if opts.steady:
    # One long-lived server per configuration, all up at once (pullers running all along),
    # loaded in turn: first until each has had --warmup seconds of load, then one --window each
    # per round, the order rotating. Only the loaded server is busy, so each window is measured
    # on a warm JVM at steady state, and a round's windows are a few minutes apart at most.
    servers = {n: Server(n) for n in NAMES}
    try:
        for n in NAMES * max(1, int(opts.warmup // 30)):
            servers[n].load(2, min(30, opts.warmup))
        print("warm-up done, load %.1f" % os.getloadavg()[0], file=sys.stderr)
        for r in range(opts.rounds):
            if opts.together:
                for n, got in load_together(servers).items():
                    results[n].append(got)
            else:
                order = NAMES[r % len(NAMES):] + NAMES[:r % len(NAMES)]
                for n in order:
                    rps, per_cpu, jit = servers[n].load(2, opts.window)
                    results[n].append((rps, per_cpu, jit))
            print("round %d/%d done, load %.1f" % (r + 1, opts.rounds, os.getloadavg()[0]),
                  file=sys.stderr)
    finally:
        for server in servers.values():
            server.close()
            pull_log[server.name].extend(server.log)
else:
    for r in range(opts.rounds):
        order = NAMES[r % len(NAMES):] + NAMES[:r % len(NAMES)]
        for n in order:
            rps, per_cpu, jit, log = run(n)
            results[n].append((rps, per_cpu, jit))
            pull_log[n].extend(log)
        print("round %d/%d done, load %.1f" % (r + 1, opts.rounds, os.getloadavg()[0]),
              file=sys.stderr)
load_after = os.getloadavg()
steal_after = host_steal()
steal_share = (steal_after[0] - steal_before[0]) / max(1, steal_after[1] - steal_before[1])

version = subprocess.run([opts.java, "-version"], capture_output=True,
                         text=True).stderr.splitlines()[0]
if opts.perf:
    print("perf data in %s" % tmp)
print("java: %s; %d interleaved rounds%s; warm-up %g s, window %g s; %d server threads, "
      "%d connections; load avg (1/5/15 min) before %.1f/%.1f/%.1f, after %.1f/%.1f/%.1f; "
      "host steal %.1f %% of CPU time during the run%s" % (
          version, opts.rounds, " (--steady: long-lived servers)" if opts.steady else "",
          opts.warmup, opts.window, opts.threads, opts.connections,
          *load_before, *load_after, 100 * steal_share,
          "; agent args +" + opts.agent_args if opts.agent_args else ""))
print()


print("raw per round (req/s, req per CPU-s, JIT share): %s" % {
    n: [tuple(round(v, 4) for v in x) for x in xs] for n, xs in results.items()})
print()


def span(xs, fmt):
    return "%s (%s–%s)" % (fmt % statistics.median(xs), fmt % min(xs), fmt % max(xs))


def ci(xs, fmt):
    lo, hi = median_interval(xs)
    return "%s (95 %%: %s–%s; %s–%s)" % (fmt % statistics.median(xs), fmt % lo, fmt % hi,
                                        fmt % min(xs), fmt % max(xs))


print("| config | req/s | vs none | req / server CPU-s | vs none | JIT share of server CPU | pulls (median s) |" +
      (" heap after GC, MiB | push uploads/retries/rejected/dropped, queued |" if opts.heap else ""))
print("|---|---|---|---|---|---|---|" + ("---|---|" if opts.heap else ""))
base = results["none"]
for n in NAMES:
    xs = results[n]
    pulls = ""
    heap = [(kib, push) for path, kib, push in pull_log[n] if path == "heap"]
    if pull_log[n]:
        by = {}
        for path, secs, size in pull_log[n]:
            if path == "heap":
                continue
            by.setdefault(path, []).append(secs)
        pulls = ", ".join("%s %d× %.2f" % (p, len(s), statistics.median(s))
                          for p, s in sorted(by.items()))
    print("| %s | %s | %s | %s | %s | %s | %s |" % (
        n, span([x[0] for x in xs], "%.0f"), span([x[0] / b[0] for x, b in zip(xs, base)], "%.3f"),
        span([x[1] for x in xs], "%.0f"), span([x[1] / b[1] for x, b in zip(xs, base)], "%.3f"),
        span([100 * x[2] for x in xs], "%.2f %%"), pulls) +
        (" %s | %s |" % (span([k / 1024 for k, _ in heap], "%.1f"),
                         "; ".join(p for _, p in heap if p)) if heap else ""))
if opts.versus:
    print()
    print("against %s: median of the rounds' ratios (95 %% interval of the median by bootstrap; "
          "min-max):" % opts.versus)
    print()
    print("| config | req/s vs %s | req / server CPU-s vs %s |" % (opts.versus, opts.versus))
    print("|---|---|---|")
    ref = results[opts.versus]
    for n in NAMES:
        xs = results[n]
        print("| %s | %s | %s |" % (
            n, ci([x[0] / v[0] for x, v in zip(xs, ref)], "%.3f"),
            ci([x[1] / v[1] for x, v in zip(xs, ref)], "%.3f")))
