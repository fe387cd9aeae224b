package io.reshape.collectors.host;

import io.reshape.host.ThreadCounters;
import java.time.Instant;

/**
 * Totals of one vCPU at one moment: its thread's scheduler counters and, where QEMU reports them,
 * KVM's halt statistics.
 *
 * @param threadId the vCPU thread; a new one (QEMU restarted) starts a new series
 * @param haltNs KVM halt_wait_ns, null when not reported
 * @param haltExits KVM halt_exits, null when not reported
 */
public record VcpuCounters(int vcpu, long threadId, Instant at, ThreadCounters thread, Long haltNs, Long haltExits) {}
