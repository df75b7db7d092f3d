package dev.sluice.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;
import dev.sluice.core.security.TcpdumpLines.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

class TcpdumpLinesFuzzTest {

  @FuzzTest
  void everyLineIsAPacketTheCodecAcceptsOrASkipWithAStorableReason(byte[] input) {
    List<String> lines = new String(input, StandardCharsets.UTF_8).lines().toList();
    TcpdumpLines reader = new TcpdumpLines(ZoneOffset.UTC, "f-fuzz");
    List<Outcome> outcomes = new ArrayList<>();
    lines.forEach(line -> outcomes.addAll(reader.accept(line)));
    outcomes.addAll(reader.finish());

    // Every line is accounted for: a -v header and its address line make one packet together.
    assertThat(outcomes.size()).isBetween((lines.size() + 1) / 2, lines.size());
    assertThat(reader.packets() + reader.skippedTotal()).isEqualTo(outcomes.size());
    for (Outcome outcome : outcomes) {
      assertThat(outcome.ok()).isNotEqualTo(outcome.skip() != null);
      if (outcome.ok()) {
        Packet packet = outcome.packet();
        assertThat(PacketCodec.decode(PacketCodec.encode(packet)))
            .isEqualTo(new PacketCodec.Decoded(packet, null));
      } else {
        assertThat(outcome.detail()).isNotBlank();
        assertThat(StorableText.storable(outcome.detail()))
            .as("storable: %s", outcome.detail())
            .isTrue();
      }
    }
  }
}
