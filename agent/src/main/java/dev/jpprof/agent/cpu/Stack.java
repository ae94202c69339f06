package dev.jpprof.agent.cpu;

import java.util.Arrays;

/** A sampled stack (leaf first, as JFR stores it) and the name of the thread it ran on. */
final class Stack {
  final String thread;
  final RawFrame[] frames;
  private final int hash;

  Stack(String thread, RawFrame[] frames) {
    this.thread = thread;
    this.frames = frames;
    this.hash = 31 * thread.hashCode() + Arrays.hashCode(frames);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Stack)) {
      return false;
    }
    Stack s = (Stack) o;
    return hash == s.hash && thread.equals(s.thread) && Arrays.equals(frames, s.frames);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return thread + " " + Arrays.toString(frames);
  }
}
