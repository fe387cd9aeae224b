package io.reshape.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class PageBitmapsTest {

  private static final int PAGES_OF_4_GIB = 1 << 20;

  @Test
  void roundTripsThePagesExactly() {
    RoaringBitmap pages = RoaringBitmap.bitmapOf(0, 1, 2, 4095, 70_000, PAGES_OF_4_GIB - 1);
    assertThat(PageBitmaps.decode(PageBitmaps.encode(pages), PAGES_OF_4_GIB)).isEqualTo(pages);
  }

  @Test
  void onePercentOfA4GibVmCostsFarLessThanARawBitmap() {
    RoaringBitmap pages = new RoaringBitmap();
    SplittableRandom random = new SplittableRandom(1);
    while (pages.getCardinality() < PAGES_OF_4_GIB / 100) {
      pages.add(random.nextInt(PAGES_OF_4_GIB));
    }
    int rawBitmapBytes = PAGES_OF_4_GIB / 8;
    assertThat(PageBitmaps.encode(pages).remaining()).isLessThan(rawBitmapBytes / 4);
  }

  @Test
  void refusesPagesBeyondTheVm() {
    ByteBuffer bytes = PageBitmaps.encode(RoaringBitmap.bitmapOf(5, 1000));
    assertThatThrownBy(() -> PageBitmaps.decode(bytes, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page 1000").hasMessageContaining("1000 pages");
  }

  @Test
  void refusesBytesThatAreNoBitmap() {
    ByteBuffer garbage = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7});
    assertThatThrownBy(() -> PageBitmaps.decode(garbage, 100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a Roaring bitmap");
  }
}
