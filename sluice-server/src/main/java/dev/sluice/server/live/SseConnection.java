package dev.sluice.server.live;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One dashboard's event stream. Frames are written with non-blocking servlet I/O, so the thread
 * that fans an update out to thousands of streams never waits for a slow one; a client that falls
 * {@value #MAX_QUEUED_FRAMES} frames behind is disconnected (its browser reconnects and starts from
 * a fresh snapshot, so it loses nothing but time).
 */
final class SseConnection implements WriteListener {
  static final int MAX_QUEUED_FRAMES = 32;

  private final ServletOutputStream out;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private boolean unflushed;
  private boolean listening;
  private volatile boolean overflowed;

  SseConnection(ServletOutputStream out) {
    this.out = out;
  }

  /** Completes when the stream is over, whoever ended it. */
  CompletableFuture<Void> closed() {
    return closed;
  }

  boolean isClosed() {
    return closed.isDone();
  }

  /** Starts non-blocking writing; frames offered before are written first. */
  void start() {
    synchronized (this) {
      listening = true;
    }
    out.setWriteListener(this);
  }

  /**
   * Queues a frame and writes what the socket takes now. Returns false when the client is gone or
   * too far behind, in which case the stream has been closed.
   */
  boolean send(byte[] frame) {
    synchronized (this) {
      if (closed.isDone()) {
        return false;
      }
      if (queue.size() >= MAX_QUEUED_FRAMES) {
        overflowed = true;
        close();
        return false;
      }
      queue.add(frame);
    }
    drain();
    return true;
  }

  /** Whether the stream was closed because the client fell too far behind. */
  boolean overflowed() {
    return overflowed;
  }

  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable t) {
    close();
  }

  void close() {
    synchronized (this) {
      queue.clear();
    }
    closed.complete(null);
  }

  private synchronized void drain() {
    if (!listening || closed.isDone()) {
      return;
    }
    try {
      // isReady() false means a write is in flight; the container calls onWritePossible after it.
      while (out.isReady()) {
        byte[] next = queue.poll();
        if (next != null) {
          out.write(next);
          unflushed = true;
        } else if (unflushed) {
          unflushed = false;
          out.flush();
        } else {
          return;
        }
      }
    } catch (IOException | IllegalStateException e) {
      close();
    }
  }
}
