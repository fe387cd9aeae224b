package io.reshape.local.bench;

import io.reshape.events.DirtyPageSource;
import io.reshape.events.DirtyPages;
import io.reshape.events.QuantumSample;
import io.reshape.events.TrafficSample;
import io.reshape.events.TrafficScope;
import io.reshape.jobs.analytics.AnalyticsSettings;
import io.reshape.jobs.footprints.FootprintsJob;
import io.reshape.jobs.generations.GenerationsJob;
import io.reshape.jobs.idleness.IdlenessJob;
import io.reshape.local.InputRecords;
import io.reshape.local.JobRunner;
import io.reshape.local.LocalStack;
import io.reshape.schemas.InventoryKeys;
import io.reshape.schemas.KafkaConnection;
import io.reshape.schemas.PageBitmaps;
import io.reshape.schemas.Topic;
import io.reshape.schemas.Topics;
import io.reshape.schemas.serde.RegistryAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Drives each analytics job through Kafka: its input topic is filled first, then the job runs
 * alone at parallelism 1 (one core for its operators) with RocksDB state and exactly-once sinks,
 * and the clock runs from the job's start until its consumer group has committed the end of the
 * input. Prints {@code BENCH} lines. Checkpoints every second bound the resolution. Arguments,
 * if any, name the jobs to run (generations, idleness, footprints).
 */
public final class JobThroughput {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
  private static final int VMS = 200;
  private static final int PAGES = 65_536;

  private JobThroughput() {}

  public static void main(String[] args) throws Exception {
    AnalyticsSettings settings = AnalyticsSettings.defaults();
    List<String> only = List.of(args);
    if (only.isEmpty() || only.contains(GenerationsJob.NAME)) {
      // Twice: pages at random touch every chunk of epochs, pages in runs (as guests write) few. Each on
      // a stack of its own: a second run of the job on one stack would start afresh on what the first
      // left committed.
      for (int run : new int[] {1, 64}) {
        try (LocalStack stack = LocalStack.start(null)) {
          KafkaConnection kafka = stack.connection();
          fill(kafka, JobThroughput::inventory);
          fill(kafka, out -> dirtyPages(out, run));
          double records = rate(kafka, stack, GenerationsJob.NAME, Topics.DIRTY_PAGES, Topics.WRITTEN_SETS,
              env -> GenerationsJob.onKafka(kafka, settings.generations()).addTo(env));
          String pattern = run == 1 ? "random" : "runs_of_" + run;
          bench("generations_job_records_" + pattern, records, "records/s");
          bench("generations_job_page_updates_" + pattern, records * (PAGES / 100), "pages/s");
        }
      }
    }
    try (LocalStack stack = LocalStack.start(null)) {
      KafkaConnection kafka = stack.connection();
      fill(kafka, JobThroughput::inventory);
      if (only.isEmpty() || only.contains(IdlenessJob.NAME)) {
        fill(kafka, JobThroughput::quanta);
        bench("idleness_job_quantum_samples", rate(kafka, stack, IdlenessJob.NAME, Topics.QUANTA, Topics.IDLENESS,
            env -> IdlenessJob.onKafka(kafka, settings.idleness()).addTo(env)), "samples/s");
      }
      if (only.isEmpty() || only.contains(FootprintsJob.NAME)) {
        fill(kafka, JobThroughput::traffic);
        bench("footprints_job_traffic_samples", rate(kafka, stack, FootprintsJob.NAME, Topics.TRAFFIC, Topics.FOOTPRINTS,
            env -> FootprintsJob.onKafka(kafka, settings.footprints()).addTo(env)), "samples/s");
      }
    }
  }

  /** The hosts and VMs the records name: the jobs take records only of what the inventory lists. */
  private static void inventory(Producer out) {
    for (int host = 0; host < 10; host++) {
      out.send(Topics.INVENTORY, InventoryKeys.host("host-" + host), InputRecords.host("host-" + host, 32, 256L << 30, T0), T0);
    }
    for (int vm = 0; vm < VMS; vm++) {
      out.send(Topics.INVENTORY, InventoryKeys.vm("vm-" + vm), InputRecords.placed("vm-" + vm, "host-" + vm % 10, PAGES, T0), T0);
    }
  }

  /**
   * 600 one-second intervals of 200 VMs of 256 MiB (enough that the faster pattern is still at work
   * when its first checkpoint commits), each writing 1% of its pages in runs of
   * {@code run} pages.
   */
  private static void dirtyPages(Producer out, int run) {
    SplittableRandom random = new SplittableRandom(run);
    for (int second = 1; second <= 600; second++) {
      for (int vm = 0; vm < VMS; vm++) {
        RoaringBitmap pages = new RoaringBitmap();
        while (pages.getCardinality() < PAGES / 100) {
          int start = random.nextInt(PAGES - run);
          pages.add((long) start, (long) Math.min(start + run, start + PAGES / 100 - pages.getCardinality()));
        }
        out.send(Topics.DIRTY_PAGES, "vm-" + vm, DirtyPages.newBuilder().setVmId("vm-" + vm).setHostId("host-" + vm % 10)
            .setIntervalStart(T0.plusSeconds(second - 1)).setIntervalEnd(T0.plusSeconds(second)).setSource(DirtyPageSource.KVM_DIRTY_LOG)
            .setCollectorEpoch(second).setPageSize(4096).setGuestPhysicalBase(0).setPageCount(PAGES).setDirtyCount(pages.getCardinality())
            .setBitmap(PageBitmaps.encode(pages)).build(), T0.plusSeconds(second));
      }
    }
  }

