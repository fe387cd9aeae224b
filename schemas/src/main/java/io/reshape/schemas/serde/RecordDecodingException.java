package io.reshape.schemas.serde;

import io.reshape.events.DeadLetterCause;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes cannot be turned into a value. Unlike a registry that cannot be reached, this
 * will not get better by retrying: the record belongs on the dead-letter topic.
 */
public class RecordDecodingException extends SerializationException {

  private final DeadLetterCause kind;

  public RecordDecodingException(DeadLetterCause kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RecordDecodingException(DeadLetterCause kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public DeadLetterCause kind() {
    return kind;
  }
}
