package io.reshape.local.recording;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.common.TopicPartition;

/**
 * Lays the records of many partitions, read in whatever order the consumer delivers them, into one
 * sequence in timestamp order, each partition's records in their own order. A record goes out only
 * when every partition that may still deliver an earlier one has a record waiting, or is finished:
 * a partition the consumer reads faster than another cannot run ahead of it in time. Records with
 * equal timestamps go out in the order they came in.
 */
final class TimestampMerge {

  private record Waiting(RecordedRecord record, long arrival) {}

  private static final class Lane {
    final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    boolean finished;
    long bytes;
  }

  private final Map<TopicPartition, Lane> lanes = new HashMap<>();
  /** Lanes with a record waiting, by their first record's timestamp, then arrival. */
  private final PriorityQueue<Lane> ready = new PriorityQueue<>(Comparator
      .<Lane>comparingLong(lane -> lane.queue.peek().record().timestamp())
      .thenComparingLong(lane -> lane.queue.peek().arrival()));
  /** Unfinished lanes with nothing waiting: while there is one, nothing can go out. */
  private int starving;
  private long arrivals;

  TimestampMerge(Collection<TopicPartition> partitions) {
    partitions.forEach(p -> lanes.put(p, new Lane()));
    starving = lanes.size();
  }

  void add(RecordedRecord record) {
    Lane lane = lanes.get(new TopicPartition(record.topic(), record.partition()));
    if (lane.queue.isEmpty()) {
      lane.queue.add(new Waiting(record, arrivals++));
      ready.add(lane);
      if (!lane.finished) {
        starving--;
      }
    } else {
      lane.queue.add(new Waiting(record, arrivals++));
    }
    lane.bytes += record.wireSize();
  }

  /** No record older than those added so far will come from {@code partition}: it holds nothing back. */
  void finish(TopicPartition partition) {
    Lane lane = lanes.get(partition);
    if (!lane.finished) {
      lane.finished = true;
      if (lane.queue.isEmpty()) {
        starving--;
      }
    }
  }

  /** Takes the records that can go out now, in order. */
  List<RecordedRecord> release() {
    List<RecordedRecord> out = new ArrayList<>();
    while (starving == 0 && !ready.isEmpty()) {
      out.add(takeFirst());
    }
    return out;
  }

  /** Takes every record waiting, in order, whether or not a partition may still deliver earlier ones. */
  List<RecordedRecord> releaseAll() {
    List<RecordedRecord> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      out.add(takeFirst());
    }
    return out;
  }

  private RecordedRecord takeFirst() {
    Lane lane = ready.poll();
    RecordedRecord record = lane.queue.poll().record();
    lane.bytes -= record.wireSize();
    if (!lane.queue.isEmpty()) {
      ready.add(lane);
    } else if (!lane.finished) {
      starving++;
    }
    return record;
  }

  /** Bytes of the records of {@code partition} that wait. */
  long waitingBytes(TopicPartition partition) {
    return lanes.get(partition).bytes;
  }

  boolean isEmpty() {
    return ready.isEmpty();
  }
}
