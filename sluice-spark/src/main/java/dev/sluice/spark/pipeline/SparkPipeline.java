package dev.sluice.spark.pipeline;

import java.util.List;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * A pipeline's part in {@code sluice-spark}: starts its streaming queries, one per name its
 * definition lists in {@code queries()}, reading and writing through the context it is given so
 * that tests run the same code on their own topics, schema and checkpoints.
 *
 * <p>Implementations have a public no-argument constructor; the definition names the class in
 * {@code sparkJob()}. The shared shapes ({@link dev.sluice.spark.stream.StreamingJob}) give every
 * query decode-or-quarantine, the batch ledger and checkpoints.
 */
public interface SparkPipeline {
  List<StreamingQuery> start(PipelineContext context);
}
