package io.reshape.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the QEMU processes of this host by their command lines in /proc. */
public final class QemuDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(QemuDiscovery.class);

  private final ProcFs proc;

  public QemuDiscovery(ProcFs proc) {
    this.proc = proc;
  }

  /** The QEMU processes running now. A command line that cannot be understood is reported and skipped. */
  public List<DiscoveredVm> scan() throws IOException {
    List<DiscoveredVm> found = new ArrayList<>();
    for (long pid : proc.processes()) {
      Optional<List<String>> argv = proc.commandLine(pid);
      if (argv.isEmpty() || !QemuCommandLine.isQemu(argv.get())) {
        continue;
      }
      try {
        QemuCommandLine commandLine = QemuCommandLine.parse(argv.get());
        String vmId = commandLine.uuid().or(commandLine::name).orElse("qemu-" + pid);
        found.add(new DiscoveredVm(vmId, pid, commandLine));
      } catch (RuntimeException e) {
        LOG.warn("QEMU process {}: cannot understand its command line, skipped: {}", pid, e.toString());
      }
    }
    return found;
  }
}
