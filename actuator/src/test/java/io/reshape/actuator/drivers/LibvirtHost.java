package io.reshape.actuator.drivers;

import io.reshape.host.HostRequirements;
import io.reshape.host.TestGuest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A libvirtd of the test's own (Debian's libvirt-daemon-system), as one host of a pair on this
 * machine: in a mount namespace of its own, where its configuration, state and run directories
 * are the test's, with a host UUID of its own (libvirt refuses to migrate a domain to the host it
 * runs on) and a TCP listener on loopback without authentication. QEMU runs as root, outside any
 * cgroup or namespace of libvirt's, which this machine kind's containers do not allow.
 */
final class LibvirtHost implements AutoCloseable {

  private static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");
  private static final Path VIRSH = Path.of("/usr/bin/virsh");
  private static final Path CONFIG = Path.of("/etc/libvirt");
  private static final List<String> PRIVATE = List.of(CONFIG.toString(), "/run/libvirt", "/var/lib/libvirt", "/var/cache/libvirt",
      "/var/log/libvirt");
  private static final Duration START = Duration.ofSeconds(30);

  private final Process daemon;
  private final String uri;
  private final Path dir;

  private LibvirtHost(Process daemon, String uri, Path dir) {
    this.daemon = daemon;
    this.uri = uri;
    this.dir = dir;
  }

  static LibvirtHost start(Path dir) throws Exception {
    TestGuest.requireBootable();
    HostRequirements.require("root".equals(System.getProperty("user.name")), "needs root to run libvirtd");
    HostRequirements.require(Files.isExecutable(LIBVIRTD) && Files.isExecutable(VIRSH),
        "needs libvirtd and virsh (Debian packages libvirt-daemon-system and libvirt-clients)");
    HostRequirements.require(Files.isDirectory(CONFIG), "needs " + CONFIG + ", which libvirt-daemon-system installs");
    for (String path : PRIVATE) {
      // Mount points: /run/libvirt is made only when a libvirtd first starts, which on a fresh host none has.
      Files.createDirectories(Path.of(path));
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    StringBuilder mounts = new StringBuilder();
    for (String path : PRIVATE) {
      Path mine = Files.createDirectories(dir.resolve(path.substring(1).replace('/', '-')));
      if (path.equals(CONFIG.toString())) {
        copyTree(Path.of(path), mine);
      }
      mounts.append("mount --bind ").append(mine).append(' ').append(path).append(" && ");
    }
    Path etc = dir.resolve("etc-libvirt");
    Files.writeString(etc.resolve("qemu.conf"), "user = \"root\"\ngroup = \"root\"\nnamespaces = [ ]\ncgroup_controllers = [ ]\n"
        + "stdio_handler = \"file\"\n");
    Files.writeString(etc.resolve("libvirtd.conf"), "listen_tls = 0\nlisten_tcp = 1\nlisten_addr = \"127.0.0.1\"\ntcp_port = \""
        + port + "\"\nauth_tcp = \"none\"\nhost_uuid = \"" + UUID.randomUUID() + "\"\n");
    Process daemon = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
        mounts + "exec " + LIBVIRTD + " --listen -p /run/libvirt/libvirtd.pid -f /etc/libvirt/libvirtd.conf")
        .redirectErrorStream(true).redirectOutput(dir.resolve("libvirtd.log").toFile()).start();
    LibvirtHost host = new LibvirtHost(daemon, "qemu+tcp://127.0.0.1:" + port + "/system", dir);
    Instant deadline = Instant.now().plus(START);
    while (true) {
      try {
        new Virsh(host.uri).run("version");
        return host;
      } catch (IOException e) {
        if (!daemon.isAlive() || Instant.now().isAfter(deadline)) {
          host.close();
          throw new IllegalStateException("libvirtd did not start: " + Files.readString(dir.resolve("libvirtd.log")), e);
        }
        Thread.sleep(200);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (Files.isReadable(source)) {
          Files.copy(source, target);
        }
      }
    }
  }

  String uri() {
    return uri;
  }

  Virsh virsh() {
    return new Virsh(uri);
  }

  /** Starts a transient domain running the project's test guest; returns its UUID. */
  String startGuest(String name) throws Exception {
    String uuid = UUID.randomUUID().toString();
    Path xml = dir.resolve(name + ".xml");
    Files.writeString(xml, """
        <domain type='kvm'>
          <name>%s</name>
          <uuid>%s</uuid>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os>
            <type arch='x86_64' machine='pc'>hvm</type>
            <loader type='rom'>/usr/share/qemu/qboot.rom</loader>
            <kernel>%s</kernel>
          </os>
          <devices>
            <emulator>/usr/bin/qemu-system-x86_64</emulator>
            <memballoon model='none'/>
          </devices>
        </domain>
        """.formatted(name, uuid, TestGuest.guestImage().toAbsolutePath()));
    virsh().run("create", xml.toString());
    return uuid;
  }

  @Override
  public void close() throws Exception {
    try {
      for (String domain : virsh().run("list", "--name").split("\n")) {
        if (!domain.isBlank()) {
          virsh().run("destroy", domain.trim());
        }
      }
    } catch (IOException e) {
      // The daemon is gone already; its QEMUs were ended with it below.
    } finally {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly().waitFor();
      }
    }
  }
}
