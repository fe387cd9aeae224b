package io.reshape.collectors.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a QEMU command line says about its VM: name, UUID, vCPUs, memory, QMP socket and tap
 * interfaces. Both the plain form ({@code -qmp unix:PATH,server=on}) and libvirt's
 * ({@code -chardev socket,id=charmonitor,path=PATH -mon chardev=charmonitor,mode=control},
 * {@code -name guest=NAME}) are understood.
 *
 * @param name the {@code -name} given, if any
 * @param uuid the {@code -uuid} given, if any
 * @param memoryBytes guest RAM ({@code -m}; QEMU's default of 128 MiB when absent)
 * @param qmpSocket the QMP monitor's unix socket, if there is one
 * @param taps the tap interfaces of its network devices
 */
public record QemuCommandLine(Optional<String> name, Optional<String> uuid, int vcpus, long memoryBytes,
    Optional<Path> qmpSocket, List<String> taps) {

  private static final long MIB = 1L << 20;

  /** Whether {@code argv} runs a QEMU system emulator. */
  public static boolean isQemu(List<String> argv) {
    if (argv.isEmpty()) {
      return false;
    }
    String program = Path.of(argv.get(0)).getFileName().toString();
    return program.startsWith("qemu-system-") || program.equals("qemu-kvm");
  }

  public static QemuCommandLine parse(List<String> argv) {
    Map<String, List<String>> options = new HashMap<>();
    for (int i = 1; i < argv.size() - 1; i++) {
      if (argv.get(i).startsWith("-")) {
        options.computeIfAbsent(argv.get(i).replaceFirst("^--?", ""), k -> new ArrayList<>()).add(argv.get(i + 1));
      }
    }
    Optional<String> name = first(options, "name").map(v -> {
      Map<String, String> p = properties(v, "guest");
      return p.get("guest");
    });
    int vcpus = first(options, "smp").map(v -> Integer.parseInt(properties(v, "cpus").getOrDefault("cpus", "1"))).orElse(1);
    long memory = first(options, "m").map(v -> size(properties(v, "size").get("size"))).orElse(128 * MIB);
    List<String> taps = new ArrayList<>();
    for (String netdev : options.getOrDefault("netdev", List.of())) {
      Map<String, String> p = properties(netdev, "type");
      if ("tap".equals(p.get("type")) && p.containsKey("ifname")) {
        taps.add(p.get("ifname"));
      }
    }
    return new QemuCommandLine(name, first(options, "uuid"), vcpus, memory, qmpSocket(options), List.copyOf(taps));
  }

  private static Optional<Path> qmpSocket(Map<String, List<String>> options) {
    for (String qmp : options.getOrDefault("qmp", List.of())) {
      if (qmp.startsWith("unix:")) {
        return Optional.of(Path.of(qmp.substring("unix:".length()).split(",")[0]));
      }
    }
    Map<String, String> socketsById = new HashMap<>();
    for (String chardev : options.getOrDefault("chardev", List.of())) {
      Map<String, String> p = properties(chardev, "backend");
      if ("socket".equals(p.get("backend")) && p.containsKey("id") && p.containsKey("path")) {
        socketsById.put(p.get("id"), p.get("path"));
      }
    }
    for (String mon : options.getOrDefault("mon", List.of())) {
      Map<String, String> p = properties(mon, "chardev");
      if ("control".equals(p.get("mode")) && socketsById.containsKey(p.get("chardev"))) {
        return Optional.of(Path.of(socketsById.get(p.get("chardev"))));
      }
    }
    return Optional.empty();
  }

  /** {@code a,b=c,d=e} with {@code a} under {@code firstKey} when it has no {@code =}. */
  private static Map<String, String> properties(String value, String firstKey) {
    Map<String, String> properties = new LinkedHashMap<>();
    String[] parts = value.split(",");
    for (int i = 0; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq < 0) {
        properties.put(i == 0 ? firstKey : parts[i], i == 0 ? parts[i] : "on");
      } else {
        properties.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }
    return properties;
  }

  /** QEMU sizes: a number of MiB, or with a suffix K, M, G or T. */
  static long size(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    char unit = Character.isDigit(t.charAt(t.length() - 1)) ? 'M' : t.charAt(t.length() - 1);
    long number = Long.parseLong(Character.isDigit(t.charAt(t.length() - 1)) ? t : t.substring(0, t.length() - 1));
    return switch (unit) {
      case 'K' -> number << 10;
      case 'M' -> number << 20;
      case 'G' -> number << 30;
      case 'T' -> number << 40;
      default -> throw new IllegalArgumentException("Not a QEMU size: " + text);
    };
  }

  private static Optional<String> first(Map<String, List<String>> options, String option) {
    List<String> values = options.get(option);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
  }
}
