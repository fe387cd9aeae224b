package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.QuantumSample;
import io.reshape.local.recording.RecordedValue.Avro;
import io.reshape.local.recording.RecordedValue.Raw;
import io.reshape.local.recording.RecordedValue.Tombstone;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RecordedValueTest {

  private static final IntFunction<Optional<Schema>> KNOWS_ONLY_41 =
      id -> id == 41 ? Optional.of(QuantumSample.getClassSchema()) : Optional.empty();

  @Test
  void aRegistryFrameIsSplitIntoItsSchemaAndBodyAndFramedAgainWithAnotherId() {
    byte[] frame = {0, 0, 0, 0, 41, 7, 8, 9};

    RecordedValue value = RecordedValue.of(frame, KNOWS_ONLY_41);

    assertThat(value).isInstanceOfSatisfying(Avro.class, avro -> {
      assertThat(avro.schemaId()).isEqualTo(41);
      assertThat(avro.schema()).isEqualTo(QuantumSample.getClassSchema());
      assertThat(avro.body()).containsExactly(7, 8, 9);
      assertThat(avro.framedWith(0x01020304)).containsExactly(0, 1, 2, 3, 4, 7, 8, 9);
      assertThat(avro.framedWith(41)).containsExactly(frame);
    });
    assertThat(value.wireSize()).isEqualTo(frame.length);
  }

  @Test
  void aNullValueIsATombstone() {
    assertThat(RecordedValue.of(null, KNOWS_ONLY_41)).isEqualTo(new Tombstone());
    assertThat(new Tombstone().wireSize()).isZero();
  }

  @Test
  void whatIsNotAFrameOrNamesAnUnknownSchemaIsKeptRaw() {
    byte[] text = "plain text".getBytes(StandardCharsets.UTF_8);
    byte[] shortFrame = {0, 0, 41};
    byte[] unknownId = {0, 0, 0, 0, 42, 1};
    byte[] empty = {};

    for (byte[] bytes : new byte[][] {text, shortFrame, unknownId, empty}) {
      assertThat(RecordedValue.of(bytes, KNOWS_ONLY_41)).isInstanceOfSatisfying(Raw.class,
          raw -> assertThat(raw.frame()).containsExactly(bytes));
    }
  }
}
