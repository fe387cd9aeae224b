package io.reshape.host;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What tests that boot guests, run VMs through KVM or make networks require of this machine: KVM,
 * QEMU, the built test guest, root, {@code ip}, {@code nft}. A test whose requirement is missing is
 * skipped, saying why on stderr; but under CI ({@code CI=true}) on a machine with /dev/kvm it fails
 * instead, since there these tests must run, and CI must not stay green without them.
 */
public final class HostRequirements {

  private static final Path KVM = Path.of("/dev/kvm");

  /** What becomes of a test whose requirement is missing. */
  enum Missing { SKIP, FAIL }

  private HostRequirements() {}

  /** Lets the calling test go on when {@code met}; otherwise skips or fails it, giving {@code reason}. */
  public static void require(boolean met, String reason) {
    if (met) {
      return;
    }
    if (whenMissing(System.getenv(), Files.exists(KVM)) == Missing.FAIL) {
      String message = reason + "; under CI on a machine with /dev/kvm these tests must run, not be skipped";
      System.err.println("Failed: " + message);
      fail(message);
    }
    System.err.println("Skipped: " + reason);
    abort(reason);
  }

  /** A missing requirement fails the test under CI on a machine with /dev/kvm, and skips it anywhere else. */
  static Missing whenMissing(Map<String, String> environment, boolean kvmExists) {
    return "true".equals(environment.get("CI")) && kvmExists ? Missing.FAIL : Missing.SKIP;
  }
}
