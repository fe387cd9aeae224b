package io.reshape.collectors;

import io.reshape.collectors.host.SoftDirtyProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What this host lets a collector read, found out once at start and printed. */
public final class HostCapabilities {

  /** One capability: whether it is there, and what that means. */
  public record Capability(String name, boolean available, String detail) {

    @Override
    public String toString() {
      return String.format("%-22s %-3s %s", name, available ? "yes" : "no", detail);
    }
  }

  private HostCapabilities() {}

  public static List<Capability> probe(Path proc, Path sys, Path dev) {
    List<Capability> found = new ArrayList<>();
    Path kvm = dev.resolve("kvm");
    found.add(new Capability("kvm", Files.isReadable(kvm) && Files.isWritable(kvm),
        "/dev/kvm, for the collector's own lab VMs and their KVM dirty log"));
    found.add(new Capability("proc-threads", Files.isReadable(proc.resolve("self/task")),
        "/proc/<pid>/task: vCPU run time and context switches"));
    found.add(softDirty(proc));
    Path ksm = sys.resolve("kernel/mm/ksm/run");
    found.add(new Capability("ksm", Files.exists(ksm), "kernel same-page merging (" + ksm + ")"));
    found.add(conntrackAccounting(proc));
    return found;
  }

  private static Capability softDirty(Path proc) {
    String detail = "soft-dirty bits in /proc/<pid>/pagemap: exact dirty-page bitmaps of QEMU guests";
    return SoftDirtyProbe.works(proc)
        ? new Capability("soft-dirty", true, detail)
        : new Capability("soft-dirty", false, detail + "; this kernel does not set them (CONFIG_MEM_SOFT_DIRTY), so dirty"
            + " pages come from KVM's dirty log (lab VMs) or QMP dirty rates only");
  }

  private static Capability conntrackAccounting(Path proc) {
    Path acct = proc.resolve("sys/net/netfilter/nf_conntrack_acct");
    try {
      boolean on = Files.exists(acct) && Files.readString(acct, StandardCharsets.US_ASCII).trim().equals("1");
      return new Capability("conntrack-accounting", on, "VM-to-VM flows with byte counts (sysctl net.netfilter.nf_conntrack_acct=1)");
    } catch (IOException e) {
      return new Capability("conntrack-accounting", false, "cannot read " + acct + ": " + e.getMessage());
    }
  }
}
