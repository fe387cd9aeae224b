package io.reshape.jobs.kafka;

import java.io.Serializable;
import org.apache.flink.util.function.SerializableFunction;

/**
 * How to read from a collected record the VM and the host it speaks of, which the inventory must list.
 *
 * @param <T> the record type
 */
public record FleetRefs<T>(SerializableFunction<T, String> vmId, SerializableFunction<T, String> hostId) implements Serializable {}
