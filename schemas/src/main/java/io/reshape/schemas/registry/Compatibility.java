package io.reshape.schemas.registry;

/** The schema compatibility levels of the Confluent Schema Registry protocol. */
public enum Compatibility {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  Compatibility(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** Whether a new version must read what earlier versions wrote. */
  public boolean newReadsOld() {
    return newReadsOld;
  }

  /** Whether earlier versions must read what a new version writes. */
  public boolean oldReadsNew() {
    return oldReadsNew;
  }

  /** Whether a new version is checked against every earlier version, not only the latest. */
  public boolean transitive() {
    return transitive;
  }
}
