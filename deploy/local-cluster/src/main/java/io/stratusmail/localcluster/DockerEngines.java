package io.stratusmail.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link TestCluster}'s Docker path: the official images as Testcontainers containers. Loaded only
 * after {@link DockerCheck} found Testcontainers on the classpath. Testcontainers' reaper removes the
 * containers when the JVM exits.
 */
final class DockerEngines {

    private static final int CQL_PORT = 9042;
    private static final int OPENSEARCH_PORT = 9200;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private DockerEngines() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static CassandraEndpoint cassandra() {
        String image = System.getenv().getOrDefault("STRATUS_CASSANDRA_IMAGE", "cassandra:5.0");
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(CQL_PORT)
                .withEnv("MAX_HEAP_SIZE", "1G")
                .withEnv("HEAP_NEWSIZE", "128M")
                .waitingFor(Wait.forLogMessage(".*Starting listening for CQL clients.*\\n", 1)
                        .withStartupTimeout(START_TIMEOUT));
        container.start();
        return new CassandraEndpoint(container.getHost(), container.getMappedPort(CQL_PORT),
                CassandraEndpoint.LOCAL_DATACENTER);
    }

    static URI openSearch() {
        String image = System.getenv().getOrDefault("STRATUS_OPENSEARCH_IMAGE",
                "opensearchproject/opensearch:" + versions().getProperty("opensearch.version"));
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(OPENSEARCH_PORT)
                .withEnv("discovery.type", "single-node")
                .withEnv("DISABLE_SECURITY_PLUGIN", "true")
                .withEnv("DISABLE_INSTALL_DEMO_CONFIG", "true")
                .withEnv("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m")
                .waitingFor(Wait.forHttp("/_cluster/health").forPort(OPENSEARCH_PORT).forStatusCode(200)
                        .withStartupTimeout(START_TIMEOUT));
        container.start();
        return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(OPENSEARCH_PORT));
    }

    private static Properties versions() {
        Properties properties = new Properties();
        try (InputStream in = DockerEngines.class.getResourceAsStream("/META-INF/stratus/local-cluster.properties")) {
            if (in == null) {
                throw new IllegalStateException("META-INF/stratus/local-cluster.properties missing from local-cluster");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
