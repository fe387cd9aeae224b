package io.reshape.host;

/** QEMU refused a QMP command, or the monitor could not be talked to. */
public class QmpException extends RuntimeException {

  public QmpException(String message) {
    super(message);
  }

  public QmpException(String message, Throwable cause) {
    super(message, cause);
  }
}
