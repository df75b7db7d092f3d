package dev.sluice.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpLoadTest {
  @Test
  void anAnswerThatIsNotHttpCountsAsAFailureWithItsReason() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answering =
          new Thread(
              () -> {
                // Bounded: the load below sends at most 5 measured requests, each on a fresh
                // connection once the last one proved useless.
                for (int i = 0; i < 20; i++) {
                  try (Socket client = server.accept()) {
                    InputStream in = client.getInputStream();
                    in.read(new byte[4096]);
                    client
                        .getOutputStream()
                        .write("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "not-http");
      answering.setDaemon(true);
      answering.start();

      HttpLoad.Result result =
          HttpLoad.run(
              "127.0.0.1",
              server.getLocalPort(),
              1,
              0,
              30,
              5,
              202,
              ApiBench.reviewPosts(server.getLocalPort(), "t"));

      assertThat(result.ok()).isZero();
      assertThat(result.failed()).isEqualTo(5);
      assertThat(result.firstFailure()).isEqualTo("not an HTTP/1.1 response");
    }
  }
}
