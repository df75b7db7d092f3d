package dev.sluice.cli;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.SluiceModules;
import dev.sluice.core.reviews.SentimentModels;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The commands that run one module in the foreground, on the platform they need. */
final class Commands {
  /** What {@code bench} measures besides the pipelines: the API server... */
  static final String API = "api";

  /** ...and the security pipeline's detectors, per payload, with JMH. */
  static final String DETECTORS = "detectors";

  private final SluiceConfig config;
  private final SluiceModules modules;

  Commands(SluiceConfig config, SluiceModules modules) {
    this.config = config;
    this.modules = modules;
  }

  int infra(List<String> args) {
    if (!args.isEmpty()) {
      throw new ConfigException("infra takes no arguments, got " + args);
    }
    Platform.runningInfra(config.home())
        .ifPresent(
            running -> {
              throw new IllegalStateException(
                  "an embedded platform already runs for "
                      + config.home()
                      + " (pid "
                      + running.get("SLUICE_INFRA_PID")
                      + "); other commands use it, or stop it first");
            });
    try (Session session = new Session()) {
      return foreground(
          session,
          Modules.INFRA,
          Map.of(SluiceConfig.HOME.env(), config.home().toAbsolutePath().toString()),
          args);
    }
  }

  /** Help needs no platform, dataset or model: the module prints its own usage. */
  static boolean wantsHelp(List<String> args) {
    return args.contains("--help") || args.contains("-h");
  }

  private int help(Modules module, List<String> args) {
    try (Session session = new Session()) {
      return foreground(session, module, homeEnv(), args);
    }
  }

  /** {@code run <pipeline>... [flags]}: the pipelines are checked here, before anything starts. */
  int run(List<String> args) {
    if (wantsHelp(args)) {
      return help(Modules.PIPELINE, args);
    }
    List<PipelineDefinition> pipelines = pipelinesNamedIn(args, "run");
    try (Session session = new Session()) {
      Platform platform = session.add(Platform.resolve(config, modules));
      if (pipelines.stream().anyMatch(PipelineDefinition::needsSentimentModel)) {
        requireModel();
      }
      return foreground(session, Modules.PIPELINE, platform.env(), args);
    }
  }

  /** {@code produce <pipeline> [flags]}: the pipeline's producer checks its own flags and data. */
  int produce(List<String> args) {
    if (wantsHelp(args)) {
      return help(Modules.PRODUCE, args);
    }
    if (args.isEmpty() || args.get(0).startsWith("-")) {
      throw new ConfigException(
          "'produce' needs what to produce, e.g. ./sluice produce reviews, ./sluice produce"
              + " sensors");
    }
    Pipelines.registered().requireProducer(args.get(0));
    try (Session session = new Session()) {
      Platform platform = session.add(Platform.resolve(config, modules));
      return foreground(session, Modules.PRODUCE, platform.env(), args);
    }
  }

