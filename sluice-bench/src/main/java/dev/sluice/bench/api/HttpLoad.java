package dev.sluice.bench.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: N keep-alive connections, each sending its next request as soon as the
 * previous answer is in, for a warm-up and then a measured period, bounded in requests too.
 *
 * <p>The connections are driven by a few non-blocking event loops rather than a thread each: on two
 * cores shared with the server, the broker and the database, a thread per connection spent half of
 * the client's CPU in {@code poll} and thread wake-ups (profiled on 2026-11-30), time the server
 * under test then did not get.
 */
final class HttpLoad {
  /** What one phase measured. */
  record Result(
      long requests,
      long ok,
      long failed,
      double seconds,
      Latencies latencies,
      String firstFailure) {
    double rps() {
      return ok / seconds;
    }
  }

  /** The bytes of one request. */
  @FunctionalInterface
  interface Requests {
    /**
     * @param connection which connection sends it, from 0
     * @param sequence how many requests that connection sent before, so that {@code (connection,
     *     sequence)} is unique within a run
     */
    byte[] request(int connection, long sequence);
  }

  /** Connections per event loop; more loops only when the connections would overload one. */
  static final int CONNECTIONS_PER_LOOP = 64;

  private static final long SELECT_MILLIS = 100;

  private HttpLoad() {}

