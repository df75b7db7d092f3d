package dev.sluice.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectedFieldTest {
  @Test
  void queryParametersAreDecodedParametersAndTheFormBodyIsFreeText() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", "curl/8.5");
    headers.put("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
    HttpEvent event =
        new HttpEvent(
            "POST", "/r%C3%A9views?id=1%20or%201%3D1", headers, "text=It%27s+great&stars=5");

    assertThat(InspectedField.of(event))
        .containsExactly(
            new InspectedField("path", FieldRole.PATH, "/réviews"),
            new InspectedField("query:id", FieldRole.PARAMETER, "1 or 1=1"),
            new InspectedField("header:User-Agent", FieldRole.HEADER, "curl/8.5"),
            new InspectedField(
                "header:Content-Type",
                FieldRole.HEADER,
                "application/x-www-form-urlencoded; charset=UTF-8"),
            new InspectedField("form:text", FieldRole.FREE_TEXT, "It's great"),
            new InspectedField("form:stars", FieldRole.FREE_TEXT, "5"));
  }

  @Test
  void aPayloadThatIsNoFormIsOneFreeTextFieldAsItIs() {
    HttpEvent message = new HttpEvent(null, null, null, "a+b%20c <b>bold</b>");

    assertThat(InspectedField.of(message))
        .containsExactly(new InspectedField("payload", FieldRole.FREE_TEXT, "a+b%20c <b>bold</b>"));
  }

  @Test
  void freeTextSkipsLibinjectionSqliAndTheRulesThatFireOnProse() {
    assertThat(FieldRole.FREE_TEXT.libinjectionSqli()).isFalse();
    assertThat(FieldRole.FREE_TEXT.libinjectionXss()).isTrue();
    assertThat(FieldRole.FREE_TEXT.acceptsRule("942100")).isFalse();
    assertThat(FieldRole.FREE_TEXT.acceptsRule("941100")).isTrue();
    assertThat(FieldRole.PARAMETER.libinjectionSqli()).isTrue();
    assertThat(FieldRole.PARAMETER.acceptsRule("942100")).isTrue();
  }

  @Test
  void ruleVariablesNameTheFieldTheyMatched() {
    Map<String, String> headers = Map.of("user-agent", "x");
    HttpEvent event = new HttpEvent("GET", "/a/../b?q=1&r=2", headers, null);
    var fields = InspectedField.of(event);

    assertThat(RuleFields.fieldOf("ARGS:r", event, fields).name()).isEqualTo("query:r");
    assertThat(RuleFields.fieldOf("ARGS_GET_NAMES:q", event, fields).name()).isEqualTo("query:q");
    assertThat(RuleFields.fieldOf("REQUEST_HEADERS:User-Agent", event, fields).name())
        .isEqualTo("header:user-agent");
    assertThat(RuleFields.fieldOf("REQUEST_FILENAME", event, fields).name()).isEqualTo("path");
    assertThat(RuleFields.fieldOf("REQUEST_URI", event, fields))
        .isEqualTo(new InspectedField("query", FieldRole.PARAMETER, "q=1&r=2"));
    assertThat(RuleFields.fieldOf("TX:0", event, fields).name()).isEqualTo("request");
  }
}
