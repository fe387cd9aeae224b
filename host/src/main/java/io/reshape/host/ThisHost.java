package io.reshape.host;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** The id the host agent's parts give this host: {@code RESHAPE_HOST_ID}, else the host name. */
public final class ThisHost {

  private ThisHost() {}

  public static String id(Map<String, String> env) {
    String id = env.get("RESHAPE_HOST_ID");
    if (id != null) {
      return id;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
