package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Estimates against known contents. Random error is measured over independent trials (each trial
 * numbers the contents afresh, which changes every rank) as a root-mean-square, and held to the
 * bottom-k sampling error with a quarter of slack. Measured over 200 trials at k = 1024, the
 * root-mean-square errors were: similarity 0.0074 at J = 0.053 (10% of contents shared) and 0.014
 * at J = 1/3 (50%), exact at 0% and 100%; shared pages 14%, 5.3% and 3.1% (10%, 50%, 100%);
 * distinct contents 3.1%. Theory: 0.0070, 0.0147; 13.6%, 5.4%, 3.1%; 3.1%.
 */
class PageSketchTest {

  private static final int K = 1024;
  private static final int CONTENTS = 20_000;
  private static final int TRIALS = 100;
  private static final double SLACK = 1.25;

  /** A VM holding each of contents [from, to) of trial {@code trial} once, read in one pass. */
  private static PageSketch holding(int trial, int from, int to) {
    Guest guest = Guest.of(to - from, page -> content(trial, from + page));
    return guest.sketch(K, guest.pageCount());
  }

  private static long content(int trial, int i) {
    return trial * 1_000_000_000L + i + 1;
  }

  /** Root-mean-square of the relative error of an estimate over the trials. */
  private static double rmsError(double truth, DoubleStream estimates) {
    return Math.sqrt(estimates.map(estimate -> Math.pow(estimate / truth - 1, 2)).average().orElseThrow());
  }

  private static List<Overlap> trials(double overlap) {
    return IntStream.range(0, TRIALS).mapToObj(trial -> overlapOf(trial, overlap)).toList();
  }

  /** Two VMs of CONTENTS distinct contents each, a share {@code overlap} of them in common. */
  private static Overlap overlapOf(int trial, double overlap) {
    int offset = (int) Math.round(CONTENTS * (1 - overlap));
    return holding(trial, 0, CONTENTS).overlapWith(holding(trial, offset, offset + CONTENTS));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5})
  void similarityAndSharedPagesOfPartlyOverlappingVmsAreWithinTheSamplingError(double overlap) {
    double shared = overlap * CONTENTS;
    double similarity = shared / (2 * CONTENTS - shared);
    // The k smallest ranks of the union are a sample of its contents: the share of them both VMs
    // hold is off by sqrt(J (1 - J) / k); the union's count adds 1 / sqrt(k) to the shared pages.
    double similarityError = Math.sqrt(similarity * (1 - similarity) / K);
    double sharedError = Math.sqrt((1 - similarity) / (similarity * K) + 1.0 / K);

    List<Overlap> trials = trials(overlap);
    assertThat(rmsError(similarity, trials.stream().mapToDouble(Overlap::similarity)) * similarity).isLessThan(SLACK * similarityError);
    assertThat(rmsError(shared, trials.stream().mapToDouble(Overlap::sharedPages))).isLessThan(SLACK * sharedError);
  }

  @Test
  void vmsWithNothingInCommonShareNothing() {
    for (int trial = 0; trial < 10; trial++) {
      Overlap none = overlapOf(trial, 0);
      assertThat(none.similarity()).isZero();
      assertThat(none.sharedPages()).isZero();
      assertThat(none.comparedHashes()).isEqualTo(K);
    }
  }

  @Test
  void vmsWithTheSameContentsAreIdenticalAndShareThemAll() {
    List<Overlap> trials = trials(1);
    assertThat(trials).allSatisfy(trial -> assertThat(trial.similarity()).isEqualTo(1));
    assertThat(rmsError(CONTENTS, trials.stream().mapToDouble(Overlap::sharedPages))).isLessThan(SLACK / Math.sqrt(K - 2));
  }

  @Test
  void distinctContentsAreWithinTheSamplingError() {
    DoubleStream estimates = IntStream.range(0, TRIALS).mapToDouble(trial -> holding(trial, 0, CONTENTS).distinctContents());
    assertThat(rmsError(CONTENTS, estimates)).isLessThan(SLACK / Math.sqrt(K - 2));
  }

  @Test
  void vmsSmallerThanTheSketchAreCountedExactly() {
    PageSketch a = holding(0, 0, 600);
    PageSketch b = holding(0, 300, 900);
    assertThat(a.distinctContents()).isEqualTo(600);
    Overlap overlap = a.overlapWith(b);
    assertThat(overlap.similarity()).isEqualTo(300.0 / 900);
    assertThat(overlap.sharedPages()).isCloseTo(300, within(1e-9));
    assertThat(overlap.comparedHashes()).isEqualTo(900);
  }

  @Test
  void copiesInsideOneVmCountAsPagesButNotAsContents() {
    // 50,000 pages holding 10,000 contents five times over.
    Guest copies = Guest.of(50_000, page -> content(0, page % 10_000));
    PageSketch sketch = copies.sketch(K, copies.pageCount());
    assertThat(sketch.nonZeroPages()).isEqualTo(50_000);
    assertThat(sketch.distinctContents()).isCloseTo(10_000, within(3 * 10_000 / Math.sqrt(K)));
    assertThat(MemoryContents.of(List.of(sketch)).mergeable()).isCloseTo(40_000, within(3 * 10_000 / Math.sqrt(K)));

    // Sharing between VMs counts contents, not copies: one copy of each in the other VM is all of it.
    Overlap overlap = sketch.overlapWith(holding(0, 0, 10_000));
    assertThat(overlap.similarity()).isEqualTo(1);
    assertThat(overlap.sharedPages()).isCloseTo(10_000, within(3 * 10_000 / Math.sqrt(K)));
  }

  @Test
  void anEmptyVmHoldsAndSharesNothing() {
    Guest zeros = Guest.of(4096, page -> 0);
    PageSketch empty = zeros.sketch(K, 1024);
    assertThat(empty.complete()).isTrue();
    assertThat(empty.nonZeroPages()).isZero();
    assertThat(empty.distinctContents()).isZero();
    assertThat(empty.overlapWith(empty)).isEqualTo(new Overlap(0, 0, 0));
    PageSketch other = holding(0, 0, 500);
    assertThat(empty.overlapWith(other)).isEqualTo(new Overlap(0, 0, 500));
    assertThat(MemoryContents.of(List.of(empty, other))).isEqualTo(new MemoryContents(500, 500));
  }

  @Test
  void sketchesOfDifferentSizesCompareOnTheSmaller() {
    Guest guest = Guest.of(CONTENTS, page -> content(0, page));
    PageSketch small = guest.sketch(256, CONTENTS);
    PageSketch large = guest.sketch(K, CONTENTS);
    Overlap overlap = large.overlapWith(small);
    assertThat(overlap.similarity()).isEqualTo(1);
    assertThat(overlap.comparedHashes()).isEqualTo(256);
    assertThat(overlap.sharedPages()).isCloseTo(CONTENTS, within(3 * CONTENTS / Math.sqrt(256)));
  }

  @Test
  void aSketchHasAFixedSize() {
    assertThat(holding(0, 0, CONTENTS).ranks).hasSize(K).isSorted();
  }
}
