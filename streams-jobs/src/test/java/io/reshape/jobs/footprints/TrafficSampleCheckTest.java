package io.reshape.jobs.footprints;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import org.junit.jupiter.api.Test;

class TrafficSampleCheckTest {

  private final TrafficSampleCheck check = new TrafficSampleCheck();

  private String problem(TrafficSample.Builder sample) {
    TrafficSample s = sample.build();
    return check.problem(s, s.getIntervalEnd().toEpochMilli());
  }

  private static TrafficSample.Builder flow() {
    return Samples.traffic("vm-a", 0, 9000).setDstVmId("vm-b");
  }

  private static TrafficSample.Builder nic() {
    return TrafficSample.newBuilder(Samples.nic("vm-a", 0, 9000, 9));
  }

  @Test
  void plausibleSamplesPass() {
    assertThat(problem(flow())).isNull();
    assertThat(problem(Samples.traffic("vm-a", 0, 9000).setDstEndpoint("203.0.113.9"))).isNull();
    assertThat(problem(nic())).isNull();
    assertThat(problem(flow().setBytes(0).setPackets(0))).isNull();
  }

  @Test
  void negativeCountsAreRefused() {
    assertThat(problem(flow().setBytes(-1))).contains("Negative count: -1 bytes");
    assertThat(problem(nic().setPackets(-3))).contains("-3 packets");
    assertThat(problem(flow().setPackets(0))).contains("9000 bytes in no packets");
  }

  @Test
  void aCounterThatResetOrWrappedIsRefused() {
    assertThat(problem(flow().setBytes(Long.MAX_VALUE / 2).setPackets(1L << 40))).contains("counter that reset or wrapped");
  }

  @Test
  void intervalsThatEndBeforeTheyStartAreRefused() {
    TrafficSample good = flow().build();
    assertThat(problem(flow().setIntervalStart(good.getIntervalEnd()).setIntervalEnd(good.getIntervalStart())))
        .contains("at or before its start");
    assertThat(problem(flow().setIntervalEnd(good.getIntervalStart()))).contains("at or before its start");
  }

  @Test
  void aFlowNamesExactlyOneDestinationOtherThanItsSender() {
    assertThat(problem(flow().setDstVmId(null))).contains("names no destination");
    assertThat(problem(flow().setDstEndpoint("10.0.0.1"))).contains("two destinations");
    assertThat(problem(flow().setDstVmId(" "))).contains("blank destination");
    assertThat(problem(flow().setDstVmId("vm-a"))).contains("from VM vm-a to itself");
  }

  @Test
  void aNicSampleNamesNoDestination() {
    assertThat(problem(nic().setDstEndpoint("10.0.0.1"))).contains("NIC sample names a destination");
    assertThat(problem(flow().setScope(TrafficScope.NIC))).contains("NIC sample names a destination");
  }

  @Test
  void aScopeANewerSchemaAddedIsNotGuessed() {
    assertThat(problem(nic().setScope(TrafficScope.UNKNOWN))).contains("scope this job does not know");
  }

  @Test
  void theRecordTimestampMustBeTheEventTime() {
    TrafficSample s = flow().build();
    assertThat(check.problem(s, s.getIntervalEnd().toEpochMilli() - 1)).contains("stamp records with their event time");
    assertThat(problem(flow().setSrcVmId(""))).contains("Blank srcVmId");
  }
}
