package dev.sluice.spark.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads what Spark writes into a query's checkpoint: the query's identity ({@code metadata}, kept
 * for the checkpoint's life) and the Kafka offsets a micro-batch reads up to ({@code
 * offsets/<batch>}, written before the batch runs). The batch ledger records both, so a batch is
 * known by the checkpoint that ran it and by what it read.
 */
public final class CheckpointLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path checkpoint;

  public CheckpointLog(Path checkpoint) {
    this.checkpoint = checkpoint;
  }

  public Path path() {
    return checkpoint;
  }

  /** Whether Spark has started a query on this checkpoint (it writes the metadata first). */
  public boolean exists() {
    return Files.isRegularFile(checkpoint.resolve("metadata"));
  }

  /**
   * Deletes what Spark's interrupted writes left in the offset and commit logs: a log entry is
   * written to a hidden temporary file ({@code .<batch>.<uuid>.tmp}, with its checksum {@code
   * ..<batch>.<uuid>.tmp.crc}) and then renamed, so a process killed between the two leaves the
   * temporary file behind. Spark skips such files once a batch is committed, but before the first
   * offsets are written it takes any file in these directories for another query's and refuses to
   * start ({@code STATE_STORE_CHECKPOINT_LOCATION_NOT_EMPTY}): a pipeline killed at that moment
   * would never run again. Call it only while no query runs on the checkpoint.
   *
   * @return the files deleted
   */
  public List<Path> removeUnfinishedWrites() {
    List<Path> removed = new ArrayList<>();
    for (String log : List.of("offsets", "commits")) {
      Path dir = checkpoint.resolve(log);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(CheckpointLog::isUnfinishedWrite).toList()) {
          Files.deleteIfExists(file);
          removed.add(file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear unfinished writes from " + dir, e);
      }
    }
    return removed;
  }

  private static boolean isUnfinishedWrite(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && (name.endsWith(".tmp") || name.endsWith(".tmp.crc"));
  }

  /** The query id Spark keeps in the checkpoint: the checkpoint's identity. */
  public String queryId() {
    Path metadata = checkpoint.resolve("metadata");
    try {
      JsonNode id = JSON.readTree(Files.readString(metadata, StandardCharsets.UTF_8)).get("id");
      if (id == null || !id.isTextual()) {
        throw new IllegalStateException(metadata + " has no query id");
      }
      return id.asText();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the checkpoint's identity from " + metadata, e);
    }
  }

  /**
   * The offsets a batch reads up to, as one JSON object of every source's offsets, {@code
   * {"topic":{"partition":offset,...},...}}: the form Kafka's {@code startingOffsets} takes.
   */
  public String endOffsets(long batchId) {
    Path file = checkpoint.resolve("offsets").resolve(Long.toString(batchId));
    try {
      return endOffsets(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the offsets of batch " + batchId + " from " + file, e);
    }
  }

  /**
   * The offsets a batch starts at: the previous batch's end, or for the checkpoint's first batch
   * the initial offsets each source wrote ({@code sources/<n>/0}).
   */
  public String startOffsets(long batchId) {
    if (batchId > 0) {
      return endOffsets(batchId - 1);
    }
    Path sources = checkpoint.resolve("sources");
    ObjectNode merged = JSON.createObjectNode();
    try (var dirs = Files.list(sources)) {
      for (Path initial : dirs.map(dir -> dir.resolve("0")).filter(Files::isRegularFile).toList()) {
        // A version marker, then the offsets as JSON.
        String text = Files.readString(initial, StandardCharsets.UTF_8);
        int json = text.indexOf('{');
        if (json < 0) {
          throw new IOException(initial + " holds no offsets");
        }
        merged.setAll((ObjectNode) JSON.readTree(text.substring(json)));
      }
      return JSON.writeValueAsString(merged);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the initial offsets from " + sources, e);
    }
  }

  /**
   * Parses an offset log file: a version line, the batch's metadata, then one line per source (its
   * offsets as JSON, or "-" when it had none yet).
   */
  static String endOffsets(List<String> lines) throws IOException {
    if (lines.size() < 2 || !lines.get(0).startsWith("v")) {
      throw new IOException(
          "not a Spark offset log (expected a version line, metadata and offsets)");
    }
    ObjectNode merged = JSON.createObjectNode();
    for (String line : lines.subList(2, lines.size())) {
      if (line.isBlank() || line.equals("-")) {
        continue;
      }
      JsonNode source = JSON.readTree(line);
      if (!source.isObject()) {
        throw new IOException("offsets of a source are not a JSON object: " + line);
      }
      merged.setAll((ObjectNode) source);
    }
    return JSON.writeValueAsString(merged);
  }
}
