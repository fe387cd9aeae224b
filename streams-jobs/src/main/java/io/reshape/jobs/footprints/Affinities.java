package io.reshape.jobs.footprints;

import io.reshape.events.Affinity;
import io.reshape.schemas.Micros;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which pairs of VMs are affinities. Each VM's peer averages already hold both directions of the
 * pair's traffic, so the VM whose id sorts first speaks for the pair; the other stays silent.
 *
 * <p>At every emission a pair at or above the threshold is published, again each time, so that a
 * reader sees it refreshed; once it falls below, it is withdrawn with a record of 0 bytes per
 * second, once. A pair is also withdrawn when either VM leaves the inventory or the VM that speaks
 * for it is forgotten.
 */
public final class Affinities {

  private final FootprintAccumulator footprints;
  private final double thresholdBytesPerSecond;

  public Affinities(FootprintAccumulator footprints, double thresholdBytesPerSecond) {
    this.footprints = footprints;
    this.thresholdBytesPerSecond = thresholdBytesPerSecond;
  }

  /** Whether {@code vmId} speaks for its pair with {@code peer}. */
  static boolean speaksFor(String vmId, String peer) {
    return vmId.compareTo(peer) < 0;
  }

  /** The affinities to publish and to withdraw at an emission. */
  public List<Affinity> atEmission(String vmId, FootprintState state, long nowMicros) {
    List<Affinity> changes = new ArrayList<>();
    for (Map.Entry<String, PeerRate> entry : state.peers.entrySet()) {
      PeerRate peer = entry.getValue();
      if (!peer.vm || !speaksFor(vmId, entry.getKey())) {
        continue;
      }
      double bytesPerSecond = footprints.bytesPerSecond(state, peer, nowMicros);
      if (bytesPerSecond >= thresholdBytesPerSecond) {
        peer.affinityPublished = true;
        changes.add(affinity(vmId, entry.getKey(), nowMicros, bytesPerSecond));
      } else if (peer.affinityPublished) {
        peer.affinityPublished = false;
        changes.add(affinity(vmId, entry.getKey(), nowMicros, 0));
      }
    }
    return changes;
  }

  /** Withdraws every affinity {@code vmId} published, as it goes away. */
  public List<Affinity> withdrawAll(String vmId, FootprintState state, long nowMicros) {
    List<Affinity> withdrawals = new ArrayList<>();
    state.peers.forEach((peer, rate) -> {
      if (rate.affinityPublished) {
        rate.affinityPublished = false;
        withdrawals.add(affinity(vmId, peer, nowMicros, 0));
      }
    });
    return withdrawals;
  }

  /** Forgets the peer {@code gone}; returns the withdrawal of the pair's affinity when {@code vmId} had published one. */
  public List<Affinity> forgetPeer(String vmId, FootprintState state, String gone, long nowMicros) {
    PeerRate rate = state.peers.remove(gone);
    return rate != null && rate.affinityPublished ? List.of(affinity(vmId, gone, nowMicros, 0)) : List.of();
  }

  private Affinity affinity(String vmA, String vmB, long nowMicros, double bytesPerSecond) {
    return Affinity.newBuilder()
        .setVmA(vmA)
        .setVmB(vmB)
        .setComputedAt(Micros.instant(nowMicros))
        .setBytesPerSecond(bytesPerSecond)
        .setHalfLifeSeconds(footprints.halfLife().seconds())
        .build();
  }
}
