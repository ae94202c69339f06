/**
 * What the shaded libraries see as {@code java.util.logging.Logger} and {@code Level}: the shade
 * plugin relocates those two names here, for the bundled copies only. protobuf-java keeps JUL
 * loggers in static fields ({@code GeneratedMessage}, {@code Descriptors}, ...), and the first
 * {@code Logger.getLogger} call initialises {@code LogManager}, which reads {@code
 * java.util.logging.manager} once: encoding the first profile would then fix the JDK's manager
 * before an application such as WildFly installs its own. Through these classes the libraries never
 * touch JUL; their warnings become one jpprof line on stderr.
 */
package dev.jpprof.agent.jul;
