package io.reshape.actuator.executor;

import io.reshape.events.Outcome;

/** What a driver did: the outcome and, in words, what exactly. */
public record DriverResult(Outcome outcome, String detail) {}
