package io.reshape.jobs.kafka;

/** A record waiting for the inventory to list what it names; a Flink POJO. */
public class HeldRecord {

  public RawRecord record;
  public String vmId;
  public String hostId;
  /** Wall-clock time (ms) it started waiting. */
  public long heldSince;

  public HeldRecord() {}

  public HeldRecord(RawRecord record, String vmId, String hostId, long heldSince) {
    this.record = record;
    this.vmId = vmId;
    this.hostId = hostId;
    this.heldSince = heldSince;
  }

  /** Its event time, ms. */
  public long eventTime() {
    return record.timestamp;
  }
}
