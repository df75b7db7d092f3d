package dev.sluice.server.live;

import dev.sluice.server.ReadQueries.AccuracyPoint;
import dev.sluice.server.ReadQueries.PipelineStatus;
import dev.sluice.server.ReadQueries.Prediction;
import dev.sluice.server.ReadQueries.WordCount;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dashboard shows, kept by the server so a new client starts from it and every update is
 * computed once for all clients. Owned by the listener thread; {@link Snapshot}s are immutable.
 */
final class LiveState {
  static final int WORDS = 100;
  static final int PREDICTIONS = 100;
  static final int ACCURACY_POINTS = 1000;

  /** One committed micro-batch as announced by its pipeline. */
  record BatchRef(String pipeline, Long batchId) {}

  /** The whole state, sent as the {@code snapshot} event. */
  record Snapshot(
      List<BatchRef> batches,
      long lastBatchId,
      List<WordCount> words,
      List<Prediction> predictions,
      List<AccuracyPoint> accuracy,
      List<PipelineStatus> pipelines,
      String now) {}

  /**
   * What changed with some batches, sent as the {@code batch} event: {@code predictions} and {@code
   * accuracy} hold only the new rows; {@code words} and {@code pipelines} are whole.
   */
  record BatchUpdate(
      List<BatchRef> batches,
      long lastBatchId,
      List<WordCount> words,
      List<Prediction> predictions,
      List<AccuracyPoint> accuracy,
      List<PipelineStatus> pipelines,
      String now) {}

  /** A change of pipeline status between batches, sent as the {@code pipelines} event. */
  record PipelinesUpdate(List<PipelineStatus> pipelines, String now) {}

  private long lastBatchId = -1;
  private List<WordCount> words = List.of();
  private List<Prediction> predictions = List.of();
  private List<AccuracyPoint> accuracy = List.of();
  private List<PipelineStatus> pipelines = List.of();

  long lastBatchId() {
    return lastBatchId;
  }

  List<PipelineStatus> pipelines() {
    return pipelines;
  }

  void reset(
      long lastBatch,
      List<WordCount> words,
      List<Prediction> predictions,
      List<AccuracyPoint> accuracy,
      List<PipelineStatus> pipelines) {
    this.lastBatchId = lastBatch;
    this.words = List.copyOf(words);
    this.predictions = List.copyOf(predictions);
    this.accuracy = List.copyOf(accuracy);
    this.pipelines = List.copyOf(pipelines);
  }

  /**
   * Applies the rows of newly committed batches (predictions newest first, accuracy oldest first).
   */
  void apply(BatchUpdate update) {
    lastBatchId = update.lastBatchId();
    words = List.copyOf(update.words());
    pipelines = List.copyOf(update.pipelines());
    List<Prediction> merged = new ArrayList<>(PREDICTIONS);
    for (Prediction p : update.predictions()) {
      if (merged.size() == PREDICTIONS) {
        break;
      }
      merged.add(p);
    }
    for (Prediction p : predictions) {
      if (merged.size() == PREDICTIONS) {
        break;
      }
      merged.add(p);
    }
    predictions = List.copyOf(merged);
    List<AccuracyPoint> points = new ArrayList<>(accuracy);
    points.addAll(update.accuracy());
    accuracy =
        List.copyOf(points.subList(Math.max(0, points.size() - ACCURACY_POINTS), points.size()));
  }

  void pipelines(List<PipelineStatus> newPipelines) {
    pipelines = List.copyOf(newPipelines);
  }

  Snapshot snapshot(String now) {
    return new Snapshot(List.of(), lastBatchId, words, predictions, accuracy, pipelines, now);
  }
}
