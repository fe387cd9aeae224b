package io.reshape.collectors.spool;

/**
 * A record as it will go to Kafka: topic, key, timestamp (event time, ms) and the value already in
 * the registry wire format.
 *
 * @param sequence its place in the spool, from 1, without gaps
 * @param key the key, or null
 * @param value the value, or null for a tombstone
 */
public record SpooledRecord(long sequence, String topic, String key, long timestamp, byte[] value) {}
