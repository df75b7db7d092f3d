package dev.sluice.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Function;
import com.sun.jna.Structure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No native memory leaks per inspection. Two measures: glibc's {@code mallinfo2}, the bytes the C
 * heap has handed out and not had back (exact for ModSecurity's and libinjection's allocations,
 * whatever the JVM's heap does), and the process's resident set from {@code /proc/self/status}, the
 * figure an operator sees.
 *
 * <p>The count is {@code -Dleak.inspections} (default 40,000, enough for the smallest leak below to
 * fail the bound twice over, at a minute of the suite's time). Half the events are attacks, so the
 * engine allocates intervention and log strings for them: a lost transaction (kilobytes) or a lost
 * string (hundreds of bytes) per inspection would add megabytes over the run and fail the bound.
 * The resident set is the weaker check (it fell by 9 MB in the run that leaked 5.5 MB), kept for
 * leaks outside malloc.
 */
class NativeMemoryIT {
  private static final int INSPECTIONS = Integer.getInteger("leak.inspections", 40_000);
  private static final int WARM_UP = 5_000;

  /**
   * 4 MiB, against +/- 0.3 MB measured over 100,000 inspections. Not freeing the intervention's log
   * string alone (about 550 bytes per blocked attack) added 5.5 MB over 20,000 inspections, and
   * fails this bound from about 15,000.
   */
  private static final long MAX_MALLOC_GROWTH = 4L << 20;

  private static final long MAX_RSS_GROWTH = 128L << 20;

  /** {@code struct mallinfo2}: ten {@code size_t} counters. */
  @Structure.FieldOrder({
    "arena",
    "ordblks",
    "smblks",
    "hblks",
    "hblkhd",
    "usmblks",
    "fsmblks",
    "uordblks",
    "fordblks",
    "keepcost"
  })
  public static class MallInfo2 extends Structure implements Structure.ByValue {
    public long arena;
    public long ordblks;
    public long smblks;
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;
  }

  /** Bytes allocated with malloc and not freed, in every arena and in mmapped chunks. */
  private static long mallocInUse() {
    MallInfo2 info =
        (MallInfo2) Function.getFunction("c", "mallinfo2").invoke(MallInfo2.class, new Object[0]);
    return info.uordblks + info.hblkhd;
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("/proc/self/status has no VmRSS line");
  }

  @Test
  void inspectionsDoNotGrowTheNativeHeap() throws IOException {
    List<HttpEvent> events = events();
    try (Inspector inspector = Inspector.open()) {
      int attacksFound = 0;
      for (int i = 0; i < WARM_UP; i++) {
        inspector.inspect(events.get(i % events.size()));
      }
      System.gc();
      long mallocBefore = mallocInUse();
      long rssBefore = residentBytes();

      for (int i = 0; i < INSPECTIONS; i++) {
        if (!inspector.inspect(events.get(i % events.size())).isEmpty()) {
          attacksFound++;
        }
      }
      System.gc();
      long mallocGrowth = mallocInUse() - mallocBefore;
      long rssGrowth = residentBytes() - rssBefore;
      System.out.printf(
          "%,d inspections: malloc in use %+,d bytes, resident %+,d bytes%n",
          INSPECTIONS, mallocGrowth, rssGrowth);

      assertThat(attacksFound).as("attacks found").isEqualTo(INSPECTIONS / 2);
      assertThat(mallocGrowth).as("malloc growth in bytes").isLessThan(MAX_MALLOC_GROWTH);
      assertThat(rssGrowth).as("resident set growth in bytes").isLessThan(MAX_RSS_GROWTH);
    }
  }

  private static List<HttpEvent> events() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "shop.example");
    headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)");
    Map<String, String> form = new LinkedHashMap<>(headers);
    form.put("Content-Type", "application/x-www-form-urlencoded");
    return List.of(
        new HttpEvent("GET", "/items?id=1%27%20or%20%271%27%3D%271", headers, null),
        new HttpEvent("GET", "/search?q=summer+shoes", headers, null),
        new HttpEvent("POST", "/c", form, "text=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        new HttpEvent("POST", "/reviews", form, "text=A+fine+film%2C+well+acted."));
  }
}
