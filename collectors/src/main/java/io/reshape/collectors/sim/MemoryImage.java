package io.reshape.collectors.sim;

/**
 * What a group of VMs started from (one system and application image): the first
 * {@code sharedPages} pages of each hold the same content, which KSM could merge.
 */
record MemoryImage(long seed, int sharedPages) {

  /** A VM that shares nothing with any other. */
  static MemoryImage own() {
    return new MemoryImage(0, 0);
  }
}
