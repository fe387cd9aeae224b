package io.reshape.schemas;

import java.util.Arrays;

/**
 * Copies of arrays with one entry dropped. Keyed state kept as Flink POJOs holds small lists as
 * parallel arrays (fields Flink serialises without Kryo); removing an entry removes it from each.
 */
public final class ArrayEntries {

  private ArrayEntries() {}

  public static String[] without(String[] values, int i) {
    String[] rest = Arrays.copyOf(values, values.length - 1);
    System.arraycopy(values, i + 1, rest, i, values.length - i - 1);
    return rest;
  }

  public static int[] without(int[] values, int i) {
    int[] rest = Arrays.copyOf(values, values.length - 1);
    System.arraycopy(values, i + 1, rest, i, values.length - i - 1);
    return rest;
  }

  public static long[] without(long[] values, int i) {
    long[] rest = Arrays.copyOf(values, values.length - 1);
    System.arraycopy(values, i + 1, rest, i, values.length - i - 1);
    return rest;
  }
}
