package io.reshape.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PageHasherTest {

  private static ByteBuffer page(byte fill) {
    byte[] bytes = new byte[4096];
    Arrays.fill(bytes, fill);
    return ByteBuffer.wrap(bytes);
  }

  @Test
  void equalPagesHashEqualAndOneChangedByteChangesTheHash() {
    assertThat(PageHasher.hash(page((byte) 7))).isEqualTo(PageHasher.hash(page((byte) 7)));
    ByteBuffer changed = page((byte) 7);
    changed.put(4000, (byte) 8);
    assertThat(PageHasher.hash(changed)).isNotEqualTo(PageHasher.hash(page((byte) 7)));
    assertThat(PageHasher.hash(page((byte) 9))).isNotEqualTo(PageHasher.hash(page((byte) 7)));
  }

  @Test
  void tellsAZeroPage() {
    assertThat(PageHasher.isZero(page((byte) 0))).isTrue();
    ByteBuffer almost = page((byte) 0);
    almost.put(4095, (byte) 1);
    assertThat(PageHasher.isZero(almost)).isFalse();
  }
}
