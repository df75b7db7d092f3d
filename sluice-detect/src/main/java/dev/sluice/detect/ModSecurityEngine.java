package dev.sluice.detect;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One ModSecurity engine with one compiled rules set, shared by every thread: the rules set is
 * read-only once loaded, and each {@link #evaluate} runs its own transaction, which it always
 * cleans up. Close it once, after the last evaluation.
 *
 * <p>The engine reports matched rules only through its log callback, which it calls on the
 * evaluating thread with the pointer given to the transaction; that pointer is a number naming the
 * transaction's collector here, so concurrent transactions never see each other's matches.
 */
public final class ModSecurityEngine implements AutoCloseable {
  /** {@code sizeof(ModSecurityIntervention)}: int status, int pause, char *url, char *log, int. */
  private static final int INTERVENTION_SIZE = 32;

  private static final int URL_OFFSET = 8;
  private static final int LOG_OFFSET = 16;
  private static final int DISRUPTIVE_OFFSET = 24;

  private static final byte[] CLIENT = cString("127.0.0.1");
  private static final byte[] HTTP_VERSION = cString("1.1");

  private final Pointer modsec;
  private final Pointer rules;
  private final Map<Long, List<String>> logsByTransaction = new ConcurrentHashMap<>();
  private final AtomicLong nextTransaction = new AtomicLong(1);
  // Held in a field: JNA frees a callback's native stub once the Java object is unreachable.
  private final ModSecurityLibrary.LogCallback logCallback = this::collect;
  private volatile boolean closed;

  /** The outcome of one transaction: the matched rules, and whether the rules asked to block. */
  public record Verdict(List<RuleMatch> matches, boolean disruptive, int status) {
    public Verdict {
      matches = List.copyOf(matches);
    }
  }

  private ModSecurityEngine(Pointer modsec, Pointer rules) {
    this.modsec = modsec;
    this.rules = rules;
  }

  /**
   * Compiles {@code directives} (text, loaded first) and then the rule files, in order.
   *
   * @throws IllegalArgumentException with ModSecurity's parser error when a file does not compile
   */
  public static ModSecurityEngine load(String directives, List<Path> ruleFiles) {
    NativeEngines.requireLibrary();
    Pointer modsec = ModSecurityLibrary.msc_init();
    ModSecurityLibrary.msc_set_connector_info(modsec, cString("sluice-detect"));
    Pointer rules = ModSecurityLibrary.msc_create_rules_set();
    ModSecurityEngine engine = new ModSecurityEngine(modsec, rules);
    ModSecurityLibrary.msc_set_log_cb(modsec, engine.logCallback);
    try {
      engine.addRules("the directives", directives, false);
      for (Path file : ruleFiles) {
        engine.addRules(file.toString(), file.toString(), true);
      }
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  private void addRules(String source, String text, boolean isFile) {
    long[] error = new long[1];
    int added =
        isFile
            ? ModSecurityLibrary.msc_rules_add_file(rules, cString(text), error)
            : ModSecurityLibrary.msc_rules_add(rules, cString(text), error);
    if (added < 0) {
      String reason =
          error[0] == 0 ? "no reason given" : new Pointer(error[0]).getString(0, "UTF-8");
      ModSecurityLibrary.free(error[0]);
      throw new IllegalArgumentException(
          "ModSecurity cannot load " + source + ": " + reason.strip());
    }
    ModSecurityLibrary.free(error[0]);
  }

  /** Runs {@code event} through the rules as the request {@link HttpRequests#of} makes of it. */
  public Verdict evaluate(HttpEvent event) {
    return evaluate(HttpRequests.of(event));
  }

  /** Runs {@code request} through the rules, phases 1 and 2 (connection, URI, headers, body). */
  public Verdict evaluate(HttpRequest request) {
    if (closed) {
      throw new IllegalStateException("the ModSecurity engine is closed");
    }
    long id = nextTransaction.getAndIncrement();
    List<String> log = new ArrayList<>();
    logsByTransaction.put(id, log);
    // With an id of ours: the library's own draws one from a new std::random_device each time,
    // which was 3% of an inspection with the whole rule set and 18% with the initialization alone.
    Pointer transaction =
        ModSecurityLibrary.msc_new_transaction_with_id(
            modsec, rules, cString(Long.toString(id)), new Pointer(id));
    try (Memory intervention = new Memory(INTERVENTION_SIZE)) {
      ModSecurityLibrary.msc_process_connection(transaction, CLIENT, 40000, CLIENT, 80);
      ModSecurityLibrary.msc_process_uri(
          transaction, cString(request.uri()), cString(request.method()), HTTP_VERSION);
      for (Map.Entry<String, String> header : request.headers()) {
        byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
        byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
        ModSecurityLibrary.msc_add_n_request_header(
            transaction, name, name.length, value, value.length);
      }
      ModSecurityLibrary.msc_process_request_headers(transaction);
      byte[] body = request.body();
      if (body.length > 0) {
        ModSecurityLibrary.msc_append_request_body(transaction, body, body.length);
      }
      ModSecurityLibrary.msc_process_request_body(transaction);

      intervention.clear();
      intervention.setInt(0, 200);
      boolean disruptive = ModSecurityLibrary.msc_intervention(transaction, intervention) > 0;
      int status = intervention.getInt(0);
      disruptive = disruptive && intervention.getInt(DISRUPTIVE_OFFSET) != 0;
      ModSecurityLibrary.free(intervention.getPointer(URL_OFFSET));
      ModSecurityLibrary.free(intervention.getPointer(LOG_OFFSET));

      List<RuleMatch> matches = new ArrayList<>();
      for (String line : log) {
        matches.addAll(RuleMatch.fromLog(line));
      }
      return new Verdict(matches, disruptive, disruptive ? status : 200);
    } finally {
      ModSecurityLibrary.msc_transaction_cleanup(transaction);
      logsByTransaction.remove(id);
    }
  }

  private void collect(Pointer data, Pointer message) {
    if (data == null || message == null) {
      return;
    }
    List<String> log = logsByTransaction.get(Pointer.nativeValue(data));
    if (log != null) {
      log.add(message.getString(0, "UTF-8"));
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      ModSecurityLibrary.msc_rules_cleanup(rules);
      ModSecurityLibrary.msc_cleanup(modsec);
    }
  }

  static byte[] cString(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] terminated = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, terminated, 0, utf8.length);
    return terminated;
  }
}
