/**
 * Hand-written JSON, so the agent needs no JSON library: {@link dev.jpprof.agent.json.JsonWriter}
 * for /debug/vars (Go's escaping), {@link dev.jpprof.agent.json.JsonReader} for the JDK's JSON
 * thread dump.
 */
package dev.jpprof.agent.json;
