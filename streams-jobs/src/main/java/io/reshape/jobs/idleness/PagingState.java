package io.reshape.jobs.idleness;

/** What {@link DecidePaging} remembers of one VM. A Flink POJO (public fields). */
public class PagingState {

  /** Host of the latest idleness report. */
  public String hostId;
  /** When the current idle period began, microseconds; 0 while the VM is active. */
  public long idleSinceMicros;
  /** Event time of the pending page-out timer, milliseconds; 0 when none is pending. */
  public long pageOutDueMillis;
  /** Whether a page-out was decided and no swap-in since. */
  public boolean pagedOut;

  public PagingState() {}
}
