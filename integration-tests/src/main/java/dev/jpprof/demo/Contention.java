package dev.jpprof.demo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Lock contention for the block and mutex tests: on stdin {@code run N} runs every scenario at once
 * for N seconds, each waiting in a method of its own (the name the test looks for), with critical
 * sections of {@link #HOLD_MILLIS} ms; then prints on stderr {@code waited <method> <nanos>} with
 * the wait each scenario measured itself, and {@code contention done}. Also an uncontended lock
 * loop, which the profiles must not show. Prints nothing on stdout.
 */
public final class Contention {
  static final long HOLD_MILLIS = 10;

  private final Map<String, AtomicLong> waited = new ConcurrentHashMap<>();
  private volatile long end;

  private Contention() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 600;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long stop = System.currentTimeMillis() + seconds * 1000;
    for (String line; System.currentTimeMillis() < stop && (line = in.readLine()) != null; ) {
      if (line.startsWith("run ")) {
        new Contention().run(Long.parseLong(line.substring(4).trim()));
      }
    }
  }

  private void run(long seconds) throws InterruptedException {
    end = System.nanoTime() + seconds * 1_000_000_000L;
    Object monitor = new Object();
    ReentrantLock lock = new ReentrantLock();
    ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    Semaphore semaphore = new Semaphore(1);
    BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
    Object waitOn = new Object();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      threads.add(start("monitor-" + i, () -> monitorLoop(monitor)));
      threads.add(start("reentrant-" + i, () -> reentrantLoop(lock)));
      threads.add(start("semaphore-" + i, () -> semaphoreLoop(semaphore)));
    }
    threads.add(start("writer", () -> writeLoop(rw)));
    threads.add(start("reader", () -> readLoop(rw)));
    threads.add(start("latch", this::latchLoop));
    threads.add(start("consumer", () -> consumeLoop(queue)));
    threads.add(start("producer", () -> produceLoop(queue)));
    threads.add(start("waiter", () -> waitLoop(waitOn)));
    threads.add(start("notifier", () -> notifyLoop(waitOn)));
    threads.add(start("uncontended", this::uncontendedLoop));
    for (Thread t : threads) {
      t.join();
    }
    for (Map.Entry<String, AtomicLong> e : new java.util.TreeMap<>(waited).entrySet()) {
      System.err.println("waited " + e.getKey() + " " + e.getValue().get());
    }
    System.err.println("contention done");
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Thread start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "contention-" + name);
    t.start();
    return t;
  }

  private boolean running() {
    return System.nanoTime() < end;
  }

  private void add(String method, long since) {
    waited.computeIfAbsent(method, k -> new AtomicLong()).addAndGet(System.nanoTime() - since);
  }

  /** Two threads; the waiter blocks at the synchronized statement in this method. */
  private void monitorLoop(Object monitor) throws InterruptedException {
    while (running()) {
      long t0 = System.nanoTime();
      synchronized (monitor) {
        add("monitorLoop", t0);
        monitorHeld();
      }
      Thread.sleep(1);
    }
  }

  /** The holder of the monitor: the mutex profile's stack for synchronized. */
  private static void monitorHeld() throws InterruptedException {
    Thread.sleep(HOLD_MILLIS);
  }

  private void reentrantLoop(ReentrantLock lock) throws InterruptedException {
    while (running()) {
      long t0 = System.nanoTime();
      lock.lock();
      add("reentrantLoop", t0);
      try {
        Thread.sleep(HOLD_MILLIS);
      } finally {
        reentrantRelease(lock);
      }
      Thread.sleep(1);
    }
  }

  /** The release stack of the ReentrantLock, which its mutex profile must show. */
  private static void reentrantRelease(ReentrantLock lock) {
    lock.unlock();
  }

  private void semaphoreLoop(Semaphore semaphore) throws InterruptedException {
    while (running()) {
      long t0 = System.nanoTime();
      semaphore.acquire();
      add("semaphoreLoop", t0);
      try {
        Thread.sleep(HOLD_MILLIS);
      } finally {
        semaphore.release();
      }
      Thread.sleep(1);
    }
  }

  private void writeLoop(ReentrantReadWriteLock rw) throws InterruptedException {
    while (running()) {
      rw.writeLock().lock();
      try {
        Thread.sleep(HOLD_MILLIS);
      } finally {
        writeRelease(rw);
      }
      Thread.sleep(1);
    }
  }

  /** The release stack of the write lock, which the reader waits for. */
  private static void writeRelease(ReentrantReadWriteLock rw) {
    rw.writeLock().unlock();
  }

  private void readLoop(ReentrantReadWriteLock rw) throws InterruptedException {
    while (running()) {
      long t0 = System.nanoTime();
      rw.readLock().lock();
      add("readLoop", t0);
      rw.readLock().unlock();
      Thread.sleep(2); // lets the writer in again: the next read waits for its release
    }
  }

  private void latchLoop() throws InterruptedException {
    while (running()) {
      CountDownLatch latch = new CountDownLatch(1);
      Thread opener =
          new Thread(
              () -> {
                sleep(HOLD_MILLIS);
                latch.countDown();
              },
              "contention-latch-opener");
      opener.start();
      long t0 = System.nanoTime();
      latch.await();
      add("latchLoop", t0);
      opener.join();
    }
  }

  private void consumeLoop(BlockingQueue<Integer> queue) throws InterruptedException {
    while (true) {
      long t0 = System.nanoTime();
      int item = queue.take();
      if (item < 0) {
        return;
      }
      add("consumeLoop", t0);
    }
  }

  private void produceLoop(BlockingQueue<Integer> queue) throws InterruptedException {
    while (running()) {
      Thread.sleep(HOLD_MILLIS);
      queue.put(1);
    }
    queue.put(-1);
  }

  private void waitLoop(Object on) throws InterruptedException {
    while (running()) {
      long t0 = System.nanoTime();
      synchronized (on) {
        on.wait(4 * HOLD_MILLIS);
      }
      add("waitLoop", t0);
    }
  }

  private void notifyLoop(Object on) throws InterruptedException {
    while (running()) {
      Thread.sleep(HOLD_MILLIS);
      synchronized (on) {
        on.notifyAll();
      }
    }
  }

  /** One thread locking in a tight loop: never contended, so never in a profile. */
  private void uncontendedLoop() {
    Object monitor = new Object();
    ReentrantLock lock = new ReentrantLock();
    long n = 0;
    while (running()) {
      for (int i = 0; i < 10_000; i++) {
        synchronized (monitor) {
          n++;
        }
        lock.lock();
        try {
          n++;
        } finally {
          lock.unlock();
        }
      }
    }
    if (n == 42) {
      System.err.println("unlikely");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
