package dev.sluice.core.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/** What every decoder relies on, for any bytes a Kafka record or a request body may hold. */
class JsonRecordsFuzzTest {
  /** JSON numbers are equal by value: 0e400 and 0 are the same number, 1 and 1.0 too. */
  private static final Comparator<JsonNode> SAME_JSON_VALUE =
      (a, b) ->
          a.isNumber() && b.isNumber()
              ? a.decimalValue().compareTo(b.decimalValue())
              : a.equals(b) ? 0 : 1;

  @FuzzTest
  void parseAcceptsOnlyStorableTextAndRejectsWithAStorableReason(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);

    assertThat(parsed.ok()).isNotEqualTo(parsed.reason() != null);
    if (parsed.ok()) {
      for (String text : keysAndStrings(parsed.object())) {
        assertThat(StorableText.storable(text)).as("storable: %s", text).isTrue();
      }
      // Accepted trees are what encoders write back.
      JsonRecords.Parsed again = JsonRecords.parse(JsonRecords.write(parsed.object()));
      assertThat(again.reason()).isNull();
      assertThat(again.object().equals(SAME_JSON_VALUE, parsed.object()))
          .as("%s reads back as itself", parsed.object())
          .isTrue();
    } else {
      assertThat(parsed.reason()).isNotBlank();
      assertThat(StorableText.storable(parsed.reason())).as("storable reason").isTrue();
    }
  }

  private static List<String> keysAndStrings(JsonNode node) {
    List<String> found = new ArrayList<>();
    collect(node, found);
    return found;
  }

  private static void collect(JsonNode node, List<String> found) {
    if (node.isTextual()) {
      found.add(node.textValue());
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      found.add(names.next());
    }
    for (JsonNode child : node) {
      collect(child, found);
    }
  }
}
