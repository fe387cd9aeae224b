package io.reshape.jobs.bench;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.jobs.footprints.FootprintAccumulator;
import io.reshape.jobs.footprints.FootprintState;
import io.reshape.jobs.footprints.HalfLife;
import io.reshape.jobs.footprints.TrafficSampleCheck;
import io.reshape.jobs.footprints.VmSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The footprints kernel, per traffic sample: read from its Avro bytes, checked, made a signal and
 * added to the sending VM's footprint, which talks to 50 peers (one in ten samples is the NIC total).
 */
@State(Scope.Thread)
public class FootprintsBenchmark {

  private static final int PEERS = 50;
  private static final long SECOND = 1_000_000;
  private final FootprintAccumulator accumulator = new FootprintAccumulator(new HalfLife(Duration.ofMinutes(5)), 256);
  private final TrafficSampleCheck check = new TrafficSampleCheck();
  private final AvroBytes<TrafficSample> reader = new AvroBytes<>(TrafficSample.class);
  private final byte[][] samples = new byte[PEERS + 5][];
  private FootprintState state;
  private int next;

  @Setup
  public void setUp() {
    state = new FootprintState();
    Instant end = Instant.EPOCH.plusSeconds(1);
    for (int i = 0; i < samples.length; i++) {
      boolean nic = i % 10 == 9;
      samples[i] = AvroBytes.encode(TrafficSample.newBuilder().setHostId("host-a").setSrcVmId("vm-bench")
          .setDstVmId(nic ? null : "vm-peer-" + i % PEERS).setIntervalStart(end.minusSeconds(1)).setIntervalEnd(end)
          .setBytes(150_000).setPackets(120).setScope(nic ? TrafficScope.NIC : TrafficScope.FLOW).build());
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public FootprintState addTrafficSample() {
    TrafficSample sample = reader.decode(samples[next % samples.length]);
    if (check.problem(sample, sample.getIntervalEnd().toEpochMilli()) != null) {
      throw new IllegalStateException("invalid benchmark sample");
    }
    VmSignal signal = sample.getScope() == TrafficScope.NIC ? VmSignal.sentInTotal(sample) : VmSignal.sent(sample, sample.getDstVmId(), true);
    // Each round of samples is the next second of the VM's traffic.
    long shift = (long) (next++ / samples.length) * SECOND;
    signal.startMicros += shift;
    signal.endMicros += shift;
    accumulator.add(state, signal);
    return state;
  }
}
