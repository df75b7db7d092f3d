package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.testing.TableRows;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A row the store refuses, though its decoder accepted it, is quarantined on its own with the
 * store's reason; the other rows of its round trip and of its partition are written.
 */
class SinkIsolationIT {
  static final StructType ROWS =
      new StructType()
          .add("topic", DataTypes.StringType)
          .add("partition", DataTypes.IntegerType)
          .add("offset", DataTypes.LongType)
          .add("amount", DataTypes.IntegerType)
          .add("kafka_ts", DataTypes.TimestampType);

  @Test
  void refusedRowsAreQuarantinedAndTheRestWritten() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String schema = "sink_isolation";
    try (Connection admin =
            java.sql.DriverManager.getConnection(platform.dbUrl(), platform.dbUser(), null);
        Statement statement = admin.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      statement.execute("CREATE SCHEMA " + schema);
    }
    Database database =
        new Database(platform.dbUrl() + "?currentSchema=" + schema, platform.dbUser(), null);
    database.migrate(List.of());
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE amounts (kafka_offset bigint PRIMARY KEY, amount integer NOT NULL CHECK (amount >= 0))");
    }
    // 2,500 rows over three round trips; the refused ones sit in the first and the last.
    List<Row> rows = new ArrayList<>();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    for (long offset = 0; offset < 2_500; offset++) {
      int amount = offset == 7 || offset == 2_499 ? -1 : (int) offset;
      rows.add(new GenericRowWithSchema(new Object[] {"t", 0, offset, amount, now}, ROWS));
    }

    int quarantined =
        ExecutorJdbcWriter.writePartition(
            rows.iterator(),
            database,
            "INSERT INTO amounts (kafka_offset, amount) VALUES (?, ?) ON CONFLICT (kafka_offset) DO UPDATE SET amount = EXCLUDED.amount",
            (statement, row) -> {
              statement.setLong(1, row.getLong(2));
              statement.setInt(2, row.getInt(3));
            },
            new ExecutorJdbcWriter.Isolation("amounts", 5));

    assertThat(quarantined).isEqualTo(2);
    try (Connection connection = database.connect()) {
      assertThat(TableRows.count(connection, "SELECT count(*) FROM amounts")).isEqualTo(2_498);
      assertThat(
              TableRows.rows(
                  connection,
                  "SELECT kafka_offset || ' ' || batch_id || ' ' || reason FROM quarantine WHERE pipeline = 'amounts' ORDER BY kafka_offset"))
          .hasSize(2)
          .allMatch(
              row ->
                  row.contains(" 5 the store refused it: ") && row.contains("amounts_amount_check"))
          .first()
          .asString()
          .startsWith("7 ");
    }
  }
}
