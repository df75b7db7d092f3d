package dev.sluice.loadgen.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTimeOrderTest {
  @TempDir Path dir;

  @Test
  void sortsAFileLargerThanARunThroughTemporaryFilesAndRemovesThem() throws Exception {
    // Newest first, as the dataset is released; ties keep the file's order.
    List<String> lines = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 200; i++) {
      int minute = random.nextInt(60);
      lines.add(
          "{\"crime_id\":\""
              + i
              + "\",\"call_date_time\":\"2018-12-31T23:"
              + String.format("%02d", minute)
              + ":00.000\"}");
    }
    lines.add(7, "{\"crime_id\":\"no-time\"}");
    lines.add(50, "garbage");
    Path file = Files.write(dir.resolve("calls.jsonl"), lines);
    Path runs = Files.createDirectory(dir.resolve("runs"));

    List<String> sorted;
    try (EventTimeOrder.Sorted records = EventTimeOrder.sort(CallFiles.open(file), runs, 16)) {
      assertThat(records.runs()).isEqualTo(13);
      assertThat(records.format()).isEqualTo("JSON lines, in event-time order");
      sorted = CallFilesTest.drain(records);
    }

    assertThat(sorted).hasSize(lines.size());
    assertThat(sorted.subList(0, 2)).containsExactly("{\"crime_id\":\"no-time\"}", "garbage");
    List<String> expected = new ArrayList<>(lines);
    expected.removeAll(sorted.subList(0, 2));
    // A stable sort by the minute, computed here from the text.
    expected.sort(java.util.Comparator.comparing(line -> line.substring(line.indexOf("23:"))));
    assertThat(sorted.subList(2, sorted.size())).isEqualTo(expected);
    try (Stream<Path> left = Files.list(runs)) {
      assertThat(left).isEmpty();
    }
  }
}
