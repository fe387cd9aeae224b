package io.reshape.collectors.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connections conntrack tracks ({@code /proc/PID/net/nf_conntrack}), each with the bytes and
 * packets of both directions when accounting is on ({@code net.netfilter.nf_conntrack_acct=1}).
 *
 * @param flows the connections with counters
 * @param unaccounted connections listed without counters: accounting is off
 * @param rejected lines that did not read as a connection, each with why
 */
public record ConntrackTable(List<Flow> flows, int unaccounted, List<String> rejected) {

  /** One direction of a connection: who sent to whom, and how much. */
  public record Direction(String from, String to, Counters counted) {}

  /**
   * A connection.
   *
   * @param key the connection's original tuple (protocols, addresses, ports): the same across readings
   */
  public record Flow(String key, Direction original, Direction reply) {}

  public static ConntrackTable parse(List<String> lines) {
    List<Flow> flows = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    int unaccounted = 0;
    for (String line : lines) {
      // "ipv4 2 udp 17 29 [STATE] src=.. dst=.. sport=.. dport=.. packets=.. bytes=.. [FLAGS] src=.. dst=.. ... use=2"
      String[] fields = line.trim().split("\\s+");
      int firstSource = indexOf(fields, "src=", 0);
      int secondSource = indexOf(fields, "src=", firstSource + 1);
      if (fields.length < 5 || firstSource < 0 || secondSource < 0) {
        rejected.add("not a connection: '" + line + "'");
        continue;
      }
      Map<String, String> original = values(fields, firstSource, secondSource);
      Map<String, String> reply = values(fields, secondSource, fields.length);
      if (!original.containsKey("bytes") || !reply.containsKey("bytes")) {
        unaccounted++;
        continue;
      }
      try {
        StringBuilder key = new StringBuilder(fields[0]).append(' ').append(fields[2]);
        for (int i = firstSource; i < secondSource; i++) {
          if (fields[i].contains("=") && !fields[i].startsWith("packets=") && !fields[i].startsWith("bytes=")) {
            key.append(' ').append(fields[i]);
          }
        }
        flows.add(new Flow(key.toString(), direction(original), direction(reply)));
      } catch (RuntimeException e) {
        rejected.add(e.getMessage() + " in '" + line + "'");
      }
    }
    return new ConntrackTable(List.copyOf(flows), unaccounted, List.copyOf(rejected));
  }

  private static Direction direction(Map<String, String> values) {
    if (!values.containsKey("dst") || !values.containsKey("packets")) {
      throw new IllegalArgumentException("a direction without dst= or packets=");
    }
    return new Direction(values.get("src"), values.get("dst"), new Counters(counter(values.get("bytes")), counter(values.get("packets"))));
  }

  private static long counter(String text) {
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a counter");
    }
  }

  private static int indexOf(String[] fields, String prefix, int from) {
    for (int i = from; i < fields.length; i++) {
      if (fields[i].startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  /** The {@code key=value} fields in [from, to), first value of a key kept. */
  private static Map<String, String> values(String[] fields, int from, int to) {
    Map<String, String> values = new HashMap<>();
    for (int i = from; i < to; i++) {
      int eq = fields[i].indexOf('=');
      if (eq > 0) {
        values.putIfAbsent(fields[i].substring(0, eq), fields[i].substring(eq + 1));
      }
    }
    return values;
  }
}
