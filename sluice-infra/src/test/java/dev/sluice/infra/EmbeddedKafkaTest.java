package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
  @TempDir Path dataDir;

  @Test
  void kafkaAcceptsTheCombinedModeConfiguration() {
    KafkaConfig config =
        KafkaConfig.fromProps(EmbeddedKafka.brokerProperties(dataDir, 30000, 30001), false);

    assertThat(config.processRoles().mkString(",")).contains("broker").contains("controller");
    assertThat(config.nodeId()).isEqualTo(EmbeddedKafka.NODE_ID);
    assertThat(config.autoCreateTopicsEnable()).isFalse();
    assertThat(config.listeners().mkString(","))
        .contains(
            "listenerName='PLAINTEXT', securityProtocol=PLAINTEXT, host='127.0.0.1', port=30000")
        .contains(
            "listenerName='CONTROLLER', securityProtocol=PLAINTEXT, host='127.0.0.1', port=30001");
    assertThat(config.quorumConfig().voters())
        .as("a dynamic quorum, formatted standalone")
        .isEmpty();
  }

  @Test
  void storageIsFormattedOnceAndThenReused() throws Exception {
    Path storage = dataDir.resolve("kafka");
    EmbeddedKafka kafka = new EmbeddedKafka(storage, 30000, 30001);

    kafka.formatIfNeeded();
    String first = Files.readString(storage.resolve("meta.properties"));
    kafka.formatIfNeeded();

    assertThat(EmbeddedKafka.isFormatted(storage)).isTrue();
    assertThat(first).contains("cluster.id=").contains("node.id=1");
    assertThat(Files.readString(storage.resolve("meta.properties"))).isEqualTo(first);
  }
}
