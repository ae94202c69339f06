package dev.jpprof.instrumentation;

/** What every agent builder of ours needs before it is created. */
public final class QuietByteBuddy {
  private static final String NEXUS_DISABLED = "net.bytebuddy.nexus.disabled";

  private QuietByteBuddy() {}

  /**
   * Byte Buddy's Nexus (unused here: no initializers are injected) would otherwise touch
   * sun.misc.Unsafe, which JDK 24+ reports on stderr. Set only if unset; in the shaded agent jar
   * the relocation rewrites this name along with Byte Buddy's own, so the application's Byte Buddy
   * is not affected.
   */
  public static void disableNexus() {
    if (System.getProperty(NEXUS_DISABLED) == null) {
      System.setProperty(NEXUS_DISABLED, "true");
    }
  }
}
