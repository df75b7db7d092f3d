package dev.sluice.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {
  private static HttpResponses.Parsed parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    return HttpResponses.parse(bytes, bytes.length);
  }

  @Test
  void aResponseWithContentLengthEndsAfterItsBody() {
    String response = "HTTP/1.1 202 Accepted\r\ncontent-length: 5\r\n\r\nhello";

    HttpResponses.Parsed parsed = parse(response + "HTTP/1.1 200");

    assertThat(parsed).isEqualTo(new HttpResponses.Parsed(202, response.length(), false));
  }

  @Test
  void anIncompleteHeadOrBodyIsNotYetAResponse() {
    assertThat(parse("HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n")).isNull();
    assertThat(parse("HTTP/1.1 202 Accepted\r\nContent-Length: 5\r\n\r\nhell")).isNull();
  }

  @Test
  void aChunkedBodyEndsAfterTheLastChunkAndItsTrailers() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    String body = "5\r\nhello\r\na;ext=1\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n";

    assertThat(parse(head + body))
        .isEqualTo(new HttpResponses.Parsed(200, (head + body).length(), true));
    assertThat(parse(head + body.substring(0, body.length() - 2))).isNull();
    assertThat(parse(head + "5\r\nhel")).isNull();
  }

  @Test
  void aResponseWithoutBodyEndsAtItsHead() {
    String response = "HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";

    assertThat(parse(response)).isEqualTo(new HttpResponses.Parsed(204, response.length(), false));
  }

  @Test
  void somethingElseThanHttpIsRefused() {
    assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n\r\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("HTTP/1.1 2x0 OK\r\n\r\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
