package dev.sluice.loadgen.reviews;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.Pacer;
import dev.sluice.loadgen.TrackedSends;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Sends reviews to a Kafka topic at a steady rate, up to a count: the review id is the record key
 * and {@link ReviewCodec#encode} the value. When the count exceeds the source, the source is
 * replayed from the start, and from the second pass on each id gets the pass number as a suffix
 * ({@code imdb-123~2}) so every event is a new review.
 *
 * <p>One replayer is one run: create it, call {@link #replay} once; {@link #stop} (from another
 * thread, e.g. a shutdown hook) ends the run early after waiting for what was sent. The counters
 * can be read from any thread while it runs.
 *
 * <pre>{@code
 * try (KafkaProducer<String, byte[]> producer = ReviewReplayer.bulkProducer(bootstrap)) {
 *   ReviewReplayer.Result result =
 *       new ReviewReplayer(producer, "reviews").replay(source, OptionalLong.of(1_000_000), 0);
 * }
 * }</pre>
 */
public final class ReviewReplayer {
  /**
   * Sources up to this size keep their first pass encoded for later passes (130 MB for IMDB-sized
   * reviews).
   */
  static final long MAX_CACHED_REVIEWS = 100_000;

  private static final byte[] ID_PREFIX = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

  private final TrackedSends sends;
  private final String topic;

  public ReviewReplayer(Producer<String, byte[]> producer, String topic) {
    this.sends = new TrackedSends(producer);
    this.topic = topic;
  }

  /**
   * The outcome of a run.
   *
   * @param sent reviews the broker acknowledged
   * @param failed reviews whose send failed
   * @param skipped input lines rejected by the source
   * @param elapsed from the first send to the last acknowledgement
   * @param stopped whether {@link #stop} ended the run early
   * @param exhausted whether the run ended because the source had no reviews at all
   * @param firstFailure why the first failed send failed, or {@code null}
   */
  public record Result(
      long sent,
      long failed,
      long skipped,
      Duration elapsed,
      boolean stopped,
      boolean exhausted,
      String firstFailure) {
    public double perSecond() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds <= 0 ? 0 : sent / seconds;
    }
  }

  /** Producer settings for loading a fresh topic as fast as possible. */
  public static Properties bulkProducerProperties(String bootstrapServers) {
    return ReliableProducer.bulkProperties(bootstrapServers, "sluice-bulk-load");
  }

  public static KafkaProducer<String, byte[]> bulkProducer(String bootstrapServers) {
    return new KafkaProducer<>(bulkProducerProperties(bootstrapServers));
  }

  /**
   * Sends reviews until {@code count} were sent (or one pass when empty), {@link #stop} is called,
   * or {@value TrackedSends#MAX_FAILURES} sends failed; then waits for the outstanding
   * acknowledgements (at most {@link TrackedSends#COMPLETION_TIMEOUT}; reviews still unanswered
   * then count as failed). Close the producer afterwards with a timeout.
   *
   * @param perSecond reviews per second, 0 for as fast as the producer takes them
   */
  public Result replay(ReviewSource source, OptionalLong count, long perSecond) {
    Pacer pacer = Pacer.perSecond(perSecond);
    long limit = count.orElse(Long.MAX_VALUE);
    boolean onePass = count.isEmpty();
    // Later passes reuse the first pass's JSON with the suffix spliced into the id: encoding is a
    // third of the CPU time of a bulk load otherwise.
    List<byte[]> firstPassJson =
        !onePass
                && limit > source.size().orElse(Long.MAX_VALUE)
                && source.size().getAsLong() <= MAX_CACHED_REVIEWS
            ? new ArrayList<>()
            : null;
    long startNanos = System.nanoTime();
    boolean exhausted = false;
    int pass = 1;
    try {
      while (sends.attempted() < limit && !sends.shouldEnd()) {
        long sentBefore = sends.attempted();
        try (Stream<Review> reviews = source.pass()) {
          Iterator<Review> iterator = reviews.iterator();
          int index = 0;
          while (sends.attempted() < limit && !sends.shouldEnd() && iterator.hasNext()) {
            Review review = iterator.next();
            pacer.acquire();
            String id = pass == 1 || review.id() == null ? review.id() : review.id() + "~" + pass;
            send(id, json(review, pass, index++, firstPassJson));
          }
        }
        if (sends.attempted() == sentBefore && !sends.shouldEnd()) {
          exhausted = true;
          break;
        }
        if (onePass) {
          break;
        }
        pass++;
      }
    } finally {
      sends.awaitOutcomes("reviews");
    }
    return new Result(
        sends.acknowledged(),
        sends.failed(),
        source.skipped(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        sends.stopRequested(),
        exhausted,
        sends.firstFailure());
  }

  /**
   * The record value of a review in a pass; {@code null} when its id is too long for the suffix.
   */
  private static byte[] json(Review review, int pass, int index, List<byte[]> firstPassJson) {
    if (pass == 1) {
      byte[] json = ReviewCodec.encode(review);
      if (firstPassJson != null) {
        firstPassJson.add(json);
      }
      return json;
    }
    if (review.id() == null) {
      return firstPassJson != null && index < firstPassJson.size()
          ? firstPassJson.get(index)
          : ReviewCodec.encode(review);
    }
    String suffix = "~" + pass;
    if (review.id().length() + suffix.length() > Review.MAX_ID_CHARS) {
      return null;
    }
    if (firstPassJson != null && index < firstPassJson.size()) {
      return withIdSuffix(firstPassJson.get(index), suffix);
    }
    return ReviewCodec.encode(review.withId(review.id() + suffix));
  }

  /**
   * Appends an ASCII suffix to the id of an encoded review, which {@link ReviewCodec#encode} always
   * writes first: {@code {"id":"<escaped id>",...}}. A review replayed under a new id costs a copy
   * instead of encoding it again.
   */
  public static byte[] withIdSuffix(byte[] json, String suffix) {
    int start = ID_PREFIX.length;
    if (json.length <= start || !java.util.Arrays.equals(json, 0, start, ID_PREFIX, 0, start)) {
      throw new IllegalArgumentException("not an encoded review with an id");
    }
    int end = start;
    while (json[end] != '"') {
      end += json[end] == '\\' ? 2 : 1;
    }
    byte[] suffixBytes = suffix.getBytes(StandardCharsets.US_ASCII);
    byte[] result = new byte[json.length + suffixBytes.length];
    System.arraycopy(json, 0, result, 0, end);
    System.arraycopy(suffixBytes, 0, result, end, suffixBytes.length);
    System.arraycopy(json, end, result, end + suffixBytes.length, json.length - end);
    return result;
  }

  private void send(String id, byte[] json) {
    if (json == null) {
      sends.refused(
          new IllegalArgumentException(
              "id "
                  + id.substring(0, 40)
                  + "... is too long for the pass suffix: replayed reviews need ids of at most "
                  + (Review.MAX_ID_CHARS - 8)
                  + " characters"));
      return;
    }
    sends.send(topic, id, json);
  }

  /**
   * Ends the run after the review being sent; {@link #replay} then awaits acknowledgements and
   * returns.
   */
  public void stop() {
    sends.stop();
  }

  /** Reviews handed to the producer so far. */
  public long attempted() {
    return sends.attempted();
  }

  /** Reviews the broker acknowledged so far. */
  public long acknowledged() {
    return sends.acknowledged();
  }

  public long failed() {
    return sends.failed();
  }
}
