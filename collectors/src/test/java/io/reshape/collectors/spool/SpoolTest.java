package io.reshape.collectors.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  private static final long MIB = 1 << 20;

  @TempDir
  Path dir;

  private static List<SpooledRecord> records(int from, int count) {
    List<SpooledRecord> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(new SpooledRecord(0, "quanta", "vm-" + i, 1_000L * i, ("value-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static List<String> keys(List<SpooledRecord> records) {
    return records.stream().map(SpooledRecord::key).toList();
  }

  @Test
  void givesBackWhatWasAppendedInOrderWithSequenceNumbers() throws Exception {
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      assertThat(spool.append(records(1, 3))).isEqualTo(3);
      assertThat(spool.append(records(4, 2))).isEqualTo(5);
      List<SpooledRecord> read = spool.read(0, 10, 0);
      assertThat(read).extracting(SpooledRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(keys(read)).containsExactly("vm-1", "vm-2", "vm-3", "vm-4", "vm-5");
      assertThat(new String(read.get(2).value(), StandardCharsets.UTF_8)).isEqualTo("value-3");
      assertThat(read.get(2).timestamp()).isEqualTo(3000);
      assertThat(spool.read(3, 1, 0)).extracting(SpooledRecord::sequence).containsExactly(4L);
      assertThat(spool.pending()).isEqualTo(5);
    }
  }

  @Test
  void keepsNullKeysAndTombstones() throws Exception {
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      spool.append(List.of(new SpooledRecord(0, "inventory", "vm:vm-1", 5, null), new SpooledRecord(0, "traffic", null, 6, new byte[0])));
      List<SpooledRecord> read = spool.read(0, 10, 0);
      assertThat(read.get(0).value()).isNull();
      assertThat(read.get(1).key()).isNull();
      assertThat(read.get(1).value()).isEmpty();
    }
  }

  @Test
  void releasedSegmentsAreDeletedAndReleasedRecordsNotReadAgain() throws Exception {
    try (Spool spool = Spool.open(dir, MIB, 200)) {
      spool.append(records(1, 50));
      long segmentsBefore = segmentFiles();
      spool.release(40);
      assertThat(segmentFiles()).isLessThan(segmentsBefore);
      assertThat(spool.pending()).isEqualTo(10);
      assertThat(spool.read(0, 100, 0)).extracting(SpooledRecord::sequence).first().isEqualTo(41L);
    }
  }

  @Test
  void aRestartResumesWithTheNextSequenceAndTheUnreleasedRecords() throws Exception {
    try (Spool spool = Spool.open(dir, MIB, 200)) {
      spool.append(records(1, 30));
      spool.release(12);
    }
    try (Spool spool = Spool.open(dir, MIB, 200)) {
      assertThat(spool.lastSequence()).isEqualTo(30);
      assertThat(spool.append(records(31, 1))).isEqualTo(31);
      List<SpooledRecord> unsent = spool.read(12, 100, 0);
      assertThat(unsent).extracting(SpooledRecord::sequence).startsWith(13L).endsWith(31L).hasSize(19);
    }
  }

  @Test
  void aRecordTornByACrashIsCutOff() throws Exception {
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      spool.append(records(1, 3));
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".spool")).findFirst().orElseThrow();
    }
    Files.write(segment, new byte[] {0, 0, 0, 90, 1, 2, 3}, StandardOpenOption.APPEND);
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      assertThat(spool.lastSequence()).isEqualTo(3);
      assertThat(spool.append(records(4, 1))).isEqualTo(4);
      assertThat(keys(spool.read(0, 10, 0))).containsExactly("vm-1", "vm-2", "vm-3", "vm-4");
    }
  }

  @Test
  void pastItsBoundItDropsTheOldestAndCountsThem() throws Exception {
    try (Spool spool = Spool.open(dir, 1000, 250)) {
      spool.append(records(1, 60));
      assertThat(spool.bytes()).isLessThanOrEqualTo(1000);
      assertThat(spool.dropped()).isPositive();
      List<SpooledRecord> left = spool.read(0, 100, 0);
      assertThat(left.get(0).sequence()).isEqualTo(spool.dropped() + 1);
      assertThat(left.get(left.size() - 1).sequence()).isEqualTo(60);
    }
  }

  @Test
  void recordsCountedDroppedThatATransactionDeliveredAreTakenOutOfTheCount() throws Exception {
    try (Spool spool = Spool.open(dir, 1000, 250)) {
      spool.append(records(1, 60));
      long dropped = spool.dropped();
      assertThat(dropped).isGreaterThan(10);
      // Records 1 to 5 had been read for a transaction, which committed after the bound dropped them.
      spool.delivered(1, 5);
      assertThat(spool.dropped()).isEqualTo(dropped - 5);
      spool.delivered(1, 5);
      assertThat(spool.dropped()).as("counted once").isEqualTo(dropped - 5);
      // The next transaction goes on after the dropped ones: those stay lost.
      List<SpooledRecord> left = spool.read(5, 100, 0);
      assertThat(left.get(0).sequence()).isEqualTo(dropped + 1);
      spool.delivered(left.get(0).sequence(), 60);
      assertThat(spool.dropped()).isEqualTo(dropped - 5);
      assertThat(spool.pending()).isZero();
    }
  }

  @Test
  void aReaderWaitsForTheNextRecord() throws Exception {
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      Thread writer = new Thread(() -> spool.append(records(1, 1)));
      writer.start();
      assertThat(spool.read(0, 10, 10_000)).hasSize(1);
      writer.join();
    }
  }

  @Test
  void keepsItsIdentityAcrossRestarts() throws Exception {
    String id;
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      id = spool.id();
    }
    try (Spool spool = Spool.open(dir, MIB, 4096)) {
      assertThat(spool.id()).isEqualTo(id).isNotBlank();
    }
    try (Spool other = Spool.open(dir.resolve("other"), MIB, 4096)) {
      assertThat(other.id()).isNotEqualTo(id);
    }
  }

  private long segmentFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".spool")).count();
    }
  }
}
