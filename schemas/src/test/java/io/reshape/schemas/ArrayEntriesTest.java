package io.reshape.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrayEntriesTest {

  @Test
  void dropsTheEntryAtTheIndexAndKeepsTheOrderOfTheRest() {
    assertThat(ArrayEntries.without(new String[] {"a", "b", "c"}, 1)).containsExactly("a", "c");
    assertThat(ArrayEntries.without(new int[] {1, 2, 3}, 0)).containsExactly(2, 3);
    assertThat(ArrayEntries.without(new long[] {1, 2, 3}, 2)).containsExactly(1L, 2L);
    assertThat(ArrayEntries.without(new long[] {7}, 0)).isEmpty();
  }
}
