package io.reshape.host;

import java.io.IOException;
import java.net.ConnectException;
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
 * The project's test guest ({@code host/src/guest}) booted by QEMU under KVM, with a QMP
 * socket and its serial port on a unix socket to send it commands. What it needs of this machine
 * goes through {@link HostRequirements}.
 */
public final class TestGuest implements AutoCloseable {

  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final Path QBOOT = Path.of("/usr/share/qemu/qboot.rom");
  private static final Duration START = Duration.ofSeconds(15);
  private static final Duration ANSWER = Duration.ofSeconds(30);

  /**
   * What the guest did since it booted, by its own count.
   *
   * @param halts HLT instructions it executed: as it answers, exactly KVM's halt exits
   * @param datagrams UDP datagrams it sent
   */
  public record Counts(long halts, long datagrams) {}

  private final String name;
  private final Process process;
  private final Path qmpSocket;
  private final SocketChannel serial;
  /** What the guest said and no one has read yet. */
  private final StringBuilder said = new StringBuilder();

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

  /** Boots a guest named {@code name} with {@code vcpus} vCPUs and waits until it says it is ready. */
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
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    port.ifPresent(p -> command.addAll(List.of("ip", "netns", "exec", p.namespace())));
    // The serial port waits for this test to connect before the guest runs: nothing the guest says is lost.
    command.addAll(List.of(QEMU.toString(), "-accel", "kvm", "-bios", QBOOT.toString(),
        "-kernel", guestImage().toString(), "-m", "64", "-smp", Integer.toString(vcpus), "-display", "none",
        "-name", name + ",debug-threads=on",
        "-qmp", "unix:" + qmp + ",server=on,wait=off",
        "-chardev", "socket,id=console,path=" + console + ",server=on,wait=on", "-serial", "chardev:console"));
    port.ifPresent(p -> command.addAll(List.of("-netdev", "tap,id=net0,ifname=" + p.tap() + ",script=no,downscript=no",
        "-device", "ne2k_isa,netdev=net0,mac=" + p.mac())));
    // ip netns exec execs QEMU in its own place: the process is QEMU's.
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Instant deadline = Instant.now().plus(START);
      awaitFile(console, process, log, deadline);
      TestGuest guest = new TestGuest(name, process, qmp, connect(console, process, log, deadline));
      awaitFile(qmp, process, log, deadline);
      String first = guest.nextLine(deadline);
      if (!first.equals("READY")) {
        throw new IllegalStateException("Guest " + name + " said '" + first + "' instead of READY");
      }
      return guest;
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Starts a QEMU that waits for guest {@code name} to arrive by live migration
   * ({@code -incoming defer}), configured as {@link #boot} configures it; its serial port is there
   * to talk to the guest once it has arrived.
   */
  public static TestGuest incoming(String name, int vcpus, Path dir) throws Exception {
    requireBootable();
    Path qmp = dir.resolve(name + ".incoming.qmp");
    Path console = dir.resolve(name + ".incoming.serial");
    Path log = dir.resolve(name + ".incoming.log");
    Process process = new ProcessBuilder(QEMU.toString(), "-accel", "kvm", "-bios", QBOOT.toString(),
        "-kernel", guestImage().toString(), "-m", "64", "-smp", Integer.toString(vcpus), "-display", "none",
        "-name", name + ",debug-threads=on",
        "-qmp", "unix:" + qmp + ",server=on,wait=off",
        "-chardev", "socket,id=console,path=" + console + ",server=on,wait=off", "-serial", "chardev:console",
        "-incoming", "defer").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Instant deadline = Instant.now().plus(START);
      awaitFile(qmp, process, log, deadline);
      connect(qmp, process, log, deadline).close(); // listening: a driver may connect now
      awaitFile(console, process, log, deadline);
      return new TestGuest(name, process, qmp, connect(console, process, log, deadline));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Whether QEMU is still running: a guest migrated away leaves its source QEMU paused until it quits. */
  public boolean alive() {
    return process.isAlive();
  }

  private static void awaitFile(Path file, Process qemu, Path log, Instant deadline) throws IOException, InterruptedException {
    while (!Files.exists(file)) {
      stillStarting(qemu, log, deadline, "make " + file);
    }
  }

  /** Connects to a socket QEMU made: it listens on it a moment after making its file. */
  private static SocketChannel connect(Path socket, Process qemu, Path log, Instant deadline) throws IOException, InterruptedException {
    while (true) {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        return channel;
      } catch (ConnectException e) {
        channel.close();
        stillStarting(qemu, log, deadline, "listen on " + socket);
      }
    }
  }

  /** Waits a moment for QEMU, failing if it died or the deadline passed before it did {@code what}. */
  private static void stillStarting(Process qemu, Path log, Instant deadline, String what) throws IOException, InterruptedException {
    if (!qemu.isAlive() || Instant.now().isAfter(deadline)) {
      throw new IllegalStateException("QEMU did not " + what + ": " + Files.readString(log));
    }
    Thread.sleep(20);
  }

  /** Sends a command once and returns the guest's answer, which must be "OK" and the command's first word. */
  public String command(String command) throws IOException, InterruptedException {
    serial.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
    String answer = nextLine(Instant.now().plus(ANSWER));
    if (!answer.startsWith("OK " + command.split(" ")[0])) {
      throw new IllegalStateException("Guest " + name + " answered '" + command + "' with '" + answer + "'");
    }
    return answer;
  }

  /** The guest's own count of what it did ({@code count}). */
  public Counts counts() throws IOException, InterruptedException {
    String[] words = command("count").split(" "); // OK count halts H datagrams D
    return new Counts(Long.parseLong(words[3]), Long.parseLong(words[5]));
  }

  private String nextLine(Instant deadline) throws IOException, InterruptedException {
    ByteBuffer in = ByteBuffer.allocate(256);
    int end;
    while ((end = said.indexOf("\n")) < 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Guest " + name + " said no whole line in time; it said: " + said);
      }
      in.clear();
      int read = serial.read(in);
      if (read < 0) {
        throw new IllegalStateException("QEMU closed guest " + name + "'s serial port; the guest said: " + said);
      }
      if (read > 0) {
        said.append(new String(in.array(), 0, read, StandardCharsets.US_ASCII));
      } else {
        Thread.sleep(2);
      }
    }
    String line = said.substring(0, end);
    said.delete(0, end + 1);
    return line;
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
