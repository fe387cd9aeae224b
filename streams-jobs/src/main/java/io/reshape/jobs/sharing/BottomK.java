package io.reshape.jobs.sharing;

import java.util.Arrays;

/**
 * Ascending arrays of hash ranks: the content of a bottom-k sketch. The k smallest ranks of a set
 * are a uniform sample of its distinct members, whatever the set's size.
 */
final class BottomK {

  private static final double TWO_TO_63 = 0x1p63;
  private static final double TWO_TO_64 = 0x1p64;

  private BottomK() {}

  /**
   * The rank of a page hash: remixed with MurmurHash3's finaliser (a bijection) so that ranks are
   * uniform whatever the hash that produced them, then shifted so that signed order is the order of
   * the unsigned values.
   */
  static long rank(long hash) {
    long k = hash;
    k ^= k >>> 33;
    k *= 0xFF51AFD7ED558CCDL;
    k ^= k >>> 33;
    k *= 0xC4CEB9FE1A85EC53L;
    k ^= k >>> 33;
    return k ^ Long.MIN_VALUE;
  }

  /** The ranks of some hashes, ascending; equal hashes give equal ranks. */
  static long[] sortedRanks(long[] hashes) {
    long[] ranks = new long[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      ranks[i] = rank(hashes[i]);
    }
    Arrays.sort(ranks);
    return ranks;
  }

  /** The at most {@code k} smallest distinct ranks of two ascending arrays; O(k). */
  static long[] union(long[] a, long[] b, int k) {
    long[] smallest = new long[Math.min(k, a.length + b.length)];
    int i = 0;
    int j = 0;
    int n = 0;
    while (n < smallest.length && (i < a.length || j < b.length)) {
      long next = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
      if (n == 0 || next != smallest[n - 1]) {
        smallest[n++] = next;
      }
    }
    return n == smallest.length ? smallest : Arrays.copyOf(smallest, n);
  }

  /**
   * Distinct members of a set whose bottom-k has {@code count} ranks, the largest {@code largest}:
   * exact when the set has fewer than k members, else the K-minimum-values estimate (k - 1) / u_k,
   * u_k the largest rank as a fraction of the rank range (relative standard error 1 / sqrt(k - 2)).
   */
  static double distinct(int count, long largest, int k) {
    if (count < k) {
      return count;
    }
    return (k - 1) / fraction(largest);
  }

  static double distinct(long[] ranks, int k) {
    return ranks.length == 0 ? 0 : distinct(ranks.length, ranks[ranks.length - 1], k);
  }

  /** A rank as a fraction of the rank range, in (0, 1]. */
  private static double fraction(long rank) {
    return (rank + TWO_TO_63 + 1) / TWO_TO_64;
  }
}
