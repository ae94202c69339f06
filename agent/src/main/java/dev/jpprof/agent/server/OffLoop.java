package dev.jpprof.agent.server;

import dev.jpprof.agent.AgentLog;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one way an endpoint answers off the event loop: its work runs on the worker pool, and what it
 * returns is the response. One failure policy for all: an exception or linkage error is logged once
 * per kind and answered with Go's 500 (protocol.md §3), the text chosen by the endpoint. The event
 * loop never blocks; a window's wait is a task scheduled on it.
 */
final class OffLoop {
  /** Work that blocks (a snapshot, a native start, JFR parsing). */
  interface Work {
    /** The response, or null when the work has answered or scheduled its answer itself. */
    FullHttpResponse run() throws Exception;
  }

  private final Executor workers;

  OffLoop(Executor workers) {
    this.workers = workers;
  }

  /**
   * Runs {@code work} on a worker and sends its response. A failure is logged as {@code what} and
   * answered 500 with {@code failure}'s text for it.
   */
  void answer(Exchange ex, String what, Function<Throwable, String> failure, Work work) {
    workers.execute(
        () -> {
          FullHttpResponse response;
          try {
            response = work.run();
          } catch (Exception | LinkageError e) {
            AgentLog.failure(what, e);
            response = Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, failure.apply(e));
          }
          if (response != null) {
            ex.respond(response);
          }
        });
  }

  /**
   * A profiling window: after {@code nanos}, answers with {@code finish} as {@link #answer} does;
   * if the client disconnects first, runs {@code cancel} on a worker instead.
   */
  void afterWindow(
      Exchange ex,
      long nanos,
      Runnable cancel,
      String what,
      Function<Throwable, String> failure,
      Work finish) {
    ScheduledFuture<?> end =
        ex.ctx
            .executor()
            .schedule(() -> answer(ex, what, failure, finish), nanos, TimeUnit.NANOSECONDS);
    ex.onClose(
        () -> {
          if (end.cancel(false)) {
            workers.execute(cancel);
          }
        });
  }

  /** Failure text that is the same for every failure. */
  static Function<Throwable, String> says(String text) {
    return e -> text;
  }

  /** Failure text: {@code prefix} and the failure's own message. */
  static Function<Throwable, String> saysWhy(String prefix) {
    return e -> prefix + AgentLog.describe(e);
  }
}
