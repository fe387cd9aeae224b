package io.reshape.local.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.reshape.local.recording.RecordedValue.Raw;
import io.reshape.local.recording.RecordedValue.Tombstone;
import io.reshape.local.recording.TransferProgress.Measure;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private static RecordedRecord record(String topic, RecordedValue value) {
    return new RecordedRecord(topic, 0, 0, new byte[10], 0, value);
  }

  @Test
  void aRecordingShowsEachTopicWithOffsetsToReadAndATotal() {
    TransferProgress progress = new TransferProgress(Measure.OFFSETS);
    progress.expect("quanta", 200);
    progress.expect("traffic", 100);
    progress.expect("sharing", 0);
    progress.moved(record("quanta", new Raw(new byte[1014])));
    progress.moved(record("quanta", new Tombstone()));
    progress.reached("quanta", 50);
    progress.reached("traffic", 100);

    assertThat(ProgressBar.render(progress.lines())).containsExactly(
        "quanta               [######------------------]  25%            2 records    1.0 KiB (1 raw)",
        "traffic              [########################] 100%            0 records        0 B",
        "total                [############------------]  50%            2 records    1.0 KiB (1 raw)");
  }

  @Test
  void aReplayCountsRecordsPublishedAgainstTheRecordsRecorded() {
    TransferProgress progress = new TransferProgress(Measure.RECORDS);
    progress.expect("inventory", 4);
    progress.moved(record("inventory", new Tombstone()));
    progress.reached("inventory", 3);

    assertThat(progress.lines()).singleElement().satisfies(line -> {
      assertThat(line.done()).isEqualTo(1);
      assertThat(line.fraction()).isEqualTo(0.25);
    });
  }

  @Test
  void sizesAreWrittenAsPeopleReadThem() {
    assertThat(ProgressBar.size(512)).isEqualTo("512 B");
    assertThat(ProgressBar.size(3 * 1024 + 100)).isEqualTo("3.1 KiB");
    assertThat(ProgressBar.size(12L << 20)).isEqualTo("12.0 MiB");
    assertThat(ProgressBar.size(3L << 40)).isEqualTo("3.0 TiB");
  }
}
