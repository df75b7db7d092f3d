package dev.sluice.spark.security;

import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.detect.Finding;
import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.Inspector;
import dev.sluice.spark.stream.RecordDecoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The injection query's decoder: a sensor event ({@link SensorEventCodec}) decoded and inspected in
 * one pass, so the inspector reads the event as the codec made it (headers in order, payload as
 * text) instead of a Spark row converted back. Its fields are the event's who and when and its
 * findings as four arrays of the same length (class, rule, field, excerpt), empty when the event is
 * clean.
 */
public final class InjectionInspection implements RecordDecoder {
  static final StructType FIELDS =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("ts", DataTypes.LongType)
          .add("src", DataTypes.StringType)
          .add("dst", DataTypes.StringType)
          .add("classes", DataTypes.createArrayType(DataTypes.StringType, false))
          .add("rules", DataTypes.createArrayType(DataTypes.StringType, false))
          .add("fields", DataTypes.createArrayType(DataTypes.StringType, false))
          .add("excerpts", DataTypes.createArrayType(DataTypes.StringType, false));

  @Override
  public StructType schema() {
    return FIELDS;
  }

  @Override
  public Decoded decode(byte[] value, String topic, int partition, long offset) {
    SensorEventCodec.Decoded decoded = SensorEventCodec.decode(value);
    if (!decoded.ok()) {
      return Decoded.rejected(decoded.reason());
    }
    SensorEvent event = decoded.event();
    List<Finding> findings = inspect(event, Detectors.inspector());
    List<String> classes = new ArrayList<>(findings.size());
    List<String> rules = new ArrayList<>(findings.size());
    List<String> fields = new ArrayList<>(findings.size());
    List<String> excerpts = new ArrayList<>(findings.size());
    for (Finding finding : findings) {
      classes.add(finding.kind());
      rules.add(finding.rule());
      fields.add(finding.field());
      excerpts.add(finding.excerpt());
    }
    return Decoded.of(
        event.id(), event.ts(), event.src(), event.dst(), classes, rules, fields, excerpts);
  }

  /**
   * What the query finds in one event, also for code that inspects without Spark (the benchmark's
   * plain loop). A network sensor's event carries no request: nothing to inspect.
   */
  public static List<Finding> inspect(SensorEvent event, Inspector inspector) {
    if (event.path() == null && event.headers() == null && event.payload() == null) {
      return List.of();
    }
    return inspector.inspect(
        new HttpEvent(event.method(), event.path(), event.headers(), event.payload()));
  }
}
