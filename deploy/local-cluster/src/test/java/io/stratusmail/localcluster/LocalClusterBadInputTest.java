package io.stratusmail.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong configuration and unusable environments fail with a message naming the cause, leaving no process. */
class LocalClusterBadInputTest {

    @TempDir
    Path dataDirectory;

    @Test
    void portAlreadyTakenIsNamedAndNothingIsLaunched() throws IOException {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int taken = squatter.getLocalPort();
            LocalCluster cluster = LocalCluster.builder(dataDirectory).freePorts().openSearchHttpPort(taken).build();

            assertThatThrownBy(cluster::start)
                    .isInstanceOfSatisfying(PortInUseException.class, e -> assertThat(e.port()).isEqualTo(taken))
                    .hasMessageContaining("port " + taken + " on 127.0.0.1 (OpenSearch HTTP) is already in use");
            assertThat(cluster.isRunning()).isFalse();
            assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
            assertThat(Files.exists(dataDirectory.resolve("cassandra").resolve("engine.pid"))).isFalse();
            assertThat(Files.exists(dataDirectory.resolve("opensearch").resolve("engine.pid"))).isFalse();
        }
    }

    @Test
    void engineThatExitsDuringStartUpIsReportedWithItsOutput() throws IOException {
        // A "java" that fails the way a broken runtime would: the launcher must report its output.
        Path fakeHome = dataDirectory.resolve("fake-jdk");
        Path java = Files.createDirectories(fakeHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'Error: could not reserve enough space for object heap' >&2\nexit 1\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        LocalCluster cluster = LocalCluster.builder(dataDirectory.resolve("data"))
                .engines(Engine.CASSANDRA).freePorts().javaHome(fakeHome).build();

        assertThatThrownBy(cluster::start)
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("cassandra exited with status 1 during start-up")
                .hasMessageContaining("could not reserve enough space for object heap");
        assertThat(Files.exists(dataDirectory.resolve("data").resolve("cassandra").resolve("engine.pid"))).isFalse();
    }

    @Test
    void samePortForTwoPurposesIsRejected() {
        assertThatThrownBy(() -> LocalCluster.builder(dataDirectory).cqlPort(19042).openSearchHttpPort(19042).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 19042 given for both CQL and OpenSearch HTTP");
    }

    @Test
    void portsOfAnEngineNotStartedMayCoincide() {
        LocalCluster cluster = LocalCluster.builder(dataDirectory).engines(Engine.CASSANDRA)
                .cqlPort(19042).openSearchHttpPort(19042).build();

        assertThat(cluster.dataDirectory()).isEqualTo(dataDirectory);
    }

    @Test
    void portOutOfRangeIsRejected() {
        assertThatThrownBy(() -> LocalCluster.builder(dataDirectory).cqlPort(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port out of range");
        assertThatThrownBy(() -> LocalCluster.builder(dataDirectory).openSearchTransportPort(65_536))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port out of range");
    }

    @Test
    void nonLoopbackHostIsRejected() {
        assertThatThrownBy(() -> LocalCluster.builder(dataDirectory).host("8.8.8.8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must be a loopback address: 8.8.8.8");
        LocalCluster.builder(dataDirectory).host("127.0.0.2");
    }

    @Test
    void heapSizesOutOfOrderAreRejected() {
        assertThatThrownBy(() -> LocalCluster.builder(dataDirectory).cassandraHeapMiB(2048, 1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LocalCluster.builder(dataDirectory).openSearchHeapMiB(16))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endpointsBeforeStartIsAnError() {
        LocalCluster cluster = LocalCluster.builder(dataDirectory).build();

        assertThatThrownBy(cluster::endpoints).isInstanceOf(IllegalStateException.class);
        cluster.stop(); // stopping a cluster that never started does nothing
        assertThat(cluster.pids()).isEmpty();
    }

    @Test
    void cassandraEndpointParsesHostPortAndDatacenter() {
        assertThat(CassandraEndpoint.parse("127.0.0.1:9042"))
                .isEqualTo(new CassandraEndpoint("127.0.0.1", 9042, "datacenter1"));
        assertThat(CassandraEndpoint.parse("cassandra.test:19042/dc-east"))
                .isEqualTo(new CassandraEndpoint("cassandra.test", 19042, "dc-east"));
        assertThat(CassandraEndpoint.parse("[::1]:9042").host()).isEqualTo("::1");
        assertThatThrownBy(() -> CassandraEndpoint.parse("127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
        assertThatThrownBy(() -> CassandraEndpoint.parse("127.0.0.1:cql"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraEndpoint.parse("127.0.0.1:70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void freePortsAreDistinctAndBindable() throws IOException {
        int[] ports = FreePorts.find(8);

        assertThat(ports).doesNotHaveDuplicates().hasSize(8);
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
        assertThatThrownBy(() -> FreePorts.find(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void templateTokenWithoutValueIsALauncherBug() {
        assertThat(EngineResources.render("port: {{cql_port}} dir: '{{data_dir}}'",
                Map.of("cql_port", "9042", "data_dir", "/srv/it's")))
                .isEqualTo("port: 9042 dir: '/srv/it''s'");
        assertThatThrownBy(() -> EngineResources.render("seeds: {{seeds}}", Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("{{seeds}}");
    }
}
