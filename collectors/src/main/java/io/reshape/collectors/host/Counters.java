package io.reshape.collectors.host;

/** Bytes and packets, as a network counter pair counts them. */
public record Counters(long bytes, long packets) {

  public static final Counters ZERO = new Counters(0, 0);

  public Counters plus(Counters other) {
    return new Counters(bytes + other.bytes, packets + other.packets);
  }

  /** What was counted since {@code earlier}; the whole count when the counter restarted in between. */
  public Counters since(Counters earlier) {
    return bytes < earlier.bytes || packets < earlier.packets ? this : new Counters(bytes - earlier.bytes, packets - earlier.packets);
  }
}
