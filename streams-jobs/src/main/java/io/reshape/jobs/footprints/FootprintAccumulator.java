package io.reshape.jobs.footprints;

import io.reshape.events.Footprint;
import io.reshape.events.PeerTraffic;
import io.reshape.schemas.Micros;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Keeps a VM's footprint up to date in its {@link FootprintState}, one {@link VmSignal} at a time,
 * and reads it out. Every average has the same half-life and is corrected for its warm-up (see
 * {@link ObservedSpan}).
 *
 * <p>Traffic. A peer's average holds both directions: what the VM sent it and what it sent the VM.
 * Traffic from outside the fleet is not measured (tap counters and flows count what a VM sends), so
 * an endpoint's average holds what the VM sent it. External traffic is what the network interfaces
 * sent less what went to VMs, where the interfaces are counted; flows count only the connections
 * conntrack tracks, so this includes the rest. It is never below what flows counted to endpoints,
 * which is all there is to go by where a host cannot read its tap counters.
 *
 * <p>Peers. Adding to a known peer allocates nothing. New peers are taken in up to twice
 * {@code maxPeers}; beyond that, until the next {@link #trim}, traffic to further new peers counts
 * in the totals only. {@link #trim} drops peers that faded below a small share of the VM's traffic,
 * then the weakest until {@code maxPeers} remain. Peers with a published affinity stay: they leave
 * through a withdrawal ({@link Affinities}). Ties are broken by peer name, so that a replay keeps
 * the same peers.
 */
public final class FootprintAccumulator {

  /** A peer below this share of the VM's traffic no longer matters to where the VM goes. */
  static final double NEGLIGIBLE_SHARE = 1e-3;
  /** ...nor does one below a byte per second. */
  static final double NEGLIGIBLE_BYTES_PER_SECOND = 1;
  /** A VM without signals for this many half-lives has averages below 1/1000 of what they were. */
  static final int FORGET_AFTER_HALF_LIVES = 10;
  private static final double NANOS_PER_SECOND = 1e9;

  private final HalfLife halfLife;
  private final int maxPeers;

  public FootprintAccumulator(HalfLife halfLife, int maxPeers) {
    this.halfLife = halfLife;
    this.maxPeers = maxPeers;
  }

  public HalfLife halfLife() {
    return halfLife;
  }

  /** Takes one signal in. Throws for a negative amount or an empty interval (see {@link DecayingRate#add}). */
  public void add(FootprintState state, VmSignal signal) {
    long start = signal.startMicros;
    long end = signal.endMicros;
    switch (signal.kind) {
      case SENT_TO_VM -> {
        state.sentToVms.add(halfLife, start, end, signal.amount);
        addToPeer(state, signal, true);
      }
      case SENT_TO_ENDPOINT -> {
        state.sentToEndpoints.add(halfLife, start, end, signal.amount);
        addToPeer(state, signal, false);
      }
      case RECEIVED_FROM_VM -> addToPeer(state, signal, true);
      case SENT_IN_TOTAL -> state.sentInTotal.add(halfLife, start, end, signal.amount);
      case CPU -> {
        state.cpuCores.add(halfLife, start, end, signal.amount / NANOS_PER_SECOND);
        state.cpu.cover(start, end);
      }
      case WRITES -> addWrites(state, signal);
    }
    if (isTraffic(signal.kind)) {
      state.traffic.cover(start, end);
    }
    if (end >= state.latestMicros()) {
      state.hostId = signal.hostId;
    }
  }

  private static boolean isTraffic(VmSignal.Kind kind) {
    return kind != VmSignal.Kind.CPU && kind != VmSignal.Kind.WRITES;
  }

  private void addToPeer(FootprintState state, VmSignal signal, boolean vm) {
    PeerRate peer = state.peers.get(signal.peer);
    if (peer == null) {
      if (state.peers.size() >= 2 * maxPeers) {
        return;
      }
      peer = new PeerRate(vm);
      state.peers.put(signal.peer, peer);
    }
    peer.add(halfLife, signal.startMicros, signal.endMicros, signal.amount);
  }

  /** A written set older than the newest one is stale: its size and its interval are already past. */
  private void addWrites(FootprintState state, VmSignal signal) {
    if (state.writes.seen && signal.endMicros <= state.writes.untilMicros) {
      return;
    }
    long start = state.writes.seen ? Math.max(signal.startMicros, state.writes.untilMicros) : signal.startMicros;
    state.dirtyPages.add(halfLife, start, signal.endMicros, signal.dirtyPagesPerSecond * (signal.endMicros - start) / 1e6);
    state.writes.cover(start, signal.endMicros);
    state.writtenSetPages = signal.writtenSetPages;
  }

  /** The footprint at {@code nowMicros}, with the {@code topPeers} largest peers. */
  public Footprint footprint(String vmId, FootprintState state, long nowMicros, int topPeers) {
    List<PeerTraffic> top = new ArrayList<>();
    for (PeerReading peer : peers(state, nowMicros)) {
      if (top.size() == topPeers || peer.bytesPerSecond() <= 0) {
        break;
      }
      top.add(new PeerTraffic(peer.peer(), peer.bytesPerSecond()));
    }
    return Footprint.newBuilder()
        .setVmId(vmId)
        .setHostId(state.hostId)
        .setComputedAt(Micros.instant(nowMicros))
        .setHalfLifeSeconds(halfLife.seconds())
        .setCpuDemandCores(state.cpu.read(halfLife, state.cpuCores, nowMicros))
        .setWrittenSetPages(state.writtenSetPages)
        .setDirtyPagesPerSecond(state.writes.read(halfLife, state.dirtyPages, nowMicros))
        .setExternalBytesPerSecond(externalBytesPerSecond(state, nowMicros))
        .setPeers(top)
        .build();
  }

  private double externalBytesPerSecond(FootprintState state, long nowMicros) {
    double unaccounted = bytesPerSecond(state, state.sentInTotal, nowMicros) - bytesPerSecond(state, state.sentToVms, nowMicros);
    return Math.max(unaccounted, bytesPerSecond(state, state.sentToEndpoints, nowMicros));
  }

  /** One of the VM's traffic averages at {@code nowMicros}, bytes per second. */
  public double bytesPerSecond(FootprintState state, DecayingRate traffic, long nowMicros) {
    return state.traffic.read(halfLife, traffic, nowMicros);
  }

  private record PeerReading(String peer, PeerRate rate, double bytesPerSecond) {}

  private static final Comparator<PeerReading> LARGEST_FIRST = Comparator
      .comparingDouble(PeerReading::bytesPerSecond).reversed()
      .thenComparing(PeerReading::peer);

  /** Every peer's traffic at {@code nowMicros}, largest first. */
  private List<PeerReading> peers(FootprintState state, long nowMicros) {
    List<PeerReading> readings = new ArrayList<>(state.peers.size());
    for (Map.Entry<String, PeerRate> peer : state.peers.entrySet()) {
      readings.add(new PeerReading(peer.getKey(), peer.getValue(), bytesPerSecond(state, peer.getValue(), nowMicros)));
    }
    readings.sort(LARGEST_FIRST);
    return readings;
  }

  /** Drops negligible peers, then the weakest beyond {@code maxPeers}; never one with a published affinity. */
  public void trim(FootprintState state, long nowMicros) {
    List<PeerReading> readings = peers(state, nowMicros);
    double total = readings.stream().mapToDouble(PeerReading::bytesPerSecond).sum();
    double negligible = Math.max(NEGLIGIBLE_BYTES_PER_SECOND, NEGLIGIBLE_SHARE * total);
    int kept = readings.size();
    for (int i = readings.size() - 1; i >= 0; i--) {
      PeerReading peer = readings.get(i);
      if (!peer.rate().affinityPublished && (peer.bytesPerSecond() < negligible || kept > maxPeers)) {
        state.peers.remove(peer.peer());
        kept--;
      }
    }
  }

  /** Whether the VM has sent no signal for so long that its footprint says nothing any more. */
  public boolean forgotten(FootprintState state, long nowMicros) {
    long silentMicros = nowMicros - state.latestMicros();
    return silentMicros > FORGET_AFTER_HALF_LIVES * halfLife.seconds() * 1e6;
  }
}
