package io.reshape.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.roaringbitmap.RoaringBitmap;

/**
 * The wire form of dirty-page bitmaps: Roaring's portable serialization of page indexes. A 4 GiB
 * VM with 1% of its pages dirty costs a few KiB this way instead of the 128 KiB of a raw bitmap.
 */
public final class PageBitmaps {

  private PageBitmaps() {}

  public static ByteBuffer encode(RoaringBitmap pages) {
    pages.runOptimize();
    ByteBuffer buffer = ByteBuffer.allocate(pages.serializedSizeInBytes());
    pages.serialize(buffer);
    return buffer.flip();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a Roaring bitmap or name a page at or
   *     beyond {@code pageCount}
   */
  public static RoaringBitmap decode(ByteBuffer bytes, int pageCount) {
    RoaringBitmap pages = new RoaringBitmap();
    try {
      pages.deserialize(bytes.duplicate());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Not a Roaring bitmap in portable format: " + e.getMessage(), e);
    }
    if (!pages.isEmpty() && Integer.toUnsignedLong(pages.last()) >= pageCount) {
      throw new IllegalArgumentException("Bitmap names page " + Integer.toUnsignedLong(pages.last())
          + " but the VM has " + pageCount + " pages");
    }
    return pages;
  }
}
