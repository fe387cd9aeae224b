package io.reshape.schemas.registry;

import org.apache.avro.Schema;

/** A schema as registered under a subject. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {}
