package io.reshape.local.load;

/**
 * One stage of the pipeline: a consumer group (a Flink job's source, a Streams application) reading
 * one topic.
 *
 * @param checkpointed whether the group commits its offsets with Flink's checkpoints, so that its
 *     committed lag includes up to one checkpoint interval by construction
 */
public record Stage(String group, String topic, boolean checkpointed) {

  @Override
  public String toString() {
    return group.replaceFirst("^reshape-", "") + "/" + topic;
  }
}
