package io.reshape.host.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reshape.host.HostRequirements;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lab VMs migrated between two ends of a real socket, their memory and vCPU through KVM: a first
 * migration sends every page; going back to the host that kept its old image sends only the pages
 * written since it left; pages written while it migrates are caught by pre-copy rounds, and the
 * digest of the memory that arrives always matches the source's.
 */
@Timeout(120)
class ReuseMigrationIT {

  private final ExecutorService destination = Executors.newSingleThreadExecutor();

  @BeforeEach
  void needsKvm() {
    HostRequirements.require(KvmLabVm.usable(), "needs read-write access to /dev/kvm, to run a VM through KVM ioctls");
  }

  @AfterEach
  void stop() {
    destination.shutdownNow();
  }

  private record Moved(ReuseMigration.Report report, KvmLabVm arrived) {}

  /** Migrates {@code vm} to a destination that kept {@code kept} of it (or nothing). */
  private Moved migrate(KvmLabVm vm, KvmLabVm kept) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<KvmLabVm> received = destination.submit(() -> {
        try (Socket socket = server.accept()) {
          return ReuseMigration.receive(socket, "lab-1", kept);
        }
      });
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        ReuseMigration.Report report = ReuseMigration.send("lab-1", vm, socket, 5, 4);
        return new Moved(report, received.get(60, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void goingBackToTheHostThatKeptItsImageSendsOnlyWhatWasWrittenSince() throws Exception {
    try (KvmLabVm first = KvmLabVm.create(KvmLabVm.MAX_PAGES)) {
      first.write(IntStream.range(3, 200).boxed().toList());

      Moved away = migrate(first, null);
      System.out.println("REUSE first: " + away.report());
      assertThat(away.report().reused()).isZero();
      assertThat(away.report().sentPages()).isGreaterThanOrEqualTo(KvmLabVm.MAX_PAGES);
      try (KvmLabVm there = away.arrived()) {
        there.write(IntStream.range(210, 220).boxed().toList());

        // Back to the first host, which kept the old image (the VM it sent): only the ten pages it
        // wrote there, the page list that changed with them, and the three pages of the program sent
        // again in the stop and copy (the host writes those, outside KVM's log).
        Moved back = migrate(there, first);
        System.out.println("REUSE back: " + back.report() + ", " + back.report().bytesSent() + " bytes of "
            + back.report().fullBytes());
        assertThat(back.arrived()).isSameAs(first);
        assertThat(back.report().reused()).isEqualTo(KvmLabVm.MAX_PAGES - 11);
        assertThat(back.report().sentPages()).isEqualTo(14);
        assertThat(back.report().bytesSent()).isLessThan(back.report().fullBytes() / 10);
        assertThat(first.page(215)[0]).isEqualTo((byte) 0xA5);

        first.write(List.of(42)); // runs on where it arrived
        assertThat(first.takeDirtyPages().contains(42)).isTrue();
      }
    }
  }

  @Test
  void pagesWrittenWhileTheVmMigratesArriveToo() throws Exception {
    try (KvmLabVm vm = KvmLabVm.create(KvmLabVm.MAX_PAGES)) {
      AtomicBoolean migrating = new AtomicBoolean(true);
      Random random = new Random(7);
      Thread running = new Thread(() -> {
        while (migrating.get()) {
          vm.write(List.of(3 + random.nextInt(KvmLabVm.MAX_PAGES - 3), 3 + random.nextInt(KvmLabVm.MAX_PAGES - 3)));
        }
      });
      running.start();
      Moved moved;
      try {
        moved = migrate(vm, null);
      } finally {
        migrating.set(false);
        running.join();
      }
      System.out.println("REUSE running: " + moved.report());
      try (KvmLabVm arrived = moved.arrived()) {
        // The digest check inside receive() has passed: every page as the source had it when it stopped.
        assertThat(moved.report().sentPages()).isGreaterThanOrEqualTo(KvmLabVm.MAX_PAGES);
        assertThat(moved.report().downtimeMicros()).isPositive();
        arrived.write(List.of(5));
        assertThat(arrived.takeDirtyPages().contains(5)).isTrue();
      }
    }
  }

  @Test
  void aDestinationRefusesAVmItDoesNotWaitFor() throws Exception {
    try (KvmLabVm vm = KvmLabVm.create(KvmLabVm.MAX_PAGES);
         ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<KvmLabVm> received = destination.submit(() -> {
        try (Socket socket = server.accept()) {
          return ReuseMigration.receive(socket, "lab-2", null);
        }
      });
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        assertThatThrownBy(() -> ReuseMigration.send("lab-1", vm, socket, 5, 4))
            .hasMessage("The destination refused VM lab-1: it waits for VM lab-2 here, not lab-1");
      }
      assertThatThrownBy(() -> received.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("VM lab-1 came where VM lab-2 was expected; refused");
      vm.write(List.of(9)); // still runs where it was
    }
  }
}
