/**
 * The pprof profile format for jpprof: the protobuf messages ({@code
 * dev.jpprof.pprof.proto.ProfileProto}, generated from {@code profile.proto}), a {@link
 * dev.jpprof.pprof.ProfileBuilder} that writes them the way Go's runtime/pprof does, pprof's
 * validity rules ({@link dev.jpprof.pprof.ProfileValidator}), merge and delta ({@link
 * dev.jpprof.pprof.ProfileMerge}) and a text dump for tests ({@link dev.jpprof.pprof.ProfileText}).
 *
 * <p>What a user types to read the result:
 *
 * <pre>
 * go tool pprof -top http://localhost:6060/debug/pprof/profile?seconds=30
 * curl -o heap.pb.gz http://localhost:6060/debug/pprof/heap &amp;&amp; go tool pprof -raw heap.pb.gz
 * </pre>
 */
package dev.jpprof.pprof;
