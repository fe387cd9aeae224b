package io.reshape.jobs.generations;

/**
 * Where a VM's page epochs are kept: in chunks of {@link #PAGES} pages, so a bitmap that touches a
 * few chunks reads and writes only those (in Flink, one map-state entry each).
 */
public interface EpochChunks {

  /** Pages per chunk: 4096 pages of 4 KiB, 16 MiB of guest RAM, 16 KiB of epochs. */
  int PAGES = 4096;
  int SHIFT = 12;

  /** The chunk's epochs, or null when no page of it was ever written. */
  int[] get(int chunk) throws Exception;

  /** Stores a chunk after its epochs changed. */
  void put(int chunk, int[] epochs) throws Exception;

  /** Drops every chunk. */
  void clear() throws Exception;
}
