package io.reshape.observability;

import java.util.Optional;

/** A service, or a part of one, that has started: closing it stops it. */
public interface RunningService extends AutoCloseable {

  /** Why it cannot do its work now; empty while it can. */
  Optional<String> unhealthy();
}
