package io.reshape.host;

/** A file under /proc does not read as the kernel writes it. */
public class ProcFormatException extends RuntimeException {

  public ProcFormatException(String message) {
    super(message);
  }
}
