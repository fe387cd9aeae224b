package io.reshape.collectors.sim;

/**
 * What a VM does during one interval.
 *
 * @param cpu share of each vCPU the guest keeps busy, 0 to 1
 * @param dirtyShare share of guest pages written per second, 0 to 1
 * @param trafficBytesPerSecond bytes the VM sends per second
 */
record Activity(double cpu, double dirtyShare, double trafficBytesPerSecond) {}