  /** 1000 one-second intervals of 200 VMs of 2 vCPUs, idle and busy by turns. */
  private static void quanta(Producer out) {
    for (int second = 1; second <= 1000; second++) {
      for (int vm = 0; vm < VMS; vm++) {
        boolean busy = (second / 30 + vm) % 3 == 0;
        for (int vcpu = 0; vcpu < 2; vcpu++) {
          out.send(Topics.QUANTA, "vm-" + vm, QuantumSample.newBuilder().setVmId("vm-" + vm).setHostId("host-" + vm % 10).setVcpu(vcpu)
              .setIntervalStart(T0.plusSeconds(second - 1)).setIntervalEnd(T0.plusSeconds(second))
              .setRunNs(busy ? 900_000_000L : 10_000_000L).setRunqueueWaitNs(1_000_000L).setHaltNs(busy ? 0L : 980_000_000L)
              .setHaltExits(busy ? 0L : 100L).setVoluntarySwitches(busy ? 2 : 100).setInvoluntarySwitches(busy ? 200 : 1).build(),
              T0.plusSeconds(second));
        }
      }
    }
  }

  /** 400 one-second intervals of 200 VMs each sending to 5 peers and counting its NIC. */
  private static void traffic(Producer out) {
    for (int second = 1; second <= 400; second++) {
      for (int vm = 0; vm < VMS; vm++) {
        for (int peer = 0; peer <= 5; peer++) {
          boolean nic = peer == 5;
          out.send(Topics.TRAFFIC, "vm-" + vm, TrafficSample.newBuilder().setHostId("host-" + vm % 10).setSrcVmId("vm-" + vm)
              .setDstVmId(nic ? null : "vm-" + (vm + peer + 1) % VMS).setIntervalStart(T0.plusSeconds(second - 1))
              .setIntervalEnd(T0.plusSeconds(second)).setBytes(nic ? 600_000 : 100_000).setPackets(nic ? 500 : 80)
              .setScope(nic ? TrafficScope.NIC : TrafficScope.FLOW).build(), T0.plusSeconds(second));
        }
      }
    }
  }

  /** Writes a job's input before it starts. */
  private static void fill(KafkaConnection kafka, Consumer<Producer> records) {
    try (Producer producer = new Producer(kafka)) {
      records.accept(producer);
    }
  }

  /**
   * Runs a job until its consumer group committed all of {@code topic}; returns records per second
   * from the first commit to the last, so the job's start does not count. A job that committed its
   * input without writing to {@code output} did no work, and its rate would mean nothing.
   */
  private static double rate(KafkaConnection kafka, LocalStack stack, String job, Topic<?> topic, Topic<?> output,
      Consumer<StreamExecutionEnvironment> addJob) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<TopicPartition, Long> end = endOffsets(admin, topic);
      long total = sum(end);
      // What an earlier run of the job committed is not this run's first commit.
      long before = committed(admin, job, end);
      long written = records(admin, output);
      try (JobRunner runner = JobRunner.start(stack, job, addJob)) {
        double rate = rate(admin, runner, job, topic, end, total, before);
        if (records(admin, output) == written) {
          throw new IllegalStateException(job + " committed its input but wrote nothing to " + output.name());
        }
        return rate;
      }
    }
  }

  private static long records(Admin admin, Topic<?> topic) throws Exception {
    return sum(endOffsets(admin, topic));
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static long committed(Admin admin, String job, Map<TopicPartition, Long> end) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("reshape-" + job)
        .partitionsToOffsetAndMetadata().get();
    return end.keySet().stream().mapToLong(p -> committed.get(p) == null ? 0 : committed.get(p).offset()).sum();
  }

  private static double rate(Admin admin, JobRunner runner, String job, Topic<?> topic, Map<TopicPartition, Long> end, long total,
      long before) throws Exception {
    Instant firstAt = null;
    long first = 0;
    while (true) {
      long done = committed(admin, job, end);
      Instant now = Instant.now();
      if (firstAt == null && done > before) {
        firstAt = now;
        first = done;
      }
      if (done >= total) {
        if (first >= total) {
          throw new IllegalStateException(job + " read all " + total + " records before its first commit: give it more");
        }
        double seconds = Duration.between(firstAt, now).toMillis() / 1000.0;
        System.out.printf(Locale.ROOT, "%s: %,d records of %s after its first commit, in %.1f s (%.1f s since it started)%n",
            job, total - first, topic.name(), seconds, Duration.between(runner.runningSince(), now).toMillis() / 1000.0);
        return (total - first) / seconds;
      }
      runner.assertRunning();
      Thread.sleep(100);
    }
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, Topic<?> topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name()).partitions()
        .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> end = new HashMap<>();
    admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
    return end;
  }

  private static void bench(String name, double value, String unit) {
    System.out.println(String.format(Locale.ROOT, "BENCH %s %.3f %s", name, value, unit));
  }

  /** Sends catalogue records with their event time as the record timestamp, as collectors do. */
  private static final class Producer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, String> registry;
    private final Map<Topic<?>, RegistryAvroSerializer<SpecificRecord>> serializers = new HashMap<>();

    Producer(KafkaConnection kafka) {
      var config = kafka.clientConfig();
      config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
      config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(1 << 20));
      config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
      registry = kafka.registryProperties();
    }

    void send(Topic<?> topic, String key, SpecificRecord value, Instant at) {
      RegistryAvroSerializer<SpecificRecord> serializer = serializers.computeIfAbsent(topic, t -> {
        RegistryAvroSerializer<SpecificRecord> s = new RegistryAvroSerializer<>();
        s.configure(registry, false);
        return s;
      });
      producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, serializer.serialize(topic.name(), value)));
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
