package dev.sluice.core.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeldOutTest {
  private static final int IDS = 50_000;

  @Test
  void sameIdAlwaysGetsTheSameAnswer() {
    boolean[] first = new boolean[1000];
    for (int i = 0; i < first.length; i++) {
      first[i] = HeldOut.isHeldOut("imdb-" + i);
    }
    // Asked again in reverse order and with freshly built strings: the answer depends on the id
    // only.
    for (int i = first.length - 1; i >= 0; i--) {
      String id = new StringBuilder("imdb-").append(i).toString();
      assertThat(HeldOut.isHeldOut(id)).as(id).isEqualTo(first[i]);
    }
  }

  @Test
  void holdsOutAboutOneFifthOfTheImdbIds() {
    int heldOut = 0;
    for (int i = 0; i < IDS; i++) {
      if (HeldOut.isHeldOut("imdb-" + i)) {
        heldOut++;
      }
    }
    double fraction = heldOut / (double) IDS;
    assertThat(fraction).as("held-out fraction (%d of %d)", heldOut, IDS).isBetween(0.19, 0.21);
  }

  @Test
  void differentIdsGetDifferentAnswers() {
    // Consecutive ids must not all fall on one side; a split by hash mixes them.
    int heldOut = 0;
    for (int i = 0; i < 100; i++) {
      heldOut += HeldOut.isHeldOut("imdb-" + i) ? 1 : 0;
    }
    assertThat(heldOut).isBetween(5, 40);
  }
}
