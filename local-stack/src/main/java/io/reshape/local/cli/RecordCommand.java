package io.reshape.local.cli;

import io.reshape.local.recording.ProgressBar;
import io.reshape.local.recording.Recorder;
import io.reshape.local.recording.TransferProgress;
import io.reshape.local.recording.TransferProgress.Measure;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reshape record}: topics of a cluster into a recording. */
@Command(name = "record", mixinStandardHelpOptions = true,
    description = {
        "Copies topics of a Kafka cluster into a file: their committed records, from the",
        "beginning of each partition to its end when the recording starts, with keys,",
        "timestamps and the values' writer schemas, for 'reshape replay'. The cluster and",
        "its registry come from the environment: KAFKA_BOOTSTRAP_SERVERS,",
        "SCHEMA_REGISTRY_URL and the other KAFKA_* and SCHEMA_REGISTRY_* variables (see",
        "README). Progress goes to stderr; Ctrl-C ends the recording early, and the file",
        "still holds what was read until then."})
public final class RecordCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The recording to write; it must not exist yet.")
  Path file;

  @Option(names = "--topics", split = ",", paramLabel = "TOPIC",
      description = "Topics to record, comma-separated (default: every topic of the catalogue).")
  List<String> topics = Topics.ALL.stream().map(Topic::name).toList();

  @Option(names = "--follow", description = "Go on past the end, with records as they are committed, until Ctrl-C.")
  boolean follow;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    KafkaConnection source = KafkaConnection.fromEnv(System.getenv());
    Recorder recorder = new Recorder(source);
    TransferProgress progress = new TransferProgress(Measure.OFFSETS);
    out.printf("Recording %d topic%s from Kafka at %s into %s%s%n", topics.size(), topics.size() == 1 ? "" : "s",
        source.bootstrapServers(), file,
        follow ? ", following until Ctrl-C" : "");
    Recorder.Result result = GracefulStop.run(recorder::stop, () -> ProgressPrinter.showWhile(System.err, progress,
        () -> recorder.record(file, topics, follow, progress)));
    out.printf(Locale.ROOT, "Recorded %,d records in %.1f s (%,.0f/s): %s%s.%n", result.records(),
        result.took().toMillis() / 1000.0, result.records() / Math.max(0.001, result.took().toMillis() / 1000.0),
        ProgressBar.size(result.fileBytes()),
        result.records() == 0 ? "" : ", " + ProgressBar.size(result.fileBytes() / result.records()) + " a record");
    if (!result.complete() && !follow) {
      out.println("Stopped before the end of every partition: the recording holds what was read until then.");
    }
    progress.lines().stream().filter(line -> line.raw() > 0).forEach(line -> out.printf(Locale.ROOT,
        "%,d values on %s were not schema-registry frames, or named a schema the registry does not have: recorded as they"
            + " are, and replayed so.%n", line.raw(), line.topic()));
    return 0;
  }
}
