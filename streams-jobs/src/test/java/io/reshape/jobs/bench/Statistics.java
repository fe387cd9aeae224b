package io.reshape.jobs.bench;

import java.util.List;

final class Statistics {

  private Statistics() {}

  /** The middle value, or the mean of the two middle ones; NaN for none. */
  static double median(List<Long> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
  }
}
