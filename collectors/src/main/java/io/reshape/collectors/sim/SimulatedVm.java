package io.reshape.collectors.sim;

import io.reshape.collectors.Sample;
import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.events.VmInventory;
import io.reshape.events.VmState;
import io.reshape.schemas.PageBitmaps;
import io.reshape.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.roaringbitmap.RoaringBitmap;

/** A VM of the simulated fleet, turning its workload's activity into host signals. */
final class SimulatedVm {

  static final int PAGE_SIZE = 4096;
  /** Share of the writes that fall in the VM's hot set; the rest land anywhere. */
  private static final double HOT_WRITES = 0.9;
  /** Halt exits per idle second: a tickless guest still wakes for timers this often. */
  private static final double IDLE_WAKEUPS_PER_SECOND = 60;
  /** Host scheduler quantum that a busy vCPU thread uses up before it is preempted. */
  private static final double QUANTUM_SECONDS = 0.004;
  /** Pages hashed per fingerprint record, spread evenly over guest RAM. */
  private static final int FINGERPRINTED_PAGES = 1024;
  private static final double FINGERPRINT_EVERY_SECONDS = 10;
  /** Guest RAM never touched since boot: zero pages, which fingerprints leave out. */
  private static final double ZERO_SHARE = 0.4;
  /** Share of traffic that leaves the fleet; the rest goes to the VM's peers. */
  private static final double EXTERNAL_TRAFFIC = 0.3;

  private final String vmId;
  private SimulatedHost host;
  private final int vcpus;
  private final GuestMemory memory;
  private final Workload workload;
  private final WorkloadModel model;
  private final List<String> peers;
  private final String externalEndpoint;
  private final SplittableRandom random;
  private final int hotStart;
  private final int hotPages;
  private long epoch;
  private final MemoryImage image;
  private final long ownSeed;
  private int fingerprintOffset;
  /** The first scan comes at once; the next ones this much earlier in the interval, a phase of the VM's own. */
  private final double fingerprintPhaseSeconds;
  private double sinceFingerprintSeconds = FINGERPRINT_EVERY_SECONDS;
  private Activity current = new Activity(0, 0, 0);

  SimulatedVm(String vmId, SimulatedHost host, int vcpus, GuestMemory memory, MemoryImage image, Workload workload,
      List<String> peers, SplittableRandom random, Duration day) {
    this.vmId = vmId;
    this.host = host;
    this.vcpus = vcpus;
    this.memory = memory;
    this.workload = workload;
    this.peers = List.copyOf(peers);
    this.random = random;
    this.model = workload.model(random.split(), day);
    this.hotPages = Math.max(1, pageCount() / 50);
    this.hotStart = random.nextInt(pageCount() - hotPages + 1);
    this.externalEndpoint = "203.0.113." + (1 + random.nextInt(254)) + ":443";
    this.image = image;
    this.ownSeed = random.nextLong();
    this.fingerprintPhaseSeconds = Math.floorMod(vmId.hashCode(), (int) FINGERPRINT_EVERY_SECONDS);
  }

  String vmId() {
    return vmId;
  }

  SimulatedHost host() {
    return host;
  }

  /** Live-migrated: from now on it runs on {@code to}. */
  void moveTo(SimulatedHost to) {
    host = to;
  }

  Workload workload() {
    return workload;
  }

  int pageCount() {
    return memory.pageCount();
  }

  GuestMemory memory() {
    return memory;
  }

  /** Decides this interval's activity; returns the host cores it asks for. */
  double advance(Instant start, double seconds) {
    Activity planned = model.next(start, seconds);
    current = new Activity(clamp(planned.cpu() * noise()), planned.dirtyShare() * noise(),
        planned.trafficBytesPerSecond() * noise());
    return current.cpu() * vcpus;
  }

  VmInventory inventory() {
    return VmInventory.newBuilder()
        .setVmId(vmId)
        .setHostId(host.hostId())
        .setVcpus(vcpus)
        .setMemoryBytes((long) pageCount() * PAGE_SIZE)
        .setState(VmState.RUNNING)
        .setPinned(false)
        .setLabels(Map.of("workload", workload.name().toLowerCase(Locale.ROOT),
            "memory", memory.source() == DirtyPageSource.KVM_DIRTY_LOG ? "kvm-lab" : "modelled"))
        .build();
  }

