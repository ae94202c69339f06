package dev.jpprof.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A test run once on each JDK of {@link Jdk#all()}, named after the JDK: said once here, not by a
 * {@code jdks()} method and two annotations in every test class.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.jpprof.it.Jdk#all")
@interface EveryJdk {}
