package io.reshape.coordinator;

import java.util.Map;

/** Reading numbers from the environment, with the variable's name in the error. */
final class Settings {

  private Settings() {}

  static long number(Map<String, String> env, String variable, long fallback) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long number = Long.parseLong(value.trim());
      if (number < 0) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(variable + ": '" + value + "' is not a whole number of at least 0");
    }
  }
}
