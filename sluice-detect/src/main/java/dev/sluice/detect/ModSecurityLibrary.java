package dev.sluice.detect;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The C API of Debian's {@code libmodsecurity3} ({@code modsecurity/modsecurity.h}, {@code
 * rules_set.h}, {@code transaction.h}, {@code intervention.h} of ModSecurity 3.0) and the
 * libinjection functions the same library exports, bound with JNA direct mapping.
 *
 * <p>Direct mapping rather than an interface proxy: every event crosses here a dozen times
 * (libinjection per field, a transaction's phases), and direct calls skip the proxy's reflection
 * and argument boxing; every signature is plain pointers, ints and byte arrays, which direct
 * mapping supports. Inputs are passed as UTF-8 byte arrays with explicit lengths or a terminating
 * NUL appended here, never as Java strings, so the encoding is fixed and no text is cut at an
 * embedded NUL by surprise.
 *
 * <p>Headers go in with {@code msc_add_n_request_header}, the length-taking form of {@code
 * msc_add_request_header}, so a header value is passed whole whatever bytes it holds.
 *
 * <p>Loading is deferred to {@link #load()}, which {@link NativeEngines#requireInstalled()} calls
 * after checking that the library exists, so a missing package gives one clear message.
 */
final class ModSecurityLibrary {
  /** The shared object's soname: the ABI this binding was written against. */
  static final String SONAME = "libmodsecurity.so.3";

  private static volatile boolean loaded;

  private ModSecurityLibrary() {}

  /** Binds the natives below to {@link #SONAME}; throws {@link UnsatisfiedLinkError} if absent. */
  static synchronized void load() {
    if (!loaded) {
      Native.register(ModSecurityLibrary.class, NativeLibrary.getInstance(SONAME));
      loaded = true;
    }
  }

  /** {@code typedef void (*ModSecLogCb)(void *data, const void *message)}. */
  interface LogCallback extends Callback {
    void invoke(Pointer data, Pointer message);
  }

  // libinjection (libinjection.h): results are 1 for an attack, 0 for none, -1 for an error.
  static native int libinjection_sqli(byte[] input, long length, byte[] fingerprint);

  static native int libinjection_xss(byte[] input, long length);

  // ModSecurity engine (modsecurity.h)
  static native Pointer msc_init();

  static native void msc_set_connector_info(Pointer modsec, byte[] connector);

  static native void msc_set_log_cb(Pointer modsec, LogCallback callback);

  static native void msc_cleanup(Pointer modsec);

  // Rules (rules_set.h). The error out-parameter (a char **, here one 64-bit address) is malloc'ed
  // by the library; the caller frees it.
  static native Pointer msc_create_rules_set();

  static native int msc_rules_add_file(Pointer rules, byte[] file, long[] error);

  static native int msc_rules_add(Pointer rules, byte[] plainRules, long[] error);

  static native int msc_rules_cleanup(Pointer rules);

  // Transactions (transaction.h)
  static native Pointer msc_new_transaction(Pointer modsec, Pointer rules, Pointer logData);

  /**
   * A transaction with the given id (a NUL-terminated string the library copies). Without one, the
   * library draws an id from a freshly seeded {@code std::random_device} for every transaction.
   */
  static native Pointer msc_new_transaction_with_id(
      Pointer modsec, Pointer rules, byte[] id, Pointer logData);

  static native int msc_process_connection(
      Pointer transaction, byte[] client, int clientPort, byte[] server, int serverPort);

  static native int msc_process_uri(
      Pointer transaction, byte[] uri, byte[] protocol, byte[] httpVersion);

  static native int msc_add_n_request_header(
      Pointer transaction, byte[] key, long keyLength, byte[] value, long valueLength);

  static native int msc_process_request_headers(Pointer transaction);

  static native int msc_append_request_body(Pointer transaction, byte[] body, long length);

  static native int msc_process_request_body(Pointer transaction);

  /** Fills a {@code ModSecurityIntervention}; its {@code url} and {@code log} are the caller's. */
  static native int msc_intervention(Pointer transaction, Pointer intervention);

  static native void msc_transaction_cleanup(Pointer transaction);

  /** The C library's {@code free}, for the strings ModSecurity hands over. */
  static void free(Pointer pointer) {
    free(Pointer.nativeValue(pointer));
  }

  static void free(long address) {
    if (address != 0) {
      Native.free(address);
    }
  }
}
