package io.reshape.jobs.bench;

import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The analytics' figures, one {@code BENCH <name> <value> <unit>} line each: the kernels (JMH, one
 * thread, so per core) and the idleness predictor's accuracy on the PlanetLab traces. Usage:
 * {@code AnalyticsBenchmarks [planetlab-folder]}.
 */
public final class AnalyticsBenchmarks {

  private AnalyticsBenchmarks() {}

  public static void main(String[] args) throws Exception {
    for (RunResult result : run(GenerationsBenchmark.class)) {
      String dirty = result.getParams().getParam("dirty");
      double score = result.getPrimaryResult().getScore();
      if (result.getPrimaryResult().getLabel().equals("recordDirtyPages")) {
        bench("generations_records_4gib_" + dirty, score, "records/s");
        bench("generations_page_updates_4gib_" + dirty, score * GenerationsBenchmark.pagesPerRecord(dirty), "pages/s");
      } else if (dirty.equals("10-random")) {
        bench("generations_reuse_answer_4gib", score, "ns");
      }
    }
    bench("generations_state_per_page_4gib", GenerationsBenchmark.stateBytesPerPage(), "bytes");
    for (RunResult result : run(IdlenessBenchmark.class)) {
      bench("idleness_quantum_samples", result.getPrimaryResult().getScore(), "samples/s");
    }
    for (RunResult result : run(FootprintsBenchmark.class)) {
      bench("footprints_traffic_samples", result.getPrimaryResult().getScore(), "samples/s");
    }
    IdlenessAccuracy.main(args);
  }

  private static Iterable<RunResult> run(Class<?> benchmark) throws Exception {
    return new Runner(new OptionsBuilder()
        .include(benchmark.getSimpleName())
        .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(2)).measurementIterations(3).measurementTime(TimeValue.seconds(2))
        .jvmArgsAppend("-Xmx2g")
        .build()).run();
  }

  private static void bench(String name, double value, String unit) {
    System.out.println(String.format(Locale.ROOT, "BENCH %s %.3f %s", name, value, unit));
  }
}
