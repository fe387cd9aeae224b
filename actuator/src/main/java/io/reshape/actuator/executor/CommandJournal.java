package io.reshape.actuator.executor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reshape.events.Outcome;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host executor's memory of what it applied, on local disk and synced before and after each
 * command, so that a command is never applied twice: not when it is delivered again after a crash
 * (Kafka transactions undo the output, not the effect on the host), and not across restarts.
 *
 * <p>One JSON line per event: {@code begun} before a driver runs, {@code finished} with the outcome
 * after, each with the time the command was decided. A command with {@code begun} and no
 * {@code finished} was interrupted: it is in doubt and must not be tried again. When the journal is
 * opened it forgets an entry once its last event and its decision are both older than the
 * retention: {@link CommandAdmission} refuses any command decided that long ago, so a forgotten
 * command delivered again is refused, never applied.
 */
public final class CommandJournal implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandJournal.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the journal knows of one command. */
  public record Entry(String commandId, Instant decidedAt, Instant begunAt, Outcome outcome, String driver, String detail,
      Instant finishedAt) {

    public boolean finished() {
      return outcome != null;
    }

    /** Whether the command was decided, and last touched here, longer than {@code retention} before {@code now}. */
    boolean forgettable(Instant now, Duration retention) {
      Instant last = finished() ? finishedAt : begunAt;
      Instant horizon = now.minus(retention);
      return decidedAt.isBefore(horizon) && last.isBefore(horizon);
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

  /** Records that a driver is about to apply the command decided at {@code decidedAt}; durable when this returns. */
  public synchronized void begun(String commandId, Instant decidedAt, Instant at) {
    Entry entry = new Entry(commandId, decidedAt, at, null, null, null, null);
    append(begunEvent(entry));
    entries.put(commandId, entry);
  }

  /** Records how the command decided at {@code decidedAt} ended; durable when this returns. */
  public synchronized void finished(String commandId, Instant decidedAt, Outcome outcome, String driver, String detail,
      Instant at) {
    Instant begunAt = find(commandId).map(Entry::begunAt).orElse(null);
    Entry entry = new Entry(commandId, decidedAt, begunAt, outcome, driver, detail, at);
    append(finishedEvent(entry));
    entries.put(commandId, entry);
  }

  public synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }

  private void append(String event) {
    try {
      file.write(ByteBuffer.wrap((event + "\n").getBytes(StandardCharsets.UTF_8)));
      file.force(false);
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
      if ("begun".equals(event.path("event").asText())) {
        into.put(id, new Entry(id, decidedAt, at, null, null, null, null));
      } else {
        Entry begun = into.get(id);
        into.put(id, new Entry(id, decidedAt, begun == null ? null : begun.begunAt(),
            Outcome.valueOf(event.path("outcome").asText()), event.path("driver").asText(), event.path("detail").asText(), at));
      }
    }
  }

  private static List<String> lines(Entry e) {
    List<String> lines = new ArrayList<>(2);
    if (e.begunAt() != null) {
      lines.add(begunEvent(e));
    }
    if (e.finished()) {
      lines.add(finishedEvent(e));
    }
    return lines;
  }

  private static String begunEvent(Entry e) {
    return JSON.createObjectNode().put("event", "begun").put("id", e.commandId()).put("decided", e.decidedAt().toString())
        .put("at", e.begunAt().toString()).toString();
  }

  private static String finishedEvent(Entry e) {
    return JSON.createObjectNode().put("event", "finished").put("id", e.commandId()).put("decided", e.decidedAt().toString())
        .put("outcome", e.outcome().name()).put("driver", e.driver()).put("detail", e.detail())
        .put("at", e.finishedAt().toString()).toString();
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
