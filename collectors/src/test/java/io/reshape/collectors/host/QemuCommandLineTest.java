package io.reshape.collectors.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

  @Test
  void readsAPlainCommandLine() {
    List<String> argv = List.of("/usr/bin/qemu-system-x86_64", "-accel", "kvm", "-m", "4G", "-smp", "2",
        "-name", "web-1,debug-threads=on", "-qmp", "unix:/run/vms/web-1.qmp,server=on,wait=off",
        "-netdev", "tap,id=n0,ifname=tap-web1,script=no", "-device", "virtio-net,netdev=n0");
    assertThat(QemuCommandLine.isQemu(argv)).isTrue();
    QemuCommandLine vm = QemuCommandLine.parse(argv);
    assertThat(vm.name()).contains("web-1");
    assertThat(vm.uuid()).isEmpty();
    assertThat(vm.vcpus()).isEqualTo(2);
    assertThat(vm.memoryBytes()).isEqualTo(4L << 30);
    assertThat(vm.qmpSocket()).contains(Path.of("/run/vms/web-1.qmp"));
    assertThat(vm.taps()).containsExactly("tap-web1");
  }

  @Test
  void readsLibvirtsForm() {
    List<String> argv = List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=db-2,debug-threads=on",
        "-uuid", "8c9f1f8e-3b5e-4f3a-9d55-2f1b6c4a7e10", "-m", "size=2097152k", "-smp", "4,sockets=4,cores=1,threads=1",
        "-chardev", "socket,id=charmonitor,path=/var/lib/libvirt/qemu/domain-3-db-2/monitor.sock,server=on,wait=off",
        "-mon", "chardev=charmonitor,id=monitor,mode=control");
    QemuCommandLine vm = QemuCommandLine.parse(argv);
    assertThat(vm.name()).contains("db-2");
    assertThat(vm.uuid()).contains("8c9f1f8e-3b5e-4f3a-9d55-2f1b6c4a7e10");
    assertThat(vm.vcpus()).isEqualTo(4);
    assertThat(vm.memoryBytes()).isEqualTo(2L << 30);
    assertThat(vm.qmpSocket()).contains(Path.of("/var/lib/libvirt/qemu/domain-3-db-2/monitor.sock"));
  }

  @Test
  void fallsBackToQemusDefaults() {
    QemuCommandLine vm = QemuCommandLine.parse(List.of("qemu-kvm", "-kernel", "guest.elf"));
    assertThat(vm.vcpus()).isEqualTo(1);
    assertThat(vm.memoryBytes()).isEqualTo(128L << 20);
    assertThat(vm.qmpSocket()).isEqualTo(Optional.empty());
    assertThat(vm.name()).isEmpty();
  }

  @Test
  void otherProgramsAreNotQemu() {
    assertThat(QemuCommandLine.isQemu(List.of("/usr/bin/java", "-jar", "qemu-system-x86_64.jar"))).isFalse();
    assertThat(QemuCommandLine.isQemu(List.of())).isFalse();
  }
}
