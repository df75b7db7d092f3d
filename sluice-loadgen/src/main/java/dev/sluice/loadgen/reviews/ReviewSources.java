package dev.sluice.loadgen.reviews;

import dev.sluice.core.reviews.HeldOut;
import dev.sluice.core.reviews.Review;
import dev.sluice.loadgen.DatasetException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The sources the replayer reads: the IMDB dataset, a reviews file, or reviews in memory. */
public final class ReviewSources {
  /**
   * Bad lines printed per file; the rest are only counted, so a wrong file cannot flood the
   * console.
   */
  static final int MAX_REPORTED_LINES = 20;

  private ReviewSources() {}

  /** Reviews held in memory. */
  public static ReviewSource of(String description, List<Review> reviews) {
    List<Review> copy = List.copyOf(reviews);
    return new ReviewSource() {
      @Override
      public Stream<Review> pass() {
        return copy.stream();
      }

      @Override
      public OptionalLong size() {
        return OptionalLong.of(copy.size());
      }

      @Override
      public String description() {
        return description;
      }
    };
  }

  /**
   * The IMDB reviews, fetched on first use into {@code datasetsDir}, held in memory (about 70 MB
   * for all of them). By default only the held-out 20% ({@link HeldOut}), which the sentiment model
   * never trains on, so the live accuracy measures unseen reviews.
   *
   * @param all every review instead of the held-out ones
   */
  public static ReviewSource imdb(Path datasetsDir, boolean all) {
    return imdbFile(ImdbDataset.ensure(datasetsDir), all);
  }

  /** Like {@link #imdb}, from a dataset file that {@link ImdbDataset#ensure} made. */
  public static ReviewSource imdbFile(Path file, boolean all) {
    List<Review> reviews =
        new ArrayList<>(all ? ImdbDataset.EXPECTED_REVIEWS : ImdbDataset.EXPECTED_REVIEWS / 4);
    try (ReviewFileReader reader = ReviewFileReader.openWireFormat(file)) {
      for (ReviewFileReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (!line.converted().ok()) {
          throw new DatasetException(
              file
                  + ":"
                  + line.number()
                  + ": "
                  + line.converted().problem()
                  + "; delete the file to fetch it again");
        }
        Review review = line.converted().review();
        if (all || HeldOut.isHeldOut(review.id())) {
          reviews.add(review);
        }
      }
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return of(all ? "IMDB reviews" : "IMDB held-out reviews", reviews);
  }

  /**
   * The reviews of a JSON-lines file in any format {@link ReviewFormats} knows, read anew on every
   * pass so files of any size work. Bad lines are reported to {@code problems} as {@code
   * <file>:<line>: <problem>} on the first pass, counted in {@link ReviewSource#skipped()}, and
   * skipped.
   */
  public static ReviewSource file(Path file, PrintStream problems) {
    return new FileSource(file, problems);
  }

  private static final class FileSource implements ReviewSource {
    private final Path file;
    private final PrintStream problems;
    private final AtomicLong skipped = new AtomicLong();
    private long passes;

    FileSource(Path file, PrintStream problems) {
      this.file = file;
      this.problems = problems;
    }

    @Override
    public Stream<Review> pass() {
      boolean first = passes++ == 0;
      ReviewFileReader reader;
      try {
        reader = ReviewFileReader.open(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      Iterator<Review> reviews =
          new Iterator<>() {
            private Review next;

            @Override
            public boolean hasNext() {
              while (next == null) {
                ReviewFileReader.Line line;
                try {
                  line = reader.next();
                } catch (IOException e) {
                  throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
                if (line == null) {
                  return false;
                }
                if (line.converted().ok()) {
                  next = line.converted().review();
                } else if (first) {
                  long count = skipped.incrementAndGet();
                  if (count <= MAX_REPORTED_LINES) {
                    problems.println(
                        file + ":" + line.number() + ": " + line.converted().problem());
                  } else if (count == MAX_REPORTED_LINES + 1) {
                    problems.println(file + ": more bad lines; they are counted but not shown");
                  }
                }
              }
              return true;
            }

            @Override
            public Review next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              Review review = next;
              next = null;
              return review;
            }
          };
      return StreamSupport.stream(
              Spliterators.spliteratorUnknownSize(reviews, Spliterator.ORDERED), false)
          .onClose(
              () -> {
                try {
                  reader.close();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }

    @Override
    public OptionalLong size() {
      return OptionalLong.empty();
    }

    @Override
    public String description() {
      return "reviews from " + file;
    }

    @Override
    public long skipped() {
      return skipped.get();
    }
  }
}
