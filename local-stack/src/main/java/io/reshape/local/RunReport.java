package io.reshape.local;

import io.reshape.collectors.sim.SimulatedFleet;
import io.reshape.collectors.sim.Workload;
import io.reshape.events.Action;
import io.reshape.events.Actuation;
import io.reshape.events.Decision;
import io.reshape.local.ProgressMonitor.Seen;
import io.reshape.local.ProgressMonitor.Snapshot;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a local run prints: a line of progress every few seconds, and a report at the end. */
public final class RunReport {

  private static final List<Topic<?>> INPUTS = List.of(Topics.QUANTA, Topics.DIRTY_PAGES, Topics.TRAFFIC, Topics.PAGE_FINGERPRINTS,
      Topics.INVENTORY);
  /** What the analytics jobs publish. */
  private static final List<Topic<?>> ANALYTICS = List.of(Topics.IDLENESS, Topics.PAGE_GENERATIONS, Topics.WRITTEN_SETS,
      Topics.FOOTPRINTS, Topics.AFFINITIES, Topics.SHARING, Topics.HOST_SHARING);

  private RunReport() {}

  public static String progressLine(Duration elapsed, Snapshot before, Snapshot now, Duration between) {
    double seconds = Math.max(0.001, between.toMillis() / 1000.0);
    long inputs = INPUTS.stream().mapToLong(now::records).sum() - INPUTS.stream().mapToLong(before::records).sum();
    return String.format(Locale.ROOT, "[%4ds] in %,6.0f/s (quanta %,d dirty-pages %,d traffic %,d) | %s | decisions %d %s | actuations %d %s | dead letters %d",
        elapsed.toSeconds(), inputs / seconds,
        now.records(Topics.QUANTA), now.records(Topics.DIRTY_PAGES), now.records(Topics.TRAFFIC),
        counts(now, ANALYTICS),
        now.decisions().size(), tally(now.decisions(), d -> d.getAction().name()),
        now.actuations().size(), tally(now.actuations(), a -> a.getOutcome().name()),
        now.deadLetters().size());
  }

  private static String counts(Snapshot snapshot, List<Topic<?>> topics) {
    return topics.stream().map(t -> String.format(Locale.ROOT, "%s %,d", t.name(), snapshot.records(t))).collect(Collectors.joining(" "));
  }

