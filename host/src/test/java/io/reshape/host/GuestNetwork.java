package io.reshape.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A bridge for test guests, in a network namespace of its own and set up as the README asks of a
 * host: bridged IPv4 passes netfilter, conntrack counts bytes, and a forward rule tracks
 * connections. Each guest gets a tap on the bridge. Closing deletes the namespace, and with it
 * every bridge, tap, rule and setting made here; nothing of the host's own network is touched.
 */
public final class GuestNetwork implements AutoCloseable {

  /** The bridge's own address: the guests' gateway, which is the host. */
  public static final String GATEWAY = "10.77.0.1";
  public static final String GATEWAY_MAC = "52:54:00:77:00:fe";
  private static final String BRIDGE = "br0";

  /**
   * Where one guest plugs in.
   *
   * @param namespace the network namespace QEMU runs in
   * @param tap the tap interface behind the guest's card
   * @param mac the card's MAC
   * @param ip the address the guest takes
   */
  public record Port(String namespace, String tap, String mac, String ip) {}

  private final String namespace;
  private int ports;

  private GuestNetwork(String namespace) {
    this.namespace = namespace;
  }

  /** Skips or fails the calling test, saying why, when this machine cannot make the network (see {@link HostRequirements}). */
  public static void requireAvailable() {
    HostRequirements.require(isRoot(), "needs root, to make a network namespace, a bridge and taps");
    HostRequirements.require(program("ip").isPresent(), "needs ip (Debian package iproute2)");
    HostRequirements.require(program("nft").isPresent(), "needs nft (Debian package nftables)");
  }

  /** A new namespace with the bridge up; {@code name} keeps the namespaces of concurrent tests apart. */
  public static GuestNetwork create(String name) throws IOException, InterruptedException {
    requireAvailable();
    GuestNetwork network = new GuestNetwork("reshape-" + name + "-" + ProcessHandle.current().pid());
    run("ip", "netns", "add", network.namespace);
    try {
      network.in("ip", "link", "set", "lo", "up");
      network.in("ip", "link", "add", BRIDGE, "address", GATEWAY_MAC, "type", "bridge");
      network.in("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
      network.in("ip", "link", "set", BRIDGE, "up");
      // A rule that matches on connection state is what makes conntrack track this namespace's packets.
      network.in("nft", "add table inet reshape");
      network.in("nft", "add chain inet reshape forward { type filter hook forward priority 0; policy accept; }");
      network.in("nft", "add rule inet reshape forward ct state new,established counter");
      network.in("sh", "-c", "echo 1 > /proc/sys/net/netfilter/nf_conntrack_acct"
          + " && echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables");
      return network;
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /** A tap on the bridge for the next guest, with MAC {@code 52:54:00:77:00:N} and address 10.77.0.N+1. */
  public Port attach() throws IOException, InterruptedException {
    int n = ++ports;
    String tap = "tap" + n;
    in("ip", "tuntap", "add", "dev", tap, "mode", "tap");
    in("ip", "link", "set", tap, "master", BRIDGE);
    in("ip", "link", "set", tap, "up");
    return new Port(namespace, tap, String.format("52:54:00:77:00:%02x", n), "10.77.0." + (n + 1));
  }

  private void in(String... command) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    argv.addAll(List.of(command));
    run(argv.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.trim());
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static Optional<Path> program(String name) {
    return Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin").map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("ip", "netns", "delete", namespace);
  }
}
