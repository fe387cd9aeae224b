package io.reshape.host;

/**
 * Scheduler counters of one thread, as totals since it started.
 *
 * @param runNs time on a CPU, ns ({@code schedstat} field 1)
 * @param runqueueWaitNs time runnable but waiting for a CPU, ns ({@code schedstat} field 2)
 * @param voluntarySwitches times it gave the CPU up by blocking
 * @param involuntarySwitches times the scheduler took the CPU away
 */
public record ThreadCounters(long runNs, long runqueueWaitNs, long voluntarySwitches, long involuntarySwitches) {}
