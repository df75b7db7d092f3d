package dev.sluice.spark.calls;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.HourlyWindows;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.core.config.Settings;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.StreamingJob;
import java.util.List;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Starts the calls pipeline's one query, in the folding shape: police calls decoded (bad ones
 * quarantined with their reason, a {@code crime_id} read before rejected as a duplicate), counted
 * per hour of {@code call_date_time}, call type and disposition, joined with the radio codes, and
 * added to {@code calls_hourly} with the watermark's rule ({@link HourlyCounts}).
 *
 * <p>Run it with {@code ./sluice run calls [--radio-codes FILE]}; {@code
 * SLUICE_CALLS_LATENESS_MINUTES} sets how late a call may arrive (default 30).
 *
 * <p>Why not Spark's stateful windows: they keep every open key's count in the state store so that
 * update mode can emit full counts, which {@code calls_hourly} already holds. With nearly one key
 * per call (an hour, a call type, a disposition), that doubled the work per call (measured in
 * {@code docs/benchmarks.md}). Each batch's own counts, added in the ledger's transaction, give the
 * same table exactly once, and the hours keep growing live as calls arrive. The watermark, kept
 * beside the ledger, closes hours as Spark's did: a call of an hour that ended at or before it is
 * dropped and counted as late. With no state outside PostgreSQL, a lost checkpoint resumes from the
 * ledger's offsets, and the shuffle partitions can change between runs.
 */
public final class CallsJob implements SparkPipeline {
  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    Settings settings = new Settings(System.getenv());
    Integer lateness = settings.get(HourlyWindows.LATENESS_MINUTES);
    settings.validate();
    RadioCodes codes = context.options().optional(RadioCodes.FLAG).orElseGet(RadioCodes::published);
    return List.of(start(context, codes, lateness));
  }

  /** Starts the query with given radio codes and lateness (tests and the benchmark choose). */
  public static StreamingQuery start(
      PipelineContext context, RadioCodes codes, int latenessMinutes) {
    String query = CallsDefinition.NAME;
    return StreamingJob.startFolding(
        context.kafkaStream(query, CallsDefinition.INPUT),
        new CallsDecoding(),
        context.recordIds(),
        new HourlyCounts.Fold(
            HourlyCounts.codes(context.spark(), codes),
            query,
            HourlyWindows.lateness(latenessMinutes)),
        context.database(),
        context.ledger(query),
        context.checkpoint(query),
        context.trigger());
  }
}
