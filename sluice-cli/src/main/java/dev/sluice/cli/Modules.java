package dev.sluice.cli;

/** Which module and main class each part of Sluice runs as. */
enum Modules {
  INFRA("sluice-infra", "dev.sluice.infra.InfraMain", "-Xmx1g"),
  DATASET("sluice-loadgen", "dev.sluice.loadgen.reviews.DatasetMain", "-Xmx1g"),
  PRODUCE("sluice-loadgen", "dev.sluice.loadgen.ProduceMain", "-Xmx1g"),
  CONSUME("sluice-loadgen", "dev.sluice.loadgen.consume.ConsumeMain", "-Xmx512m"),
  IMPORT("sluice-loadgen", "dev.sluice.loadgen.packets.ImportMain", "-Xmx512m"),
  CAPTURE("sluice-loadgen", "dev.sluice.loadgen.packets.CaptureMain", "-Xmx512m"),
  TRAIN("sluice-spark", "dev.sluice.spark.TrainMain", "-Xmx6g"),
  PIPELINE("sluice-spark", "dev.sluice.spark.PipelineMain", "-Xmx2g"),
  TRAFFIC_BATCH("sluice-spark", "dev.sluice.spark.security.TrafficBatch", "-Xmx2g"),
  SERVER("sluice-server", "dev.sluice.server.ServerMain", "-Xmx1g"),
  PIPELINE_BENCH("sluice-bench", "dev.sluice.bench.BenchMain", "-Xmx6g"),
  API_BENCH("sluice-bench", "dev.sluice.bench.api.ApiBench", "-Xmx2g"),
  DETECTORS_BENCH("sluice-bench", "dev.sluice.bench.detect.DetectorsBench", "-Xmx1g"),
  SECURITY_EVAL("sluice-bench", "dev.sluice.bench.security.SecurityEvaluation", "-Xmx3g");

  final String module;
  final String mainClass;
  final String heap;

  Modules(String module, String mainClass, String heap) {
    this.module = module;
    this.mainClass = mainClass;
    this.heap = heap;
  }
}
