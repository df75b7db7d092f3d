package dev.sluice.infra;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import java.io.PrintStream;

/**
 * The embedded Sluice platform in one JVM: a real Apache Kafka 4.3 broker (KRaft, broker and
 * controller combined), a real PostgreSQL 17 server and Debian's {@code redis-server} (a child
 * process, append-only persistence), started together, watched (PostgreSQL and Redis are started
 * again when they die), and stopped cleanly on SIGINT/SIGTERM (Kafka first, then PostgreSQL, then
 * Redis). Data lives under {@code $SLUICE_HOME} ({@code kafka/}, {@code postgres/}, {@code redis/})
 * and is kept between runs; logs go to {@code $SLUICE_HOME/logs/} ({@code kafka.log}, {@code
 * postgres.log}, {@code redis.log}, {@code infra.log}).
 *
 * <p>Run it from the checkout:
 *
 * <pre>
 * $ ./sluice infra
 * SLUICE_KAFKA=127.0.0.1:19092
 * SLUICE_DB_URL=jdbc:postgresql://127.0.0.1:15432/sluice
 * SLUICE_DB_USER=sluice
 * SLUICE_REDIS=redis://127.0.0.1:16379
 * SLUICE_INFRA_READY=true
 * </pre>
 *
 * <p>or, after {@code mvn -DskipTests install}, directly:
 *
 * <pre>
 * $ java -cp "sluice-infra/target/classes:$(cat sluice-infra/target/runtime-classpath.txt)" \
 *     dev.sluice.infra.InfraMain
 * </pre>
 *
 * <p>Standard output carries only those {@code KEY=value} lines (progress goes to standard error),
 * so a launcher can read them; the same lines plus {@code SLUICE_INFRA_PID} are in {@code
 * $SLUICE_HOME/infra.env} while the platform runs. It then keeps running until stopped with Ctrl-C
 * or {@code kill <pid>}. Ports come from {@code SLUICE_EMBEDDED_KAFKA_PORT} (default 19092; the
 * controller takes the next port), {@code SLUICE_EMBEDDED_POSTGRES_PORT} (default 15432) and {@code
 * SLUICE_EMBEDDED_REDIS_PORT} (default 16379), all bound to 127.0.0.1. With {@code SLUICE_KAFKA},
 * {@code SLUICE_DB_URL} or {@code SLUICE_REDIS} set, that system is external and not started; the
 * external value is printed instead. Without {@code redis-server} on the {@code PATH} the platform
 * starts without Redis and says on standard error to install Debian package {@code redis-server};
 * {@code SLUICE_EMBEDDED_REDIS=false} leaves it out on purpose. A password ({@code
 * SLUICE_REDIS_PASSWORD}) is never printed: it goes into Redis's settings file (mode 0600). The
 * input topics of every registered pipeline are created when missing, with the partitions their
 * settings give (e.g. {@code SLUICE_REVIEWS_PARTITIONS}).
 *
 * <p>Time to ready on two cores: about 3-5 s on later starts; about 10 s on the very first start of
 * a machine (PostgreSQL binaries unpacked to the temp dir, initdb, Kafka storage formatted), 3-4 s
 * for a new {@code SLUICE_HOME} once the binaries are unpacked; about 9 s after a kill -9 (the
 * broker's old registration must expire first).
 *
 * <p>Exit codes: 2 for a bad setting (one line per problem), 1 when the platform cannot start (for
 * example a port in use, named with the variable that moves it) or a service stopped on its own. If
 * an earlier instance was killed, the PostgreSQL server it left running is stopped first.
 */
public final class InfraMain {
  private InfraMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    InfraPlan plan;
    try {
      plan = InfraPlan.from(SluiceConfig.fromEnvironment());
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      System.exit(2);
      return;
    }
    // Read by log4j2.xml; must be set before the first logger is created.
    System.setProperty("sluice.log.dir", plan.logDir().toString());
    // Only the announcements may reach stdout, whatever a library prints.
    PrintStream announcements = System.out;
    System.setOut(System.err);
    System.exit(new InfraSupervisor(plan, announcements).run());
  }
}