  /**
   * @param okStatus the status that counts as success
   */
  static Result run(
      String host,
      int port,
      int connections,
      double warmupSeconds,
      double seconds,
      long maxRequests,
      int okStatus,
      Requests requests)
      throws IOException, InterruptedException {
    AtomicLong budget = new AtomicLong(maxRequests);
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = warmupEnd + (long) (seconds * 1e9);
    int loops = (connections + CONNECTIONS_PER_LOOP - 1) / CONNECTIONS_PER_LOOP;
    List<EventLoop> eventLoops = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    InetSocketAddress address = new InetSocketAddress(host, port);
    for (int l = 0; l < loops; l++) {
      EventLoop loop =
          new EventLoop(address, warmupEnd, end, budget, okStatus, requests, maxRequests);
      for (int c = l; c < connections; c += loops) {
        loop.add(c);
      }
      eventLoops.add(loop);
      Thread thread = new Thread(loop, "load-" + l);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    long measuredEnd = eventLoops.stream().mapToLong(l -> l.finishedAt).max().orElse(end);
    Latencies all = new Latencies(1024);
    long ok = 0;
    long failed = 0;
    String firstFailure = null;
    for (EventLoop loop : eventLoops) {
      all.addAll(loop.latencies);
      ok += loop.ok;
      failed += loop.failed;
      if (firstFailure == null) {
        firstFailure = loop.failure;
      }
    }
    double elapsed = Math.max(1e-3, (measuredEnd - warmupEnd) / 1e9);
    return new Result(ok + failed, ok, failed, elapsed, all, firstFailure);
  }

  /** One connection's state between its request and the end of its response. */
  private static final class Connection {
    final int index;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    long sequence;
    long sentAt;
    boolean measured;

    Connection(int index) {
      this.index = index;
    }
  }

  private static final class EventLoop implements Runnable {
    private final InetSocketAddress address;
    private final long warmupEnd;
    private final long end;
    private final AtomicLong budget;
    private final int okStatus;
    private final Requests requests;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Connection> reopen = new ArrayList<>();
    final Latencies latencies;
    long ok;
    long failed;
    long finishedAt;
    String failure;
    private Selector selector;
    private int inFlight;

    EventLoop(
        InetSocketAddress address,
        long warmupEnd,
        long end,
        AtomicLong budget,
        int okStatus,
        Requests requests,
        long maxRequests) {
      this.address = address;
      this.warmupEnd = warmupEnd;
      this.end = end;
      this.budget = budget;
      this.okStatus = okStatus;
      this.requests = requests;
      this.latencies = new Latencies((int) Math.min(maxRequests, 1 << 20));
    }

    void add(int index) {
      connections.add(new Connection(index));
    }

    @Override
    public void run() {
      try (Selector opened = Selector.open()) {
        selector = opened;
        for (Connection connection : connections) {
          sendNext(connection);
        }
        while (inFlight > 0 || !reopen.isEmpty()) {
          while (!reopen.isEmpty()) {
            sendNext(reopen.remove(reopen.size() - 1));
          }
          if (inFlight == 0) {
            break;
          }
          selector.select(SELECT_MILLIS);
          for (SelectionKey key : selector.selectedKeys()) {
            Connection connection = (Connection) key.attachment();
            try {
              if (key.isValid() && key.isWritable()) {
                write(connection);
              }
              if (key.isValid() && key.isReadable()) {
                read(connection);
              }
            } catch (IOException | IllegalArgumentException e) {
              // IllegalArgumentException: the answer was not HTTP; the connection is useless.
              broken(connection, e.getMessage());
            }
          }
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        noteFailure(e.getMessage());
      } finally {
        finishedAt = System.nanoTime();
        for (Connection connection : connections) {
          close(connection);
        }
      }
    }

    /** Starts the connection's next request, unless the phase is over. */
    private void sendNext(Connection connection) {
      long now = System.nanoTime();
      if (now >= end) {
        return;
      }
      boolean measured = now >= warmupEnd;
      if (measured && budget.decrementAndGet() < 0) {
        return;
      }
      if (connection.channel == null) {
        try {
          connect(connection);
        } catch (IOException e) {
          // The server refuses connections: this one stops; the others show whether it recovers.
          noteFailure("cannot connect: " + e.getMessage());
          if (measured) {
            failed++;
          }
          close(connection);
          return;
        }
      }
      connection.out = ByteBuffer.wrap(requests.request(connection.index, connection.sequence++));
      connection.measured = measured;
      connection.sentAt = System.nanoTime();
      inFlight++;
      try {
        write(connection);
      } catch (IOException e) {
        broken(connection, e.getMessage());
      }
    }

    private void connect(Connection connection) throws IOException {
      SocketChannel channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.connect(address);
      channel.configureBlocking(false);
      connection.channel = channel;
      connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
      connection.in.clear();
    }

    private void write(Connection connection) throws IOException {
      connection.channel.write(connection.out);
      connection.key.interestOps(
          connection.out.hasRemaining()
              ? SelectionKey.OP_READ | SelectionKey.OP_WRITE
              : SelectionKey.OP_READ);
    }

    private void read(Connection connection) throws IOException {
      ByteBuffer in = connection.in;
      if (!in.hasRemaining()) {
        ByteBuffer larger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        larger.put(in);
        connection.in = in = larger;
      }
      int read = connection.channel.read(in);
      if (read < 0) {
        throw new IOException("connection closed by the server");
      }
      HttpResponses.Parsed response = HttpResponses.parse(in.array(), in.position());
      if (response == null) {
        return;
      }
      long took = System.nanoTime() - connection.sentAt;
      inFlight--;
      if (connection.measured) {
        if (response.status() == okStatus) {
          ok++;
          latencies.add(took);
        } else {
          failed++;
          noteFailure("status " + response.status());
        }
      }
      int left = in.position() - response.length();
      System.arraycopy(in.array(), response.length(), in.array(), 0, left);
      in.position(left);
      if (response.close()) {
        noteFailure("the server closed the connection after status " + response.status());
        close(connection);
      }
      sendNext(connection);
    }

    /**
     * A request that got no answer: counted as failed, and the connection opened anew on the loop's
     * next turn (not here, which could recurse while the server keeps resetting connections).
     */
    private void broken(Connection connection, String why) {
      inFlight--;
      if (connection.measured) {
        failed++;
      }
      noteFailure(why);
      close(connection);
      reopen.add(connection);
    }

    /** Keeps the first failure: later ones are usually its consequences. */
    private void noteFailure(String why) {
      if (failure == null) {
        failure = why;
      }
    }

    private void close(Connection connection) {
      if (connection.channel != null) {
        try {
          connection.channel.close();
        } catch (IOException e) {
          // closing anyway
        }
        connection.channel = null;
        connection.key = null;
      }
    }
  }
}
