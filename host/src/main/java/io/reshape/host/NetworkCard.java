package io.reshape.host;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network card of a QEMU guest and the tap interface behind it, as its command line says.
 *
 * @param mac the card's MAC address, lower case ({@code mac=}, else the one QEMU picks itself)
 * @param tapName the tap's name ({@code ifname=}), when the command line gives it
 * @param tapFd the descriptor QEMU holds the tap by ({@code fd=}, as libvirt passes taps), when given
 */
public record NetworkCard(String mac, Optional<String> tapName, OptionalInt tapFd) {}
