package dev.sluice.loadgen.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.calls.PoliceCallCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A file's calls in event-time order ({@code call_date_time}), in bounded memory however large the
 * file: an external merge sort. Runs of {@code chunkRecords} records are sorted in memory and
 * written to temporary files, which are then merged, one record of each in memory at a time. Calls
 * of the same time keep the file's order; records without a readable {@code call_date_time} come
 * first, in the file's order (the pipeline quarantines them). The temporary files are deleted on
 * {@link Sorted#close()}.
 */
final class EventTimeOrder {
  /** Sorted runs of this many records: a few hundred bytes each, some tens of MB in memory. */
  static final int CHUNK_RECORDS = 100_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventTimeOrder() {}

  /** One record with what it is sorted by. */
  private record Keyed(long eventMillis, long position, byte[] value) {}

  private static final Comparator<Keyed> ORDER =
      Comparator.comparingLong(Keyed::eventMillis).thenComparingLong(Keyed::position);

  /** The sorted records, read from the runs as they merge. */
  static final class Sorted implements CallFiles.Records {
    private final List<Path> runs;
    private final List<DataInputStream> readers = new ArrayList<>();
    private final PriorityQueue<Head> heads =
        new PriorityQueue<>(Comparator.comparing(Head::record, ORDER));
    private final String format;

    private record Head(Keyed record, DataInputStream from) {}

    Sorted(List<Path> runs, String format) throws IOException {
      this.runs = runs;
      this.format = format;
      for (Path run : runs) {
        DataInputStream reader =
            new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
        readers.add(reader);
        Keyed first = read(reader);
        if (first != null) {
          heads.add(new Head(first, reader));
        }
      }
    }

    @Override
    public byte[] next() throws IOException {
      Head head = heads.poll();
      if (head == null) {
        return null;
      }
      Keyed following = read(head.from());
      if (following != null) {
        heads.add(new Head(following, head.from()));
      }
      return head.record().value();
    }

    @Override
    public String format() {
      return format + ", in event-time order";
    }

    /** How many sorted runs the file was cut into. */
    int runs() {
      return runs.size();
    }

    @Override
    public void close() throws IOException {
      IOException first = null;
      for (DataInputStream reader : readers) {
        try {
          reader.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      for (Path run : runs) {
        Files.deleteIfExists(run);
      }
      if (first != null) {
        throw first;
      }
    }
  }

  /**
   * Sorts {@code input} (and closes it) through runs in {@code tempDir}.
   *
   * @param chunkRecords records sorted in memory at a time
   */
  static Sorted sort(CallFiles.Records input, Path tempDir, int chunkRecords) throws IOException {
    List<Path> runs = new ArrayList<>();
    try (input) {
      List<Keyed> chunk = new ArrayList<>();
      long position = 0;
      for (byte[] value = input.next(); value != null; value = input.next()) {
        chunk.add(new Keyed(eventMillis(value), position++, value));
        if (chunk.size() >= chunkRecords) {
          runs.add(writeRun(chunk, tempDir));
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        runs.add(writeRun(chunk, tempDir));
      }
      return new Sorted(runs, input.format());
    } catch (IOException | RuntimeException e) {
      for (Path run : runs) {
        Files.deleteIfExists(run);
      }
      throw e;
    }
  }

  /** A record's {@code call_date_time} as epoch millis; the smallest long when unreadable. */
  static long eventMillis(byte[] value) {
    try {
      JsonNode time = JSON.readTree(value).get("call_date_time");
      if (time != null && time.isTextual()) {
        return PoliceCallCodec.epochMillis(time.textValue());
      }
    } catch (IOException | RuntimeException e) {
      // Not a call: sent first, for the pipeline to quarantine.
    }
    return Long.MIN_VALUE;
  }

  private static Path writeRun(List<Keyed> chunk, Path tempDir) throws IOException {
    chunk.sort(ORDER);
    Path run = Files.createTempFile(tempDir, "sluice-calls-run-", ".bin");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
      for (Keyed record : chunk) {
        out.writeLong(record.eventMillis());
        out.writeLong(record.position());
        out.writeInt(record.value().length);
        out.write(record.value());
      }
    }
    return run;
  }

  private static Keyed read(DataInputStream in) throws IOException {
    long eventMillis;
    try {
      eventMillis = in.readLong();
    } catch (EOFException end) {
      return null;
    }
    long position = in.readLong();
    byte[] value = new byte[in.readInt()];
    in.readFully(value);
    return new Keyed(eventMillis, position, value);
  }
}
