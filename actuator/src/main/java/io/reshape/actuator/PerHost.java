package io.reshape.actuator;

import java.util.LinkedHashMap;
import java.util.Map;

/** Settings given per host in one variable: {@code host-1=value;host-2=value}. */
public final class PerHost {

  private PerHost() {}

  /**
   * Reads {@code text}, the value of {@code variable}; blank is none.
   *
   * @param form what each entry should look like, for the error (e.g. {@code host=address})
   * @throws IllegalArgumentException naming the entry that is wrong, or a host listed twice
   */
  public static Map<String, String> parse(String variable, String text, String form) {
    Map<String, String> values = new LinkedHashMap<>();
    if (text == null) {
      return values;
    }
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split("=", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(variable + ": '" + entry.trim() + "' is not " + form);
      }
      if (values.put(parts[0].trim(), parts[1].trim()) != null) {
        throw new IllegalArgumentException(variable + ": host " + parts[0].trim() + " is listed twice");
      }
    }
    return values;
  }
}
