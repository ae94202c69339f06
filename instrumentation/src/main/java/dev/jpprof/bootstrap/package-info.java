/**
 * Hooks that rewritten bytecode calls, in application classes and in retransformed JDK classes
 * alike. The agent defines these classes in the bootstrap class loader at start, so every class can
 * see them; they therefore depend on nothing but {@code java.base} and must never be referenced by
 * the agent before it has defined them there.
 */
package dev.jpprof.bootstrap;
