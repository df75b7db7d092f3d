package dev.sluice.detect;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text, the format of a query string and of a
 * form body, the way a web server hands it to an application: split at {@code &}, then at the first
 * {@code =}, {@code +} is a space, {@code %XX} is a byte, the bytes are UTF-8.
 *
 * <p>Attackers send what servers tolerate, so decoding never fails: a {@code %} not followed by two
 * hex digits stays as it is (as PHP and Java servlet containers keep it), and bytes that are not
 * UTF-8 are read as ISO-8859-1, so no byte an attack used is replaced or lost.
 */
public final class UrlEncodedForm {
  /** More parameters than this are not split out; the rest stays in the last one's value. */
  public static final int MAX_PARAMETERS = 256;

  private UrlEncodedForm() {}

  /** The name-value pairs of {@code encoded}, in order; a name without {@code =} has value "". */
  public static List<Map.Entry<String, String>> parse(String encoded) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (encoded == null || encoded.isEmpty()) {
      return pairs;
    }
    int start = 0;
    while (start <= encoded.length()) {
      int end = encoded.indexOf('&', start);
      if (end < 0 || pairs.size() == MAX_PARAMETERS - 1) {
        end = encoded.length();
      }
      String pair = encoded.substring(start, end);
      if (!pair.isEmpty()) {
        int equals = pair.indexOf('=');
        String name = equals < 0 ? pair : pair.substring(0, equals);
        String value = equals < 0 ? "" : pair.substring(equals + 1);
        pairs.add(Map.entry(decode(name), decode(value)));
      }
      start = end + 1;
    }
    return pairs;
  }

  /** {@code text} with {@code +} as space and each valid {@code %XX} as its byte. */
  public static String decode(String text) {
    return decode(text, true);
  }

  /** {@code text} with each valid {@code %XX} as its byte; {@code +} stays, as in a URL path. */
  public static String percentDecode(String text) {
    return decode(text, false);
  }

  private static String decode(String text, boolean plusIsSpace) {
    if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (c == '%'
          && i + 2 < text.length()
          && hex(text.charAt(i + 1)) >= 0
          && hex(text.charAt(i + 2)) >= 0) {
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          utf8 = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(utf8);
      }
    }
    byte[] decoded = bytes.toByteArray();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(decoded))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(decoded, StandardCharsets.ISO_8859_1);
    }
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /**
   * The query string of {@code path}: everything after the first {@code ?}, or "". A {@code #} is
   * kept: a browser never sends a fragment, so one in a request line is what a client chose to
   * send.
   */
  public static String queryOf(String path) {
    if (path == null) {
      return "";
    }
    int question = path.indexOf('?');
    if (question < 0) {
      return "";
    }
    return path.substring(question + 1);
  }

  /** {@code path} without its query string. */
  public static String pathOnly(String path) {
    if (path == null) {
      return "";
    }
    int question = path.indexOf('?');
    return question < 0 ? path : path.substring(0, question);
  }
}
