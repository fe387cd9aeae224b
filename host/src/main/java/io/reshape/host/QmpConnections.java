package io.reshape.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The QMP clients of one host agent process, one per monitor socket. QEMU serves one client per
 * monitor at a time, so the collector's sources and the executor's drivers, which run in the same
 * host agent, share the client this hands out rather than each connecting on its own.
 */
public final class QmpConnections implements AutoCloseable {

  private final Duration timeout;
  private final Map<Path, QmpClient> open = new HashMap<>();

  public QmpConnections(Duration timeout) {
    this.timeout = timeout;
  }

  /** The client of the monitor at {@code socket}, connecting the first time it is asked for. */
  public synchronized QmpClient of(Path socket) {
    return open.computeIfAbsent(socket, s -> QmpClient.connect(s, timeout));
  }

  /** Forgets (and closes) the client of {@code socket}: its QEMU ended, or the connection broke. */
  public synchronized void drop(Path socket) {
    QmpClient client = open.remove(socket);
    if (client != null) {
      client.close();
    }
  }

  @Override
  public synchronized void close() {
    open.values().forEach(QmpClient::close);
    open.clear();
  }
}
