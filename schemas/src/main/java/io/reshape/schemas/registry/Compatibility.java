package io.reshape.schemas.registry;

/** The schema compatibility levels of the Confluent Schema Registry protocol. */
public enum Compatibility {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE
}
