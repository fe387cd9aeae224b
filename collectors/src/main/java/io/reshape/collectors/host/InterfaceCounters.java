package io.reshape.collectors.host;

import io.reshape.host.ProcFormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of one network interface, from {@code /proc/PID/net/dev} (the same counters as
 * {@code /sys/class/net/NAME/statistics}, read in the namespace of the process).
 *
 * @param received what came in on the interface; on a tap, what its guest sent
 * @param transmitted what went out; on a tap, what its guest received
 */
public record InterfaceCounters(Counters received, Counters transmitted) {

  /**
   * Every interface of a {@code net/dev} table by name.
   *
   * @throws ProcFormatException when a line does not read as such a table's line
   */
  public static Map<String, InterfaceCounters> parse(List<String> lines, String table) {
    Map<String, InterfaceCounters> interfaces = new HashMap<>();
    // Two heading lines, then "name: rx bytes packets errs drop fifo frame compressed multicast tx bytes packets ...".
    for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
      int colon = line.indexOf(':');
      String[] fields = line.substring(colon + 1).trim().split("\\s+");
      if (colon < 0 || fields.length < 10) {
        throw new ProcFormatException(table + ": not an interface line: '" + line + "'");
      }
      interfaces.put(line.substring(0, colon).trim(), new InterfaceCounters(
          new Counters(counter(fields[0], table), counter(fields[1], table)),
          new Counters(counter(fields[8], table), counter(fields[9], table))));
    }
    return interfaces;
  }

  private static long counter(String text, String table) {
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new ProcFormatException(table + ": '" + text + "' is not a counter");
    }
  }
}
