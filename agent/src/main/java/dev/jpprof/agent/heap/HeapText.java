package dev.jpprof.agent.heap;

import dev.jpprof.agent.frames.FrameLines;
import dev.jpprof.instrumentation.alloc.HeapBucket;
import dev.jpprof.pprof.FrameAddresses;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Go's legacy heap text (debug=1, runtime/pprof writeHeapInternal), identical for heap and allocs:
 * raw sampled counts (pprof unsamples them itself, reading the rate from the header), the records,
 * and a {@code # runtime.MemStats} trailer with the JVM values that honestly map.
 */
final class HeapText {
  private HeapText() {}

  static String write(
      List<HeapBucket> buckets, long rate, FrameAddresses addresses, Map<String, Object> memStats) {
    long inuseObjects = 0;
    long inuseBytes = 0;
    long allocObjects = 0;
    long allocBytes = 0;
    for (HeapBucket bucket : buckets) {
      inuseObjects += bucket.inuseObjects();
      inuseBytes += bucket.inuseBytes();
      allocObjects += bucket.allocObjects();
      allocBytes += bucket.allocBytes();
    }
    if (allocBytes == inuseBytes) {
      allocBytes++; // as Go: keeps pprof from reading the profile as the old 2-column kind
    }
    StringBuilder b = new StringBuilder(256 * (buckets.size() + 4));
    b.append("heap profile: ")
        .append(counts(inuseObjects, inuseBytes, allocObjects, allocBytes))
        .append(" @ heap/")
        .append(2 * rate)
        .append('\n');
    List<HeapBucket> sorted = new ArrayList<>(buckets);
    sorted.sort(Comparator.comparingLong(HeapBucket::inuseBytes)); // Go ≥ 1.23: ascending
    for (HeapBucket bucket : sorted) {
      long[] pcs = FrameLines.pcs(bucket.frames(), addresses);
      b.append(
              counts(
                  bucket.inuseObjects(),
                  bucket.inuseBytes(),
                  bucket.allocObjects(),
                  bucket.allocBytes()))
          .append(' ')
          .append(FrameLines.at(pcs))
          .append('\n');
      FrameLines.write(b, bucket.frames(), pcs, addresses);
      b.append('\n');
    }
    b.append("\n# runtime.MemStats\n");
    b.append(
        "# (jpprof: JVM values under Go's names; fields without a JVM counterpart are left out)\n");
    for (Map.Entry<String, Object> e : memStats.entrySet()) {
      b.append("# ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
    }
    return b.toString();
  }

  private static String counts(
      long inuseObjects, long inuseBytes, long allocObjects, long allocBytes) {
    return inuseObjects + ": " + inuseBytes + " [" + allocObjects + ": " + allocBytes + "]";
  }
}
