package io.stratusmail.storage.cassandra.node;

import static io.stratusmail.storage.cassandra.CassandraFixture.failure;
import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node registry on the real Cassandra node, two sessions standing for two nodes. The tests share one
 * keyspace (one migration), so each looks only at the nodes it registered.
 */
class NodeRegistryTest {

    private static CqlSession sessionA;
    private static CqlSession sessionB;
    private static NodeRegistry[] registries;

    @BeforeAll
    static void open() {
        sessionA = CassandraFixture.openSession();
        sessionB = CassandraFixture.openSession();
        CassandraStoreConfig config = CassandraFixture.config("it_nodes");
        SchemaMigrator.migrate(sessionA, config);
        registries = new NodeRegistry[] {join(NodeRegistry.prepare(sessionA, config)),
                join(NodeRegistry.prepare(sessionB, config))};
    }

    @AfterAll
    static void close() {
        sessionA.close();
        sessionB.close();
    }

    private static NodeRegistry[] twoNodes() {
        return registries;
    }

    /** The live nodes among {@code mine}. */
    private static List<NodeEntry> live(NodeRegistry registry, NodeEntry... mine) {
        List<UUID> ids = java.util.Arrays.stream(mine).map(NodeEntry::id).toList();
        return join(registry.live()).stream().filter(n -> ids.contains(n.id())).toList();
    }

    private static NodeEntry node(String address, int port) {
        return new NodeEntry(UUID.randomUUID(), address, port, "imap,lmtp", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void registeredNodesAreListedByEveryNodeAndDeregisteredOnesAreNot() {
        NodeRegistry[] r = twoNodes();
        NodeEntry a = node("10.0.0.1", 7143);
        NodeEntry b = node("10.0.0.2", 7143);
        join(r[0].register(a, Duration.ofMinutes(1)));
        join(r[1].register(b, Duration.ofMinutes(1)));

        assertThat(live(r[0], a, b)).containsExactlyInAnyOrder(a, b);
        assertThat(live(r[1], a, b)).containsExactlyInAnyOrder(a, b);

        join(r[1].deregister(b.id()));
        join(r[1].deregister(UUID.randomUUID()));
        assertThat(live(r[0], a, b)).containsExactly(a);
    }

    @Test
    void aNodeWithoutHeartbeatExpiresAfterItsTtlAndAHeartbeatKeepsOneAlive() throws Exception {
        NodeRegistry[] r = twoNodes();
        NodeEntry silent = node("10.0.0.3", 7143);
        NodeEntry beating = node("10.0.0.4", 7144);
        join(r[0].register(silent, Duration.ofSeconds(2)));
        join(r[1].register(beating, Duration.ofSeconds(2)));
        assertThat(live(r[0], silent, beating)).containsExactlyInAnyOrder(silent, beating);

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<NodeEntry> live = live(r[0], silent, beating);
        while (live.contains(silent) && System.nanoTime() < deadline) {
            join(r[1].register(beating, Duration.ofSeconds(2)));
            Thread.sleep(250);
            live = live(r[0], silent, beating);
        }
        assertThat(live).as("the silent node expired, the beating one is still there").containsExactly(beating);
    }

    @Test
    void reRegisteringUpdatesTheRowInsteadOfAddingOne() {
        NodeRegistry[] r = twoNodes();
        NodeEntry a = node("10.0.0.5", 7143);
        join(r[0].register(a, Duration.ofMinutes(1)));
        NodeEntry moved = new NodeEntry(a.id(), "10.0.0.6", 7150, "imap", a.startedAt());
        join(r[0].register(moved, Duration.ofMinutes(1)));
        assertThat(live(r[1], moved)).containsExactly(moved);
    }

    @Test
    void badTtlAndBadEntriesAreRefused() {
        NodeRegistry[] r = twoNodes();
        NodeEntry a = node("10.0.0.7", 7143);
        assertThat(failure(r[0].register(a, Duration.ofMillis(500)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failure(r[0].register(a, Duration.ofDays(2)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(live(r[0], a)).isEmpty();
        assertThatThrownBy(() -> node("", 7143)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node("10.0.0.8", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node("10.0.0.8", 65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node("x".repeat(256), 7143)).isInstanceOf(IllegalArgumentException.class);
    }
}
