package io.stratusmail.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;

/**
 * A JVM that took engines from {@link TestCluster} leaves no engine behind however it ends: killed
 * with SIGKILL (no shutdown hook runs; each engine's watchdog shuts it down) or with SIGTERM (the
 * shutdown hooks stop the engines and delete their throwaway directory). Also checks that
 * TestCluster's engines answer from a separate JVM, as other modules' tests use them.
 */
class LauncherExitTest {

    private static final Logger LOG = LoggerFactory.getLogger(LauncherExitTest.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /** Watchdog poll (1 s) plus Cassandra's drain on exit (3-5 s), with room for a loaded machine. */
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path workDirectory;

    @Test
    void enginesExitWhenTheirLauncherIsKilled() throws Exception {
        Process launcher = startChild("all");
        try {
            String[] ready = awaitReadyLine(launcher).split(" ");
            List<ProcessHandle> engines = launcher.descendants().toList();
            assertThat(engines).hasSize(2);
            assertCassandraAnswers(CassandraEndpoint.parse(ready[1]));
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(ready[2]).resolve("/_cluster/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).containsPattern("\"status\":\"(green|yellow)\"");

            launcher.destroyForcibly(); // SIGKILL: the launcher's shutdown hooks never run
            launcher.waitFor();
            long killedAt = System.nanoTime();

            assertAllExit(engines, killedAt);
            LOG.info("event=orphans_gone millis={}", (System.nanoTime() - killedAt) / 1_000_000);
        } finally {
            cleanUp(launcher);
        }
    }

    @Test
    void sigtermStopsTheEnginesAndDeletesTheirDirectory() throws Exception {
        Process launcher = startChild("cassandra");
        try {
            String[] ready = awaitReadyLine(launcher).split(" ");
            List<ProcessHandle> engines = launcher.descendants().toList();
            assertThat(engines).hasSize(1);
            assertThat(clusterDirectories()).hasSize(1);
            assertCassandraAnswers(CassandraEndpoint.parse(ready[1]));

            launcher.destroy(); // SIGTERM: shutdown hooks run
            long terminatedAt = System.nanoTime();
            assertThat(launcher.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertAllExit(engines, terminatedAt);
            assertThat(clusterDirectories()).isEmpty();
        } finally {
            cleanUp(launcher);
        }
    }

    private Process startChild(String engines) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Djava.io.tmpdir=" + workDirectory,
                "-cp", System.getProperty("java.class.path"),
                TestClusterChild.class.getName(), engines)
                .directory(workDirectory.toFile()) // no target/ here: the cluster goes under java.io.tmpdir
                .redirectErrorStream(true)
                .redirectOutput(output().toFile());
        builder.environment().remove("STRATUS_CASSANDRA");
        builder.environment().remove("STRATUS_OPENSEARCH");
        builder.environment().put("STRATUS_TEST_DOCKER", "false");
        return builder.start();
    }

    private Path output() {
        return workDirectory.resolve("child.log");
    }

    private List<Path> clusterDirectories() throws IOException {
        try (Stream<Path> children = Files.list(workDirectory)) {
            return children.filter(path -> path.getFileName().toString().startsWith("cluster-")).toList();
        }
    }

    private String awaitReadyLine(Process launcher) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(output())) {
                Optional<String> ready = Files.readAllLines(output()).stream()
                        .filter(line -> line.startsWith("READY ")).findFirst();
                if (ready.isPresent()) {
                    return ready.get();
                }
            }
            if (!launcher.isAlive()) {
                throw new AssertionError("launcher exited with " + launcher.exitValue() + ":\n" + Files.readString(output()));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("launcher not ready after " + START_TIMEOUT + ":\n" + Files.readString(output()));
    }

    private static void assertCassandraAnswers(CassandraEndpoint cassandra) {
        try (CqlSession session = CqlSession.builder().addContactPoint(cassandra.address())
                .withLocalDatacenter(cassandra.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .build()) {
            assertThat(session.execute("SELECT release_version FROM system.local").one().getString(0))
                    .isEqualTo("5.0.9");
        }
    }

    private static void assertAllExit(List<ProcessHandle> engines, long sinceNanos) throws Exception {
        for (ProcessHandle engine : engines) {
            long remaining = EXIT_DEADLINE.toNanos() - (System.nanoTime() - sinceNanos);
            Optional<ProcessHandle> exited = Optional.empty();
            try {
                exited = Optional.of(engine.onExit().get(Math.max(remaining, 0), TimeUnit.NANOSECONDS));
            } catch (TimeoutException stillAlive) {
                // asserted below
            }
            assertThat(exited).as("engine pid %d still alive %s after its launcher ended",
                    engine.pid(), EXIT_DEADLINE).isPresent();
        }
    }

    private static void cleanUp(Process launcher) {
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
    }
}
