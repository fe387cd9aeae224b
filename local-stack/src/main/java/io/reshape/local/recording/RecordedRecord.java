package io.reshape.local.recording;

/**
 * One Kafka record as a recording keeps it.
 *
 * @param offset its offset in the source partition
 * @param key the key's bytes, or null
 * @param timestamp the Kafka record timestamp, epoch milliseconds: in Reshape, the event time
 */
public record RecordedRecord(String topic, int partition, long offset, byte[] key, long timestamp, RecordedValue value) {

  /** Bytes of key and value on the wire. */
  public long wireSize() {
    return (key == null ? 0 : key.length) + value.wireSize();
  }
}
