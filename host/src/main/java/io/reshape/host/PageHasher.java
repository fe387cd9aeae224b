package io.reshape.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A 64-bit hash of a page's content: equal pages hash equal, different ones almost never do. */
public final class PageHasher {

  private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

  private PageHasher() {}

  /** Hashes the bytes from the buffer's position to its limit (a multiple of 8). */
  public static long hash(ByteBuffer page) {
    ByteBuffer words = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long h = 0x27D4EB2F165667C5L ^ words.remaining();
    while (words.remaining() >= Long.BYTES) {
      h = Long.rotateLeft(h ^ mix(words.getLong()), 29) * MULTIPLIER;
    }
    return mix(h);
  }

  /** Whether every byte from the buffer's position to its limit (a multiple of 8) is zero. */
  public static boolean isZero(ByteBuffer page) {
    ByteBuffer words = page.duplicate();
    while (words.remaining() >= Long.BYTES) {
      if (words.getLong() != 0) {
        return false;
      }
    }
    return true;
  }

  /** The finaliser of MurmurHash3: every input bit flips about half the output bits. */
  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k;
  }
}
