package dev.sluice.detect;

import java.util.List;
import java.util.Locale;

/** Which field of an event a Core Rule Set match is about, from the variable the rule matched. */
final class RuleFields {
  private RuleFields() {}

  /**
   * The field {@code variable} (e.g. {@code ARGS:q}, {@code REQUEST_HEADERS:User-Agent}, {@code
   * REQUEST_FILENAME}) names in {@code event}. A variable over the whole URI names the query when
   * there is one, the path otherwise; one this cannot place names the whole request, as free text
   * when the event has a payload (the stricter role), as a parameter otherwise.
   */
  static InspectedField fieldOf(String variable, HttpEvent event, List<InspectedField> fields) {
    int colon = variable.indexOf(':');
    String collection = colon < 0 ? variable : variable.substring(0, colon);
    String key = colon < 0 ? "" : variable.substring(colon + 1);
    switch (collection) {
      case "ARGS", "ARGS_NAMES", "ARGS_GET", "ARGS_GET_NAMES" -> {
        InspectedField query = find(fields, InspectedField.QUERY + ":" + key, null);
        if (query != null || collection.startsWith("ARGS_GET")) {
          return orRequest(query, event);
        }
        return orRequest(find(fields, "form:" + key, payload(fields)), event);
      }
      case "ARGS_POST", "ARGS_POST_NAMES", "REQUEST_BODY", "XML", "FILES", "FILES_NAMES" -> {
        return orRequest(find(fields, "form:" + key, payload(fields)), event);
      }
      case "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES" -> {
        return orRequest(header(fields, key), event);
      }
      case "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES" -> {
        return orRequest(header(fields, "Cookie"), event);
      }
      case "REQUEST_FILENAME", "REQUEST_BASENAME" -> {
        return orRequest(find(fields, InspectedField.PATH, null), event);
      }
      case "REQUEST_URI", "REQUEST_URI_RAW", "REQUEST_LINE", "QUERY_STRING" -> {
        String query = UrlEncodedForm.queryOf(event.path());
        return query.isEmpty()
            ? orRequest(find(fields, InspectedField.PATH, null), event)
            : new InspectedField(
                InspectedField.QUERY, FieldRole.PARAMETER, UrlEncodedForm.decode(query));
      }
      default -> {
        return orRequest(null, event);
      }
    }
  }

  private static InspectedField find(
      List<InspectedField> fields, String name, InspectedField otherwise) {
    for (InspectedField field : fields) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    return otherwise;
  }

  private static InspectedField header(List<InspectedField> fields, String name) {
    String wanted = "header:" + name.toLowerCase(Locale.ROOT);
    for (InspectedField field : fields) {
      if (field.name().toLowerCase(Locale.ROOT).equals(wanted)) {
        return field;
      }
    }
    return null;
  }

  private static InspectedField payload(List<InspectedField> fields) {
    for (InspectedField field : fields) {
      if (field.name().equals(InspectedField.PAYLOAD) || field.name().startsWith("form:")) {
        return field;
      }
    }
    return null;
  }

  private static InspectedField orRequest(InspectedField field, HttpEvent event) {
    if (field != null) {
      return field;
    }
    return new InspectedField(
        "request",
        event.payload() != null ? FieldRole.FREE_TEXT : FieldRole.PARAMETER,
        event.path() != null ? UrlEncodedForm.percentDecode(event.path()) : "");
  }
}
