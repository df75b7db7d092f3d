package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {
  @Test
  void identifiersAreQuotedSoAnyNameStaysOneIdentifier() {
    assertThat(EmbeddedDatabase.quoteIdentifier("sluice")).isEqualTo("\"sluice\"");
    assertThat(EmbeddedDatabase.quoteIdentifier("a\"; DROP ROLE x; --"))
        .isEqualTo("\"a\"\"; DROP ROLE x; --\"");
  }

  @Test
  void durabilityOverridesCoverWhatZonkyTurnsOff() {
    assertThat(EmbeddedDatabase.DURABILITY)
        .containsEntry("fsync", "on")
        .containsEntry("synchronous_commit", "on")
        .containsEntry("full_page_writes", "on");
  }
}
