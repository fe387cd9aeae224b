package io.reshape.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

  @Test
  void readsAPlainCommandLine() {
    List<String> argv = List.of("/usr/bin/qemu-system-x86_64", "-accel", "kvm", "-m", "4G", "-smp", "2",
        "-name", "web-1,debug-threads=on", "-qmp", "unix:/run/vms/web-1.qmp,server=on,wait=off",
        "-netdev", "tap,id=n0,ifname=tap-web1,script=no", "-device", "virtio-net,netdev=n0,mac=52:54:00:AB:00:01",
        "-netdev", "user,id=n1", "-device", "e1000,netdev=n1",
        "-nic", "tap,ifname=tap-web1b");
    assertThat(QemuCommandLine.isQemu(argv)).isTrue();
    QemuCommandLine vm = QemuCommandLine.parse(argv);
    assertThat(vm.name()).contains("web-1");
    assertThat(vm.uuid()).isEmpty();
    assertThat(vm.vcpus()).isEqualTo(2);
    assertThat(vm.memoryBytes()).isEqualTo(4L << 30);
    assertThat(vm.qmpSocket()).contains(Path.of("/run/vms/web-1.qmp"));
    assertThat(vm.nics()).containsExactly(
        new NetworkCard("52:54:00:ab:00:01", Optional.of("tap-web1"), OptionalInt.empty()),
        new NetworkCard("52:54:00:12:34:56", Optional.of("tap-web1b"), OptionalInt.empty()));
  }

  @Test
  void readsLibvirtsForm() {
    List<String> argv = List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=db-2,debug-threads=on",
        "-uuid", "8c9f1f8e-3b5e-4f3a-9d55-2f1b6c4a7e10", "-m", "size=2097152k", "-smp", "4,sockets=4,cores=1,threads=1",
        "-chardev", "socket,id=charmonitor,path=/var/lib/libvirt/qemu/domain-3-db-2/monitor.sock,server=on,wait=off",
        "-mon", "chardev=charmonitor,id=monitor,mode=control",
        "-netdev", "{\"type\":\"tap\",\"fd\":\"32\",\"vhost\":true,\"vhostfd\":\"34\",\"id\":\"hostnet0\"}",
        "-device", "{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostnet0\",\"id\":\"net0\",\"mac\":\"52:54:00:6d:90:02\",\"bus\":\"pci.1\"}");
    QemuCommandLine vm = QemuCommandLine.parse(argv);
    assertThat(vm.name()).contains("db-2");
    assertThat(vm.uuid()).contains("8c9f1f8e-3b5e-4f3a-9d55-2f1b6c4a7e10");
    assertThat(vm.vcpus()).isEqualTo(4);
    assertThat(vm.memoryBytes()).isEqualTo(2L << 30);
    assertThat(vm.qmpSocket()).contains(Path.of("/var/lib/libvirt/qemu/domain-3-db-2/monitor.sock"));
    assertThat(vm.nics()).containsExactly(new NetworkCard("52:54:00:6d:90:02", Optional.empty(), OptionalInt.of(32)));
  }

  @Test
  void fallsBackToQemusDefaults() {
    QemuCommandLine vm = QemuCommandLine.parse(List.of("qemu-kvm", "-kernel", "guest.elf"));
    assertThat(vm.vcpus()).isEqualTo(1);
    assertThat(vm.memoryBytes()).isEqualTo(128L << 20);
    assertThat(vm.qmpSocket()).isEqualTo(Optional.empty());
    assertThat(vm.name()).isEmpty();
    assertThat(vm.nics()).isEmpty();
  }

  @Test
  void otherProgramsAreNotQemu() {
    assertThat(QemuCommandLine.isQemu(List.of("/usr/bin/java", "-jar", "qemu-system-x86_64.jar"))).isFalse();
    assertThat(QemuCommandLine.isQemu(List.of())).isFalse();
  }
}
