package dev.jpprof.agent.cpu;

import java.util.Arrays;

/**
 * A sampled stack (leaf first, as JFR stores it), the name of the thread it ran on and, for a
 * wall-clock sample, the thread's state then ("runnable", "sleeping"; "" for CPU samples).
 */
final class Stack {
  final String thread;
  final String state;
  final RawFrame[] frames;
  private final int hash;

  /** A CPU sample's stack. */
  Stack(String thread, RawFrame[] frames) {
    this(thread, "", frames);
  }

  Stack(String thread, String state, RawFrame[] frames) {
    this.thread = thread;
    this.state = state;
    this.frames = frames;
    this.hash = 31 * (31 * thread.hashCode() + state.hashCode()) + Arrays.hashCode(frames);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Stack)) {
      return false;
    }
    Stack s = (Stack) o;
    return hash == s.hash
        && thread.equals(s.thread)
        && state.equals(s.state)
        && Arrays.equals(frames, s.frames);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return thread + (state.isEmpty() ? "" : " " + state) + " " + Arrays.toString(frames);
  }
}
