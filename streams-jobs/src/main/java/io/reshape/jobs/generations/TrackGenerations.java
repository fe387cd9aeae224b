package io.reshape.jobs.generations;

import io.reshape.events.GenerationDiff;
import io.reshape.events.WindowedWrites;
import io.reshape.events.WrittenSet;
import io.reshape.jobs.generations.PageGenerations.Reuse;
import io.reshape.jobs.state.EventTimeBuffer;
import io.reshape.schemas.Micros;
import io.reshape.schemas.PageBitmaps;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.roaringbitmap.RoaringBitmap;

/**
 * Keeps each VM's page generations and answers from them: what moving the VM to a host would cost
 * (for every host holding an image of it, every {@code publishEvery} of event time, and for any
 * host asked about) and how much it has been writing (written sets, on the side output). Events
 * wait in state until the watermark passes them and are applied in event-time order, so the
 * epochs follow the order in which things happened, not the order in which they arrived. Keyed by
 * VM id; a VM's state goes when the inventory says it is gone.
 *
 * <p>Writes are folded into the epochs in runs: a dirty-page interval waits, in order, until an
 * answer is due (a publication, a question) or the VM moves, and then the run is applied with
 * each chunk of epochs read and written once. What is published is what applying each interval at
 * once would give; what a busy VM's state costs RocksDB drops by the length of the run.
 */
public class TrackGenerations extends KeyedProcessFunction<String, MemoryEvent, GenerationDiff> {

  private static final long serialVersionUID = 1L;
  public static final OutputTag<WrittenSet> WRITTEN_SETS = new OutputTag<>("written-sets", TypeInformation.of(WrittenSet.class));

  private final GenerationSettings settings;
  private transient PageGenerations generations;
  private transient ValueState<GenerationState> states;
  /** Each chunk's epochs as bytes: a byte array is stored with one copy, an int array an int at a time. */
  private transient MapState<Integer, byte[]> chunks;
  private transient EventTimeBuffer<MemoryEvent> pending;
  /** Dirty-page intervals applied in event-time order but not folded into the epochs yet. */
  private transient ListState<MemoryEvent> unfolded;
  /** When answers and written sets were last published, event time in microseconds. */
  private transient ValueState<Long> publishedAt;
  private transient EpochChunks epochs;

