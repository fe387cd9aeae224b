package io.reshape.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class CollectedStreamWatermarksTest {

  private final ManualClock clock = new ManualClock();
  private final Output output = new Output();
  private final CollectedStreamWatermarks watermarks =
      new CollectedStreamWatermarks(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(1), clock);

  /** What the generator said, in order: watermarks, idle. */
  private static final class Output implements WatermarkOutput {
    final List<String> said = new ArrayList<>();

    @Override
    public void emitWatermark(Watermark watermark) {
      said.add("watermark " + watermark.getTimestamp());
    }

    @Override
    public void markIdle() {
      said.add("idle");
    }

    @Override
    public void markActive() {
      said.add("active");
    }

    String last() {
      return said.isEmpty() ? "nothing" : said.get(said.size() - 1);
    }
  }

  private void tick(Duration wall) {
    clock.advanceTime(wall);
    watermarks.onPeriodicEmit(output);
  }

  @Test
  void aPartitionThatNeverHadARecordLetsGoAfterTheStartupTimeout() {
    tick(Duration.ofSeconds(4));
    assertThat(output.last()).as("no record yet, and no watermark either").isEqualTo("nothing");
    tick(Duration.ofSeconds(1));
    assertThat(output.last()).isEqualTo("idle");
  }

  @Test
  void aPauseOfTheInputHoldsEventTimeBackUntilTheStallTimeout() {
    watermarks.onEvent(null, 10_000, output);
    tick(Duration.ofMillis(200));
    assertThat(output.last()).isEqualTo("watermark 7999");
    tick(Duration.ofSeconds(30));
    assertThat(output.last()).as("silent far longer than the startup timeout, still holding").isEqualTo("watermark 7999");
    tick(Duration.ofSeconds(30));
    assertThat(output.last()).isEqualTo("idle");

    watermarks.onEvent(null, 20_000, output);
    tick(Duration.ofMillis(200));
    assertThat(output.last()).as("records again: a watermark again").isEqualTo("watermark 17999");
  }
}
