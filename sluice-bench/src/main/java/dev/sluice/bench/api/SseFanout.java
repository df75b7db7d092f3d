package dev.sluice.bench.api;

import dev.sluice.store.Database;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Many dashboards at once: N event streams read by one selector thread. The benchmark then sends
 * {@code NOTIFY sluice_batches} itself, as a pipeline does after a batch, and measures when each
 * stream receives the resulting {@code batch} event.
 */
final class SseFanout implements AutoCloseable {
  /**
   * The pipeline whose live feed the notifications wake: a real one, so each NOTIFY costs the
   * server what a committed batch costs it (the feed's queries, on the benchmark's empty tables).
   */
  static final String PIPELINE = "reviews";

  private static final byte[] MARKER =
      ("{\"pipeline\":\"" + PIPELINE + "\",\"batches\":[").getBytes(StandardCharsets.US_ASCII);
  private static final int HEAD_BYTES = 4096;
  private static final byte[] SNAPSHOT = "event: snapshot".getBytes(StandardCharsets.US_ASCII);

  /** What the fan-out phase measured. */
  record Result(
      int clients,
      int connected,
      int events,
      long expected,
      long received,
      Latencies delays,
      long eventBytes) {}

  private final Selector selector;
  private final List<Stream> streams = new ArrayList<>();
  private final long[] sentAt;
  private volatile long eventBytes;

  private static final class Stream {
    final SocketChannel channel;
    final ByteBuffer pending = ByteBuffer.allocate(16 * 1024);
    byte[] frame = new byte[16 * 1024]; // grows for a large snapshot
    int frameLength;
    boolean snapshot;
    final long[] receivedAt;

    Stream(SocketChannel channel, int events) {
      this.channel = channel;
      this.receivedAt = new long[events];
    }
  }

  SseFanout(String host, int port, int clients, int events) throws IOException {
    this.selector = Selector.open();
    this.sentAt = new long[events];
    byte[] request =
        ("GET /api/stream?pipeline="
                + PIPELINE
                + " HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < clients; i++) {
      SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
      channel.configureBlocking(true);
      ByteBuffer buffer = ByteBuffer.wrap(request);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.configureBlocking(false);
      Stream stream = new Stream(channel, events);
      channel.register(selector, SelectionKey.OP_READ, stream);
      streams.add(stream);
    }
  }

  /** Reads until every stream has its snapshot or the time is up; how many have it. */
  int awaitSnapshots(long timeoutMillis) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      poll(100);
      if (streams.stream().allMatch(s -> s.snapshot)) {
        break;
      }
    }
    return (int) streams.stream().filter(s -> s.snapshot).count();
  }

  /**
   * Sends the NOTIFYs spaced by {@code intervalMillis}, reading all the while, then waits for
   * stragglers.
   */
  Result run(Database database, long intervalMillis, long settleMillis)
      throws IOException, SQLException {
    int events = sentAt.length;
    try (Connection c = database.connect();
        PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      for (int i = 0; i < events; i++) {
        long next = System.nanoTime() + intervalMillis * 1_000_000;
        notify.setString(1, Database.BATCHES_CHANNEL);
        notify.setString(2, "{\"pipeline\":\"" + PIPELINE + "\",\"batch_id\":" + i + "}");
        sentAt[i] = System.nanoTime();
        notify.execute();
        while (System.nanoTime() < next) {
          poll(Math.max(1, (next - System.nanoTime()) / 1_000_000));
        }
      }
    }
    long deadline = System.currentTimeMillis() + settleMillis;
    while (System.currentTimeMillis() < deadline && received() < (long) events * connected()) {
      poll(50);
    }
    Latencies delays = new Latencies(streams.size() * events);
    for (Stream s : streams) {
      for (int i = 0; i < events; i++) {
        if (s.receivedAt[i] != 0) {
          delays.add(s.receivedAt[i] - sentAt[i]);
        }
      }
    }
    return new Result(
        streams.size(),
        connected(),
        events,
        (long) events * connected(),
        received(),
        delays,
        eventBytes);
  }

  private int connected() {
    return (int) streams.stream().filter(s -> s.snapshot).count();
  }

  private long received() {
    long n = 0;
    for (Stream s : streams) {
      for (long at : s.receivedAt) {
        n += at != 0 ? 1 : 0;
      }
    }
    return n;
  }

  private void poll(long millis) throws IOException {
    if (selector.select(millis) == 0) {
      return;
    }
    long now = System.nanoTime();
    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
    while (keys.hasNext()) {
      SelectionKey key = keys.next();
      keys.remove();
      Stream stream = (Stream) key.attachment();
      stream.pending.clear();
      int read;
      try {
        read = stream.channel.read(stream.pending);
      } catch (IOException e) {
        read = -1;
      }
      if (read < 0) {
        key.cancel();
        stream.channel.close();
        continue;
      }
      stream.pending.flip();
      consume(stream, now);
    }
  }

  /** Splits the bytes into frames (ended by a blank line) and notes the bench batches in each. */
  private void consume(Stream s, long now) {
    while (s.pending.hasRemaining()) {
      byte b = s.pending.get();
      if (s.frameLength == s.frame.length) {
        s.frame = Arrays.copyOf(s.frame, s.frame.length * 2);
      }
      s.frame[s.frameLength++] = b;
      if (b == '\n' && s.frameLength >= 2 && s.frame[s.frameLength - 2] == '\n') {
        frame(s, now);
        s.frameLength = 0;
      }
    }
  }

  private void frame(Stream s, long now) {
    // The event name and the batch list come first in a frame: only its head is searched.
    int head = Math.min(s.frameLength, HEAD_BYTES);
    if (indexOf(s.frame, Math.min(head, 512), SNAPSHOT, 0) >= 0) {
      s.snapshot = true;
    }
    int at = indexOf(s.frame, head, MARKER, 0);
    if (at < 0) {
      return;
    }
    // The announced batch ids: one wake-up may cover several notifications.
    int i = at + MARKER.length;
    while (i < s.frameLength && s.frame[i] >= '0' && s.frame[i] <= '9') {
      int batch = 0;
      while (i < s.frameLength && s.frame[i] >= '0' && s.frame[i] <= '9') {
        batch = batch * 10 + (s.frame[i++] - '0');
      }
      if (batch < s.receivedAt.length && s.receivedAt[batch] == 0) {
        s.receivedAt[batch] = now;
        eventBytes = s.frameLength;
      }
      if (i < s.frameLength && s.frame[i] == ',') {
        i++;
      }
    }
  }

  private static int indexOf(byte[] data, int length, byte[] needle, int from) {
    outer:
    for (int i = from; i <= length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    for (Stream s : streams) {
      s.channel.close();
    }
    selector.close();
  }
}
