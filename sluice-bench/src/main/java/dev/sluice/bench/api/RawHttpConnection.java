package dev.sluice.bench.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends prepared requests and reads each response whole.
 * Just enough HTTP for the benchmark, so the client spends as little of the two cores as possible.
 */
final class RawHttpConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] line = new byte[8192];
  private final byte[] discard = new byte[16 * 1024];

  RawHttpConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
  }

  /** Sends one request and returns the response status once its body has been read. */
  int exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    int status = -1;
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    for (int n = readLine(); ; n = readLine()) {
      if (n < 0) {
        throw new IOException("connection closed by the server");
      }
      if (n == 0) {
        break;
      }
      if (status < 0) {
        status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        continue;
      }
      String header = new String(line, 0, n, StandardCharsets.ISO_8859_1);
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        contentLength = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
        close = true;
      }
    }
    if (chunked) {
      for (long size = chunkSize(); size > 0; size = chunkSize()) {
        skip(size);
        readLine();
      }
      readLine(); // the empty line after the last chunk
    } else if (contentLength > 0) {
      skip(contentLength);
    }
    if (close) {
      throw new IOException("the server closed the connection after status " + status);
    }
    return status;
  }

  private long chunkSize() throws IOException {
    int n = readLine();
    String text = new String(line, 0, Math.max(0, n), StandardCharsets.ISO_8859_1);
    int semicolon = text.indexOf(';');
    return Long.parseLong((semicolon < 0 ? text : text.substring(0, semicolon)).trim(), 16);
  }

  /** Reads a line without its CRLF into {@link #line}; its length, or -1 at the end. */
  private int readLine() throws IOException {
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return n == 0 ? -1 : n;
      }
      if (b == '\n') {
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
      }
      if (n < line.length) {
        line[n++] = (byte) b;
      }
    }
  }

  private void skip(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      int read = in.read(discard, 0, (int) Math.min(discard.length, left));
      if (read < 0) {
        throw new IOException("connection closed in a response body");
      }
      left -= read;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
