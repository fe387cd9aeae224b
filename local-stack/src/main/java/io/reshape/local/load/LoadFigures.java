package io.reshape.local.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The figures of a load run, from the probe's samples one after another: events in per second, each
 * stage's lag in records and in seconds (how long the oldest record it has not committed has been
 * waiting: right for topics written in bursts too, which a rate would not be), CPU, memory and
 * state per VM, and the verdict.
 *
 * <p>A stage keeps up when its lag stays within {@code lagLimit}; a stage that commits with Flink's
 * checkpoints is allowed one checkpoint interval more, since its committed offsets move only then.
 * The verdict judges the stages that read what collectors write, whose records are stamped when
 * they are read from the host; feedback (actuations, commands) is stamped with its decision's
 * event time, so its age there counts the decision's own latency too, which the sample-to-decision
 * figure gives.
 */
public final class LoadFigures {

  private static final int TOP_THREADS = 8;

  private final int vms;
  private final Set<String> inputs;
  private final Duration lagLimit;
  private final Duration checkpointInterval;
  private final List<LoadSample> samples = new ArrayList<>();
  private final Map<Stage, List<Double>> lagSeconds = new TreeMap<>(Comparator.comparing(Stage::toString));
  private final List<Double> eventsPerSecond = new ArrayList<>();
  private final List<Double> cores = new ArrayList<>();

  /** @param inputs the topics collectors write, whose growth is the load */
  public LoadFigures(int vms, Set<String> inputs, Duration lagLimit, Duration checkpointInterval) {
    this.vms = vms;
    this.inputs = Set.copyOf(inputs);
    this.lagLimit = lagLimit;
    this.checkpointInterval = checkpointInterval;
  }

  /** Takes the next sample, and returns what changed since the one before it (null for the first). */
  public String add(LoadSample sample) {
    LoadSample before = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    samples.add(sample);
    if (before == null) {
      return null;
    }
    double seconds = Math.max(0.001, Duration.between(before.at(), sample.at()).toMillis() / 1000.0);
    double in = inputs.stream().mapToLong(t -> grown(before, sample, t)).sum() / seconds;
    eventsPerSecond.add(in);
    double used = (sample.cpu().toMillis() - before.cpu().toMillis()) / 1000.0 / seconds;
    cores.add(used);
    Map<Stage, Double> now = new LinkedHashMap<>();
    sample.behind().forEach((stage, records) -> {
      double lag = records == 0 ? 0 : sample.oldest().getOrDefault(stage, Duration.ZERO).toMillis() / 1000.0;
      lagSeconds.computeIfAbsent(stage, s -> new ArrayList<>()).add(lag);
      now.put(stage, lag);
    });
    String worst = now.entrySet().stream().sorted(Map.Entry.<Stage, Double>comparingByValue().reversed()).limit(3)
        .map(e -> String.format(Locale.ROOT, "%s %,d (%s)", e.getKey(), sample.behind().get(e.getKey()), seconds(e.getValue())))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "in %,.0f/s | most behind: %s | CPU %.2f cores | resident %s | state %s", in,
        worst.isEmpty() ? "none" : worst, used, mib(sample.residentBytes()), mib(sample.stateBytes()));
  }

  private static long grown(LoadSample before, LoadSample after, String topic) {
    return after.endOffsets().getOrDefault(topic, 0L) - before.endOffsets().getOrDefault(topic, 0L);
  }

  /** The stages reading the collectors' topics whose lag went past their limit at the 99th percentile, worst first. */
  public List<Stage> behind() {
    return lagSeconds.entrySet().stream()
        .filter(e -> judged(e.getKey()) && percentile(e.getValue(), 0.99) > limit(e.getKey()))
        .sorted(Comparator.comparingDouble((Map.Entry<Stage, List<Double>> e) -> percentile(e.getValue(), 0.99)).reversed())
        .map(Map.Entry::getKey).toList();
  }

  private boolean judged(Stage stage) {
    return inputs.contains(stage.topic());
  }

  private double limit(Stage stage) {
    return (lagLimit.toMillis() + (stage.checkpointed() ? checkpointInterval.toMillis() : 0)) / 1000.0;
  }

  /** The report at the end: every figure, and the verdict. */
  public List<String> report() {
    List<String> lines = new ArrayList<>();
    if (samples.size() < 2) {
      lines.add("Not enough samples for figures: the run was too short");
      return lines;
    }
    double meanIn = mean(eventsPerSecond);
    double meanCores = mean(cores);
    LoadSample last = samples.get(samples.size() - 1);
    long peakResident = samples.stream().mapToLong(LoadSample::residentBytes).max().orElse(0);
    lines.add(String.format(Locale.ROOT, "Events in     %,.0f/s on average, %,.0f/s at most, for %,d VMs", meanIn,
        eventsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElse(0), vms));
    lines.add(String.format(Locale.ROOT, "CPU           %.2f cores on average (this machine has %d): %.2f cores per 1,000 VMs",
        meanCores, Runtime.getRuntime().availableProcessors(), meanCores * 1000.0 / vms));
    lines.add(String.format(Locale.ROOT, "Memory        %s resident at most (the pipeline's JVM, the broker, the registry); state %s,"
        + " %,.0f bytes per VM", mib(peakResident), mib(last.stateBytes()), (double) last.stateBytes() / vms));
    lines.add("CPU by process " + shares(samples.get(0).processCpu(), last.processCpu(), Duration.between(samples.get(0).at(), last.at()),
        Integer.MAX_VALUE));
    lines.add("CPU by thread  " + shares(samples.get(0).threadCpu(), last.threadCpu(), Duration.between(samples.get(0).at(), last.at()),
        TOP_THREADS) + " (the pipeline's JVM, native threads too)");
    lines.add("Lag per stage (records behind at the end; seconds p99 and max over the run; limit " + seconds(lagLimit.toMillis() / 1000.0)
        + ", plus one checkpoint interval where offsets commit with checkpoints):");
    lagSeconds.forEach((stage, lags) -> lines.add(String.format(Locale.ROOT, "  %-40s %,10d  p99 %-8s max %-8s%s", stage,
        last.behind().getOrDefault(stage, 0L), seconds(percentile(lags, 0.99)), seconds(percentile(lags, 1.0)),
        !judged(stage) ? "  (feedback: from its decision's event time)" : percentile(lags, 0.99) > limit(stage) ? "  BEHIND" : "")));
    List<Stage> behind = behind();
    lines.add(behind.isEmpty()
        ? String.format(Locale.ROOT, "Verdict       kept up: %,d VMs, every stage within its lag limit", vms)
        : String.format(Locale.ROOT, "Verdict       fell behind at %,d VMs, in %s", vms,
            behind.stream().map(Stage::toString).collect(Collectors.joining(", "))));
    return lines;
  }

  /** The cores each used between two samples, the {@code top} busiest first. */
  static String shares(Map<String, Duration> before, Map<String, Duration> after, Duration between, int top) {
    double seconds = Math.max(0.001, between.toMillis() / 1000.0);
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), (e.getValue().toMillis() - before.getOrDefault(e.getKey(), Duration.ZERO).toMillis()) / 1000.0
            / seconds))
        .filter(e -> e.getValue() >= 0.005)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
        .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  static double percentile(List<Double> values, double q) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.1f s", value);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / 1048576.0);
  }
}
