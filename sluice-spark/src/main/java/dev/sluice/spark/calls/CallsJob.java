package dev.sluice.spark.calls;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.HourlyWindows;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.core.config.Settings;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.StreamingJob;
import java.util.List;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Starts the calls pipeline's one query, in the stateful shape: police calls decoded (bad ones
 * quarantined with their reason, a {@code crime_id} read before rejected as a duplicate), joined
 * with the radio codes, counted per hour of {@code call_date_time} with a watermark ({@link
 * HourlyCounts}), upserted into {@code calls_hourly}.
 *
 * <p>Run it with {@code ./sluice run calls [--radio-codes FILE]}; {@code
 * SLUICE_CALLS_LATENESS_MINUTES} sets how late a call may arrive (default 30).
 *
 * <p>Output mode: update. A live dashboard wants the current hour's counts as they grow; in append
 * mode an hour would appear only once the watermark passed its end (by default half an hour of
 * event time after the hour ends). Update mode emits each changed key's full count, the sink
 * upserts it, and a batch replayed after a crash recomputes the same counts from the checkpoint's
 * state, so the table ends exactly as an uninterrupted run leaves it: exactly once without append's
 * delay. The watermark still closes hours: a call behind it is dropped, and an hour's state leaves
 * the store once the watermark has passed it.
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
    return StreamingJob.startStateful(
        List.of(context.statefulKafkaStream(query, CallsDefinition.INPUT)),
        new CallsDecoding(),
        context.recordIds(),
        calls ->
            HourlyCounts.perHour(
                calls.get(0),
                HourlyCounts.codes(context.spark(), codes),
                HourlyWindows.lateness(latenessMinutes)),
        OutputMode.Update(),
        new HourlyCounts.Sink(context.database()),
        context.database(),
        context.ledger(query),
        context.checkpoint(query),
        context.trigger());
  }
}
