package io.reshape.jobs.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageFingerprintsCheckTest {

  private final PageFingerprintsCheck check = new PageFingerprintsCheck();
  private final PageFingerprints good = Guest.of(1000, page -> page % 2).record("vm", "host", 100, 0);

  private String problem(PageFingerprints.Builder record) {
    PageFingerprints f = record.build();
    return check.problem(f, f.getSampledAt().toEpochMilli());
  }

  @Test
  void aPlausibleRecordPasses() {
    assertThat(good.getPages()).hasSize(50);
    assertThat(problem(PageFingerprints.newBuilder(good))).isNull();
  }

  @Test
  void sizesAndCountsMustBePositive() {
    assertThat(problem(PageFingerprints.newBuilder(good).setPageSize(0))).contains("Page size must be positive, got 0");
    assertThat(problem(PageFingerprints.newBuilder(good).setPageCount(-1))).contains("Page count must be positive, got -1");
  }

  @Test
  void theSamplingRatioMustBeAShare() {
    assertThat(problem(PageFingerprints.newBuilder(good).setSamplingRatio(0))).contains("Sampling ratio 0.0 is outside (0, 1]");
    assertThat(problem(PageFingerprints.newBuilder(good).setSamplingRatio(1.5))).contains("outside (0, 1]");
    assertThat(problem(PageFingerprints.newBuilder(good).setSamplingRatio(Double.NaN))).contains("outside (0, 1]");
  }

  @Test
  void moreHashesThanPagesReadAreRefused() {
    assertThat(problem(PageFingerprints.newBuilder(good).setSamplingRatio(0.01)))
        .contains("50 page hashes, but a sampling ratio of 0.01 of 1000 pages reads only 10");
  }

  @Test
  void pagesOutsideGuestRamAreRefused() {
    assertThat(problem(PageFingerprints.newBuilder(good).setPages(List.of(new PageHash(1000, 7L)))))
        .contains("Page index 1000 is outside guest RAM of 1000 pages");
  }

  @Test
  void theRecordTimestampMustBeTheEventTime() {
    assertThat(check.problem(good, good.getSampledAt().toEpochMilli() + 1)).contains("collectors stamp records with their event time");
  }
}
