package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.local.recording.RecordedValue.Tombstone;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TimestampMergeTest {

  private static final TopicPartition A = new TopicPartition("quanta", 0);
  private static final TopicPartition B = new TopicPartition("quanta", 1);
  private static final TopicPartition C = new TopicPartition("inventory", 0);

  private static RecordedRecord at(TopicPartition partition, long offset, long timestamp) {
    return new RecordedRecord(partition.topic(), partition.partition(), offset, new byte[3], timestamp, new Tombstone());
  }

  private static List<String> names(List<RecordedRecord> records) {
    return records.stream().map(r -> r.topic() + "-" + r.partition() + "@" + r.offset()).toList();
  }

  @Test
  void aPartitionReadAheadWaitsForThePartitionsThatMayStillHoldEarlierRecords() {
    TimestampMerge merge = new TimestampMerge(List.of(A, B, C));
    merge.add(at(A, 0, 10));
    merge.add(at(A, 1, 50));
    merge.add(at(A, 2, 90));
    assertThat(merge.release()).as("B and C have told nothing yet").isEmpty();

    merge.add(at(B, 0, 20));
    merge.add(at(B, 1, 30));
    merge.add(at(C, 0, 5));
    assertThat(names(merge.release())).as("the earliest record; C may hold more").containsExactly("inventory-0@0");

    merge.finish(C);
    assertThat(names(merge.release())).as("up to B's last: B may hold more")
        .containsExactly("quanta-0@0", "quanta-1@0", "quanta-1@1");

    merge.finish(B);
    assertThat(names(merge.release())).containsExactly("quanta-0@1", "quanta-0@2");
    assertThat(merge.isEmpty()).isTrue();
  }

  @Test
  void eachPartitionKeepsItsOwnOrderEvenWhenItsTimestampsGoBack() {
    TimestampMerge merge = new TimestampMerge(List.of(A, B));
    merge.add(at(A, 0, 40));
    merge.add(at(A, 1, 10));
    merge.add(at(B, 0, 20));
    merge.finish(A);
    merge.finish(B);

    assertThat(names(merge.release())).containsExactly("quanta-1@0", "quanta-0@0", "quanta-0@1");
  }

  @Test
  void recordsWithEqualTimestampsGoOutInTheOrderTheyCameIn() {
    TimestampMerge merge = new TimestampMerge(List.of(A, B));
    merge.add(at(B, 0, 10));
    merge.add(at(A, 0, 10));
    merge.add(at(B, 1, 10));
    merge.finish(A);
    merge.finish(B);

    assertThat(names(merge.release())).containsExactly("quanta-1@0", "quanta-0@0", "quanta-1@1");
  }

  @Test
  void aFinishedPartitionHoldsNothingBackAndStillTakesLaterRecords() {
    TimestampMerge merge = new TimestampMerge(List.of(A, B));
    merge.finish(B);
    merge.add(at(A, 0, 10));
    merge.finish(A);
    assertThat(names(merge.release())).containsExactly("quanta-0@0");

    merge.add(at(B, 0, 5));
    assertThat(names(merge.release())).as("a record committed after the recording caught up").containsExactly("quanta-1@0");
  }

  @Test
  void whenStoppedEverythingWaitingGoesOutInOrderAndWaitingBytesAreCounted() {
    TimestampMerge merge = new TimestampMerge(List.of(A, B));
    merge.add(at(A, 0, 30));
    merge.add(at(A, 1, 10));
    merge.add(at(B, 0, 20));
    merge.add(at(B, 1, 25));
    assertThat(merge.waitingBytes(A)).isEqualTo(6);
    assertThat(names(merge.release())).as("B's two come first; then B may hold more").containsExactly("quanta-1@0", "quanta-1@1");

    assertThat(names(merge.releaseAll())).containsExactly("quanta-0@0", "quanta-0@1");
    assertThat(merge.waitingBytes(A)).isZero();
  }
}
