package dev.jpprof.pprof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpprof.pprof.proto.ProfileProto.Profile;
import dev.jpprof.pprof.proto.ProfileProto.Sample;
import org.junit.jupiter.api.Test;

/** pprof's -sample_index as a profile transformation: by name or position, or refused. */
class SampleIndexTest {
  private static String type(Profile p, int i) {
    return p.getStringTable((int) p.getSampleType(i).getType());
  }

  @Test
  void keepsOneTypeAsTheDefault() throws Exception {
    Profile heap = TestProfiles.heap(TestProfiles.TIME, 7, 3);
    Profile only = SampleIndex.only(heap, "alloc_objects");
    ProfileValidator.checkGoConventions(only);
    assertEquals(1, only.getSampleTypeCount());
    assertEquals("alloc_objects", type(only, 0));
    assertEquals("alloc_objects", only.getStringTable((int) only.getDefaultSampleType()));
    long total = 0;
    for (Sample s : only.getSampleList()) {
      assertEquals(1, s.getValueCount());
      total += s.getValue(0);
    }
    long expected = 0;
    for (Sample s : heap.getSampleList()) {
      expected += s.getValue(0);
    }
    assertEquals(expected, total);
    assertEquals(heap.getLocationList(), only.getLocationList());
  }

  @Test
  void takesAPositionAsPprofDoes() {
    Profile cpu = TestProfiles.cpu();
    assertEquals("samples", type(SampleIndex.only(cpu, "0"), 0));
    assertEquals("cpu", type(SampleIndex.only(cpu, "1"), 0));
  }

  @Test
  void dropsSamplesWhoseValueIsZero() {
    Profile heap = TestProfiles.heap(TestProfiles.TIME, 7, 0); // Cache.grow's objects all freed
    assertEquals(2, heap.getSampleCount());
    assertEquals(1, SampleIndex.only(heap, "inuse_objects").getSampleCount());
  }

  @Test
  void refusesATypeTheProfileLacksNamingItsTypes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SampleIndex.only(TestProfiles.cpu(), "delay"));
    assertEquals(
        "sample_index=delay is not one of this profile's sample types [samples, cpu]",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SampleIndex.only(TestProfiles.cpu(), "2"));
  }
}
