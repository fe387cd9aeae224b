package io.reshape.collectors.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The project's test guest ({@code collectors/src/guest}) booted by QEMU under KVM, with a QMP
 * socket and its serial port on a unix socket to send it commands. What it needs of this machine
 * goes through {@link HostRequirements}.
 */
public final class TestGuest implements AutoCloseable {

  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final Path QBOOT = Path.of("/usr/share/qemu/qboot.rom");
  private static final Duration BOOT = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path qmpSocket;
  private final SocketChannel serial;

  private TestGuest(String name, Process process, Path qmpSocket, SocketChannel serial) {
    this.name = name;
    this.process = process;
    this.qmpSocket = qmpSocket;
    this.serial = serial;
  }

  /** Skips or fails the calling test, saying why, when this machine cannot boot the guest (see {@link HostRequirements}). */
  public static void requireBootable() {
    Path kvm = Path.of("/dev/kvm");
    HostRequirements.require(Files.isReadable(kvm) && Files.isWritable(kvm), "needs read-write access to /dev/kvm");
    HostRequirements.require(Files.isExecutable(QEMU), "needs " + QEMU + " (Debian package qemu-system-x86)");
    HostRequirements.require(Files.isReadable(QBOOT), "needs " + QBOOT + " (Debian package qemu-system-data)");
    HostRequirements.require(Files.isReadable(guestImage()), "needs the test guest " + guestImage() + ", which the build makes with gcc");
  }

  public static Path guestImage() {
    return Path.of(System.getProperty("reshape.test.guest", "target/guest/guest.elf"));
  }

  /** Boots a guest named {@code name} with {@code vcpus} vCPUs and waits until it answers. */
  public static TestGuest boot(String name, int vcpus, Path dir) throws Exception {
    return boot(name, vcpus, dir, Optional.empty());
  }

  /**
   * Boots a guest with a network card (an NE2000, which the guest drives) on a port of a
   * {@link GuestNetwork}; QEMU runs in that network's namespace.
   */
  public static TestGuest boot(String name, int vcpus, Path dir, Optional<GuestNetwork.Port> port) throws Exception {
    requireBootable();
    Path qmp = dir.resolve(name + ".qmp");
    Path console = dir.resolve(name + ".serial");
    List<String> command = new ArrayList<>();
    port.ifPresent(p -> command.addAll(List.of("ip", "netns", "exec", p.namespace())));
    command.addAll(List.of(QEMU.toString(), "-accel", "kvm", "-bios", QBOOT.toString(),
        "-kernel", guestImage().toString(), "-m", "64", "-smp", Integer.toString(vcpus), "-display", "none",
        "-name", name + ",debug-threads=on",
        "-qmp", "unix:" + qmp + ",server=on,wait=off",
        "-chardev", "socket,id=console,path=" + console + ",server=on,wait=off", "-serial", "chardev:console"));
    port.ifPresent(p -> command.addAll(List.of("-netdev", "tap,id=net0,ifname=" + p.tap() + ",script=no,downscript=no",
        "-device", "ne2k_isa,netdev=net0,mac=" + p.mac())));
    // ip netns exec execs QEMU in its own place: the process is QEMU's.
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    Instant deadline = Instant.now().plus(BOOT);
    while (!Files.exists(console) || !Files.exists(qmp)) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        process.destroyForcibly();
        throw new IllegalStateException("QEMU did not start: " + Files.readString(dir.resolve(name + ".log")));
      }
      Thread.sleep(20);
    }
    SocketChannel serial = SocketChannel.open(StandardProtocolFamily.UNIX);
    serial.connect(UnixDomainSocketAddress.of(console));
    TestGuest guest = new TestGuest(name, process, qmp, serial);
    guest.command("idle");
    return guest;
  }

  /** Sends a command and waits for the guest's "OK"; the guest may still be booting at first. */
  public String command(String command) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(BOOT);
    StringBuilder seen = new StringBuilder();
    ByteBuffer in = ByteBuffer.allocate(256);
    serial.configureBlocking(false);
    while (Instant.now().isBefore(deadline)) {
      serial.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      for (int i = 0; i < 25; i++) {
        Thread.sleep(20);
        in.clear();
        if (serial.read(in) > 0) {
          seen.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
          int ok = seen.indexOf("OK " + command.split(" ")[0]);
          if (ok >= 0) {
            return seen.substring(ok, Math.max(ok, seen.indexOf("\n", ok)));
          }
        }
      }
    }
    throw new IllegalStateException("Guest " + name + " did not answer '" + command + "'; it said: " + seen);
  }

  public QemuVm vm() {
    return new QemuVm(name, process.pid(), qmpSocket);
  }

  @Override
  public void close() throws Exception {
    serial.close();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
