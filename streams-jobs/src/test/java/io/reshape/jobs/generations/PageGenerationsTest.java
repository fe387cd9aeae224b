package io.reshape.jobs.generations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.jobs.generations.PageGenerations.Reuse;
import io.reshape.jobs.generations.PageGenerations.WindowedWrites;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class PageGenerationsTest {

  private static final int PAGES = 1 << 16;
  private static final long SECOND = 1_000_000;

  private final PageGenerations generations = new PageGenerations(64, 4, Duration.ofHours(24));
  private final GenerationState state = new GenerationState();
  private final HeapEpochChunks epochs = new HeapEpochChunks();
  private long clock = 1_000 * SECOND;

  /** One contiguous one-second interval on {@code host} writing {@code pages}. */
  private void interval(String host, RoaringBitmap pages) throws Exception {
    generations.record(state, epochs, host, clock, clock + SECOND, PAGES, pages, pages.getCardinality());
    clock += SECOND;
  }

  private static RoaringBitmap pages(int from, int to) {
    return RoaringBitmap.bitmapOf(IntStream.range(from, to).toArray());
  }

  @Test
  void aRoundTripSendsBackExactlyThePagesWrittenSinceTheVmLeft() throws Exception {
    // Host A: the VM writes all over its memory.
    for (int i = 0; i < 5; i++) {
      interval("A", pages(i * 1000, i * 1000 + 3000));
    }
    // Moved to B, where it writes a known set, some of it again and again.
    RoaringBitmap writtenOnB = RoaringBitmap.or(pages(50, 60), pages(40_000, 40_010), RoaringBitmap.bitmapOf(PAGES - 1));
    interval("B", pages(50, 60));
    interval("B", pages(40_000, 40_010));
    interval("B", RoaringBitmap.bitmapOf(PAGES - 1, 55));

    Reuse backToA = generations.reuse(state, "A");
    assertThat(backToA.pagesToSend()).isEqualTo(writtenOnB.getCardinality()).isEqualTo(21);
    assertThat(backToA.imageEpoch()).isEqualTo(OptionalInt.of(5));
    assertThat(backToA.reuseRatio()).isEqualTo(1 - 21.0 / PAGES);
    assertThat(generations.reuse(state, "C")).isEqualTo(new Reuse(PAGES, PAGES, OptionalInt.empty()));
    assertThat(generations.reuse(state, "B").pagesToSend()).as("where it runs").isZero();

    // Back on A: A's image is the running VM again, B now holds one, and what A writes counts against B.
    interval("A", pages(100, 110));
    assertThat(state.imageHosts).containsExactly("B");
    assertThat(generations.reuse(state, "B").pagesToSend()).isEqualTo(10);
    assertThat(generations.reuse(state, "A").pagesToSend()).isZero();
  }

  @Test
  void writesThatCouldNotBeSeenCountAgainstEveryImage() throws Exception {
    interval("A", pages(0, 10));
    interval("B", pages(0, 10));
    assertThat(generations.reuse(state, "A").pagesToSend()).isEqualTo(10);

    // A gap: an interval was lost, and with it which pages were written.
    clock += 5 * SECOND;
    interval("B", pages(20, 30));
    assertThat(generations.reuse(state, "A").pagesToSend()).isEqualTo(PAGES);

    // A rate-only interval says how many, not which.
    interval("B", pages(0, 1));
    generations.leave(state, "B", clock);
    interval("C", pages(0, 1));
    assertThat(generations.reuse(state, "B").pagesToSend()).isEqualTo(1);
    generations.record(state, epochs, "C", clock, clock + SECOND, PAGES, null, 300);
    assertThat(generations.reuse(state, "B").pagesToSend()).isEqualTo(PAGES);
    assertThat(state.dirtyPagesPerSecond).isEqualTo(300);
  }

  @Test
  void aResizedVmStartsOverWithEveryPageToSend() throws Exception {
    interval("A", pages(0, 10));
    interval("B", pages(0, 10));
    generations.record(state, epochs, "B", clock, clock + SECOND, PAGES * 2, pages(0, 1), 1);
    assertThat(generations.reuse(state, "A").pagesToSend()).isEqualTo(PAGES * 2);
    assertThat(generations.reuse(state, "A").pageCount()).isEqualTo(PAGES * 2);
  }

  @Test
  void overlappingIntervalsAndAClockThatWentBackAreNotGaps() throws Exception {
    interval("A", pages(0, 10));
    interval("B", pages(0, 1));
    clock -= 3 * SECOND;
    interval("B", pages(1, 2));
    assertThat(generations.reuse(state, "A").pagesToSend()).isEqualTo(2);
    assertThat(state.lastEndMicros).as("the latest end seen is kept").isEqualTo(clock + 2 * SECOND);
  }

  @Test
  void writtenSetsCountDistinctPagesPerWindowAndSayWhenTheyCannotBeSure() throws Exception {
    interval("A", pages(0, 100));                 // the first second of eleven
    for (int i = 0; i < 9; i++) {
      interval("A", pages(0, 10));                // the same ten pages, over and over
    }
    interval("A", pages(200, 205));
    List<WindowedWrites> sets = generations.writtenSets(state, List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(11), Duration.ofSeconds(30)));
    assertThat(sets).extracting(WindowedWrites::writtenPages).containsExactly(5L, 15L, 105L, 105L);
    assertThat(sets).extracting(WindowedWrites::complete).containsExactly(true, true, true, false);

    clock += 2 * SECOND;
    interval("A", pages(300, 301));
    assertThat(generations.writtenSets(state, List.of(Duration.ofSeconds(1), Duration.ofSeconds(60))))
        .containsExactly(new WindowedWrites(Duration.ofSeconds(1), 1, true), new WindowedWrites(Duration.ofSeconds(60), PAGES, false));
  }

  @Test
  void historyBeyondTheRingIsAnUpperBound() throws Exception {
    for (int i = 0; i < 100; i++) {
      interval("A", RoaringBitmap.bitmapOf(i));
    }
    assertThat(generations.writtenSets(state, List.of(Duration.ofSeconds(50), Duration.ofSeconds(100))))
        .containsExactly(new WindowedWrites(Duration.ofSeconds(50), 50, true), new WindowedWrites(Duration.ofSeconds(100), 64, false));
  }

  @Test
  void imagesExpireAndTheOldestGoesWhenThereAreTooMany() throws Exception {
    for (String host : List.of("A", "B", "C", "D", "E", "F")) {
      interval(host, pages(0, 1));
    }
    assertThat(state.imageHosts).as("four kept, the newest").containsExactly("B", "C", "D", "E");
    generations.expireImages(state, state.imageLeftAtMicros[2] + Duration.ofHours(24).toNanos() / 1000 + 1);
    assertThat(state.imageHosts).containsExactly("E");
  }

  @Test
  void aPageOutsideTheVmIsRefused() {
    assertThatThrownBy(() -> interval("A", RoaringBitmap.bitmapOf(PAGES)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Page 65536 written in a VM of 65536 pages");
  }

  @Test
  void aFullyWrittenVmCostsFourBytesAPage() throws Exception {
    interval("A", pages(0, PAGES));
    assertThat((double) epochs.bytes() / PAGES).isEqualTo(4.0);
  }
}
