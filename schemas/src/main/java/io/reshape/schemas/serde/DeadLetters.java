package io.reshape.schemas.serde;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds dead-letter records, the same way in every stage. */
public final class DeadLetters {

  private DeadLetters() {}

  /**
   * @param timestampMillis the record's Kafka timestamp, negative when it has none
   */
  public static DeadLetter of(String topic, int partition, long offset, long timestampMillis,
      byte[] key, byte[] value, String stage, DeadLetterCause cause, String reason) {
    return DeadLetter.newBuilder()
        .setSourceTopic(topic)
        .setPartition(partition)
        .setOffset(offset)
        .setRecordTimestamp(timestampMillis < 0 ? null : Instant.ofEpochMilli(timestampMillis))
        .setStage(stage)
        .setCause(cause)
        .setReason(reason)
        .setFailedAt(Instant.now())
        .setRawKey(key == null ? null : ByteBuffer.wrap(key))
        .setRawValue(value == null ? null : ByteBuffer.wrap(value))
        .build();
  }

  /** A dead letter for a record whose bytes could not be decoded. */
  public static DeadLetter undecodable(String topic, int partition, long offset, long timestampMillis,
      byte[] key, byte[] value, String stage, RecordDecodingException error) {
    return of(topic, partition, offset, timestampMillis, key, value, stage, error.kind(), error.getMessage());
  }

  /** The key of a dead letter: where the record it stands for was read. */
  public static String key(DeadLetter letter) {
    return letter.getSourceTopic() + "/" + letter.getPartition() + "@" + letter.getOffset();
  }
}
