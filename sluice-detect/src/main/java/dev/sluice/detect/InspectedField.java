package dev.sluice.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One field of an event as the inspector sees it: its name in findings, its role, and its value
 * decoded as the application behind the sensor would decode it.
 *
 * @param name e.g. {@code query:q}, {@code path}, {@code header:User-Agent}, {@code form:text},
 *     {@code payload}
 */
record InspectedField(String name, FieldRole role, String value) {
  static final String PATH = "path";
  static final String QUERY = "query";
  static final String PAYLOAD = "payload";

  /**
   * The fields of {@code event}, in a fixed order: path, query parameters, headers, then the form
   * fields of a form-encoded payload or the payload as a whole.
   */
  static List<InspectedField> of(HttpEvent event) {
    List<InspectedField> fields = new ArrayList<>();
    if (event.path() != null) {
      fields.add(
          new InspectedField(
              PATH,
              FieldRole.PATH,
              UrlEncodedForm.percentDecode(UrlEncodedForm.pathOnly(event.path()))));
      for (Map.Entry<String, String> parameter :
          UrlEncodedForm.parse(UrlEncodedForm.queryOf(event.path()))) {
        fields.add(
            new InspectedField(
                QUERY + ":" + parameter.getKey(), FieldRole.PARAMETER, parameter.getValue()));
      }
    }
    for (Map.Entry<String, String> header : event.headers().entrySet()) {
      if (header.getValue() != null) {
        fields.add(
            new InspectedField("header:" + header.getKey(), FieldRole.HEADER, header.getValue()));
      }
    }
    if (event.payload() != null) {
      if (isForm(event)) {
        for (Map.Entry<String, String> field : UrlEncodedForm.parse(event.payload())) {
          fields.add(
              new InspectedField("form:" + field.getKey(), FieldRole.FREE_TEXT, field.getValue()));
        }
      } else {
        fields.add(new InspectedField(PAYLOAD, FieldRole.FREE_TEXT, event.payload()));
      }
    }
    return fields;
  }

  /** Whether the payload is a form body, as its {@code Content-Type} says. */
  static boolean isForm(HttpEvent event) {
    return event
        .header("Content-Type")
        .map(type -> type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))
        .orElse(false);
  }
}
