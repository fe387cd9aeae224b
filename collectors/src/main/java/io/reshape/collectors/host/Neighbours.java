package io.reshape.collectors.host;

import io.reshape.host.ProcFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The IPv4 neighbour table ({@code /proc/PID/net/arp}): which addresses the host has seen each MAC
 * use. A guest gets into it as soon as it talks to the host, e.g. to ask for its gateway.
 */
public final class Neighbours {

  /** ATF_COM: the entry is complete, its MAC known. */
  private static final int COMPLETE = 0x2;

  private Neighbours() {}

  /**
   * The addresses of each MAC (lower case) with a complete entry.
   *
   * @throws ProcFormatException when a line does not read as an arp table line
   */
  public static Map<String, List<String>> parse(List<String> lines, String table) {
    Map<String, List<String>> byMac = new HashMap<>();
    // Heading, then "IP address  HW type  Flags  HW address  Mask  Device".
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 6 || !fields[2].startsWith("0x")) {
        throw new ProcFormatException(table + ": not a neighbour line: '" + line + "'");
      }
      int flags;
      try {
        flags = Integer.parseInt(fields[2].substring(2), 16);
      } catch (NumberFormatException e) {
        throw new ProcFormatException(table + ": '" + fields[2] + "' are not flags");
      }
      if ((flags & COMPLETE) != 0) {
        byMac.computeIfAbsent(fields[3].toLowerCase(Locale.ROOT), mac -> new ArrayList<>()).add(fields[0]);
      }
    }
    byMac.values().forEach(addresses -> addresses.sort(null));
    return byMac;
  }
}