  public static void print(PrintStream out, LocalRun run, Snapshot end, Duration ran) {
    RunConfig config = run.config();
    out.println();
    out.println("──── Reshape run report ────");
    run.fleet().ifPresentOrElse(fleet -> out.printf(Locale.ROOT,
        "Fleet         %d host%s, %d VMs (%s)%s, %d ms intervals, speed %.1fx, %d live migrations%n",
        fleet.hostCount(), fleet.hostCount() == 1 ? "" : "s", fleet.vmCount(), workloads(fleet),
        config.labVms() == 0 ? "" : "; " + config.labVms() + " of them lab VMs under KVM on lab-01 (dirty pages from KVM's log)",
        config.interval().toMillis(), config.speed(), fleet.moves()),
        () -> out.println("Fleet         none (--no-fleet): the pipeline took what was published to its topics"));
    out.printf(Locale.ROOT, "Startup       stack %.1f s (Kafka broker + schema registry), pipeline %.1f s (Flink job + actuator)%n",
        run.stackStartup().toMillis() / 1000.0, run.pipelineStartup().toMillis() / 1000.0);
    long inputs = INPUTS.stream().mapToLong(end::records).sum();
    out.printf(Locale.ROOT, "Events in     %,d in %d s (%,.0f/s): %s%s%n",
        inputs, ran.toSeconds(), inputs / Math.max(1.0, ran.toMillis() / 1000.0),
        INPUTS.stream().map(t -> t.name() + " " + String.format(Locale.ROOT, "%,d", end.records(t))).collect(Collectors.joining(", ")),
        run.publisher().map(p -> String.format(Locale.ROOT, "; %,d spooled, %,d committed, %,d lost", p.appended(), p.committed(),
            p.lost())).orElse(""));
    out.printf(Locale.ROOT, "Analytics     %s%n", counts(end, ANALYTICS));
    out.printf(Locale.ROOT, "Decisions     %d %s%s%n", end.decisions().size(), tally(end.decisions(), d -> d.getAction().name()),
        end.decisions().isEmpty() ? "" : ", first visible " + Duration.between(run.fleetStart(), end.decisions().get(0).at()).toSeconds()
            + " s after the " + (run.fleet().isPresent() ? "fleet started" : "pipeline was up"));
    run.fleet().ifPresent(fleet ->
        pagedOutByWorkload(fleet, end.decisions()).forEach((workload, line) -> out.println("              " + line)));
    out.println("Gains         " + FleetGains.of(end.decisions().stream().map(Seen::value).toList(),
        end.actuations().stream().map(Seen::value).toList(), end.lastPlans().values(), end.leftByPlanner()).describe());
    out.printf(Locale.ROOT, "Actuations    %d %s%n", end.actuations().size(), tally(end.actuations(), a -> a.getOutcome().name()));
    end.actuations().stream().limit(3).map(Seen::value).forEach(a ->
        out.println("              " + a.getAction() + " " + a.getVmId() + ": " + a.getOutcome() + ", " + a.getDetail()));
    out.println("Latency       " + latency(end.decisions(), d -> d.getCreatedAt(), "decision visible after its event time")
        + "; " + latency(end.actuations(), Actuation::getDecidedAt, "actuation after the decision's event time"));
    out.printf(Locale.ROOT, "Dead letters  %d%n", end.deadLetters().size());
    end.deadLetters().stream().limit(3).map(Seen::value).forEach(d ->
        out.println("              " + d.getSourceTopic() + " " + d.getCause() + ": " + d.getReason()));
    Runtime runtime = Runtime.getRuntime();
    Map<String, Long> memory = new LinkedHashMap<>(run.stack().memory());
    memory.put("pipeline JVM", ProcessMemory.residentBytes(ProcessHandle.current().pid()));
    out.printf(Locale.ROOT, "Memory (RSS)  %s (pipeline heap in use %d MiB)%n",
        memory.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() / (1 << 20) + " MiB").collect(Collectors.joining(", ")),
        (runtime.totalMemory() - runtime.freeMemory()) / (1 << 20));
  }

  private static String workloads(SimulatedFleet fleet) {
    return Arrays.stream(Workload.values())
        .filter(w -> !fleet.vmsRunning(w).isEmpty())
        .map(w -> w.name().toLowerCase(Locale.ROOT) + " " + fleet.vmsRunning(w).size())
        .collect(Collectors.joining(", "));
  }

  private static Map<Workload, String> pagedOutByWorkload(SimulatedFleet fleet, List<Seen<Decision>> decisions) {
    Set<String> pagedOut = decisions.stream().map(Seen::value).filter(d -> d.getAction() == Action.PAGE_OUT)
        .map(Decision::getVmId).collect(Collectors.toSet());
    Map<Workload, String> lines = new EnumMap<>(Workload.class);
    for (Workload workload : Workload.values()) {
      List<String> vms = fleet.vmsRunning(workload);
      if (!vms.isEmpty()) {
        long paged = vms.stream().filter(pagedOut::contains).count();
        lines.put(workload, String.format(Locale.ROOT, "%-8s VMs paged out: %d of %d", workload.name().toLowerCase(Locale.ROOT), paged, vms.size()));
      }
    }
    return lines;
  }

  private static <T> String tally(List<Seen<T>> seen, Function<T, String> by) {
    if (seen.isEmpty()) {
      return "";
    }
    Map<String, Long> counts = new TreeMap<>(seen.stream().collect(Collectors.groupingBy(s -> by.apply(s.value()), Collectors.counting())));
    return counts.toString().replace('{', '(').replace('}', ')').replace("=", " ");
  }

  /** How long after its event time each record became visible: p50 and p99, or none yet. */
  public static <T> String latency(List<Seen<T>> seen, Function<T, Instant> eventTime, String what) {
    if (seen.isEmpty()) {
      return what + ": none yet";
    }
    long[] millis = seen.stream().mapToLong(s -> Duration.between(eventTime.apply(s.value()), s.at()).toMillis()).sorted().toArray();
    return String.format(Locale.ROOT, "%s p50 %.1f s, p99 %.1f s", what, percentile(millis, 0.50) / 1000.0, percentile(millis, 0.99) / 1000.0);
  }

  static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
