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

/**
 * A client of QEMU's machine protocol (QMP) on a unix socket: one JSON object per line, commands
 * answered in order, asynchronous events in between (skipped). Every read has a deadline, so a
 * QEMU that hangs cannot hang the collector. Not thread-safe: one per VM and thread.
 */
public final class QmpClient implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path socket;
  private final SocketChannel channel;
  private final Selector selector;
  private final Duration timeout;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

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
  public JsonNode execute(String command, ObjectNode arguments) {
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
          return message.get("return");
        }
        if (message.has("error")) {
          JsonNode error = message.get("error");
          throw new QmpException("QMP " + command + " failed on " + socket + ": "
              + error.path("class").asText() + ": " + error.path("desc").asText());
        }
        // An event: not what we wait for.
      }
    } catch (IOException e) {
      throw new QmpException("QMP " + command + " on " + socket + " failed: " + e.getMessage(), e);
    }
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
