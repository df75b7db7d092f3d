package dev.sluice.spark.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a micro-batch read, per Kafka partition, from the offsets it started at and ended at (both
 * as the checkpoint has them, {@code {"topic":{"partition":offset}}}).
 *
 * @param ranges one range per partition that the batch read from, {@code [start, end)}
 */
public record OffsetRanges(List<Range> ranges) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Offsets {@code [start, end)} of one partition. */
  public record Range(String topic, int partition, long start, long end) {
    public long records() {
      return end - start;
    }
  }

  /**
   * The ranges between two offset maps. A partition missing from {@code start} (new since) starts
   * at 0, Kafka's first offset.
   */
  public static OffsetRanges between(String start, String end) {
    try {
      JsonNode from = JSON.readTree(start);
      JsonNode to = JSON.readTree(end);
      List<Range> ranges = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> topics = to.fields(); topics.hasNext(); ) {
        Map.Entry<String, JsonNode> topic = topics.next();
        for (Iterator<Map.Entry<String, JsonNode>> partitions = topic.getValue().fields();
            partitions.hasNext(); ) {
          Map.Entry<String, JsonNode> partition = partitions.next();
          long first = from.path(topic.getKey()).path(partition.getKey()).asLong(0);
          long last = partition.getValue().asLong();
          if (last > first) {
            ranges.add(
                new Range(topic.getKey(), Integer.parseInt(partition.getKey()), first, last));
          }
        }
      }
      return new OffsetRanges(List.copyOf(ranges));
    } catch (JsonProcessingException | NumberFormatException e) {
      throw new IllegalStateException("offsets are not a map of topics to partitions: " + end, e);
    }
  }

  /**
   * Kafka offsets in the ranges: the batch's records, when no producer wrote transactions (whose
   * markers take offsets too); Sluice's producers write none.
   */
  public long records() {
    return ranges.stream().mapToLong(Range::records).sum();
  }
}
