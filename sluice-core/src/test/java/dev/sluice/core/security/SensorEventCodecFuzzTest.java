package dev.sluice.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;

class SensorEventCodecFuzzTest {

  @FuzzTest
  void decodesToAnEventWithinItsLimitsThatRoundTripsOrRejectsWithAStorableReason(byte[] value) {
    SensorEventCodec.Decoded decoded = SensorEventCodec.decode(value);

    assertThat(decoded.ok()).isNotEqualTo(decoded.reason() != null);
    if (decoded.ok()) {
      SensorEvent event = decoded.event();
      assertThat(event.id().codePointCount(0, event.id().length()))
          .isBetween(1, SensorEvent.MAX_ID_CHARS);
      assertThat(event.ts()).isBetween(0L, SensorEventCodec.MAX_TS);
      assertThat(AddressLiterals.isIp(event.src())).as(event.src()).isTrue();
      assertThat(AddressLiterals.isIp(event.dst()) || AddressLiterals.isHostName(event.dst()))
          .as(event.dst())
          .isTrue();
      if (event.method() != null) {
        assertThat(event.path()).isNotNull();
      }
      if (event.headers() != null) {
        assertThat(event.headers()).hasSizeLessThanOrEqualTo(SensorEvent.MAX_HEADERS);
        event.headers().values().forEach(v -> assertThat(v).doesNotContain("\r", "\n"));
      }
      if (event.payload() != null) {
        assertThat(StorableText.storable(event.payload())).isTrue();
      }
      assertThat(SensorEventCodec.decode(SensorEventCodec.encode(event)))
          .isEqualTo(new SensorEventCodec.Decoded(event, null));
    } else {
      assertThat(decoded.reason()).isNotBlank();
      assertThat(StorableText.storable(decoded.reason()))
          .as("storable: %s", decoded.reason())
          .isTrue();
    }
  }
}
