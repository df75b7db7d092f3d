package dev.sluice.spark.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Kafka starting offsets for a query that resumes from the ledger instead of its checkpoint. */
public final class StartingOffsets {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Spark's Kafka source reads "-2" as a partition's earliest offset. */
  static final long EARLIEST = -2;

  private StartingOffsets() {}

  /**
   * The {@code startingOffsets} JSON for one topic: each partition at the committed end offset,
   * partitions the ledger never saw (added since) at their earliest. Spark requires every partition
   * of the topic to be named.
   *
   * @param committed end offsets of every topic the last committed batch read, as the ledger
   *     records them
   */
  public static String resume(String committed, String topic, int partitions) {
    try {
      JsonNode offsets = JSON.readTree(committed).path(topic);
      ObjectNode partitionOffsets = JSON.createObjectNode();
      for (int partition = 0; partition < partitions; partition++) {
        JsonNode offset = offsets.get(Integer.toString(partition));
        partitionOffsets.put(
            Integer.toString(partition),
            offset != null && offset.canConvertToLong() ? offset.asLong() : EARLIEST);
      }
      ObjectNode starting = JSON.createObjectNode();
      starting.set(topic, partitionOffsets);
      return JSON.writeValueAsString(starting);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the ledger's offsets are not valid JSON: " + committed, e);
    }
  }
}
