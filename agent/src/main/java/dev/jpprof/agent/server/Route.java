package dev.jpprof.agent.server;

import dev.jpprof.agent.profiles.ProfileSource;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One row of the endpoint table ({@link EndpointTable}): a path, Go's description, whether {@code
 * seconds=} asks for a delta, the methods that reach the handler, how the index page counts it, and
 * the handler. See docs/protocol.md §1.
 */
final class Route {
  /** The methods that reach a handler; any other gets 405 with {@link #allow} (protocol.md §2). */
  enum Methods {
    /** Go ≥ 1.23 registers its pprof handlers for GET (HEAD follows GET). */
    READ,
    /**
     * GET, HEAD and POST: /symbol takes its counters from a POST body. Go's mux registers only GET
     * there, so a 405 still names GET, HEAD (what a Go server says).
     */
    READ_AND_POST,
    /** Every method, as Go's expvar handler (/debug/vars) is registered without one. */
    ANY;

    boolean accepts(HttpMethod m) {
      return this == ANY
          || m.equals(HttpMethod.GET)
          || m.equals(HttpMethod.HEAD)
          || (this == READ_AND_POST && m.equals(HttpMethod.POST));
    }

    /** The 405's Allow header. */
    String allow() {
      return "GET, HEAD";
    }
  }

  /** Whether {@code seconds=N} on a named profile asks for a delta (Go's profileSupportsDelta). */
  enum Seconds {
    DELTA,
    NO_DELTA
  }

  static final String ROOT = "/debug/pprof/";

  /** The name under /debug/pprof/ ("" for the index), or a full path outside it. */
  final String name;

  final String path;
  final String description;
  final Seconds seconds;
  final Methods methods;

  /** The count on the index page; Go shows 0 for what is not a profile. */
  final LongSupplier count;

  /**
   * A named profile's sample types, its default first, for the UI's choice ({@code sample_index});
   * empty for other rows.
   */
  final List<String> sampleTypes;

  /** Whether the row answers every path under its own (which ends in "/"), not just that one. */
  final boolean subtree;

  final Endpoint handler;

  private Route(
      String name,
      String path,
      String description,
      Seconds seconds,
      Methods methods,
      LongSupplier count,
      List<String> sampleTypes,
      boolean subtree,
      Endpoint handler) {
    this.name = name;
    this.path = path;
    this.description = description;
    this.seconds = seconds;
    this.methods = methods;
    this.count = count;
    this.sampleTypes = List.copyOf(sampleTypes);
    this.subtree = subtree;
    this.handler = handler;
  }

  /** A row under /debug/pprof/ that is not a profile: the index counts it 0. */
  static Route page(String name, String description, Methods methods, Endpoint handler) {
    return new Route(
        name,
        ROOT + name,
        description,
        Seconds.NO_DELTA,
        methods,
        () -> 0,
        List.of(),
        false,
        handler);
  }

  /**
   * A named profile under /debug/pprof/, served from {@code source} and counted by it; null (no
   * row) when there is no source.
   */
  static Route profile(
      String name,
      String description,
      Seconds seconds,
      ProfileSource source,
      OffLoop offLoop,
      long maxSeconds) {
    return profile(name, description, seconds, List.of(), source, offLoop, maxSeconds);
  }

  /**
   * @param sampleTypes the profile's sample types, its default first (what the UI offers)
   */
  static Route profile(
      String name,
      String description,
      Seconds seconds,
      List<String> sampleTypes,
      ProfileSource source,
      OffLoop offLoop,
      long maxSeconds) {
    if (source == null) {
      return null;
    }
    NamedProfileEndpoint handler =
        new NamedProfileEndpoint(name, source, seconds == Seconds.DELTA, offLoop, maxSeconds);
    return new Route(
        name,
        ROOT + name,
        description,
        seconds,
        Methods.READ,
        handler::count,
        sampleTypes,
        false,
        handler);
  }

  /** A path outside /debug/pprof/ (not on the index page). */
  static Route outside(String path, Methods methods, Endpoint handler) {
    return new Route(null, path, "", Seconds.NO_DELTA, methods, () -> 0, List.of(), false, handler);
  }

  /**
   * A path ending in "/" and everything under it (not on the index page): a page with its files.
   */
  static Route subtree(String path, Endpoint handler) {
    if (!path.endsWith("/")) {
      throw new IllegalArgumentException("a subtree's path ends in /: " + path);
    }
    return new Route(
        null, path, "", Seconds.NO_DELTA, Methods.READ, () -> 0, List.of(), true, handler);
  }

  /** Whether the index page lists it: the names under /debug/pprof/. */
  boolean listed() {
    return name != null && !name.isEmpty();
  }
}
