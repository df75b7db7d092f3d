package dev.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whatever the environment holds, a process either starts with valid settings or stops with one
 * ConfigException listing every bad value; each parser either gives a value or rejects the text.
 */
class SluiceConfigFuzzTest {

  @FuzzTest
  @DictionaryEntries({
    "jdbc:postgresql://",
    "localhost:9092",
    ",",
    "local[",
    "]",
    "*",
    "spark://",
    "k8s://",
    "redis://",
    "rediss://",
    "@",
    "65535",
    "0",
    "-1",
    "9223372036854775807",
    " "
  })
  void readsEveryValueOrReportsEveryProblemInOneConfigException(FuzzedDataProvider data) {
    List<Setting<?>> settings = new ArrayList<>(SluiceConfig.ALL);
    settings.addAll(SluiceConfig.pipelineSettings());
    Map<String, String> env = new HashMap<>();
    for (Setting<?> setting : settings) {
      if (data.consumeBoolean()) {
        env.put(setting.env(), data.consumeString(80));
      }
    }

    for (Setting<?> setting : settings) {
      String text = env.get(setting.env());
      if (text != null) {
        try {
          assertThat((Object) setting.parser().parse(text)).isNotNull();
        } catch (Parser.Rejected expected) {
          // the setting's documented answer to a bad value
        }
      }
    }
    try {
      SluiceConfig config = SluiceConfig.from(env);
      assertThat(config.httpPort()).isBetween(1, 65535);
      assertThat(config.shufflePartitions()).isBetween(1, 10_000);
      assertThat(config.maxRecordsPerBatch()).isPositive();
      assertThat(config.topicPartitions().values()).allSatisfy(n -> assertThat(n).isPositive());
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty().allSatisfy(problem -> assertThat(problem).isNotBlank());
    }
  }
}
