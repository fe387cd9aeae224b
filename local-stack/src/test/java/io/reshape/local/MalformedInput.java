package io.reshape.local;

import io.reshape.events.DeadLetter;
import io.reshape.events.DeadLetterCause;
import io.reshape.events.DirtyPages;
import io.reshape.events.PageFingerprints;
import io.reshape.events.PageHash;
import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.DeadLetters;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.roaringbitmap.RoaringBitmap;

/**
 * Records no stage may use, for each topic the collectors write, with the cause each must be
 * refused for: bytes that are no frame, frames with schema ids no registry gave, frames of another
 * topic's schema, frames cut short, and (on the signal topics) values out of range, clocks ahead
 * ({@link #AHEAD}) and a day behind, and VMs and hosts the inventory does not list.
 */
final class MalformedInput {

  /** One record to send, and what its refusal must say. */
  record Bad(Topic<?> topic, String key, long timestamp, byte[] value, DeadLetterCause cause) {}

  static final Duration DAY = Duration.ofDays(1);
  /**
   * How far ahead a clock jumps here: past the pipeline's limit (5 min), within the broker's
   * ({@code message.timestamp.after.max.ms}, 1 h), which refuses a record a day ahead itself.
   */
  static final Duration AHEAD = Duration.ofMinutes(30);

  private final Random random = new Random(20_261_201);
  @SuppressWarnings("rawtypes")
  private final RegistryAvroSerializer serializer = new RegistryAvroSerializer<>();
  private final String vm;
  private final String host;

  /**
   * @param vm a VM the inventory lists, and {@code host} the host it runs on: the records that must be
   *     refused for their values or clocks name them, so that nothing but the fault refuses them
   */
  MalformedInput(Map<String, ?> registryProperties, String vm, String host) {
    serializer.configure(registryProperties, false);
    this.vm = vm;
    this.host = host;
  }

  /** {@code perKind} records of each kind that fits {@code topic}, the event time of the valid ones at {@code now}. */
  List<Bad> forTopic(Topic<?> topic, int perKind, Instant now) {
    List<Bad> bad = new ArrayList<>();
    for (int i = 0; i < perKind; i++) {
      Instant at = now.plusMillis(i);
      bad.add(new Bad(topic, vm, at.toEpochMilli(), randomBytes(), DeadLetterCause.MALFORMED_FRAME));
      bad.add(new Bad(topic, vm, at.toEpochMilli(), new byte[] {0, 0, 1}, DeadLetterCause.MALFORMED_FRAME));
      bad.add(new Bad(topic, vm, at.toEpochMilli(), frame(2_000_000_000 - i, randomBytes()), DeadLetterCause.UNKNOWN_SCHEMA_ID));
      bad.add(new Bad(topic, vm, at.toEpochMilli(), otherSchema(at), DeadLetterCause.UNDECODABLE_AVRO));
      if (topic.equals(Topics.INVENTORY)) {
        continue;
      }
      byte[] valid = encode(topic, valid(topic, vm, host, at));
      bad.add(new Bad(topic, vm, at.toEpochMilli(), Arrays.copyOf(valid, valid.length - 3), DeadLetterCause.UNDECODABLE_AVRO));
      bad.add(new Bad(topic, vm, at.toEpochMilli(), encode(topic, outOfRange(topic, at)), DeadLetterCause.INVALID_VALUE));
      bad.add(new Bad(topic, vm, at.plus(AHEAD).toEpochMilli(), encode(topic, valid(topic, vm, host, at.plus(AHEAD))),
          DeadLetterCause.INVALID_VALUE));
      bad.add(new Bad(topic, vm, at.minus(DAY).toEpochMilli(), encode(topic, valid(topic, vm, host, at.minus(DAY))),
          DeadLetterCause.LATE));
      bad.add(new Bad(topic, "vm-nowhere", at.toEpochMilli(), encode(topic, valid(topic, "vm-nowhere", host, at)),
          DeadLetterCause.UNKNOWN_ENTITY));
      bad.add(new Bad(topic, vm, at.toEpochMilli(), encode(topic, valid(topic, vm, "host-nowhere", at)),
          DeadLetterCause.UNKNOWN_ENTITY));
    }
    return bad;
  }

