package io.reshape.actuator.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reshape.events.HostCommand;
import io.reshape.events.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host executor's memory of the commands it took on, on local disk and synced at each step, so
 * that a command is never applied twice: not when it is delivered again after a crash (Kafka
 * transactions undo the output, not the effect on the host), and not across restarts. It is also
 * the hand-off between the Streams side, which accepts commands, and the {@link CommandWorker},
 * which carries them out outside any transaction.
 *
 * <p>One JSON line per event, each with the time the command was decided: {@code accepted} with the
 * command itself, when the Streams side took it on; {@code begun} before a driver runs;
 * {@code finished} with the outcome after (or at once, for a command refused on arrival);
 * {@code reported} once the worker's outcome is on Kafka. A command begun and not finished was
 * interrupted: the worker settles it from the facts on the host, and never runs it again. When the
 * journal is opened it forgets an entry once its last event and its decision are both older than
 * the retention: {@link CommandAdmission} refuses any command decided that long ago, so a forgotten
 * command delivered again is refused, never applied.
 */
public final class CommandJournal implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the journal knows of one command.
   *
   * @param command the command, for one the worker is to carry out; null for one refused on arrival
   */
  public record Entry(String commandId, Instant decidedAt, HostCommand command, Instant acceptedAt, Instant begunAt,
      Outcome outcome, String driver, String detail, Instant finishedAt, boolean reported) {

    public boolean finished() {
      return outcome != null;
    }

    /** Accepted for the worker, rather than refused on arrival. */
    public boolean accepted() {
      return acceptedAt != null;
    }

    /** Whether the command was decided, and last touched here, longer than {@code retention} before {@code now}. */
    boolean forgettable(Instant now, Duration retention) {
      Instant last = finished() ? finishedAt : begunAt != null ? begunAt : acceptedAt;
      Instant horizon = now.minus(retention);
      return decidedAt.isBefore(horizon) && last.isBefore(horizon);
    }

    private Entry begun(Instant at) {
      return new Entry(commandId, decidedAt, command, acceptedAt, at, null, null, null, null, false);
    }

    private Entry finished(Outcome outcome, String driver, String detail, Instant at) {
      return new Entry(commandId, decidedAt, command, acceptedAt, begunAt, outcome, driver, detail, at, false);
    }

    private Entry asReported() {
      return new Entry(commandId, decidedAt, command, acceptedAt, begunAt, outcome, driver, detail, finishedAt, true);
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final FileChannel file;

  private CommandJournal(FileChannel file) {
    this.file = file;
  }

  /** Opens (or creates) the journal in {@code directory}, dropping what is older than {@code retention}. */
  public static CommandJournal open(Path directory, Duration retention, Instant now) {
    try {
      Files.createDirectories(directory);
      Path path = directory.resolve("commands.journal");
      Map<String, Entry> kept = new LinkedHashMap<>();
      if (Files.exists(path)) {
        read(Files.readAllLines(path, StandardCharsets.UTF_8), kept);
        kept.values().removeIf(e -> e.forgettable(now, retention));
        rewrite(path, kept.values().stream().map(CommandJournal::lines).flatMap(List::stream).toList());
      }
      CommandJournal journal = new CommandJournal(FileChannel.open(path,
          StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
      journal.entries.putAll(kept);
      return journal;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the command journal in " + directory, e);
    }
  }

  public synchronized Optional<Entry> find(String commandId) {
    return Optional.ofNullable(entries.get(commandId));
  }

  /** Records that the executor took {@code command} on, for the worker; durable when this returns. */
  public synchronized Entry accepted(HostCommand command, Instant at) {
    Entry entry = new Entry(command.getCommandId(), command.getDecidedAt(), command, at, null, null, null, null, null, false);
    append(acceptedEvent(entry));
    entries.put(entry.commandId(), entry);
    return entry;
  }

  /** Records that a driver is about to apply the command decided at {@code decidedAt}; durable when this returns. */
  public synchronized void begun(String commandId, Instant decidedAt, Instant at) {
    Entry known = entries.get(commandId);
    Entry entry = known != null ? known.begun(at)
        : new Entry(commandId, decidedAt, null, null, at, null, null, null, null, false);
    append(begunEvent(entry));
    entries.put(commandId, entry);
  }

  /** Records how the command decided at {@code decidedAt} ended; durable when this returns. */
  public synchronized void finished(String commandId, Instant decidedAt, Outcome outcome, String driver, String detail,
      Instant at) {
    Entry known = entries.get(commandId);
    Entry entry = known != null ? known.finished(outcome, driver, detail, at)
        : new Entry(commandId, decidedAt, null, null, null, outcome, driver, detail, at, false);
    append(finishedEvent(entry));
    entries.put(commandId, entry);
  }

  /**
   * Records that the worker's outcome of the command is on Kafka. Not synced: should the mark be
   * lost in a crash, the outcome is only published again, which readers of outcomes tolerate.
   */
  public synchronized void reported(String commandId, Instant at) {
    Entry entry = entries.get(commandId).asReported();
    write(event("reported", entry, at).toString());
    entries.put(commandId, entry);
  }

  /** Commands accepted and not begun, in the order they were accepted: the worker's queue after a restart. */
  public synchronized List<Entry> waiting() {
    return select(e -> e.accepted() && e.begunAt() == null && !e.finished());
  }

  /** Commands a driver began and that never finished: the executor stopped while applying them. */
  public synchronized List<Entry> interrupted() {
    return select(e -> e.begunAt() != null && !e.finished());
  }

  /** Commands the worker finished whose outcome may not have reached Kafka. */
  public synchronized List<Entry> unreported() {
    return select(e -> e.accepted() && e.finished() && !e.reported());
  }

  private List<Entry> select(Predicate<Entry> which) {
    return entries.values().stream().filter(which).toList();
  }

  public synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }

  /** Writes {@code event} and syncs it, and every event written before it, to disk. */
  private void append(String event) {
    write(event);
    try {
      file.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot sync the command journal", e);
    }
  }

  private void write(String event) {
    try {
      file.write(ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the command journal", e);
    }
  }

  private static void read(List<String> lines, Map<String, Entry> into) throws IOException {
    for (int i = 0; i < lines.size(); i++) {
      JsonNode event;
      try {
        event = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        // Only the last line can be torn, by a crash in the middle of a write.
        if (i == lines.size() - 1) {
          LOG.warn("Ignoring a torn last line of the command journal: {}", lines.get(i));
          continue;
        }
        throw new IOException("Command journal line " + (i + 1) + " is corrupt: " + lines.get(i), e);
      }
      String id = event.path("id").asText();
      Instant decidedAt = Instant.parse(event.path("decided").asText());
      Instant at = Instant.parse(event.path("at").asText());
      Entry known = into.get(id);
      Entry entry = switch (event.path("event").asText()) {
        case "accepted" -> new Entry(id, decidedAt, command(event.path("command").asText()), at, null, null, null, null, null,
            false);
        case "begun" -> known != null ? known.begun(at) : new Entry(id, decidedAt, null, null, at, null, null, null, null, false);
        case "finished" -> {
          Outcome outcome = Outcome.valueOf(event.path("outcome").asText());
          String driver = event.path("driver").asText();
          String detail = event.path("detail").asText();
          yield known != null ? known.finished(outcome, driver, detail, at)
              : new Entry(id, decidedAt, null, null, null, outcome, driver, detail, at, false);
        }
        case "reported" -> known.asReported();
        default -> throw new IOException("Command journal line " + (i + 1) + " has an unknown event: " + lines.get(i));
      };
      into.put(id, entry);
    }
  }

  private static List<String> lines(Entry e) {
    List<String> lines = new ArrayList<>(4);
    if (e.accepted()) {
      lines.add(acceptedEvent(e));
    }
    if (e.begunAt() != null) {
      lines.add(begunEvent(e));
    }
    if (e.finished()) {
      lines.add(finishedEvent(e));
    }
    if (e.reported()) {
      lines.add(event("reported", e, e.finishedAt()).toString());
    }
    return lines;
  }

  private static ObjectNode event(String name, Entry e, Instant at) {
    return JSON.createObjectNode().put("event", name).put("id", e.commandId()).put("decided", e.decidedAt().toString())
        .put("at", at.toString());
  }

  private static String acceptedEvent(Entry e) {
    return event("accepted", e, e.acceptedAt()).put("command", json(e.command())).toString();
  }

  private static String begunEvent(Entry e) {
    return event("begun", e, e.begunAt()).toString();
  }

  private static String finishedEvent(Entry e) {
    return event("finished", e, e.finishedAt()).put("outcome", e.outcome().name()).put("driver", e.driver())
        .put("detail", e.detail()).toString();
  }

  /** The command in Avro's JSON encoding, so that the journal reads as text and holds every field. */
  private static String json(HostCommand command) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      JsonEncoder encoder = EncoderFactory.get().jsonEncoder(HostCommand.getClassSchema(), out);
      new SpecificDatumWriter<>(HostCommand.class).write(command, encoder);
      encoder.flush();
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode command " + command.getCommandId(), e);
    }
  }

  private static HostCommand command(String json) throws IOException {
    return new SpecificDatumReader<>(HostCommand.class)
        .read(null, DecoderFactory.get().jsonDecoder(HostCommand.getClassSchema(), json));
  }

  private static void rewrite(Path path, List<String> lines) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      for (String line : lines) {
        out.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      out.force(false);
    }
    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
