package io.reshape.collectors.host;

import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuDiscovery;
import io.reshape.host.TestGuest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;


/** Page hashes of real guests: two filled with the same pattern share their pages, a third does not. */
@Timeout(120)
class FingerprintSourceIT {

  private static final int ALL_PAGES = 16384;

  @TempDir
  Path dir;

  private static PageFingerprints fingerprints(FingerprintSource source, TestGuest guest) throws Exception {
    DiscoveredVm vm = new QemuDiscovery(ProcFs.system()).scan().stream()
        .filter(d -> d.pid() == guest.vm().pid()).findFirst().orElseThrow();
    return source.sample(vm, Instant.now()).orElseThrow();
  }

  /** Share of a's non-zero pages whose content b also has, page for page (a multiset intersection). */
  private static double shared(PageFingerprints a, PageFingerprints b) {
    Map<Long, Integer> inB = new HashMap<>();
    b.getPages().forEach(p -> inB.merge(p.getHash(), 1, Integer::sum));
    int common = 0;
    for (PageHash page : a.getPages()) {
      if (inB.merge(page.getHash(), -1, Integer::sum) >= 0) {
        common++;
      }
    }
    return (double) common / a.getPages().size();
  }

  @Test
  void guestsFilledAlikeShareTheirPagesAndADifferentOneDoesNot() throws Exception {
    try (TestGuest a = TestGuest.boot("print-a", 1, dir);
         TestGuest b = TestGuest.boot("print-b", 1, dir);
         TestGuest c = TestGuest.boot("print-c", 1, dir)) {
      a.command("fill 7");
      b.command("fill 7");
      c.command("fill 9");
      FingerprintSource source = new FingerprintSource("host-it", ProcFs.system(), ALL_PAGES);
      PageFingerprints pa = fingerprints(source, a);
      PageFingerprints pb = fingerprints(source, b);
      PageFingerprints pc = fingerprints(source, c);

      assertThat(pa.getPageCount()).isEqualTo(ALL_PAGES);
      assertThat(pa.getSamplingRatio()).isEqualTo(1.0);
      // The 16 MiB the guest filled, 4096 pages, and a few of its own code and data.
      assertThat(pa.getPages()).hasSizeBetween(4096, 4200);
      assertThat(shared(pa, pb)).as("a and b, filled alike").isGreaterThan(0.95);
      assertThat(shared(pa, pc)).as("a and c, filled differently").isLessThan(0.05);
    }
  }

  @Test
  void eachIntervalReadsTheNextBoundedWindow() throws Exception {
    try (TestGuest guest = TestGuest.boot("print-window", 1, dir)) {
      guest.command("fill 3");
      FingerprintSource source = new FingerprintSource("host-it", ProcFs.system(), 5000);
      PageFingerprints first = fingerprints(source, guest);
      PageFingerprints second = fingerprints(source, guest);
      assertThat(first.getSamplingRatio()).isEqualTo(5000.0 / ALL_PAGES);
      assertThat(first.getPages()).allSatisfy(p -> assertThat(p.getPage()).isLessThan(5000));
      assertThat(second.getPages()).allSatisfy(p -> assertThat(p.getPage()).isBetween(5000, 9999));
    }
  }
}
