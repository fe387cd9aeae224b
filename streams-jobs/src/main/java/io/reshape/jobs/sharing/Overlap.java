package io.reshape.jobs.sharing;

/**
 * What two VMs' memories have in common, estimated from their sketches.
 *
 * @param similarity Jaccard similarity of their distinct page contents, 0 to 1
 * @param sharedPages distinct contents both hold: the pages KSM could merge if the two sat on one
 *     host, beyond what it merges inside each VM
 * @param comparedHashes the ranks the estimate rests on (at most the sketch size)
 */
public record Overlap(double similarity, double sharedPages, int comparedHashes) {}
