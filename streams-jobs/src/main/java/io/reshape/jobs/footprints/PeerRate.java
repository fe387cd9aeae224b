package io.reshape.jobs.footprints;

/** Averaged traffic between a VM and one peer, both directions. A Flink POJO (public fields). */
public class PeerRate extends DecayingRate {

  /** Whether the peer is a VM of the fleet; otherwise it is an endpoint address. */
  public boolean vm;
  /** Whether an affinity of the pair is out and not withdrawn; such a peer is never dropped. */
  public boolean affinityPublished;

  public PeerRate() {}

  public PeerRate(boolean vm) {
    this.vm = vm;
  }
}
