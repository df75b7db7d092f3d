package dev.sluice.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentPostsTest {
  private static final byte[] DIGEST = {1, 2, 3};

  @Test
  void theFirstClaimOfAnIdProducesAndLaterOnesShareItsEntry() {
    RecentPosts recent = new RecentPosts(10);
    RecentPosts.Claim first = recent.claim("a", DIGEST);
    RecentPosts.Claim retry = recent.claim("a", DIGEST);

    assertThat(first.first()).isTrue();
    assertThat(retry.first()).isFalse();
    assertThat(retry.entry()).isSameAs(first.entry());
  }

  @Test
  void theWindowKeepsOnlyTheMostRecentIds() {
    RecentPosts recent = new RecentPosts(3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      recent.claim(id, DIGEST);
    }

    assertThat(recent.size()).isEqualTo(3);
    assertThat(recent.claim("a", DIGEST).first()).as("the oldest was forgotten").isTrue();
    assertThat(recent.claim("d", DIGEST).first()).isFalse();
  }

  @Test
  void aForgottenPostIsProducedAgainByItsRetry() {
    RecentPosts recent = new RecentPosts(3);
    RecentPosts.Claim failed = recent.claim("a", DIGEST);
    recent.forget(failed.entry());

    RecentPosts.Claim retry = recent.claim("a", DIGEST);
    assertThat(retry.first()).isTrue();
    assertThat(retry.entry()).isNotSameAs(failed.entry());
    // Forgetting the old entry again must not drop the new one.
    recent.forget(failed.entry());
    assertThat(recent.claim("a", DIGEST).first()).isFalse();
  }
}