  /**
   * {@code consume TOPIC [flags]}: prints a topic of the running platform (or of {@code
   * SLUICE_KAFKA}). It never starts a platform: a fresh one would hold no records to print.
   */
  int consume(List<String> args) {
    if (wantsHelp(args)) {
      return help(Modules.CONSUME, args);
    }
    Map<String, String> env = new java.util.LinkedHashMap<>(homeEnv());
    if (config.kafka().isPresent()) {
      env.put(SluiceConfig.KAFKA.env(), config.kafka().get());
    } else {
      Map<String, String> running =
          Platform.runningInfra(config.home())
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "'consume' reads the running platform's Kafka, and none runs for "
                              + config.home()
                              + ": start ./sluice demo or ./sluice infra first, or set "
                              + SluiceConfig.KAFKA.env()));
      env.put(SluiceConfig.KAFKA.env(), running.get(SluiceConfig.KAFKA.env()));
    }
    try (Session session = new Session()) {
      return foreground(session, Modules.CONSUME, env, args);
    }
  }

  /**
   * {@code import FILE... | import --watch DIR}: packet captures into Kafka. The files and flags
   * are checked by the import itself, before it sends anything.
   */
  int importCaptures(List<String> args) {
    return packets(Modules.IMPORT, args);
  }

  /** {@code capture --iface IF [--filter EXPR] [--duration S]}: a live capture into Kafka. */
  int capture(List<String> args) {
    return packets(Modules.CAPTURE, args);
  }

  private int packets(Modules module, List<String> args) {
    if (wantsHelp(args)) {
      return help(module, args);
    }
    try (Session session = new Session()) {
      Platform platform = session.add(Platform.resolve(config, modules));
      return foreground(session, module, platform.env(), args);
    }
  }

  /** The registered pipelines named before the first flag; at least one. */
  static List<PipelineDefinition> pipelinesNamedIn(List<String> args, String command) {
    Pipelines registry = Pipelines.registered();
    List<String> names = args.stream().takeWhile(arg -> !arg.startsWith("-")).toList();
    if (names.isEmpty()) {
      throw new ConfigException(
          "'"
              + command
              + "' needs a pipeline's name, one of "
              + String.join(", ", registry.names())
              + ", e.g. ./sluice "
              + command
              + " "
              + registry.names().get(0));
    }
    return registry.requireAll(names);
  }

  int train(List<String> args) {
    if (wantsHelp(args)) {
      return help(Modules.TRAIN, args);
    }
    try (Session session = new Session()) {
      if (!args.contains("--input") && args.stream().noneMatch(a -> a.startsWith("--input="))) {
        ensureDataset(session);
      }
      return foreground(session, Modules.TRAIN, homeEnv(), args);
    }
  }

  int dataset(List<String> args) {
    try (Session session = new Session()) {
      return foreground(session, Modules.DATASET, homeEnv(), args);
    }
  }

  int server(List<String> args) {
    try (Session session = new Session()) {
      Platform platform = session.add(Platform.resolve(config, modules));
      return foreground(session, Modules.SERVER, platform.env(), args);
    }
  }

  /**
   * {@code bench <pipeline> [flags]} for every registered pipeline with a benchmark part, {@code
   * bench api [flags]} or {@code bench detectors [flags]}.
   */
  int bench(List<String> args) {
    if (!args.isEmpty() && args.get(0).equals(DETECTORS)) {
      return benchDetectors(args.subList(1, args.size()));
    }
    Optional<PipelineDefinition> pipeline = benchedPipeline(Pipelines.registered(), args);
    Modules bench = pipeline.isPresent() ? Modules.PIPELINE_BENCH : Modules.API_BENCH;
    // The pipelines' harness takes the pipeline's name first; the API bench takes only options.
    List<String> benchArgs = pipeline.isPresent() ? args : args.subList(1, args.size());
    if (wantsHelp(args)) {
      return help(bench, benchArgs);
    }
    try (Session session = new Session()) {
      if (pipeline.isPresent() && pipeline.get().needsSentimentModel()) {
        ensureDataset(session);
        ensureModel(session);
      }
      Platform platform = session.add(Platform.resolve(config, modules));
      return foreground(session, bench, platform.env(), benchArgs);
    }
  }

  /** The detectors run in the benchmark's own JVMs: no Kafka or database, only the IMDB reviews. */
  private int benchDetectors(List<String> benchArgs) {
    if (wantsHelp(benchArgs)) {
      return help(Modules.DETECTORS_BENCH, benchArgs);
    }
    try (Session session = new Session()) {
      ensureDataset(session);
      return foreground(session, Modules.DETECTORS_BENCH, homeEnv(), benchArgs);
    }
  }

  /** {@code batch traffic DIR [--zone Z]}: the security pipeline's traffic tables over captures. */
  int batch(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("traffic")) {
      throw new ConfigException(
          "'batch' runs a bounded job: ./sluice batch traffic DIR (traffic per minute over the"
              + " capture files in DIR)");
    }
    try (Session session = new Session()) {
      Platform platform = session.add(Platform.resolve(config, modules));
      return foreground(
          session, Modules.TRAFFIC_BATCH, platform.env(), args.subList(1, args.size()));
    }
  }

  /**
   * {@code eval security [--attacks FILE --class C]... [--benign FILE]...}: the security pipeline's
   * detection, end to end, on the embedded platform (or the configured one).
   */
  int eval(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("security")) {
      throw new ConfigException(
          "'eval' evaluates the security pipeline's detection: ./sluice eval security [--attacks"
              + " FILE --class CLASS]... [--benign FILE]...");
    }
    List<String> evalArgs = args.subList(1, args.size());
    try (Session session = new Session()) {
      if (evalArgs.isEmpty()) {
        ensureDataset(session);
      }
      Platform platform = session.add(Platform.resolve(config, modules));
      return foreground(session, Modules.SECURITY_EVAL, platform.env(), evalArgs);
    }
  }

  /**
   * The pipeline {@code bench} measures, or empty for the API bench; a {@link ConfigException}
   * listing the choices, read from the registry, for anything else.
   */
  static Optional<PipelineDefinition> benchedPipeline(Pipelines registry, List<String> args) {
    String what = args.isEmpty() ? "" : args.get(0);
    if (what.equals(API)) {
      return Optional.empty();
    }
    Optional<PipelineDefinition> pipeline = registry.find(what);
    if (pipeline.isPresent() && pipeline.get().benchmark().isPresent()) {
      return pipeline;
    }
    List<String> benchmarked =
        registry.all().stream()
            .filter(definition -> definition.benchmark().isPresent())
            .map(PipelineDefinition::name)
            .toList();
    String choices =
        "expected a pipeline with a benchmark ("
            + (benchmarked.isEmpty() ? "none registered" : String.join(", ", benchmarked))
            + ") or '"
            + API
            + "' or '"
            + DETECTORS
            + "', e.g. ./sluice bench "
            + (benchmarked.isEmpty() ? API : benchmarked.get(0));
    throw new ConfigException(
        pipeline.isPresent()
            ? "pipeline '" + what + "' has no benchmark part: " + choices
            : "bench needs what to measure: " + choices);
  }

  /** Fetches the IMDB reviews on first use; progress shows on the terminal. */
  void ensureDataset(Session session) {
    if (java.nio.file.Files.isRegularFile(config.datasets().resolve("imdb.jsonl"))) {
      return;
    }
    ProcessBuilder builder = java(Modules.DATASET, List.of());
    builder.environment().putAll(homeEnv());
    builder
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    int code = waitFor(session, ChildProcess.of("dataset", builder).start());
    if (code != 0) {
      throw new IllegalStateException("the IMDB dataset could not be prepared (see above)");
    }
  }

  /** Trains the default model when there is none yet; its metrics go to the terminal. */
  void ensureModel(Session session) {
    if (SentimentModels.newest(config.models()).isPresent()) {
      return;
    }
    Console.info("no sentiment model yet: training one on the IMDB reviews (about a minute)");
    ProcessBuilder builder = java(Modules.TRAIN, List.of());
    builder.environment().putAll(homeEnv());
    builder
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(
            ProcessBuilder.Redirect.appendTo(Platform.logFile(config, "train").toFile()));
    int code = waitFor(session, ChildProcess.of("train", builder).start());
    if (code != 0) {
      throw new IllegalStateException("training failed; see " + Platform.logFile(config, "train"));
    }
  }

  private void requireModel() {
    if (SentimentModels.newest(config.models()).isEmpty()) {
      throw new ConfigException(
          "no sentiment model under "
              + SentimentModels.root(config.models())
              + ": train one with './sluice train'");
    }
  }

  Map<String, String> homeEnv() {
    return Map.of(SluiceConfig.HOME.env(), config.home().toAbsolutePath().toString());
  }

  /**
   * A module's process. Settings and secrets travel in its environment, never in its arguments
   * (which every user of the machine can read in the process list); the API token only to the
   * server, the one process that needs it.
   */
  ProcessBuilder java(Modules module, List<String> args) {
    return withTokenOnlyForTheServer(
        module, modules.java(module.module, module.mainClass, List.of(module.heap), args));
  }

  static ProcessBuilder withTokenOnlyForTheServer(Modules module, ProcessBuilder builder) {
    if (module != Modules.SERVER) {
      builder.environment().remove(SluiceConfig.API_TOKEN.env());
    }
    return builder;
  }

  private int foreground(
      Session session, Modules module, Map<String, String> env, List<String> args) {
    ChildProcess child =
        ChildProcess.inheritingIo(module.name().toLowerCase(Locale.ROOT), java(module, args), env);
    return waitFor(session, child.start());
  }

  private static int waitFor(Session session, ChildProcess child) {
    session.add(child, 30);
    try {
      return child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
