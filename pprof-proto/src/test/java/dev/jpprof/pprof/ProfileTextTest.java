package dev.jpprof.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class ProfileTextTest {
  @Test
  void cpuProfile() throws Exception {
    assertGolden("cpu", TestProfiles.cpu());
  }

  @Test
  void heapProfile() throws Exception {
    assertGolden("heap", TestProfiles.heap());
  }

  @Test
  void showsWhatOurBuilderNeverWrites() {
    Profile.Builder p = TestProfiles.heap().toBuilder();
    p.addStringTable("space-bytes").addStringTable("build-1234").addStringTable("a note");
    int n = p.getStringTableCount();
    p.setDefaultSampleType(p.getSampleType(1).getType()).addComment(n - 1);
    p.setMapping(
        0,
        p.getMapping(0).toBuilder()
            .setMemoryStart(0x400000)
            .setMemoryLimit(0x4a0000)
            .setFileOffset(0x1000)
            .setBuildId(n - 2)
            .setHasInlineFrames(false)
            .setHasLineNumbers(false));
    p.setLocation(0, p.getLocation(0).toBuilder().setAddress(0x401234).setIsFolded(true));
    p.setFunction(0, p.getFunction(0).toBuilder().setSystemName(n - 3));
    p.setSample(
        0,
        p.getSample(0).toBuilder()
            .addLabel(p.getSample(0).getLabel(0).toBuilder().setNum(65).setNumUnit(n - 3)));
    String dump = ProfileText.dump(p.build());
    assertEquals(
        String.join(
            "\n",
            "Comment: a note",
            "PeriodType: space bytes",
            "Period: 524288",
            "Time: 2023-11-14T22:13:20.123456789Z",
            "Samples:",
            "alloc_objects/count alloc_space/bytes[dflt] inuse_objects/count inuse_space/bytes",
            "        100       6400         40       2560: 1 2 3",
            "                bytes:[64 65 space-bytes]",
            "          2       2048          1       1024: 2 3",
            "                bytes:[1024]",
            "Locations",
            "     1: 0x401234 M=1 [F] com.example.Cache.grow com/example/Cache.java:42 s=40"
                + "(space-bytes)",
            "     2: 0x40b910d730 M=1 com.example.App.work com/example/App.java:25 s=20",
            "     3: 0x5b7eab51e0 M=1 com.example.App.main com/example/App.java:14 s=10",
            "Mappings",
            "1: 0x400000/0x4a0000/0x1000 java build-1234 [FN][FL]",
            ""),
        dump);
  }

  /**
   * Go's conventions, then the text against golden/{@code name}.txt; the profile is also written
   * for checking by hand: go tool pprof -raw target/golden/{@code name}.pb.gz
   */
  private static void assertGolden(String name, Profile p) throws Exception {
    ProfileValidator.checkGoConventions(p);
    Golden.assertMatches(name + ".txt", ProfileText.dump(p));
    Path dir = Paths.get(System.getProperty("basedir", "."), "target", "golden");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".pb.gz"), Profiles.gzip(p));
  }
}
