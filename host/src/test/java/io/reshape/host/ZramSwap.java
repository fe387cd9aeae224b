package io.reshape.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Swap on a compressed RAM disk ({@code /dev/zram0}) for the tests that page guests out: a host
 * with no swap of its own gets some, and loses it again when the test is done. Needs root and the
 * zram module; {@link HostRequirements} says when they are missing.
 */
public final class ZramSwap implements AutoCloseable {

  private static final Path ZRAM = Path.of("/sys/block/zram0");
  private static final Path DEVICE = Path.of("/dev/zram0");

  private ZramSwap() {}

  /** Whether this host has any swap now. */
  public static boolean hostHasSwap() throws IOException {
    return Files.readAllLines(Path.of("/proc/swaps")).size() > 1;
  }

  /** Turns {@code megabytes} of zram swap on. */
  public static ZramSwap on(int megabytes) throws IOException, InterruptedException {
    HostRequirements.require("root".equals(System.getProperty("user.name")), "needs root to set up zram swap");
    HostRequirements.require(Files.isDirectory(ZRAM), "needs the zram module (" + ZRAM + ")");
    HostRequirements.require(Files.isExecutable(Path.of("/usr/sbin/mkswap")), "needs mkswap and swapon (Debian package util-linux)");
    HostRequirements.require(!Files.readString(Path.of("/proc/swaps")).contains(DEVICE.toString()),
        DEVICE + " is already swap; these tests need it to themselves");
    Files.writeString(ZRAM.resolve("reset"), "1");
    Files.writeString(ZRAM.resolve("disksize"), megabytes + "M");
    run("/usr/sbin/mkswap", DEVICE.toString());
    run("/usr/sbin/swapon", "-p", "100", DEVICE.toString());
    return new ZramSwap();
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(List.of(command) + " failed: " + output);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("/usr/sbin/swapoff", DEVICE.toString());
    Files.writeString(ZRAM.resolve("reset"), "1");
  }
}
