package dev.sluice.spark.stream;

import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Runs a pipeline as a Structured Streaming query: every micro-batch of the source goes through the
 * pipeline's transformation, then into its sink; the batch's results are released afterwards.
 * Source, transformation and sink are injected, so a test can run the same pipeline on local data.
 */
public final class StreamingJob {
  private StreamingJob() {}

  /** A micro-batch's computed results, holding cached data until the sink has written them. */
  public interface BatchResults extends AutoCloseable {
    @Override
    void close();
  }

  public static <B extends BatchResults> StreamingQuery start(
      String name,
      Dataset<Row> source,
      Function<Dataset<Row>, B> transformation,
      BatchSink<B> sink,
      Path checkpoint,
      Trigger trigger) {
    VoidFunction2<Dataset<Row>, Long> eachBatch =
        (batch, batchId) -> {
          try (B results = transformation.apply(batch)) {
            sink.write(batchId, results);
          }
        };
    try {
      return source
          .writeStream()
          .queryName(name)
          .option("checkpointLocation", checkpoint.toAbsolutePath().toString())
          .trigger(trigger)
          .foreachBatch(eachBatch)
          .start();
    } catch (TimeoutException e) {
      throw new IllegalStateException("the streaming query " + name + " did not start: " + e.getMessage(), e);
    }
  }
}
