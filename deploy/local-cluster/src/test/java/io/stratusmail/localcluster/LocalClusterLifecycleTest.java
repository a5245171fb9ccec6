package io.stratusmail.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * One cluster's life: both engines start in parallel and answer, a second launcher cannot take the
 * same data directory, stop leaves no process and frees the ports, a restart finds the data.
 * The engines start twice in this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterLifecycleTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDirectory;

    private LocalCluster cluster;
    private Endpoints endpoints;
    private Map<Engine, Long> firstRunPids;

    @BeforeAll
    void startBothEngines() {
        cluster = LocalCluster.builder(dataDirectory).freePorts().testSpeedFlags(true).build();
        endpoints = cluster.start();
        firstRunPids = cluster.pids();
    }

    @AfterAll
    void stopEngines() {
        cluster.close();
    }

    @Test
    @Order(1)
    void cassandraAnswersCqlAndStoresRows() {
        assertThat(firstRunPids).containsOnlyKeys(Engine.CASSANDRA, Engine.OPENSEARCH);
        CassandraEndpoint cassandra = endpoints.cassandra().orElseThrow();
        assertThat(cassandra.host()).isEqualTo("127.0.0.1");
        assertThat(cassandra.localDatacenter()).isEqualTo("datacenter1");
        try (CqlSession session = session(cassandra)) {
            assertThat(session.execute("SELECT release_version FROM system.local").one().getString(0))
                    .isEqualTo("5.0.9");
            session.execute("CREATE KEYSPACE lifecycle WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE lifecycle.mailbox (name text PRIMARY KEY, uidvalidity bigint)");
            session.execute("INSERT INTO lifecycle.mailbox (name, uidvalidity) VALUES ('INBOX', 1700000001)");
            assertThat(session.execute("SELECT uidvalidity FROM lifecycle.mailbox WHERE name = 'INBOX'").one().getLong(0))
                    .isEqualTo(1_700_000_001L);
        }
    }

    @Test
    @Order(2)
    void openSearchIsHealthyAndIndexesDocuments() throws Exception {
        URI base = endpoints.openSearch().orElseThrow();
        assertThat(base.toString()).startsWith("http://127.0.0.1:").doesNotEndWith("/");
        assertThat(get(base, "/_cluster/health").body()).containsPattern("\"status\":\"(green|yellow)\"");

        HttpResponse<String> indexed = HTTP.send(HttpRequest.newBuilder(base.resolve("/messages/_doc/42?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"subject\":\"Quarterly report\",\"uid\":42}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(indexed.statusCode()).isEqualTo(201);

        HttpResponse<String> fetched = get(base, "/messages/_doc/42");
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).contains("\"found\":true", "Quarterly report");
    }

    @Test
    @Order(3)
    void secondLauncherOnTheSameDataDirectoryIsRefused() {
        LocalCluster intruder = LocalCluster.builder(dataDirectory).freePorts().testSpeedFlags(true).build();

        assertThatThrownBy(intruder::start)
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("cassandra is already running on " + dataDirectory.resolve("cassandra"))
                .hasMessageContaining("pid " + firstRunPids.get(Engine.CASSANDRA));
        assertThat(intruder.isRunning()).isFalse();
        assertThat(liveChildren()).containsExactlyInAnyOrderElementsOf(firstRunPids.values());
    }

    @Test
    @Order(4)
    void stopEndsEveryEngineProcessAndFreesThePorts() {
        CassandraEndpoint cassandra = endpoints.cassandra().orElseThrow();
        URI openSearch = endpoints.openSearch().orElseThrow();

        cluster.stop();

        assertThat(cluster.isRunning()).isFalse();
        firstRunPids.values().forEach(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(liveChildren()).isEmpty();
        assertThat(Files.exists(dataDirectory.resolve("cassandra").resolve("engine.pid"))).isFalse();
        assertThat(Files.exists(dataDirectory.resolve("opensearch").resolve("engine.pid"))).isFalse();
        assertRefused(cassandra.host(), cassandra.port());
        assertRefused(openSearch.getHost(), openSearch.getPort());
        assertThatThrownBy(cluster::endpoints).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(5)
    void restartOnTheSameDirectoryFindsTheRowAndTheDocument() throws Exception {
        Endpoints again = cluster.start();

        assertThat(again).isEqualTo(endpoints);
        try (CqlSession session = session(again.cassandra().orElseThrow())) {
            Row row = session.execute("SELECT uidvalidity FROM lifecycle.mailbox WHERE name = 'INBOX'").one();
            assertThat(row).isNotNull();
            assertThat(row.getLong(0)).isEqualTo(1_700_000_001L);
        }
        assertThat(get(again.openSearch().orElseThrow(), "/messages/_doc/42").body()).contains("Quarterly report");
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);
    }

    private static CqlSession session(CassandraEndpoint endpoint) {
        return CqlSession.builder()
                .addContactPoint(endpoint.address())
                .withLocalDatacenter(endpoint.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        // schema changes on a busy 2-core machine take longer than the 2 s default
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build();
    }

    private static HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(String host, int port) {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 1_000);
            }
        }).as("port %d still accepts connections", port).isInstanceOf(ConnectException.class);
    }

    private static List<Long> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }
}
