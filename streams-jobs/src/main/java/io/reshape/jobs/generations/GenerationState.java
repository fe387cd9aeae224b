package io.reshape.jobs.generations;

/**
 * Everything kept of one VM besides its page epochs, small whatever the VM's size: a Flink POJO.
 * Epochs count the VM's dirty-page intervals in event-time order, from 1; epoch 0 is "before
 * anything was seen".
 */
public class GenerationState {

  /** Host the VM runs on now; null until it is first seen. */
  public String hostId;
  public int pageCount;
  /** Bytes per page, from the dirty-page records. */
  public int pageSize = 4096;
  /** Guest RAM by the inventory: the size of a VM no dirty page of which was seen yet. */
  public long memoryBytes;
  /** The newest epoch. */
  public int epoch;
  /** Every page counts as written at this epoch or later: writes happened that could not be seen page by page. */
  public int floor;
  /** Start of the first dirty-page interval seen, microseconds: nothing is known of writes before it. */
  public long firstStartMicros;
  /** End of the last dirty-page interval, microseconds; 0 before the first. */
  public long lastEndMicros;
  /** Pages written per second in the last interval. */
  public double dirtyPagesPerSecond;

  /** Hosts that hold an image the VM left behind, with the epoch it left at and what changed since. */
  public String[] imageHosts = new String[0];
  public int[] imageEpochs = new int[0];
  public int[] imagePagesToSend = new int[0];
  public long[] imageLeftAtMicros = new long[0];

  /** Ring over the last epochs: when each ended, and how many pages were last written in it. */
  public long[] ringEndMicros = new long[0];
  public int[] ringLastWrites = new int[0];

  public GenerationState() {}
}
