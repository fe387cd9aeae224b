package io.reshape.jobs.footprints;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressBookTest {

  private final AddressBook book = new AddressBook();

  private static String owner(AddressBook book, String endpoint) {
    VmAddresses vm = book.ownerOf(endpoint);
    return vm == null ? null : vm.vmId + "@" + vm.hostId;
  }

  @Test
  void findsTheVmOfAnAddressWithOrWithoutAPort() {
    book.put(VmAddresses.present("vm-1", "host-1", List.of("10.0.0.5", "192.168.1.5")));
    assertThat(owner(book, "10.0.0.5")).isEqualTo("vm-1@host-1");
    assertThat(owner(book, "192.168.1.5:443")).isEqualTo("vm-1@host-1");
    assertThat(owner(book, "10.0.0.6")).isNull();
  }

  @Test
  void anUpdateReplacesTheVmsAddressesAndHost() {
    book.put(VmAddresses.present("vm-1", "host-1", List.of("10.0.0.5")));
    book.put(VmAddresses.present("vm-1", "host-2", List.of("10.0.0.7")));
    assertThat(owner(book, "10.0.0.5")).isNull();
    assertThat(owner(book, "10.0.0.7")).isEqualTo("vm-1@host-2");
  }

  @Test
  void aVmThatLeavesTakesItsAddressesAlong() {
    book.put(VmAddresses.present("vm-1", "host-1", List.of("10.0.0.5")));
    book.remove("vm-1");
    book.remove("vm-never-seen");
    assertThat(owner(book, "10.0.0.5")).isNull();
  }

  @Test
  void anAddressTwoVmsClaimBelongsToNeitherUntilOneLeaves() {
    book.put(VmAddresses.present("vm-1", "host-1", List.of("10.0.0.5")));
    book.put(VmAddresses.present("vm-2", "host-2", List.of("10.0.0.5")));
    assertThat(owner(book, "10.0.0.5")).isNull();
    book.remove("vm-1");
    assertThat(owner(book, "10.0.0.5")).isEqualTo("vm-2@host-2");
  }

  @Test
  void anAddressOnTwoCardsOfOneVmIsStillItsOwn() {
    book.put(VmAddresses.present("vm-1", "host-1", List.of("10.0.0.5", "10.0.0.5")));
    assertThat(owner(book, "10.0.0.5")).isEqualTo("vm-1@host-1");
  }

  @Test
  void separatesAddressesFromPorts() {
    assertThat(AddressBook.addressOf("10.0.0.5")).isEqualTo("10.0.0.5");
    assertThat(AddressBook.addressOf("10.0.0.5:8080")).isEqualTo("10.0.0.5");
    assertThat(AddressBook.addressOf("fe80::1")).isEqualTo("fe80::1");
    assertThat(AddressBook.addressOf("[fe80::1]:443")).isEqualTo("fe80::1");
  }
}
