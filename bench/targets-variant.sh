#!/bin/sh
# Builds a copy of the agent jar whose AllocTargets.JDK_CLASSES is the given list, for
# bench/alloc.py --variant NAME=<out.jar>: measures what each JDK class in the retransform list
# costs against the coverage it adds, without editing the source.
# Usage: bench/targets-variant.sh <out.jar> [java.util.ArrayList java.lang.String ...]
# (an empty list rewrites application classes only; build the agent jar first)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
jar="$root/agent/target/profiler.jar"
work=$(mktemp -d)
list=""
for c in "$@"; do list="$list${list:+, }\"$c\""; done
# The shaded jar relocates Byte Buddy (names and string literals alike): do the same here.
sed -e 's/net\.bytebuddy/dev.jpprof.shaded.net.bytebuddy/g' \
    "$root/instrumentation/src/main/java/dev/jpprof/instrumentation/alloc/AllocTargets.java" |
  python3 -c '
import re, sys
src = sys.stdin.read()
print(re.sub(r"JDK_CLASSES = List\.of\([^;]*\);", "JDK_CLASSES = List.of(" + sys.argv[1] + ");", src))
' "$list" > "$work/AllocTargets.java"
javac --release 11 -nowarn -cp "$jar" -d "$work/classes" "$work/AllocTargets.java"
cp "$jar" "$out"
(cd "$work/classes" && jar uf "$out" dev/jpprof/instrumentation/alloc/AllocTargets*.class)
rm -rf "$work"
echo "$out: JDK_CLASSES = [$list]"
