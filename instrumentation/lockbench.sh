#!/bin/sh
# Rough cost of the lock hooks (instrumentation/NOTES.md): interleaved child JVMs of
# example.locks.LockBench, ROUNDS rounds of every configuration, SECONDS measured each.
# Usage (from the repo root, after `mvn -o -q -pl instrumentation -am test-compile`):
#   sh instrumentation/lockbench.sh [rounds] [seconds] [java]
set -e
ROUNDS=${1:-5}
SECONDS_=${2:-3}
JAVA=${3:-java}
CP=instrumentation/target/classes:instrumentation/target/test-classes
BB=$(sed -n 's:.*<bytebuddy.version>\(.*\)</bytebuddy.version>.*:\1:p' pom.xml)
M2=~/.m2/repository/net/bytebuddy
CP=$CP:$M2/byte-buddy/$BB/byte-buddy-$BB.jar:$M2/byte-buddy-agent/$BB/byte-buddy-agent-$BB.jar
for r in $(seq "$ROUNDS"); do
  for w in uncontended queue; do
    for h in none off every sampled; do
      "$JAVA" -XX:+EnableDynamicAgentLoading -Djdk.attach.allowAttachSelf=true -cp "$CP" \
        example.locks.LockBench "$h" "$w" "$SECONDS_"
    done
  done
done