  public TrackGenerations(GenerationSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext context) {
    generations = new PageGenerations(settings.ringSize(), settings.maxImages(), settings.imageRetention());
    states = getRuntimeContext().getState(new ValueStateDescriptor<>("generation-state", TypeInformation.of(GenerationState.class)));
    chunks = getRuntimeContext().getMapState(new MapStateDescriptor<>("page-epochs", Types.INT, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    pending = new EventTimeBuffer<>(getRuntimeContext(), "pending-events", TypeInformation.of(MemoryEvent.class));
    unfolded = getRuntimeContext().getListState(new ListStateDescriptor<>("unfolded-writes", TypeInformation.of(MemoryEvent.class)));
    publishedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("published-at", Types.LONG));
    epochs = new EpochChunks() {
      @Override
      public int[] get(int chunk) throws Exception {
        byte[] bytes = chunks.get(chunk);
        if (bytes == null) {
          return null;
        }
        int[] epochs = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).asIntBuffer().get(epochs);
        return epochs;
      }

      @Override
      public void put(int chunk, int[] epochs) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(epochs.length * Integer.BYTES);
        bytes.asIntBuffer().put(epochs);
        chunks.put(chunk, bytes.array());
      }

      @Override
      public void clear() {
        chunks.clear();
      }
    };
  }

  @Override
  public void processElement(MemoryEvent event, Context ctx, Collector<GenerationDiff> out) throws Exception {
    long at = ctx.timestamp() == null ? event.atMicros / 1000 : ctx.timestamp();
    if (at <= ctx.timerService().currentWatermark()) {
      // Behind event time already (the inventory is read whole at start): it applies now.
      apply(event, ctx, out);
      return;
    }
    pending.add(at, event, ctx.timerService());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<GenerationDiff> out) throws Exception {
    List<MemoryEvent> inOrder = pending.take(timestamp);
    inOrder.sort(Comparator.comparing((MemoryEvent e) -> e.kind).thenComparingLong(e -> e.atMicros));
    for (MemoryEvent event : inOrder) {
      apply(event, ctx, out);
    }
  }

  private void apply(MemoryEvent event, Context ctx, Collector<GenerationDiff> out) throws Exception {
    if (event.kind == MemoryEvent.Kind.GONE) {
      states.clear();
      chunks.clear();
      pending.clear();
      unfolded.clear();
      publishedAt.clear();
      return;
    }
    if (event.kind == MemoryEvent.Kind.WRITTEN) {
      unfolded.add(event);
      Long last = publishedAt.value();
      if (last != null && event.atMicros - last < settings.publishEvery().toNanos() / 1000) {
        return;
      }
      publishedAt.update(event.atMicros);
    }
    GenerationState stored = states.value();
    GenerationState state = stored == null ? new GenerationState() : stored;
    fold(state);
    switch (event.kind) {
      case PLACED -> {
        state.memoryBytes = event.memoryBytes;
        generations.arriveAt(state, event.hostId, event.atMicros);
      }
      case LEFT -> {
        if (event.hostId.equals(state.hostId)) {
          generations.leave(state, event.hostId, event.atMicros);
        }
      }
      case WRITTEN -> {
        for (String host : state.imageHosts) {
          out.collect(answer(ctx.getCurrentKey(), state, host, event.atMicros));
        }
        ctx.output(WRITTEN_SETS, writtenSet(ctx.getCurrentKey(), state));
      }
      case ASKED -> out.collect(answer(ctx.getCurrentKey(), state, event.hostId, event.atMicros));
      default -> throw new IllegalStateException("Unknown event kind " + event.kind);
    }
    states.update(state);
  }

  /** Applies the intervals waiting to be folded, in their order, each chunk read and written once. */
  private void fold(GenerationState state) throws Exception {
    CachedEpochChunks run = new CachedEpochChunks(epochs);
    for (MemoryEvent write : unfolded.get()) {
      RoaringBitmap written = write.bitmap == null ? null : PageBitmaps.decode(ByteBuffer.wrap(write.bitmap), write.pageCount);
      state.pageSize = write.pageSize;
      generations.record(state, run, write.hostId, write.startMicros, write.atMicros, write.pageCount, written, write.dirtyCount);
      generations.expireImages(state, write.atMicros);
    }
    run.flush();
    unfolded.clear();
  }

  private GenerationDiff answer(String vmId, GenerationState state, String hostId, long atMicros) {
    Reuse known = generations.reuse(state, hostId);
    // A VM no dirty page of which was seen yet: all of its RAM, as the inventory sizes it.
    int inventoryPages = (int) (state.memoryBytes / state.pageSize);
    Reuse reuse = state.pageCount > 0 ? known : new Reuse(inventoryPages, inventoryPages, known.imageEpoch());
    return GenerationDiff.newBuilder()
        .setVmId(vmId)
        .setCandidateHostId(hostId)
        .setComputedAt(Micros.instant(atMicros))
        .setCurrentEpoch(state.epoch)
        .setImageEpoch(reuse.imageEpoch().isPresent() ? Long.valueOf(reuse.imageEpoch().getAsInt()) : null)
        .setPageCount(reuse.pageCount())
        .setPagesToSend(reuse.pagesToSend())
        .setBytesToSend((long) reuse.pagesToSend() * state.pageSize)
        .setReuseRatio(reuse.reuseRatio())
        .build();
  }

  private WrittenSet writtenSet(String vmId, GenerationState state) {
    return WrittenSet.newBuilder()
        .setVmId(vmId)
        .setHostId(state.hostId)
        .setComputedAt(Micros.instant(state.lastEndMicros))
        .setPageCount(state.pageCount)
        .setWindows(generations.writtenSets(state, settings.windows()).stream()
            .map(w -> new WindowedWrites((int) w.window().toSeconds(), w.writtenPages(), w.complete())).toList())
        .setDirtyPagesPerSecond(state.dirtyPagesPerSecond)
        .build();
  }

}
