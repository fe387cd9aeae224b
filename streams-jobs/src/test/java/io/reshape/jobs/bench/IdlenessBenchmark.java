package io.reshape.jobs.bench;

import io.reshape.events.QuantumSample;
import io.reshape.jobs.idleness.IdleStateMachine;
import io.reshape.jobs.idleness.IdleTrack;
import io.reshape.jobs.idleness.IdlenessSettings;
import io.reshape.jobs.idleness.IdlenessTracker;
import io.reshape.jobs.idleness.QuantumSampleCheck;
import io.reshape.jobs.idleness.VmInterval;
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
 * The idleness kernel, per quantum sample: read from its Avro bytes, checked, made a VM interval,
 * judged and stepped through the state machine and the predictor. The VM alternates 20 idle and
 * 5 busy seconds, so states change and periods are learned along the way.
 */
@State(Scope.Thread)
public class IdlenessBenchmark {

  private static final long SECOND = 1_000_000;
  private final IdlenessSettings settings = IdlenessSettings.defaults();
  private final IdlenessTracker tracker = new IdlenessTracker(new IdleStateMachine(settings.enterIdleAfter(), settings.leaveIdleAfter()));
  private final QuantumSampleCheck check = new QuantumSampleCheck();
  private final AvroBytes<QuantumSample> reader = new AvroBytes<>(QuantumSample.class);
  private final byte[][] samples = new byte[25][];
  private IdleTrack track;
  private int next;

  @Setup
  public void setUp() {
    track = new IdleTrack();
    for (int s = 0; s < samples.length; s++) {
      boolean busy = s >= 20;
      Instant end = Instant.EPOCH.plusSeconds(s + 1);
      samples[s] = AvroBytes.encode(QuantumSample.newBuilder().setVmId("vm-bench").setHostId("host-a").setVcpu(0)
          .setIntervalStart(end.minusSeconds(1)).setIntervalEnd(end)
          .setRunNs(busy ? 900_000_000L : 10_000_000L).setRunqueueWaitNs(0).setHaltNs(busy ? 0L : 980_000_000L)
          .setHaltExits(busy ? 0L : 100L).setVoluntarySwitches(busy ? 2 : 100).setInvoluntarySwitches(busy ? 200 : 1).build());
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Object stepQuantumSample() {
    int cycle = next / samples.length;
    QuantumSample sample = reader.decode(samples[next++ % samples.length]);
    if (check.problem(sample, sample.getIntervalEnd().toEpochMilli()) != null) {
      throw new IllegalStateException("invalid benchmark sample");
    }
    VmInterval interval = VmInterval.of(sample);
    // Each cycle of samples continues the VM's timeline.
    long shift = (long) cycle * samples.length * SECOND;
    return tracker.step(track, settings.idleLike(interval), interval.startMicros + shift, interval.endMicros + shift);
  }
}
