package io.reshape.jobs.footprints;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.WindowedWrites;
import io.reshape.events.WrittenSet;
import io.reshape.schemas.Micros;
import java.time.Instant;
import java.util.List;

/** Traffic samples, written sets and signals for tests, on a clock that starts at {@link #T0}; one-second intervals. */
final class Samples {

  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final long SECOND = 1_000_000L;
  static final long T0_MICROS = Micros.of(T0);

  private Samples() {}

  /** Microseconds since the epoch of {@code seconds} after T0. */
  static long at(double seconds) {
    return T0_MICROS + Math.round(seconds * SECOND);
  }

  /** Milliseconds since the epoch of {@code seconds} after T0. */
  static long millis(double seconds) {
    return at(seconds) / 1000;
  }

  /** What {@code src} sent in the second starting {@code second} seconds after T0. */
  static TrafficSample.Builder traffic(String src, int second, long bytes) {
    return TrafficSample.newBuilder()
        .setHostId("host-1").setSrcVmId(src)
        .setIntervalStart(T0.plusSeconds(second)).setIntervalEnd(T0.plusSeconds(second + 1))
        .setBytes(bytes).setPackets(Math.max(1, bytes / 1000)).setScope(TrafficScope.FLOW);
  }

  static TrafficSample toVm(String src, String dst, int second, long bytes) {
    return traffic(src, second, bytes).setDstVmId(dst).build();
  }

  static TrafficSample toEndpoint(String src, String endpoint, int second, long bytes) {
    return traffic(src, second, bytes).setDstEndpoint(endpoint).build();
  }

  static TrafficSample nic(String src, int second, long bytes, long packets) {
    return traffic(src, second, bytes).setPackets(packets).setScope(TrafficScope.NIC).build();
  }

  /** The record timestamp of a sample: the end of its interval. */
  static long endMillis(TrafficSample sample) {
    return sample.getIntervalEnd().toEpochMilli();
  }

  static WrittenSet writtenSet(String vm, int second, double dirtyPagesPerSecond, WindowedWrites... windows) {
    return WrittenSet.newBuilder()
        .setVmId(vm).setHostId("host-1").setComputedAt(T0.plusSeconds(second)).setPageCount(1 << 18)
        .setWindows(List.of(windows)).setDirtyPagesPerSecond(dirtyPagesPerSecond)
        .build();
  }

  static WindowedWrites window(int seconds, long pages, boolean complete) {
    return new WindowedWrites(seconds, pages, complete);
  }

  /** A signal for {@code vm} over [from, to) seconds after T0. */
  static VmSignal signal(VmSignal.Kind kind, String vm, String peer, double from, double to, double amount) {
    VmSignal signal = new VmSignal();
    signal.vmId = vm;
    signal.hostId = "host-1";
    signal.kind = kind;
    signal.peer = peer;
    signal.startMicros = at(from);
    signal.endMicros = at(to);
    signal.amount = amount;
    return signal;
  }
}
