package dev.sluice.core.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;

class RevenueCodecFuzzTest {

  @FuzzTest
  void decodesToARecordWithinItsLimitsThatRoundTripsOrRejectsWithAStorableReason(byte[] value) {
    RevenueCodec.Decoded decoded = RevenueCodec.decode(value);

    assertThat(decoded.ok()).isNotEqualTo(decoded.reason() != null);
    if (decoded.ok()) {
      RevenueRecord record = decoded.record();
      assertThat(record.id().codePointCount(0, record.id().length()))
          .isBetween(1, RevenueRecord.MAX_ID_CHARS);
      assertThat(StorableText.storable(record.id())).isTrue();
      assertThat(record.revenueCounter()).isNotNegative();
      assertThat(record.timestamp()).isBetween(0L, RevenueRecord.MAX_TIMESTAMP);
      assertThat(record.revenue().abs()).isLessThan(RevenueRecord.MAX_REVENUE_EXCLUSIVE);
      assertThat(RevenueCodec.decode(RevenueCodec.encode(record)))
          .isEqualTo(new RevenueCodec.Decoded(record, null));
    } else {
      assertThat(decoded.reason()).isNotBlank();
      assertThat(StorableText.storable(decoded.reason()))
          .as("storable: %s", decoded.reason())
          .isTrue();
    }
  }
}
