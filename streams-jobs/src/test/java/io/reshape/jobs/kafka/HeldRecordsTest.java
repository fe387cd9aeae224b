package io.reshape.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldRecordsTest {

  private static final long GRACE = 20_000;
  private final HeldRecords held = new HeldRecords();

  private static HeldRecord record(String vm, long offset, long eventTime, long heldSince) {
    return new HeldRecord(new RawRecord("quanta", 0, offset, eventTime, null, new byte[0]), vm, "host-1", heldSince);
  }

  private static List<Long> offsets(List<HeldRecord> records) {
    return records.stream().map(h -> h.record.offset).toList();
  }

  @Test
  void aVmsRecordsComeOutInTheirOrderOnceItIsListed() {
    held.hold(record("vm-a", 1, 1_000, 0));
    held.hold(record("vm-b", 2, 1_000, 0));
    held.hold(record("vm-a", 3, 2_000, 0));
    assertThat(held.holds("vm-a", "host-1")).isTrue();
    assertThat(held.holds("vm-a", "host-2")).isFalse();

    assertThat(offsets(held.release(h -> h.vmId.equals("vm-a")))).containsExactly(1L, 3L);
    assertThat(held.holds("vm-a", "host-1")).isFalse();
    assertThat(held.all()).hasSize(1);
    assertThat(offsets(held.all())).containsExactly(2L);
  }

  @Test
  void aRecordStillUnlistedHoldsBackTheOnesBehindIt() {
    held.hold(record("vm-a", 1, 1_000, 0));
    held.hold(record("vm-a", 2, 2_000, 0));
    Set<Long> listed = Set.of(2L);
    assertThat(held.release(h -> listed.contains(h.record.offset))).isEmpty();
    assertThat(held.all()).hasSize(2);
  }

  @Test
  void aRecordIsRefusedOnlyOnceItsGraceIsOverOnTheWallClock() {
    held.hold(record("vm-a", 1, 1_000, 5_000));
    held.hold(record("vm-a", 2, 30_000, 6_000));

    assertThat(held.settle(h -> false, 5_000 + GRACE - 1, GRACE).refused()).isEmpty();
    HeldRecords.Outcome due = held.settle(h -> false, 5_000 + GRACE, GRACE);
    assertThat(offsets(due.refused())).containsExactly(1L);
    assertThat(due.released()).isEmpty();
    assertThat(offsets(held.all())).containsExactly(2L);
  }

  @Test
  void settlingLetsThroughWhatIsListedAndRefusesWhatIsDueInOnePass() {
    held.hold(record("vm-a", 1, 1_000, 0));
    held.hold(record("vm-b", 2, 1_000, 0));
    held.hold(record("vm-b", 3, 60_000, 0));
    held.all().get(2).heldSince = 20_000;
    HeldRecords.Outcome settled = held.settle(h -> h.vmId.equals("vm-a"), 30_000, GRACE);
    assertThat(offsets(settled.released())).containsExactly(1L);
    assertThat(offsets(settled.refused())).containsExactly(2L);
    assertThat(offsets(held.all())).containsExactly(3L);
    assertThat(held.isEmpty()).isFalse();
  }
}