  private byte[] randomBytes() {
    byte[] bytes = new byte[8 + random.nextInt(120)];
    random.nextBytes(bytes);
    bytes[0] = (byte) (1 + random.nextInt(255));
    return bytes;
  }

  private static byte[] frame(int schemaId, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
  }

  /** A valid frame of the dead-letter schema, which no input topic's reader can read. */
  private byte[] otherSchema(Instant at) {
    DeadLetter letter = DeadLetters.of("elsewhere", 0, 0, at.toEpochMilli(), null, null, "nowhere", DeadLetterCause.UNKNOWN, "none");
    return encode(Topics.DEAD_LETTERS, letter);
  }

  @SuppressWarnings("unchecked")
  byte[] encode(Topic<?> topic, SpecificRecord value) {
    return serializer.serialize(topic.name(), value);
  }

  /** A record the topic's readers would take, ending at {@code at}. */
  static SpecificRecord valid(Topic<?> topic, String vm, String host, Instant at) {
    return records(topic).apply(new Values(vm, host, at.minusSeconds(1), at, 100));
  }

  /** A record right in every way but one value. */
  private SpecificRecord outOfRange(Topic<?> topic, Instant at) {
    if (topic.equals(Topics.DIRTY_PAGES)) {
      // A bitmap of a VM of 256 pages for one that declares 64.
      DirtyPages pages = (DirtyPages) valid(topic, vm, host, at);
      pages.setPageCount(64);
      pages.setBitmap(io.reshape.schemas.PageBitmaps.encode(RoaringBitmap.bitmapOf(1, 200)));
      pages.setDirtyCount(2);
      return pages;
    }
    if (topic.equals(Topics.PAGE_FINGERPRINTS)) {
      PageFingerprints prints = (PageFingerprints) valid(topic, vm, host, at);
      prints.setSamplingRatio(1.5);
      return prints;
    }
    // A negative duration: the interval ends before it starts.
    return records(topic).apply(new Values(vm, host, at.plusSeconds(1), at, 100));
  }

  private record Values(String vm, String host, Instant from, Instant to, int count) {}

  private static Function<Values, SpecificRecord> records(Topic<?> topic) {
    if (topic.equals(Topics.QUANTA)) {
      return v -> QuantumSample.newBuilder().setVmId(v.vm()).setHostId(v.host()).setVcpu(0).setIntervalStart(v.from())
          .setIntervalEnd(v.to()).setRunNs(v.count()).setRunqueueWaitNs(0).setVoluntarySwitches(1).setInvoluntarySwitches(0).build();
    }
    if (topic.equals(Topics.DIRTY_PAGES)) {
      return v -> InputRecords.dirtyPages(v.vm(), v.host(), v.from(), v.to(), 256, RoaringBitmap.bitmapOf(1, 2, 3));
    }
    if (topic.equals(Topics.TRAFFIC)) {
      return v -> TrafficSample.newBuilder().setHostId(v.host()).setSrcVmId(v.vm()).setIntervalStart(v.from()).setIntervalEnd(v.to())
          .setBytes(v.count()).setPackets(1).setScope(TrafficScope.NIC).build();
    }
    if (topic.equals(Topics.PAGE_FINGERPRINTS)) {
      return v -> PageFingerprints.newBuilder().setVmId(v.vm()).setHostId(v.host()).setSampledAt(v.to()).setPageSize(4096)
          .setPageCount(256).setSamplingRatio(1.0).setPages(List.of(new PageHash(1, 42L))).build();
    }
    throw new IllegalArgumentException("No signal records for " + topic.name());
  }
}
