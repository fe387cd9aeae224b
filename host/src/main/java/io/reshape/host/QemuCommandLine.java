package io.reshape.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a QEMU command line says about its VM: name, UUID, vCPUs, memory, QMP socket and network
 * cards. Both the plain form ({@code -qmp unix:PATH,server=on}) and libvirt's
 * ({@code -chardev socket,id=charmonitor,path=PATH -mon chardev=charmonitor,mode=control},
 * {@code -name guest=NAME}, {@code -netdev} and {@code -device} as JSON objects) are understood.
 *
 * @param name the {@code -name} given, if any
 * @param uuid the {@code -uuid} given, if any
 * @param memoryBytes guest RAM ({@code -m}; QEMU's default of 128 MiB when absent)
 * @param qmpSocket the QMP monitor's unix socket, if there is one
 * @param nics its network cards backed by tap interfaces
 */
public record QemuCommandLine(Optional<String> name, Optional<String> uuid, int vcpus, long memoryBytes,
    Optional<Path> qmpSocket, List<NetworkCard> nics) {

  private static final long MIB = 1L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

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
    return new QemuCommandLine(name, first(options, "uuid"), vcpus, memory, qmpSocket(options), nics(options));
  }

  /** Cards on a tap: each {@code -netdev tap} with the {@code -device} that names it, and each {@code -nic tap}. */
  private static List<NetworkCard> nics(Map<String, List<String>> options) {
    Map<String, String> macsByNetdev = new HashMap<>();
    for (String device : options.getOrDefault("device", List.of())) {
      Map<String, String> p = properties(device, "driver");
      if (p.containsKey("netdev")) {
        macsByNetdev.put(p.get("netdev"), p.getOrDefault("mac", ""));
      }
    }
    List<Map<String, String>> taps = new ArrayList<>();
    for (String netdev : options.getOrDefault("netdev", List.of())) {
      Map<String, String> p = properties(netdev, "type");
      if ("tap".equals(p.get("type"))) {
        p.put("mac", macsByNetdev.getOrDefault(p.get("id"), ""));
        taps.add(p);
      }
    }
    for (String nic : options.getOrDefault("nic", List.of())) {
      Map<String, String> p = properties(nic, "type");
      if ("tap".equals(p.get("type"))) {
        p.putIfAbsent("mac", "");
        taps.add(p);
      }
    }
    List<NetworkCard> nics = new ArrayList<>();
    int unnamed = 0;
    for (Map<String, String> tap : taps) {
      // Cards without a MAC get QEMU's own: 52:54:00:12:34:56, then :57, ... in the order created.
      String mac = tap.get("mac").isEmpty() ? String.format("52:54:00:12:34:%02x", 0x56 + unnamed++) : tap.get("mac");
      nics.add(new NetworkCard(mac.toLowerCase(Locale.ROOT), Optional.ofNullable(tap.get("ifname")),
          tap.containsKey("fd") ? OptionalInt.of(Integer.parseInt(tap.get("fd"))) : OptionalInt.empty()));
    }
    return List.copyOf(nics);
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

  /**
   * {@code a,b=c,d=e} with {@code a} under {@code firstKey} when it has no {@code =}; or a JSON
   * object, libvirt's form, whose {@code type} or {@code driver} becomes {@code firstKey}.
   */
  private static Map<String, String> properties(String value, String firstKey) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (value.startsWith("{")) {
      try {
        JSON.readTree(value).properties().forEach(field -> properties.put(
            field.getKey().equals("type") || field.getKey().equals("driver") ? firstKey : field.getKey(), field.getValue().asText()));
        return properties;
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("Not a JSON object: " + value, e);
      }
    }
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
