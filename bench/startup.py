#!/usr/bin/env python3
"""Time from JVM launch to a line on stderr, with and without the agent, interleaved.

Without the agent the line is StartupMain's "main: started"; with it, the agent's
"jpprof: serving" line (the server starts on a daemon thread while main already runs).
Usage: bench/startup.py [runs] [java]   (build first: mvn -B -q package -DskipTests)
"""
import os, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
java = sys.argv[2] if len(sys.argv) > 2 else "java"
agent = os.path.join(root, "agent/target/profiler.jar")
classes = tempfile.mkdtemp()
subprocess.run(["javac", "--release", "11", "-d", classes,
                os.path.join(root, "bench/StartupMain.java")], check=True)

def until(args, marker):
    start = time.monotonic()
    p = subprocess.Popen([java] + args + ["-cp", classes, "StartupMain", "3000"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr:
        if marker in line:
            elapsed = time.monotonic() - start
            break
    else:
        raise SystemExit("no line %r from %s" % (marker, args))
    p.kill(); p.wait()
    return elapsed

base, agent_t, agent_main = [], [], []
for _ in range(runs):
    base.append(until([], "main: started"))
    agent_t.append(until(["-javaagent:%s=port=0" % agent], "jpprof: serving"))
    agent_main.append(until(["-javaagent:%s=port=0" % agent], "main: started"))
ms = lambda xs: "%.0f ms" % (1000 * statistics.median(xs))
print("java: %s, %d interleaved runs, medians" % (java, runs))
print("  no agent, launch -> main():          ", ms(base))
print("  agent,    launch -> main():          ", ms(agent_main))
print("  agent,    launch -> 'serving' line:  ", ms(agent_t))
print("  agent - no agent, launch -> main(), median of the per-run differences:",
      ms([a - b for a, b in zip(agent_main, base)]))
