package dev.sluice.server.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.server.pipeline.RedisReads;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RevenueLiveFeedTest {
  @Test
  void withoutRedisTheStateSaysWhyAndNothingIsSentAgainAndAgain() {
    RevenueLiveFeed feed =
        new RevenueLiveFeed(
            new RedisReads(Optional.empty()), new RevenueReads(RevenueKeys.standard()), null);

    RevenueLiveFeed.View loaded = (RevenueLiveFeed.View) feed.load(null);

    assertThat(loaded.redis()).contains("no Redis");
    assertThat(loaded.totals().ids()).isZero();
    assertThat(loaded.changed()).isEmpty();
    for (int poll = 0; poll < 5; poll++) {
      assertThat(feed.poll(null)).as("poll %d", poll).isEmpty();
    }
    assertThat(((RevenueLiveFeed.View) feed.snapshot()).redis()).isEqualTo(loaded.redis());
    // A NOTIFY of the minutes query always answers, with the state as it is.
    assertThat(feed.changes(null)).containsInstanceOf(RevenueLiveFeed.View.class);
  }
}
