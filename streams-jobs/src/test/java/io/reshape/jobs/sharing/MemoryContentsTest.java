package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What KSM could merge on a host, from the sketches of the VMs on it. */
class MemoryContentsTest {

  private static final int K = 1024;
  private static final double COUNT_ERROR = 3 / Math.sqrt(K);

  @Test
  void aHostMergesCopiesInsideAndAcrossItsVms() {
    // a: 30,000 contents, each twice, and a tenth of its pages zero; b: half of a's contents and
    // 15,000 of its own; c: nothing in common with either.
    Guest a = Guest.of(66_000, page -> page % 11 == 0 ? 0 : 1 + page % 30_000);
    Guest b = Guest.of(30_000, page -> page < 15_000 ? 1 + page : 100_000 + page);
    Guest c = Guest.of(20_000, page -> 200_000 + page);
    MemoryContents truth = Guest.exact(a, b, c);
    MemoryContents estimate = MemoryContents.of(List.of(a.sketch(K, 4096), b.sketch(K, 4096), c.sketch(K, 4096)));

    assertThat(estimate.pages()).isCloseTo(truth.pages(), within(0.01 * truth.pages()));
    assertThat(estimate.distinct()).isCloseTo(truth.distinct(), within(COUNT_ERROR * truth.distinct()));
    assertThat(estimate.mergeable()).isCloseTo(truth.mergeable(), within(COUNT_ERROR * truth.distinct()));
  }

  @Test
  void oneVmMergesOnlyItsOwnCopies() {
    Guest vm = Guest.of(1000, page -> 1 + page % 250);
    assertThat(MemoryContents.of(List.of(vm.sketch(K, 100)))).isEqualTo(new MemoryContents(1000, 250));
  }

  @Test
  void noVmsHoldNothing() {
    assertThat(MemoryContents.of(List.of())).isEqualTo(new MemoryContents(0, 0));
    assertThat(new MemoryContents(0, 0).mergeable()).isZero();
  }
}
