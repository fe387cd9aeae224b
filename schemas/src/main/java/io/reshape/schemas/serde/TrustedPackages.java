package io.reshape.schemas.serde;

/**
 * Avro instantiates only classes of packages it was told to trust
 * ({@code org.apache.avro.SERIALIZABLE_PACKAGES}); Reshape's records are in {@code io.reshape.events}.
 * Every {@code main} calls {@link #trustEvents} before Avro loads; a value set on the command line wins.
 */
public final class TrustedPackages {

  static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";

  private TrustedPackages() {}

  public static void trustEvents() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "io.reshape.events");
    }
  }
}
