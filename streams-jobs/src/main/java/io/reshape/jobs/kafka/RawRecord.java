package io.reshape.jobs.kafka;

/**
 * A Kafka record as read, before decoding. Jobs decode in an operator of their own rather than in
 * the source, so that a record that cannot be decoded becomes a dead letter with its coordinates
 * and bytes instead of failing the source. A Flink POJO: public fields, no-argument constructor.
 */
public class RawRecord {

  public String topic;
  public int partition;
  public long offset;
  /** The Kafka timestamp, milliseconds since the epoch: the record's event time. */
  public long timestamp;
  public byte[] key;
  public byte[] value;

  public RawRecord() {}

  public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  @Override
  public String toString() {
    return topic + "/" + partition + "@" + offset;
  }
}
