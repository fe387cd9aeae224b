package io.reshape.collectors.bench;

import io.reshape.collectors.host.DirtyRateSource;
import io.reshape.collectors.host.QuantaSource;
import io.reshape.host.DiscoveredVm;
import io.reshape.host.ProcFs;
import io.reshape.host.QemuDiscovery;
import io.reshape.host.QmpClient;
import io.reshape.host.TestGuest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The collector's figures, one {@code BENCH <name> <value> <unit>} line each: bitmap bytes on the
 * wire for a 4 GiB VM, bitmap encoding throughput (JMH), and the collector's CPU time per VM per
 * interval, measured on real guests.
 */
public final class CollectorBenchmarks {

  private static final int GUESTS = 10;
  private static final int WARMUP_INTERVALS = 300;
  private static final int INTERVALS = 40;

  private CollectorBenchmarks() {}

  public static void main(String[] args) throws Exception {
    wireSizes();
    encodeThroughput();
    collectorCpu();
  }

  private static void bench(String name, double value, String unit) {
    System.out.println(String.format(Locale.ROOT, "BENCH %s %.3f %s", name, value, unit));
  }

  private static void wireSizes() {
    bench("bitmap_raw_4gib", BitmapEncodeBenchmark.PAGES_OF_4_GIB / 8.0, "bytes");
    for (int perMille : new int[] {1, 10, 100}) {
      int count = BitmapEncodeBenchmark.PAGES_OF_4_GIB * perMille / 1000;
      String share = perMille / 10.0 + "pct";
      bench("bitmap_wire_4gib_random_" + share, WireSizes.bytes(WireSizes.randomPages(count, new SplittableRandom(perMille))), "bytes");
      bench("bitmap_wire_4gib_clustered_" + share, WireSizes.bytes(WireSizes.clusteredPages(count, new SplittableRandom(perMille))), "bytes");
    }
  }

  private static void encodeThroughput() throws Exception {
    for (RunResult result : new Runner(new OptionsBuilder()
        .include(BitmapEncodeBenchmark.class.getSimpleName())
        .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3).measurementTime(TimeValue.seconds(2))
        .build()).run()) {
      String perMille = result.getParams().getParam("perMille");
      double perSecond = result.getPrimaryResult().getScore();
      int pages = BitmapEncodeBenchmark.PAGES_OF_4_GIB * Integer.parseInt(perMille) / 1000;
      bench("bitmap_encode_4gib_" + Integer.parseInt(perMille) / 10.0 + "pct", perSecond, "bitmaps/s");
      bench("bitmap_encode_4gib_" + Integer.parseInt(perMille) / 10.0 + "pct_pages", perSecond * pages, "pages/s");
    }
  }

  /**
   * CPU time the quanta and dirty-rate sources spend per VM per interval, on real idle guests,
   * after enough intervals for the JIT to compile the path as a long-running collector has it.
   */
  private static void collectorCpu() throws Exception {
    if (!Files.isWritable(Path.of("/dev/kvm")) || !Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64"))) {
      System.out.println("BENCH collector_cpu skipped: needs /dev/kvm and QEMU");
      return;
    }
    Path dir = Files.createTempDirectory("reshape-bench-");
    List<TestGuest> guests = new ArrayList<>();
    List<QmpClient> monitors = new ArrayList<>();
    try {
      for (int i = 0; i < GUESTS; i++) {
        guests.add(TestGuest.boot("bench-" + i, 1, dir));
      }
      List<DiscoveredVm> vms = new QemuDiscovery(ProcFs.system()).scan().stream()
          .filter(vm -> vm.vmId().startsWith("bench-")).toList();
      for (DiscoveredVm vm : vms) {
        monitors.add(QmpClient.connect(vm.monitored().orElseThrow().qmpSocket(), Duration.ofSeconds(2)));
      }
      QuantaSource quanta = new QuantaSource("bench", ProcFs.system());
      DirtyRateSource rates = new DirtyRateSource("bench");
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = 0;
      long samples = 0;
      for (int interval = -WARMUP_INTERVALS; interval < INTERVALS; interval++) {
        if (interval == 0) {
          cpuBefore = threads.getCurrentThreadCpuTime();
          samples = 0;
        }
        for (int v = 0; v < vms.size(); v++) {
          DiscoveredVm vm = vms.get(v);
          samples += quanta.sample(vm.monitored().orElseThrow(), monitors.get(v), Instant.now()).size();
          if (Math.floorMod(interval, 5) == 0) {
            rates.sample(vm.monitored().orElseThrow(), monitors.get(v), vm.commandLine().memoryBytes(), Instant.now());
          }
        }
        Thread.sleep(interval < 0 ? 5 : 100);
      }
      double cpuPerVmInterval = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e6 / vms.size() / INTERVALS;
      bench("collector_cpu_per_vm_interval", cpuPerVmInterval, "ms");
      bench("collector_cpu_50_vms_at_1s", cpuPerVmInterval * 50 / 1000 * 100, "percent_of_a_core");
      bench("collector_quanta_samples", samples, "samples");
    } finally {
      monitors.forEach(QmpClient::close);
      for (TestGuest guest : guests) {
        guest.close();
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
      }
      Files.delete(dir);
    }
  }
}
