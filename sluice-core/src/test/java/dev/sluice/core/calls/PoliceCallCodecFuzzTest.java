package dev.sluice.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;

class PoliceCallCodecFuzzTest {

  @FuzzTest
  void decodesToACallWithinItsLimitsThatRoundTripsOrRejectsWithAStorableReason(byte[] value) {
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(value);

    assertThat(decoded.ok()).isNotEqualTo(decoded.reason() != null);
    if (decoded.ok()) {
      PoliceCall call = decoded.call();
      assertThat(call.crimeId())
          .isNotBlank()
          .hasSizeLessThanOrEqualTo(PoliceCall.MAX_CRIME_ID_CHARS);
      assertThat(call.callType()).isNotBlank();
      assertThat(call.callType().codePointCount(0, call.callType().length()))
          .isLessThanOrEqualTo(PoliceCall.MAX_CALL_TYPE_CHARS);
      assertThat(call.disposition()).isNotBlank().doesNotContain(" ");
      assertThat(StorableText.storable(call.callType())).isTrue();
      assertThat(PoliceCallCodec.epochMillis(call.callDateTime()))
          .isEqualTo(decoded.callEpochMillis());
      assertThat(PoliceCallCodec.decode(PoliceCallCodec.encode(call))).isEqualTo(decoded);
    } else {
      assertThat(decoded.reason()).isNotBlank();
      assertThat(StorableText.storable(decoded.reason()))
          .as("storable: %s", decoded.reason())
          .isTrue();
    }
  }
}