  /**
   * The signals of the interval just decided by {@link #advance}.
   *
   * @param hostLoad the host's demanded cores over its cores; above 1 the vCPUs queue for CPU
   */
  void emit(Instant start, Instant end, double hostLoad, List<Sample<?>> out) {
    double seconds = (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    long intervalNs = (long) (seconds * 1e9);
    double contention = Math.max(0, hostLoad - 0.8);
    for (int vcpu = 0; vcpu < vcpus; vcpu++) {
      double busy = clamp(current.cpu() * noise());
      long runNs = (long) (busy * intervalNs);
      long waitNs = (long) (runNs * contention);
      long haltNs = Math.max(0, (long) ((intervalNs - runNs - waitNs) * 0.98));
      long haltExits = Math.round((1 - busy) * IDLE_WAKEUPS_PER_SECOND * seconds * noise());
      long preemptions = Math.round(busy * seconds / QUANTUM_SECONDS * Math.min(1, 0.05 + contention) * noise());
      out.add(new Sample<>(Topics.QUANTA, vmId, QuantumSample.newBuilder()
          .setVmId(vmId)
          .setHostId(host.hostId())
          .setVcpu(vcpu)
          .setIntervalStart(start)
          .setIntervalEnd(end)
          .setRunNs(runNs)
          .setRunqueueWaitNs(waitNs)
          .setHaltNs(haltNs)
          .setHaltExits(haltExits)
          .setVoluntarySwitches(haltExits + Math.round(busy * 20 * seconds))
          .setInvoluntarySwitches(preemptions)
          .build(), end));
    }
    out.add(new Sample<>(Topics.DIRTY_PAGES, vmId, dirtyPages(start, end, seconds), end));
    emitTraffic(start, end, seconds, out);
    sinceFingerprintSeconds += seconds;
    if (sinceFingerprintSeconds >= FINGERPRINT_EVERY_SECONDS) {
      // Real hosts' agents start at different moments and scan at their own pace: in the one clock of a
      // simulated fleet, a phase per VM spreads the scans over the interval instead of into one instant.
      sinceFingerprintSeconds = fingerprintOffset == 0 ? fingerprintPhaseSeconds : 0;
      out.add(new Sample<>(Topics.PAGE_FINGERPRINTS, vmId, fingerprints(end), end));
    }
  }

  /** Hashes of pages spread evenly over guest RAM, a different spread each time, all of it covered in turn. */
  private PageFingerprints fingerprints(Instant at) {
    int pages = pageCount();
    int stride = Math.max(1, pages / FINGERPRINTED_PAGES);
    int read = 0;
    List<PageHash> hashes = new ArrayList<>();
    for (int page = fingerprintOffset % stride; page < pages && read < FINGERPRINTED_PAGES; page += stride, read++) {
      if (page < pages * (1 - ZERO_SHARE)) {
        hashes.add(new PageHash(page, page < image.sharedPages() ? mix(image.seed(), page) : mix(ownSeed, page)));
      }
    }
    fingerprintOffset++;
    return PageFingerprints.newBuilder()
        .setVmId(vmId)
        .setHostId(host.hostId())
        .setSampledAt(at)
        .setPageSize(PAGE_SIZE)
        .setPageCount(pages)
        .setSamplingRatio((double) read / pages)
        .setPages(hashes)
        .build();
  }

  /** A page's content, as a 64-bit hash (SplitMix64's finaliser of seed and page). */
  private static long mix(long seed, int page) {
    long z = seed + (page + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private DirtyPages dirtyPages(Instant start, Instant end, double seconds) {
    int[] pages = new int[(int) Math.round(current.dirtyShare() * pageCount() * seconds)];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = random.nextDouble() < HOT_WRITES
          ? hotStart + random.nextInt(hotPages)
          : random.nextInt(pageCount());
    }
    // All at once: one by one, each page is a binary search in the bitmap, which a fleet of busy VMs pays millions of times a second.
    RoaringBitmap written = memory.write(RoaringBitmap.bitmapOfUnordered(pages));
    return DirtyPages.newBuilder()
        .setVmId(vmId)
        .setHostId(host.hostId())
        .setIntervalStart(start)
        .setIntervalEnd(end)
        .setSource(memory.source())
        .setCollectorEpoch(++epoch)
        .setPageSize(PAGE_SIZE)
        .setGuestPhysicalBase(0)
        .setPageCount(pageCount())
        .setDirtyCount(written.getCardinality())
        .setBitmap(PageBitmaps.encode(written))
        .build();
  }

  private void emitTraffic(Instant start, Instant end, double seconds, List<Sample<?>> out) {
    double bytes = current.trafficBytesPerSecond() * seconds;
    if (bytes < 1) {
      // A host's collector reads every tap every interval, and says so even when nothing went through.
      out.add(traffic(start, end, null, null, TrafficScope.NIC, 0));
      return;
    }
    double perPeer = peers.isEmpty() ? 0 : bytes * (1 - EXTERNAL_TRAFFIC) / peers.size();
    for (String peer : peers) {
      out.add(traffic(start, end, peer, null, TrafficScope.FLOW, perPeer));
    }
    out.add(traffic(start, end, null, externalEndpoint, TrafficScope.FLOW, peers.isEmpty() ? bytes : bytes * EXTERNAL_TRAFFIC));
    // What the VM's tap would count: all of it.
    out.add(traffic(start, end, null, null, TrafficScope.NIC, bytes));
  }

  private Sample<TrafficSample> traffic(Instant start, Instant end, String peer, String endpoint, TrafficScope scope, double bytes) {
    long sent = Math.round(bytes);
    return new Sample<>(Topics.TRAFFIC, vmId, TrafficSample.newBuilder()
        .setHostId(host.hostId())
        .setSrcVmId(vmId)
        .setDstVmId(peer)
        .setDstEndpoint(endpoint)
        .setIntervalStart(start)
        .setIntervalEnd(end)
        .setBytes(sent)
        // Mean packet of a mix of full frames and acknowledgements.
        .setPackets(sent == 0 ? 0 : Math.max(1, sent / 900))
        .setScope(scope)
        .build(), end);
  }

  private double noise() {
    return 0.9 + 0.2 * random.nextDouble();
  }

  private static double clamp(double share) {
    return Math.min(1, Math.max(0, share));
  }
}
