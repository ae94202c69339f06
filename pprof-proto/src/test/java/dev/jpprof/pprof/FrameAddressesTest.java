package dev.jpprof.pprof;

import static dev.jpprof.pprof.TestProfiles.COMPUTE;
import static dev.jpprof.pprof.TestProfiles.MAIN;
import static dev.jpprof.pprof.TestProfiles.MAX;
import static dev.jpprof.pprof.TestProfiles.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpprof.pprof.ProfileBuilder.Frame;
import dev.jpprof.pprof.proto.ProfileProto.Location;
import dev.jpprof.pprof.proto.ProfileProto.Profile;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameAddressesTest {
  @Test
  void aFrameKeepsItsAddressAndEveryOtherLocationGetsAnother() {
    FrameAddresses a = new FrameAddresses();
    long work = a.pc(List.of(WORK));
    long inlined = a.pc(List.of(MAX, COMPUTE));
    long computeAlone = a.pc(List.of(COMPUTE));
    Set<Long> seen = new HashSet<>(List.of(work, inlined, computeAlone, a.pc(List.of(MAIN))));
    assertEquals(4, seen.size(), "distinct locations, distinct addresses");
    for (long pc : seen) {
      assertTrue(pc >= FrameAddresses.START && pc < FrameAddresses.LIMIT, Long.toHexString(pc));
    }
    // The debug=1 text's form of the same frame, with the unknown line -1 read as 0.
    assertEquals(work, a.pc(WORK.name, (int) WORK.line));
    assertEquals(a.pc(List.of(new Frame("x.Y.z", "", 0, 0))), a.pc("x.Y.z", -1));
    assertEquals(inlined, a.pc(List.of(MAX, COMPUTE)));
    // The same physical line with another chain inlined into it is another location.
    assertNotEquals(inlined, a.pc(List.of(new Frame("java.lang.Math.min", "", 0, 3), COMPUTE)));
    // /symbol names the physical function; its range starts at its entry.
    assertEquals(COMPUTE.name, a.function(inlined));
    assertEquals(a.entry(COMPUTE.name), computeAlone & ~(FrameAddresses.FUNCTION_SPAN - 1));
  }

  @Test
  void pastTheTableAddressesAreHashedStableDistinctAndNameless() {
    FrameAddresses a = new FrameAddresses();
    for (int i = 0; i < FrameAddresses.MAX_FUNCTIONS; i++) {
      a.pc("f" + i, 1);
    }
    long late = a.pc("late.Function.name", 7);
    assertTrue(late >= FrameAddresses.HASHED && late < FrameAddresses.LIMIT);
    assertEquals(0, late & 0xF);
    assertEquals(late, a.pc("late.Function.name", 7));
    assertEquals(late, FrameAddresses.hashed("late.Function.name", "7"));
    assertNotEquals(late, a.pc("late.Function.name", 8));
    assertNull(a.function(late));
    assertEquals(0, a.entry("late.Function.name"));
    // Functions already in the table still get new lines there, up to the slot bound.
    long known = a.pc("f0", 2);
    assertEquals("f0", a.function(known));
  }

  @Test
  void everyLocationOfABuiltProfileHasItsAddressInsideTheMapping() {
    Profile p = TestProfiles.cpu();
    assertEquals(FrameAddresses.START, p.getMapping(0).getMemoryStart());
    assertEquals(FrameAddresses.LIMIT, p.getMapping(0).getMemoryLimit());
    Set<Long> addresses = new HashSet<>();
    for (Location l : p.getLocationList()) {
      assertTrue(l.getAddress() >= FrameAddresses.START && l.getAddress() < FrameAddresses.LIMIT);
      addresses.add(l.getAddress());
    }
    assertEquals(p.getLocationCount(), addresses.size());
  }
}
