package io.reshape.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A client of QEMU's machine protocol (QMP) on a unix socket: one JSON object per line, commands
 * answered in order, asynchronous events in between. Every read has a deadline, so a QEMU that
 * hangs cannot hang its caller. QEMU serves one client per monitor, so one client is shared by
 * whoever needs the VM (the collector's sources, a driver): commands are serialised, and the
 * events that arrive meanwhile are kept, up to {@value #EVENTS_KEPT}, for {@link #events}.
 */
public final class QmpClient implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final int EVENTS_KEPT = 256;

  private final Path socket;
  private final SocketChannel channel;
  private final Selector selector;
  private final Duration timeout;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Deque<JsonNode> events = new ArrayDeque<>();
  /** An interrupt that came while waiting for QEMU: kept for the caller, after the answer is read. */
  private boolean interrupted;

  private QmpClient(Path socket, SocketChannel channel, Selector selector, Duration timeout) {
    this.socket = socket;
    this.channel = channel;
    this.selector = selector;
    this.timeout = timeout;
    buffer.flip();
  }

  /** Connects, reads the greeting and leaves capabilities negotiation mode. */
  public static QmpClient connect(Path socket, Duration timeout) {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.configureBlocking(false);
      Selector selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      QmpClient client = new QmpClient(socket, channel, selector, timeout);
      JsonNode greeting = client.readMessage();
      if (!greeting.has("QMP")) {
        throw new QmpException(socket + " is not a QMP monitor: it greeted with " + greeting);
      }
      client.execute("qmp_capabilities", null);
      return client;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new QmpException("Cannot connect to the QMP socket " + socket + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Runs a command and returns its {@code return} value.
   *
   * @throws QmpException when QEMU answers with an error (its class and description are in the message)
   */
  public synchronized JsonNode execute(String command, ObjectNode arguments) {
    ObjectNode request = JSON.createObjectNode().put("execute", command);
    if (arguments != null) {
      request.set("arguments", arguments);
    }
    try {
      ByteBuffer out = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      while (true) {
        JsonNode message = readMessage();
        if (message.has("return")) {
          passInterruptOn();
          return message.get("return");
        }
        if (message.has("error")) {
          passInterruptOn();
          JsonNode error = message.get("error");
          throw new QmpException("QMP " + command + " failed on " + socket + ": "
              + error.path("class").asText() + ": " + error.path("desc").asText());
        }
        keep(message);
      }
    } catch (IOException e) {
      throw new QmpException("QMP " + command + " on " + socket + " failed: " + e.getMessage(), e);
    }
  }

  private void passInterruptOn() {
    if (interrupted) {
      interrupted = false;
      Thread.currentThread().interrupt();
    }
  }

  private void keep(JsonNode event) {
    if (events.size() == EVENTS_KEPT) {
      events.removeFirst();
    }
    events.addLast(event);
  }

  /**
   * The events named {@code name} (e.g. {@code MIGRATION}) that arrived since the last call for
   * them, oldest first, after reading whatever QEMU has sent meanwhile; other events stay kept.
   */
  public synchronized List<JsonNode> events(String name) {
    try {
      while (selector.selectNow() > 0 || buffer.hasRemaining()) {
        selector.selectedKeys().clear();
        keep(readMessage());
      }
    } catch (IOException e) {
      throw new QmpException("Reading events from " + socket + " failed: " + e.getMessage(), e);
    }
    passInterruptOn();
    List<JsonNode> named = new ArrayList<>();
    events.removeIf(event -> event.path("event").asText().equals(name) && named.add(event));
    return named;
  }

  /** A new JSON object for command arguments. */
  public static ObjectNode arguments() {
    return JSON.createObjectNode();
  }

  private JsonNode readMessage() throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    line.reset();
    while (true) {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b == '\n') {
          return JSON.readTree(line.toByteArray());
        }
        line.write(b);
      }
      // An answer abandoned half read would be taken for the next command's: wait it out, and pass
      // the interrupt on once it is read.
      interrupted |= Thread.interrupted();
      long left = deadline - System.nanoTime();
      if (left <= 0 || selector.select(Math.max(1, left / 1_000_000)) == 0 && System.nanoTime() >= deadline) {
        throw new IOException("no answer within " + timeout.toMillis() + " ms");
      }
      selector.selectedKeys().clear();
      buffer.clear();
      int read = channel.read(buffer);
      buffer.flip();
      if (read < 0) {
        throw new IOException("QEMU closed the monitor");
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(selector);
    closeQuietly(channel);
  }

  private static void closeQuietly(Closeable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (IOException e) {
        // Nothing more to do with it.
      }
    }
  }
}
