package io.reshape.collectors.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterDeltasTest {

  @Test
  void theFirstReadingIsWhereCountingStarts() {
    CounterDeltas<String> deltas = new CounterDeltas<>();
    assertThat(deltas.next(Map.of("a", new Counters(1000, 10)))).isEmpty();
    assertThat(deltas.next(Map.of("a", new Counters(1500, 14)))).isEqualTo(Map.of("a", new Counters(500, 4)));
  }

  @Test
  void aNewKeyCountsFromZeroAndAGoneOneIsForgotten() {
    CounterDeltas<String> deltas = new CounterDeltas<>();
    deltas.next(Map.of("a", new Counters(1000, 10)));
    assertThat(deltas.next(Map.of("b", new Counters(300, 3)))).isEqualTo(Map.of("b", new Counters(300, 3)));
    assertThat(deltas.next(Map.of("a", new Counters(50, 1), "b", new Counters(300, 3))))
        .as("a came back: counted from zero, not from its old total")
        .isEqualTo(Map.of("a", new Counters(50, 1), "b", Counters.ZERO));
  }

  @Test
  void aCounterThatWentDownRestarted() {
    CounterDeltas<String> deltas = new CounterDeltas<>();
    deltas.next(Map.of("a", new Counters(1000, 10)));
    assertThat(deltas.next(Map.of("a", new Counters(200, 12)))).isEqualTo(Map.of("a", new Counters(200, 12)));
    assertThat(deltas.next(Map.of("a", new Counters(300, 13)))).isEqualTo(Map.of("a", new Counters(100, 1)));
  }
}
