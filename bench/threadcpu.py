#!/usr/bin/env python3
"""CPU of a running JVM by thread kind, every PERIOD seconds: how the JIT's share decays.

Prints, per slice, the process's CPU seconds and each kind's share: C2 and C1 compiler threads,
GC, the agent (jpprof-*), the application (threads named service-*/HTTP-*: bench/ServiceMain),
other. Used for BENCHMARKS.md's "why warm-up length matters" (a server from bench/ServiceMain.java
under its client, with pulls in a shell loop).

Usage: bench/threadcpu.py PID [--period 20] [--slices 9]
"""
import argparse, collections, os, time

ap = argparse.ArgumentParser()
ap.add_argument("pid", type=int)
ap.add_argument("--period", type=float, default=20)
ap.add_argument("--slices", type=int, default=9)
opts = ap.parse_args()
TCK = os.sysconf("SC_CLK_TCK")
KINDS = [("C2 ", "C2"), ("C1 ", "C1"), ("GC", "GC"), ("G1", "GC"), ("jpprof", "jpprof"),
         ("service", "app"), ("HTTP", "app")]


def snapshot():
    cpu = collections.Counter()
    for tid in os.listdir("/proc/%d/task" % opts.pid):
        try:
            with open("/proc/%d/task/%s/stat" % (opts.pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        kind = next((k for prefix, k in KINDS if name.startswith(prefix)), "other")
        cpu[kind] += (int(fields[11]) + int(fields[12])) / TCK
    return cpu


before, t0 = snapshot(), time.time()
for _ in range(opts.slices):
    time.sleep(opts.period)
    try:
        now = snapshot()
    except OSError:
        break  # the JVM ended
    diff = {k: now[k] - before[k] for k in now}
    total = sum(diff.values())
    if total > 0:
        print("%4.0fs cpu %.2f s  " % (time.time() - t0, total) +
              " ".join("%s %.2f%%" % (k, 100 * v / total) for k, v in sorted(diff.items())),
              flush=True)
    before = now
