package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * End-to-end latency of a pipeline, from each record's Kafka timestamp (set by the producer when it
 * sent the record) to the commit of the micro-batch that read it: before that commit the record is
 * not part of the committed results. The ledger says which batch read a record (each batch's {@code
 * end_offsets}) and when it committed ({@code committed_at}), so this holds for every ledgered
 * pipeline, whatever its tables. Records no committed batch read are left out; both clocks are this
 * machine's.
 *
 * @param records records measured
 * @param p50Ms median, interpolated between the nearest ranks (as PostgreSQL's {@code
 *     percentile_cont})
 * @param p99Ms 99th percentile, interpolated
 * @param maxMs the slowest record
 */
public record LatencyStats(long records, double p50Ms, double p99Ms, double maxMs) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Bounds reading the topic back: far beyond what the records of a latency phase need. */
  static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

  /**
   * The committed batches of a query in order: per partition, the offset each batch read up to, and
   * when each committed, in epoch milliseconds.
   */
  record Batches(Map<Integer, long[]> endOffsets, double[] committedMs) {
    /**
     * The first batch that read the record at {@code offset} of {@code partition}, or -1 when none
     * did yet.
     */
    int batchOf(int partition, long offset) {
      long[] ends = endOffsets.get(partition);
      if (ends == null || ends.length == 0 || ends[ends.length - 1] <= offset) {
        return -1;
      }
      int low = 0;
      int high = ends.length - 1;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (ends[middle] > offset) {
          high = middle;
        } else {
          low = middle + 1;
        }
      }
      return low;
    }
  }

  /** The latencies of every record of {@code topic} that {@code pipeline} committed. */
  static LatencyStats measure(Connection connection, String pipeline, String kafka, String topic) {
    return measure(connection, pipeline, kafka, topic, Long.MIN_VALUE);
  }

  /**
   * The latencies of the records of {@code topic} that {@code pipeline} committed and whose Kafka
   * timestamp is {@code fromMillis} or later.
   */
  static LatencyStats measure(
      Connection connection, String pipeline, String kafka, String topic, long fromMillis) {
    Batches batches = batches(connection, pipeline, topic);
    return of(latencies(kafka, topic, batches, fromMillis));
  }

  /** The ledger's batches of a pipeline that read {@code topic}, in the order they committed. */
  static Batches batches(Connection connection, String pipeline, String topic) {
    List<JsonNode> ends = new ArrayList<>();
    List<Double> committed = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT end_offsets::text, committed_at FROM pipeline_batches"
                + " WHERE pipeline = ? AND end_offsets IS NOT NULL ORDER BY seq")) {
      statement.setString(1, pipeline);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          JsonNode offsets = JSON.readTree(rows.getString(1)).path(topic);
          if (offsets.isObject()) {
            Instant at = rows.getTimestamp(2).toInstant();
            ends.add(offsets);
            committed.add(at.getEpochSecond() * 1e3 + at.getNano() / 1e6);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<Integer, long[]> endOffsets = new HashMap<>();
    for (int batch = 0; batch < ends.size(); batch++) {
      for (Map.Entry<String, JsonNode> partition : ends.get(batch).properties()) {
        long[] offsets =
            endOffsets.computeIfAbsent(
                Integer.parseInt(partition.getKey()), p -> new long[ends.size()]);
        offsets[batch] = partition.getValue().asLong();
      }
    }
    // A batch that did not list a partition read nothing of it: it ends where the one before did.
    for (long[] offsets : endOffsets.values()) {
      for (int batch = 1; batch < offsets.length; batch++) {
        offsets[batch] = Math.max(offsets[batch], offsets[batch - 1]);
      }
    }
    return new Batches(endOffsets, committed.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Reads the topic up to what the last batch read, and times each record to its batch. */
  private static double[] latencies(String kafka, String topic, Batches batches, long fromMillis) {
    Map<TopicPartition, Long> until = new HashMap<>();
    batches
        .endOffsets()
        .forEach(
            (partition, ends) -> {
              if (ends[ends.length - 1] > 0) {
                until.put(new TopicPartition(topic, partition), ends[ends.length - 1]);
              }
            });
    if (until.isEmpty()) {
      return new double[0];
    }
    double[] latencies = new double[1024];
    int count = 0;
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(PlainLoopBaseline.consumerProperties(kafka, "sluice-bench-latency"))) {
      consumer.assign(until.keySet());
      consumer.seekToBeginning(until.keySet());
      List<TopicPartition> unfinished = new ArrayList<>(until.keySet());
      while (!unfinished.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + topic + " back took longer than " + READ_TIMEOUT.toMinutes() + " min");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          int batch = batches.batchOf(record.partition(), record.offset());
          if (batch < 0 || record.timestamp() < fromMillis) {
            continue;
          }
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
          }
          latencies[count++] = batches.committedMs()[batch] - record.timestamp();
        }
        unfinished.removeIf(partition -> consumer.position(partition) >= until.get(partition));
      }
    }
    return Arrays.copyOf(latencies, count);
  }

  /** The percentiles of some latencies in milliseconds; zeros when there are none. */
  public static LatencyStats of(double[] latencies) {
    if (latencies.length == 0) {
      return new LatencyStats(0, 0, 0, 0);
    }
    double[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new LatencyStats(
        sorted.length,
        percentile(sorted, 0.5),
        percentile(sorted, 0.99),
        sorted[sorted.length - 1]);
  }

  /** Between the two nearest ranks, linearly: rank {@code 1 + q (n - 1)} of the sorted values. */
  static double percentile(double[] sorted, double q) {
    double rank = q * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
