package io.reshape.local.cli;

import io.reshape.local.recording.ReplaySpeed;
import io.reshape.local.recording.Replayer;
import io.reshape.local.recording.TransferProgress;
import io.reshape.local.recording.TransferProgress.Measure;
import io.reshape.local.recording.WallClock;
import io.reshape.schemas.KafkaConnection;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reshape replay}: a recording published into a cluster. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
        "Publishes a recording made by 'reshape record' into a Kafka cluster: each record",
        "to its topic and partition, with its key and timestamp, at the recorded pace or",
        "faster. Each writer schema is registered in the cluster's registry first, and",
        "values carry the id it has there. The cluster comes from the environment, as for",
        "'reshape record'. Progress goes to stderr; Ctrl-C stops the replay."})
public final class ReplayCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The recording.")
  Path file;

  @Option(names = "--speed", converter = ReplaySpeedConverter.class, defaultValue = "1", paramLabel = "N|max",
      description = "1 replays at the recorded pace, N N times faster (0.5: half as fast), max as fast as the cluster takes records (default ${DEFAULT-VALUE}).")
  ReplaySpeed speed;

  @Option(names = "--topics", split = ",", paramLabel = "TOPIC", description = "Recorded topics to replay, comma-separated (default: all).")
  List<String> topics = List.of();

  @Option(names = "--to-topic-prefix", defaultValue = "", paramLabel = "PREFIX",
      description = "Publish topic T of the recording to PREFIX + T (the topics must exist).")
  String topicPrefix;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    KafkaConnection target = KafkaConnection.fromEnv(System.getenv());
    Replayer replayer = new Replayer(target, WallClock.SYSTEM);
    Replayer.Plan plan = replayer.plan(file, topics, topicPrefix);
    if (plan.records() == 0) {
      out.println(file + " holds no records" + (topics.isEmpty() ? "" : " of " + String.join(", ", topics)) + ": nothing to replay.");
      return 0;
    }
    double span = plan.spanMillis() / 1000.0;
    out.printf(Locale.ROOT, "Replaying %,d records of %s (%,.1f s of event time) into Kafka at %s, speed %s%s%n", plan.records(),
        String.join(", ", plan.targets().values()), span, target.bootstrapServers(), speed,
        speed.equals(ReplaySpeed.MAX) ? "" : String.format(Locale.ROOT, ": about %,.1f s", span / speed.factor()));
    TransferProgress progress = new TransferProgress(Measure.RECORDS);
    plan.targets().keySet().forEach(topic -> progress.expect(topic, plan.summary().topics().get(topic).records()));
    Replayer.Result result = GracefulStop.run(replayer::stop, () -> ProgressPrinter.showWhile(System.err, progress,
        () -> replayer.replay(plan, speed, (record, at) -> progress.moved(record))));
    out.printf(Locale.ROOT, "Replayed %,d records in %.1f s (%,.0f/s)%s%n", result.records(), result.took().toMillis() / 1000.0,
        result.records() / Math.max(0.001, result.took().toMillis() / 1000.0),
        result.complete() ? "." : ", stopped before the end of the recording.");
    return 0;
  }
}
