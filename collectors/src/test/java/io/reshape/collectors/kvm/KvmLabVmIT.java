package io.reshape.collectors.kvm;

import io.reshape.host.lab.KvmLabVm;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.host.HostRequirements;
import io.reshape.schemas.PageBitmaps;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roaringbitmap.RoaringBitmap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/** A VM run through /dev/kvm: its dirty log holds exactly the pages its program wrote. */
@Timeout(60)
class KvmLabVmIT {

  @BeforeEach
  void needsKvm() {
    HostRequirements.require(KvmLabVm.usable(), "needs read-write access to /dev/kvm, to run a VM through KVM ioctls");
  }

  @Test
  void theDirtyLogHoldsExactlyThePagesWrittenSinceItWasLastRead() {
    try (KvmLabVm vm = KvmLabVm.create(256)) {
      vm.write(List.of(3, 7, 100, 255));
      assertThat(vm.takeDirtyPages()).isEqualTo(RoaringBitmap.bitmapOf(3, 7, 100, 255));
      assertThat(vm.haltExits()).isEqualTo(1);

      vm.write(List.of(7, 42));
      assertThat(vm.takeDirtyPages()).as("only what was written since the last read").isEqualTo(RoaringBitmap.bitmapOf(7, 42));

      vm.write(List.of());
      assertThat(vm.takeDirtyPages().isEmpty()).isTrue();
      assertThat(vm.haltExits()).isEqualTo(3);
    }
  }

  @Test
  void thePublishedBitmapHoldsExactlyThePagesTheGuestWrote() {
    try (KvmLabVm vm = KvmLabVm.create(256)) {
      KvmDirtyLogSource source = new KvmDirtyLogSource("host-it", "lab-1", vm);
      Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
      vm.write(List.of(10, 11, 12, 200));
      DirtyPages first = source.sample(t0, t0.plusSeconds(1));
      assertThat(first.getSource()).isEqualTo(DirtyPageSource.KVM_DIRTY_LOG);
      assertThat(first.getDirtyCount()).isEqualTo(4);
      assertThat(first.getPageCount()).isEqualTo(256);
      assertThat(PageBitmaps.decode(first.getBitmap(), first.getPageCount())).isEqualTo(RoaringBitmap.bitmapOf(10, 11, 12, 200));

      vm.write(List.of(13));
      DirtyPages second = source.sample(t0.plusSeconds(1), t0.plusSeconds(2));
      assertThat(PageBitmaps.decode(second.getBitmap(), second.getPageCount())).isEqualTo(RoaringBitmap.bitmapOf(13));
      assertThat(second.getCollectorEpoch()).isEqualTo(first.getCollectorEpoch() + 1);
    }
  }

  @Test
  void refusesPagesTheProgramMayNotWrite() {
    try (KvmLabVm vm = KvmLabVm.create(16)) {
      assertThatThrownBy(() -> vm.write(List.of(2))).hasMessageContaining("not writable");
      assertThatThrownBy(() -> vm.write(List.of(16))).hasMessageContaining("not writable");
    }
  }
}
