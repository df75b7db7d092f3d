package dev.sluice.bench.revenue;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.BenchRecords;
import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.PipelineBenchmark;
import dev.sluice.bench.RealTimeResults;
import dev.sluice.bench.TopicRecords;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.revenue.RevenueJob;
import dev.sluice.store.redis.RedisPool;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * The revenue pipeline's benchmark part, behind {@code ./sluice bench revenue}: the per-record
 * upsert, which is the pipeline's hot path.
 *
 * <ul>
 *   <li><b>Records</b>: {@code ./sluice produce revenue}'s at its defaults ({@link
 *       GeneratedRevenue}): 1,000 ids, 5% late and 5% duplicate records.
 *   <li><b>Spark part</b>: the {@code revenue-latest} query alone (real-time mode, as the pipeline
 *       runs it): the Lua script per record in Redis, the computed state to {@code
 *       revenue.computed}. The per-minute query is a stateful window over the same records and is
 *       not measured here. The harness watches the query through its announcements ({@link
 *       LatestStateWatch}); latency is from a record's Kafka timestamp to its update becoming
 *       visible in Redis, and to its computed state's Kafka timestamp.
 *   <li><b>Plain loop</b>: the same per-record work without Spark ({@link LatestStates}): decode,
 *       the same script against Redis, the computed state to a topic.
 *   <li><b>Checks</b>: the plain loop's Redis state equals the pipeline's (totals, top ids, every
 *       id's latest version), and so do the last computed states per key.
 * </ul>
 */
public final class RevenueBenchmark implements PipelineBenchmark<LatestStates> {
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

  @Override
  public List<String> missingInputs(SluiceConfig config) {
    return config.redis().isPresent()
        ? List.of()
        : List.of(
            "SLUICE_REDIS is not set: run the benchmark with './sluice bench revenue', which starts"
                + " the embedded Redis");
  }

  @Override
  public String unit() {
    return "revenue records";
  }

  @Override
  public InputTopic input(PipelineDefinition definition) {
    return RevenueDefinition.RECORDS;
  }

  @Override
  public String query(PipelineDefinition definition) {
    return RevenueDefinition.LATEST_QUERY;
  }

  /** A Redis round trip per record: 200,000 records take ten to thirty seconds. */
  @Override
  public int recordsByDefault() {
    return 200_000;
  }

  @Override
  public Optional<RealTimeResults> realTimeResults() {
    return Optional.of(new Announced());
  }

  @Override
  public BenchRecords records(SluiceConfig config) {
    return new GeneratedRevenue();
  }

  @Override
  public SparkPipeline sparkJob(
      PipelineDefinition definition, SluiceConfig config, PrintStream progress) {
    return context -> List.of(RevenueJob.startLatest(context));
  }

  @Override
  public LatestStates plainLoopThread(BenchTarget target) {
    return new LatestStates(target);
  }

  @Override
  public String checkAgainstPlainLoop(BenchTarget drained, List<LatestStates> plainLoop) {
    Map<String, String> expected = new HashMap<>();
    long rejected = 0;
    for (LatestStates thread : plainLoop) {
      thread.close();
      rejected += thread.rejected();
      thread
          .latestVersions()
          .forEach(
              (id, version) -> expected.merge(id, version, (a, b) -> a.compareTo(b) > 0 ? a : b));
    }
    if (rejected > 0) {
      throw new InvalidRunException(
          "the plain loop rejected " + rejected + " of the generated records: a codec bug");
    }
    RevenueKeys pipeline = new RevenueKeys(drained.redisNamespace());
    RevenueKeys plain = new RevenueKeys(plainLoop.get(0).namespace());
    String totals;
    try (RedisPool pool = drained.requireRedis().openPool();
        Jedis jedis = pool.borrow()) {
      Map<String, String> pipelineTotals = jedis.hgetAll(pipeline.totals());
      Map<String, String> plainTotals = jedis.hgetAll(plain.totals());
      requireEqual("the totals", pipelineTotals, plainTotals);
      List<Tuple> pipelineTop = jedis.zrangeWithScores(pipeline.top(), 0, -1);
      List<Tuple> plainTop = jedis.zrangeWithScores(plain.top(), 0, -1);
      requireEqual("the top ids", pipelineTop, plainTop);
      List<String> ids = new ArrayList<>(expected.keySet());
      Pipeline reads = jedis.pipelined();
      List<Response<String>> versions = new ArrayList<>();
      for (String id : ids) {
        versions.add(reads.hget(pipeline.latest(id), "version"));
      }
      reads.sync();
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        if (!expected.get(id).equals(versions.get(i).get())) {
          throw new InvalidRunException(
              "id "
                  + id
                  + ": the pipeline's latest version is "
                  + versions.get(i).get()
                  + ", the plain loop's "
                  + expected.get(id));
        }
      }
      totals = pipelineTotals.toString();
    }
    Map<String, String> pipelineComputed =
        lastValues(drained, drained.topic(RevenueDefinition.COMPUTED));
    Map<String, String> plainComputed = lastValues(drained, plainLoop.get(0).topic());
    requireEqual("the last computed state per key", pipelineComputed, plainComputed);
    return String.format(
        Locale.ROOT,
        "its Redis state equals the pipeline's (totals %s, the top ids, the latest version of each of"
            + " %,d ids), and so does the last computed state of each of %,d keys",
        totals,
        expected.size(),
        pipelineComputed.size());
  }

  private static void requireEqual(String what, Object pipeline, Object plainLoop) {
    if (!pipeline.equals(plainLoop)) {
      String pipelineText = pipeline.toString();
      String plainText = plainLoop.toString();
      throw new InvalidRunException(
          what
              + " differ: the pipeline's "
              + pipelineText.substring(0, Math.min(500, pipelineText.length()))
              + ", the plain loop's "
              + plainText.substring(0, Math.min(500, plainText.length())));
    }
  }

  private static Map<String, String> lastValues(BenchTarget target, String topic) {
    Map<String, String> last = new HashMap<>();
    try {
      for (ConsumerRecord<byte[], byte[]> record :
          TopicRecords.read(target.kafka(), topic, READ_TIMEOUT)) {
        last.put(
            new String(record.key(), StandardCharsets.UTF_8),
            new String(record.value(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + topic, e);
    }
    return last;
  }

  /** The query's results, heard as the script announces them. */
  static final class Announced implements RealTimeResults {
    @Override
    public String unit() {
      return "updates";
    }

    @Override
    public BenchRecord marker(String runId, String name, int partition) {
      String id = LatestStateWatch.markerPrefix(runId, name) + partition;
      return new BenchRecord(
          id, RevenueCodec.encode(new RevenueRecord(id, false, 0, 0, System.currentTimeMillis())));
    }

    @Override
    public RealTimeResults.Watch watch(BenchTarget target) {
      return new LatestStateWatch(target);
    }
  }
}
