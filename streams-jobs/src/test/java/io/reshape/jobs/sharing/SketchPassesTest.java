package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SketchPassesTest {

  private static final int K = 1024;
  private static final int PAGES = 100_000;
  /** Three standard errors of a distinct count from K ranks. */
  private static final double COUNT_ERROR = 3 / Math.sqrt(K);

  /** A guest with a fifth of its pages zero and the rest holding contents that repeat at random. */
  private static Guest mixed(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return Guest.of(PAGES, page -> random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(40_000));
  }

  /** Feeds windows of {@code pages} until {@code windows} have been read; returns what was published. */
  private static List<PageSketch> read(SketchPasses passes, Guest guest, int pages, int windows) {
    List<PageSketch> published = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      passes.add(guest.window(pages, i), K).ifPresent(published::add);
    }
    return published;
  }

  @ParameterizedTest
  @ValueSource(ints = {1_000, 10_000, 30_000})
  void aWholePassEstimatesTheVmWhateverItsSamplingRatio(int windowPages) {
    // Windows of 1%, 10% and 30% of guest RAM; four of 30% overshoot and re-read the first 20%.
    Guest guest = mixed(7);
    MemoryContents truth = Guest.exact(guest);
    PageSketch pass = guest.sketch(K, windowPages);
    MemoryContents estimate = MemoryContents.of(List.of(pass));

    assertThat(pass.coverage()).isGreaterThanOrEqualTo(1).isLessThan(1 + (double) windowPages / PAGES);
    assertThat(estimate.pages()).isCloseTo(truth.pages(), within(0.01 * truth.pages()));
    assertThat(estimate.distinct()).isCloseTo(truth.distinct(), within(COUNT_ERROR * truth.distinct()));
    assertThat(estimate.mergeable()).isCloseTo(truth.mergeable(), within(COUNT_ERROR * truth.distinct()));
  }

  @Test
  void theFirstPassIsPublishedAsItDoublesAndLaterOnesWhenComplete() {
    Guest guest = Guest.of(1024, page -> page + 1);
    SketchPasses passes = new SketchPasses();

    assertThat(read(passes, guest, 64, 16)).extracting(s -> s.pagesRead).containsExactly(64L, 128L, 256L, 512L, 1024L);
    assertThat(passes.published.complete()).isTrue();
    assertThat(read(passes, guest, 64, 15)).isEmpty();
    assertThat(read(passes, guest, 64, 1)).singleElement().satisfies(s -> assertThat(s.pagesRead).isEqualTo(1024));
  }

  @Test
  void aVmWhoseMemoryChangesCompletelyLooksNewAfterOnePass() {
    Guest twin = Guest.of(PAGES, page -> page + 1);
    PageSketch twinSketch = twin.sketch(K, 10_000);
    Guest guest = Guest.of(PAGES, page -> page + 1);
    SketchPasses passes = new SketchPasses();
    read(passes, guest, 10_000, 10);
    assertThat(passes.published.overlapWith(twinSketch).similarity()).isEqualTo(1);

    guest.rewrite(page -> PAGES + page + 1);
    read(passes, guest, 10_000, 9);
    assertThat(passes.published.overlapWith(twinSketch).similarity()).as("until the pass completes").isEqualTo(1);
    read(passes, guest, 10_000, 1);
    assertThat(passes.published.overlapWith(twinSketch).similarity()).isZero();
  }

  @Test
  void aResizedVmStartsItsPassOver() {
    SketchPasses passes = new SketchPasses();
    read(passes, Guest.of(1000, page -> page + 1), 400, 2);
    assertThat(read(passes, Guest.of(2000, page -> page + 1), 400, 1))
        .singleElement().satisfies(s -> {
          assertThat(s.pageCount).isEqualTo(2000);
          assertThat(s.pagesRead).isEqualTo(400);
        });
  }

  @Test
  void aPartPassIsScaledByTheShareReadAndMissesCopiesOutsideIt() {
    // Copies next to each other (runs of four): the half read holds half of them.
    Guest runs = Guest.of(PAGES, page -> 1 + page / 4);
    PageSketch half = new SketchPasses().add(runs.window(PAGES / 2, 0), K).orElseThrow();
    assertThat(half.coverage()).isEqualTo(0.5);
    MemoryContents estimate = MemoryContents.of(List.of(half));
    assertThat(estimate.pages()).isEqualTo(PAGES);
    assertThat(estimate.mergeable()).isCloseTo(Guest.exact(runs).mergeable(), within(COUNT_ERROR * PAGES / 4));

    // Copies scattered at random: those whose other copy is in the half not read are missed.
    Guest scattered = mixed(11);
    half = new SketchPasses().add(scattered.window(PAGES / 2, 0), K).orElseThrow();
    estimate = MemoryContents.of(List.of(half));
    MemoryContents truth = Guest.exact(scattered);
    assertThat(estimate.pages()).isCloseTo(truth.pages(), within(0.01 * truth.pages()));
    assertThat(estimate.mergeable()).isLessThan(truth.mergeable()).isGreaterThan(0.3 * truth.mergeable());
  }
}
