package io.reshape.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.events.DeadLetterCause;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void headerIsMagicByteThenBigEndianId() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WireFormat.writeHeader(out, 0x01020304);
    assertThat(out.toByteArray()).containsExactly(0, 1, 2, 3, 4);
    assertThat(WireFormat.readHeader(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(0x01020304);
  }

  @Test
  void wrongMagicByteIsAMalformedFrame() {
    assertThatThrownBy(() -> WireFormat.readHeader(new ByteArrayInputStream(new byte[] {7, 0, 0, 0, 1})))
        .isInstanceOfSatisfying(RecordDecodingException.class, e -> assertThat(e.kind()).isEqualTo(DeadLetterCause.MALFORMED_FRAME))
        .hasMessageContaining("0x07");
  }

  @Test
  void truncatedHeaderIsAMalformedFrame() {
    assertThatThrownBy(() -> WireFormat.readHeader(new ByteArrayInputStream(new byte[] {0, 0, 1})))
        .isInstanceOfSatisfying(RecordDecodingException.class, e -> assertThat(e.kind()).isEqualTo(DeadLetterCause.MALFORMED_FRAME))
        .hasMessageContaining("no schema id");
    assertThatThrownBy(() -> WireFormat.readHeader(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(RecordDecodingException.class).hasMessageContaining("Empty record");
  }
}
