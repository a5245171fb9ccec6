package io.stratusmail.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Cassandra and OpenSearch for integration tests, shared by every test class of a JVM.
 *
 * <p>Each engine is started lazily, at most once per JVM, and stopped by a shutdown hook when the JVM
 * exits. Where it comes from, in this order:
 * <ol>
 *   <li>an existing cluster named by an environment variable: {@code STRATUS_CASSANDRA}
 *       ({@code host:port}, optionally {@code /datacenter}) or {@code STRATUS_OPENSEARCH} (a base URL);
 *       nothing is started;</li>
 *   <li>else, when {@code org.testcontainers:testcontainers} is on the test classpath and a Docker engine
 *       answers, a container of the official image ({@code cassandra:5.0},
 *       {@code opensearchproject/opensearch:2.19.x} with security disabled);</li>
 *   <li>else a {@link LocalCluster} on free loopback ports in a throwaway directory under
 *       {@code target/} (test speed flags and {@code unsafesystem} on), deleted at exit.</li>
 * </ol>
 * Set {@code STRATUS_TEST_DOCKER=false} to skip the Docker check. Tests share the engines, so each
 * test should use its own keyspace or index names (or truncate what it uses).
 *
 * <p>A failed start is remembered: later calls in the same JVM fail at once with the same cause.
 */
public final class TestCluster {

    private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);
    /** Generous: other builds may be competing for the same two cores. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final int PORT_ATTEMPTS = 3;

    private static CassandraEndpoint cassandra;
    private static URI openSearch;
    private static RuntimeException cassandraFailure;
    private static RuntimeException openSearchFailure;

    private TestCluster() {
    }

    /**
     * The shared Cassandra, started on first use (seconds to a minute, depending on the machine's load).
     *
     * @throws LocalClusterException if it cannot be started (every later call throws too)
     */
    public static synchronized CassandraEndpoint cassandra() {
        if (cassandra == null) {
            rethrowEarlierFailure(Engine.CASSANDRA, cassandraFailure);
            try {
                cassandra = provideCassandra();
            } catch (RuntimeException e) {
                cassandraFailure = e;
                throw e;
            }
        }
        return cassandra;
    }

    /**
     * The shared OpenSearch base URL without trailing slash, e.g. {@code http://127.0.0.1:41234},
     * started on first use.
     *
     * @throws LocalClusterException if it cannot be started (every later call throws too)
     */
    public static synchronized URI opensearch() {
        if (openSearch == null) {
            rethrowEarlierFailure(Engine.OPENSEARCH, openSearchFailure);
            try {
                openSearch = provideOpenSearch();
            } catch (RuntimeException e) {
                openSearchFailure = e;
                throw e;
            }
        }
        return openSearch;
    }

    /**
     * Both shared engines. When both are still to be started locally, they start in parallel in one
     * {@link LocalCluster}.
     *
     * @throws LocalClusterException if one cannot be started
     */
    public static synchronized Endpoints all() {
        boolean bothLocal = cassandra == null && openSearch == null
                && cassandraFailure == null && openSearchFailure == null
                && externalCassandra().isEmpty() && externalOpenSearch().isEmpty() && !DockerCheck.useDocker();
        if (bothLocal) {
            try {
                Endpoints endpoints = startLocal(Engine.CASSANDRA, Engine.OPENSEARCH);
                cassandra = endpoints.cassandra().orElseThrow();
                openSearch = endpoints.openSearch().orElseThrow();
            } catch (RuntimeException e) {
                cassandraFailure = e;
                openSearchFailure = e;
                throw e;
            }
        }
        return new Endpoints(Optional.of(cassandra()), Optional.of(opensearch()));
    }

    private static void rethrowEarlierFailure(Engine engine, RuntimeException failure) {
        if (failure != null) {
            throw new LocalClusterException("shared test " + engine.directoryName()
                    + " failed to start earlier in this JVM: " + failure.getMessage(), failure);
        }
    }

    private static CassandraEndpoint provideCassandra() {
        Optional<CassandraEndpoint> external = externalCassandra();
        if (external.isPresent()) {
            LOG.info("event=test_cassandra source=env endpoint={}", external.get());
            return external.get();
        }
        if (DockerCheck.useDocker()) {
            return DockerEngines.cassandra();
        }
        return startLocal(Engine.CASSANDRA).cassandra().orElseThrow();
    }

    private static URI provideOpenSearch() {
        Optional<URI> external = externalOpenSearch();
        if (external.isPresent()) {
            LOG.info("event=test_opensearch source=env url={}", external.get());
            return external.get();
        }
        if (DockerCheck.useDocker()) {
            return DockerEngines.openSearch();
        }
        return startLocal(Engine.OPENSEARCH).openSearch().orElseThrow();
    }

    private static Optional<CassandraEndpoint> externalCassandra() {
        return env("STRATUS_CASSANDRA").map(CassandraEndpoint::parse);
    }

    private static Optional<URI> externalOpenSearch() {
        return env("STRATUS_OPENSEARCH").map(url -> URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static Endpoints startLocal(Engine first, Engine... more) {
        for (int attempt = 1; ; attempt++) {
            Path directory = throwawayDirectory();
            LocalCluster cluster = LocalCluster.builder(directory)
                    .engines(first, more)
                    .freePorts()
                    .testSpeedFlags(true)
                    .throwawayData(true)
                    .startTimeout(START_TIMEOUT)
                    .build();
            Thread cleanup = new Thread(() -> {
                cluster.stop();
                deleteRecursively(directory);
            }, "test-cluster-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                return cluster.start();
            } catch (PortInUseException e) {
                // Another process took a free port between choice and check: choose again.
                Runtime.getRuntime().removeShutdownHook(cleanup);
                deleteRecursively(directory);
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("event=test_cluster_port_taken port={} attempt={}", e.port(), attempt);
            }
        }
    }

    private static Path throwawayDirectory() {
        Path target = Path.of("target");
        Path base = Files.isDirectory(target) ? target.resolve("stratus-test-cluster")
                : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, "cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a test cluster directory under " + base, e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("event=test_cluster_not_deleted dir={} error={}", directory, e.toString());
        }
    }
}
