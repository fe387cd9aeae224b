package io.reshape.local.recording;

import io.reshape.local.recording.RecordedValue.Raw;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a recording or a replay is, per topic: records and bytes moved, raw frames among them,
 * and how much of the topic's whole is done. Written by the one thread that moves records, read by
 * the one that shows them.
 */
public final class TransferProgress {

  /** What the whole of a topic is counted in. */
  public enum Measure {
    /** Offsets to read: a recording, where aborted records and transaction markers take offsets too. */
    OFFSETS,
    /** Records to publish: a replay. */
    RECORDS
  }

  /**
   * One topic so far.
   *
   * @param raw records whose value was not a registry frame
   * @param done how much of {@code total} is done
   */
  public record Line(String topic, long records, long bytes, long raw, long done, long total) {

    /** Done, from 0 to 1; a topic with nothing to do is done. */
    public double fraction() {
      return total <= 0 ? 1 : Math.min(1, (double) done / total);
    }
  }

  private static final class Counters {
    final AtomicLong records = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong raw = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong total = new AtomicLong();
  }

  private final Measure measure;
  private final Map<String, Counters> topics = new ConcurrentSkipListMap<>();

  public TransferProgress(Measure measure) {
    this.measure = measure;
  }

  /** {@code topic} has {@code total} to do. */
  public void expect(String topic, long total) {
    counters(topic).total.set(total);
  }

  public void moved(RecordedRecord record) {
    Counters counters = counters(record.topic());
    counters.records.incrementAndGet();
    counters.bytes.addAndGet(record.wireSize());
    if (record.value() instanceof Raw) {
      counters.raw.incrementAndGet();
    }
  }

  /** {@code done} offsets of the topic's total are read (the measure is {@link Measure#OFFSETS}). */
  public void reached(String topic, long done) {
    counters(topic).done.set(done);
  }

  private Counters counters(String topic) {
    return topics.computeIfAbsent(topic, t -> new Counters());
  }

  /** Every topic, by name. */
  public List<Line> lines() {
    return topics.entrySet().stream().map(e -> {
      Counters c = e.getValue();
      long records = c.records.get();
      return new Line(e.getKey(), records, c.bytes.get(), c.raw.get(), measure == Measure.RECORDS ? records : c.done.get(),
          c.total.get());
    }).toList();
  }
}
