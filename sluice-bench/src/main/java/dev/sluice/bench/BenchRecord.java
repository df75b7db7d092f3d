package dev.sluice.bench;

/**
 * A record a benchmark loads into Kafka.
 *
 * @param key the record's key, or {@code null}
 * @param value the record's value, as the pipeline reads it
 */
public record BenchRecord(String key, byte[] value) {}
