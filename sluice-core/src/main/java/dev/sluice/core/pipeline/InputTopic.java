package dev.sluice.core.pipeline;

import dev.sluice.core.config.Parser;
import dev.sluice.core.config.Setting;
import java.util.Locale;

/**
 * A Kafka topic a pipeline reads, with the setting that sizes it when Sluice creates it.
 *
 * @param name the topic's name
 * @param partitions the setting (an environment variable) for its partition count, with its default
 */
public record InputTopic(String name, Setting<Integer> partitions) {
  /** Topic names Kafka accepts. */
  public static final String NAME_PATTERN = "[a-zA-Z0-9._-]{1,249}";

  /** Reads a topic name given as a flag or setting; its message states Kafka's rule. */
  public static Parser<String> nameParser() {
    return Parser.matching("a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)", NAME_PATTERN);
  }

  public InputTopic {
    if (!name.matches(NAME_PATTERN)) {
      throw new IllegalArgumentException("not a Kafka topic name: '" + name + "'");
    }
  }

  /**
   * A topic whose partition count is set by {@code SLUICE_<NAME>_PARTITIONS} (the name in upper
   * case, other characters as underscores), {@code defaultPartitions} unless set.
   */
  public static InputTopic of(String name, int defaultPartitions) {
    String env =
        "SLUICE_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PARTITIONS";
    return new InputTopic(
        name,
        Setting.of(
            env,
            Parser.intBetween(1, 1000),
            Integer.toString(defaultPartitions),
            "Partitions of topic '" + name + "' when Sluice creates it."));
  }
}
