package dev.sluice.server.reviews;

import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.reviews.ReviewsQueries.AccuracyPoint;
import dev.sluice.server.reviews.ReviewsQueries.Prediction;
import dev.sluice.server.reviews.ReviewsQueries.WordCount;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reviews dashboard's live state: the top words, the newest predictions and the accuracy curve,
 * as of the last committed batch. A change carries only the new predictions and accuracy points
 * (and the whole top words, which any batch may reorder), so the bytes sent per batch do not grow
 * with the history.
 */
final class ReviewsLiveFeed implements LiveFeed {
  static final int WORDS = 100;
  static final int PREDICTIONS = 100;
  static final int ACCURACY_POINTS = 1000;

  /** The whole state, sent as the {@code snapshot} event. */
  record View(
      long lastBatchId,
      List<WordCount> words,
      List<Prediction> predictions,
      List<AccuracyPoint> accuracy) {}

  /**
   * What some batches changed, sent as the {@code batch} event: {@code predictions} (newest first)
   * and {@code accuracy} (oldest first) hold only the new rows; {@code words} is whole.
   */
  record Change(
      long lastBatchId,
      List<WordCount> words,
      List<Prediction> predictions,
      List<AccuracyPoint> accuracy) {}

  private View view = new View(-1, List.of(), List.of(), List.of());

  @Override
  public View load(Connection c) throws SQLException {
    long last = ReviewsQueries.lastCommittedBatch(c);
    view =
        new View(
            last,
            ReviewsQueries.topWords(c, WORDS),
            ReviewsQueries.latestPredictions(c, -1, last, PREDICTIONS),
            ReviewsQueries.accuracySince(c, -1, last, ACCURACY_POINTS));
    return view;
  }

  @Override
  public Optional<Object> changes(Connection c) throws SQLException {
    long last = ReviewsQueries.lastCommittedBatch(c);
    if (last < view.lastBatchId()) {
      return Optional.empty(); // the tables were reset: start over
    }
    Change change =
        new Change(
            last,
            ReviewsQueries.topWords(c, WORDS),
            ReviewsQueries.latestPredictions(c, view.lastBatchId(), last, PREDICTIONS),
            ReviewsQueries.accuracySince(c, view.lastBatchId(), last, ACCURACY_POINTS));
    view = apply(view, change);
    return Optional.of(change);
  }

  @Override
  public View snapshot() {
    return view;
  }

  /** The state after a change: new predictions in front, new accuracy points at the end. */
  static View apply(View view, Change change) {
    List<Prediction> predictions = new ArrayList<>(PREDICTIONS);
    for (List<Prediction> rows : List.of(change.predictions(), view.predictions())) {
      for (Prediction p : rows) {
        if (predictions.size() == PREDICTIONS) {
          break;
        }
        predictions.add(p);
      }
    }
    List<AccuracyPoint> points = new ArrayList<>(view.accuracy());
    points.addAll(change.accuracy());
    return new View(
        change.lastBatchId(),
        List.copyOf(change.words()),
        List.copyOf(predictions),
        List.copyOf(points.subList(Math.max(0, points.size() - ACCURACY_POINTS), points.size())));
  }
}
