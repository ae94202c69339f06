package dev.jpprof.pprof;

/**
 * A profile that pprof would reject, or profiles that cannot be merged.
 *
 * <p>{@link #reason()} is pprof's own wording (e.g. {@code multiple locations with same id: 3}), so
 * a caller can compare it with what {@code go tool pprof} prints. Where pprof's wording does not
 * say which element is bad, {@link #getMessage()} adds that after a colon.
 */
public final class InvalidProfileException extends Exception {
  private final String reason;

  /** A problem fully described by pprof's message. */
  public InvalidProfileException(String reason) {
    super(reason);
    this.reason = reason;
  }

  /** A problem with pprof's message {@code reason} and our {@code detail} naming the element. */
  public InvalidProfileException(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  /** pprof's message for this problem, without our detail. */
  public String reason() {
    return reason;
  }
}
