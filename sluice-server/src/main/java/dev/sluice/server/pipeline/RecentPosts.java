package dev.sluice.server.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ids most recently posted to one write endpoint, each with a digest of its record and the
 * outcome of producing it, so that a client retrying a POST (its answer was lost, or it timed out)
 * gets the first one's answer instead of writing the record twice.
 *
 * <p>Bounded: beyond {@code capacity} ids the oldest is forgotten. So this covers retries to the
 * same server process since it started, within the window; the pipeline deduplicates by id as well.
 * Lock-free on the hot path: one {@code putIfAbsent}, one queue append.
 */
final class RecentPosts {
  /** A posted id: its record's digest and, once Kafka answered, where the record is. */
  static final class Entry {
    final String id;
    final byte[] digest;
    final CompletableFuture<RecordIngest.Receipt> outcome = new CompletableFuture<>();

    private Entry(String id, byte[] digest) {
      this.id = id;
      this.digest = digest;
    }
  }

  /**
   * The entry a post belongs to.
   *
   * @param first whether this post is the first with its id, and so the one to produce the record
   */
  record Claim(Entry entry, boolean first) {}

  private final int capacity;
  private final ConcurrentHashMap<String, Entry> byId;
  private final ConcurrentLinkedQueue<Entry> oldestFirst = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();

  RecentPosts(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a window holds at least one id, got " + capacity);
    }
    this.capacity = capacity;
    this.byId = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
  }

  /** The entry of this id: a new one when it is the first post with it, else the first's. */
  Claim claim(String id, byte[] digest) {
    Entry fresh = new Entry(id, digest);
    Entry existing = byId.putIfAbsent(id, fresh);
    if (existing != null) {
      return new Claim(existing, false);
    }
    oldestFirst.add(fresh);
    if (queued.incrementAndGet() > capacity) {
      Entry oldest = oldestFirst.poll();
      if (oldest != null) {
        queued.decrementAndGet();
        byId.remove(oldest.id, oldest);
      }
    }
    return new Claim(fresh, true);
  }

  /** Forgets a post that failed, so that a retry produces the record again. */
  void forget(Entry entry) {
    byId.remove(entry.id, entry);
  }

  /** How many ids are remembered now. */
  int size() {
    return byId.size();
  }
}
