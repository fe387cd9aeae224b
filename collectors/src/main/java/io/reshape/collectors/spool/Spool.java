package io.reshape.collectors.spool;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's write-ahead log: every sample is appended here before it is sent, so neither a
 * broker that is away nor a collector that restarts loses it. Records are numbered without gaps;
 * what Kafka has committed is released, whole segments at a time. Past {@code maxBytes} the oldest
 * segment is dropped, and its unsent records are counted as lost.
 *
 * <p>A segment is a file named by its first sequence number, holding records framed as length,
 * sequence, timestamp, topic, key, value and a CRC32C; a record torn by a crash is cut off when
 * the spool is opened. Thread-safe.
 */
public final class Spool implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String SUFFIX = ".spool";
  private static final int HEADER = Integer.BYTES;
  private static final int TRAILER = Integer.BYTES;

  private final Path dir;
  private final String id;
  private final long maxBytes;
  private final long segmentBytes;
  private final Deque<Segment> segments = new ArrayDeque<>();
  private long nextSequence;
  private long released;
  private long dropped;
  /**
   * The sequences counted in {@link #dropped}, oldest first, as [from, to]. Records read for a
   * transaction may be dropped while it is under way, and the transaction commit all the same
   * (its answer may even be lost to an outage, and the position read back from Kafka tell it):
   * {@link #delivered} takes those out of the count.
   */
  private final Deque<long[]> droppedRanges = new ArrayDeque<>();
  /** The segment being read, a channel open on it at record {@link #cursorSequence}. */
  private Segment cursorSegment;
  private FileChannel cursorChannel;
  private long cursorSequence;

  private static final class Segment {
    final Path path;
    final long firstSequence;
    long lastSequence;
    long bytes;
    FileChannel channel;

    Segment(Path path, long firstSequence) {
      this.path = path;
      this.firstSequence = firstSequence;
      this.lastSequence = firstSequence - 1;
    }

    long records() {
      return lastSequence - firstSequence + 1;
    }
  }

  private Spool(Path dir, String id, long maxBytes, long segmentBytes) {
    this.dir = dir;
    this.id = id;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens the spool in {@code dir}, recovering what an earlier run left.
   *
   * @param maxBytes the most the spool may hold; the oldest segment goes first
   * @param segmentBytes the size at which a new segment is started
   */
  public static Spool open(Path dir, long maxBytes, long segmentBytes) {
    if (segmentBytes <= 0 || maxBytes < segmentBytes) {
      throw new IllegalArgumentException("Need 0 < segmentBytes <= maxBytes, not " + segmentBytes + " and " + maxBytes);
    }
    Spool spool;
    try {
      Files.createDirectories(dir);
      spool = new Spool(dir, identity(dir), maxBytes, segmentBytes);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path path : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
          spool.segments.add(recover(path));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the spool in " + dir, e);
    }
    spool.segments.removeIf(s -> s.records() == 0 && spool.deleteFile(s));
    spool.nextSequence = spool.segments.isEmpty() ? 1 : spool.segments.getLast().lastSequence + 1;
    spool.released = spool.segments.isEmpty() ? 0 : spool.segments.getFirst().firstSequence - 1;
    return spool;
  }

  /** The spool's identity, made when the directory is first used. */
  private static String identity(Path dir) throws IOException {
    Path file = dir.resolve("spool.id");
    if (!Files.exists(file)) {
      Path tmp = dir.resolve("spool.id.tmp");
      Files.writeString(tmp, UUID.randomUUID().toString(), StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  /** Identity of this spool: sequence numbers mean something only together with it. */
  public String id() {
    return id;
  }

  /** Reads a segment's records, cutting off a torn tail. */
  private static Segment recover(Path path) throws IOException {
    String name = path.getFileName().toString();
    Segment segment = new Segment(path, Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long position = 0;
      SpooledRecord record;
      while ((record = readAt(channel, position)) != null) {
        if (record.sequence() != segment.lastSequence + 1) {
          break;
        }
        segment.lastSequence = record.sequence();
        position = channel.position();
      }
      if (position < channel.size()) {
        LOG.warn("Spool segment {}: cutting {} bytes of a record torn by a crash", path, channel.size() - position);
        channel.truncate(position);
      }
      segment.bytes = position;
    }
    return segment;
  }

  /** Appends records and makes them durable; returns the sequence number of the last. */
  public synchronized long append(List<SpooledRecord> records) {
    try {
      Segment segment = null;
      for (SpooledRecord r : records) {
        segment = writable();
        ByteBuffer frame = frame(nextSequence, r);
        while (frame.hasRemaining()) {
          segment.channel.write(frame);
        }
        segment.bytes += frame.limit();
        segment.lastSequence = nextSequence++;
      }
      if (segment != null) {
        segment.channel.force(false);
      }
      enforceBound();
      notifyAll();
      return nextSequence - 1;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the spool in " + dir, e);
    }
  }

  private Segment writable() throws IOException {
    Segment last = segments.peekLast();
    if (last == null || last.bytes >= segmentBytes) {
      if (last != null && last.channel != null) {
        last.channel.force(false);
        last.channel.close();
        last.channel = null;
      }
      last = new Segment(dir.resolve(String.format("%020d%s", nextSequence, SUFFIX)), nextSequence);
      segments.add(last);
    }
    if (last.channel == null) {
      last.channel = FileChannel.open(last.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    return last;
  }

  private void enforceBound() {
    while (bytes() > maxBytes && segments.size() > 1) {
      Segment oldest = segments.removeFirst();
      long lost = oldest.lastSequence - Math.max(released, oldest.firstSequence - 1);
      dropped += lost;
      if (lost > 0) {
        droppedRanges.add(new long[] {oldest.lastSequence - lost + 1, oldest.lastSequence});
      }
      released = Math.max(released, oldest.lastSequence);
      if (cursorSegment == oldest) {
        closeQuietly();
      }
      deleteFile(oldest);
      LOG.error("Spool over its bound of {} bytes: dropped {} unsent records (sequence {} to {})",
          maxBytes, lost, oldest.firstSequence, oldest.lastSequence);
    }
  }

  /**
   * Up to {@code max} records after {@code afterSequence}, in order; waits up to {@code waitMillis}
   * for one to arrive when there are none.
   */
  public synchronized List<SpooledRecord> read(long afterSequence, int max, long waitMillis) throws InterruptedException {
    if (nextSequence - 1 <= afterSequence && waitMillis > 0) {
      wait(waitMillis);
    }
    List<SpooledRecord> out = new ArrayList<>();
    long want = Math.max(afterSequence, released) + 1;
    try {
      while (out.size() < max && want < nextSequence) {
        SpooledRecord record = recordAt(want);
        out.add(record);
        want++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the spool in " + dir, e);
    }
    return out;
  }

  /** Reads record {@code sequence}, continuing from the cursor when it is the next one. */
  private SpooledRecord recordAt(long sequence) throws IOException {
    if (cursorSegment == null || cursorSequence != sequence || sequence > cursorSegment.lastSequence) {
      seek(sequence);
    }
    SpooledRecord record = readAt(cursorChannel, cursorChannel.position());
    cursorSequence++;
    return record;
  }

  private void seek(long sequence) throws IOException {
    closeCursor();
    Segment segment = segments.stream()
        .filter(s -> sequence >= s.firstSequence && sequence <= s.lastSequence)
        .findFirst().orElseThrow(() -> new IllegalStateException("Spool has no record " + sequence));
    cursorChannel = FileChannel.open(segment.path, StandardOpenOption.READ);
    for (long s = segment.firstSequence; s < sequence; s++) {
      readAt(cursorChannel, cursorChannel.position());
    }
    cursorSegment = segment;
    cursorSequence = sequence;
  }

  private void closeCursor() throws IOException {
    if (cursorChannel != null) {
      cursorChannel.close();
    }
    cursorChannel = null;
    cursorSegment = null;
  }

  /** Kafka has committed everything up to {@code sequence}: segments wholly at or below it go. */
  public synchronized void release(long sequence) {
    released = Math.max(released, Math.min(sequence, nextSequence - 1));
    while (segments.size() > 1 && segments.getFirst().lastSequence <= released) {
      Segment done = segments.removeFirst();
      if (cursorSegment == done) {
        closeQuietly();
      }
      deleteFile(done);
    }
  }

  /**
   * Records {@code from} to {@code to} are in Kafka, committed in one transaction: released, and
   * no longer counted as dropped if the bound dropped them meanwhile. Nothing before {@code from}
   * is under way any more (one transaction at a time), so what was dropped before it stays lost.
   */
  public synchronized void delivered(long from, long to) {
    long found = 0;
    Deque<long[]> left = new ArrayDeque<>();
    for (long[] range : droppedRanges) {
      if (range[1] < from) {
        continue;
      }
      long first = Math.max(range[0], from);
      long last = Math.min(range[1], to);
      if (first > last) {
        left.add(range);
        continue;
      }
      found += last - first + 1;
      if (last < range[1]) {
        left.add(new long[] {last + 1, range[1]});
      }
    }
    droppedRanges.clear();
    droppedRanges.addAll(left);
    if (found > 0) {
      dropped -= found;
      LOG.warn("{} records counted as dropped had been read for a transaction that committed: {} dropped in all", found, dropped);
    }
    release(to);
  }

  /** Records appended and not yet released. */
  public synchronized long pending() {
    return nextSequence - 1 - released;
  }

  public synchronized long bytes() {
    return segments.stream().mapToLong(s -> s.bytes).sum();
  }

  /** Unsent records dropped because the spool was full. */
  public synchronized long dropped() {
    return dropped;
  }

  /** Sequence number of the last record appended; 0 when none ever was. */
  public synchronized long lastSequence() {
    return nextSequence - 1;
  }

  @Override
  public synchronized void close() throws IOException {
    closeCursor();
    for (Segment segment : segments) {
      if (segment.channel != null) {
        segment.channel.force(false);
        segment.channel.close();
        segment.channel = null;
      }
    }
    notifyAll();
  }

  private void closeQuietly() {
    try {
      closeCursor();
    } catch (IOException e) {
      LOG.warn("Could not close a spool segment: {}", e.toString());
    }
  }

  private boolean deleteFile(Segment segment) {
    try {
      if (segment.channel != null) {
        segment.channel.close();
      }
      Files.deleteIfExists(segment.path);
      return true;
    } catch (IOException e) {
      LOG.warn("Could not delete spool segment {}: {}", segment.path, e.toString());
      return true;
    }
  }

  private static ByteBuffer frame(long sequence, SpooledRecord r) {
    byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
    byte[] key = r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8);
    int body = Long.BYTES * 2 + Integer.BYTES * 3 + topic.length + length(key) + length(r.value());
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + body + TRAILER);
    buffer.putInt(body).putLong(sequence).putLong(r.timestamp()).putInt(topic.length).put(topic);
    put(buffer, key);
    put(buffer, r.value());
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), HEADER, body);
    buffer.putInt((int) crc.getValue());
    return buffer.flip();
  }

  /** The record at {@code position}, leaving the channel after it; null at the end or at a torn record. */
  private static SpooledRecord readAt(FileChannel channel, long position) throws IOException {
    channel.position(position);
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    if (!readFully(channel, header)) {
      return null;
    }
    int body = header.flip().getInt();
    if (body <= 0 || body > channel.size() - position) {
      return null;
    }
    ByteBuffer rest = ByteBuffer.allocate(body + TRAILER);
    if (!readFully(channel, rest)) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(rest.array(), 0, body);
    if ((int) crc.getValue() != rest.getInt(body)) {
      return null;
    }
    rest.flip();
    long sequence = rest.getLong();
    long timestamp = rest.getLong();
    String topic = new String(bytes(rest), StandardCharsets.UTF_8);
    byte[] key = bytes(rest);
    byte[] value = bytes(rest);
    return new SpooledRecord(sequence, topic, key == null ? null : new String(key, StandardCharsets.UTF_8), timestamp, value);
  }

  /** Null (a tombstone's value, a missing key) is written as length -1. */
  private static void put(ByteBuffer buffer, byte[] bytes) {
    if (bytes == null) {
      buffer.putInt(-1);
    } else {
      buffer.putInt(bytes.length).put(bytes);
    }
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return bytes;
  }

  private static boolean readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        return false;
      }
    }
    return true;
  }
}
