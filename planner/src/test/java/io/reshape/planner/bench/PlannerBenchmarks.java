package io.reshape.planner.bench;

import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The planner's figures, one {@code BENCH <name> <value> <unit>} line each (JMH, one thread: one core). */
public final class PlannerBenchmarks {

  private PlannerBenchmarks() {}

  public static void main(String[] args) throws Exception {
    for (RunResult result : new Runner(new OptionsBuilder()
        .include(PlanningCycleBenchmark.class.getSimpleName())
        .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(3)).measurementIterations(5).measurementTime(TimeValue.seconds(3))
        .jvmArgsAppend("-Xmx2g")
        .build()).run()) {
      String size = result.getParams().getParam("size").replace('/', '_');
      System.out.println(String.format(Locale.ROOT, "BENCH planner_cycle_%s_vms_hosts %.3f ms", size,
          result.getPrimaryResult().getScore()));
    }
  }
}
