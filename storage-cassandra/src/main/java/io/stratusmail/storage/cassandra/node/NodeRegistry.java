package io.stratusmail.storage.cassandra.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code nodes} (migration V9): the live nodes of the cluster, for cross-node change
 * hints. A node {@link #register registers} itself at start and again on every heartbeat, each time with a TTL
 * a few heartbeats long, so a node that dies without a word disappears when the TTL runs out; a node that stops
 * {@link #deregister deregisters}. {@link #live} reads the one partition: every node registered within its TTL.
 *
 * <p>All statements are plain idempotent upserts and reads at the configured consistency; no Paxos. Stages fail
 * with {@link io.stratusmail.mailbox.StorageUnavailableException} when Cassandra cannot answer; callers treat the
 * registry as best-effort (a stale peer list only delays hints until the sessions' poll).
 */
public final class NodeRegistry {

    /** The one partition key: every node shares it (bounded by the number of live nodes, see V9). */
    static final String RING = "hints";

    /** Most rows {@link #live} returns: far above any real cluster, so a runaway table cannot exhaust memory. */
    public static final int MAX_NODES = 10_000;

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private final PreparedStatement select;

    private NodeRegistry(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.delete = ps.get(1);
        this.select = ps.get(2);
    }

    /** Prepares the statements once; the schema must be migrated (V9). */
    public static CompletionStage<NodeRegistry> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("nodes");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (ring, node_id, address, hint_port, services, started_at)"
                                + " VALUES ('" + RING + "', ?, ?, ?, ?, ?) USING TTL ?",
                        "DELETE FROM " + t + " WHERE ring = '" + RING + "' AND node_id = ?",
                        "SELECT node_id, address, hint_port, services, started_at FROM " + t
                                + " WHERE ring = '" + RING + "' LIMIT " + MAX_NODES))
                .thenApply(ps -> new NodeRegistry(session, config, ps));
    }

    private BoundStatement bind(PreparedStatement ps, Object... values) {
        return ps.bind(values).setConsistencyLevel(config.consistency()).setIdempotent(true);
    }

    /**
     * Registers {@code node}, or refreshes its registration (heartbeat): it is listed by {@link #live} for
     * {@code ttl} from now.
     *
     * @param ttl 1 second to 1 day, rounded up to whole seconds
     * @throws IllegalArgumentException (in the stage) for a TTL out of range
     */
    public CompletionStage<Void> register(NodeEntry node, Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofDays(1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("TTL must be 1 s to 1 day: " + ttl));
        }
        int seconds = (int) (ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0));
        return AsyncCql.execute(session, bind(insert, node.id(), node.address(), node.hintPort(), node.services(),
                node.startedAt(), seconds), "register node").thenApply(rs -> null);
    }

    /** Removes a node's registration at once (a node that stops); unknown ids are ignored. */
    public CompletionStage<Void> deregister(UUID id) {
        return AsyncCql.execute(session, bind(delete, id), "deregister node").thenApply(rs -> null);
    }

    /** Every node registered within its TTL (this node included when it registered), at most {@link #MAX_NODES}. */
    public CompletionStage<List<NodeEntry>> live() {
        return AsyncCql.collect(session.executeAsync(bind(select)), row -> true,
                row -> new NodeEntry(row.getUuid("node_id"), row.getString("address"), row.getInt("hint_port"),
                        row.getString("services"), row.getInstant("started_at")), "list nodes");
    }
}
