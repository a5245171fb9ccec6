package io.stratusmail.storage.cassandra.blob;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code blob_frees} (schema version 6): blobs that lost their last reference,
 * bucketed by the UTC hour it happened ({@code hour -> blob_id}). A partition holds one hour's releases, so
 * the freeing task reads a few small partitions per run and never scans a table.
 */
public final class BlobFreeQueue {

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement read;
    private final PreparedStatement delete;

    private BlobFreeQueue(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.read = ps.get(1);
        this.delete = ps.get(2);
    }

    /** Prepares the statements once; the schema must be migrated to version 6. */
    public static CompletionStage<BlobFreeQueue> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("blob_frees");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (hour, blob_id) VALUES (?, ?)",
                        "SELECT blob_id FROM " + t + " WHERE hour = ? LIMIT ?",
                        "DELETE FROM " + t + " WHERE hour = ? AND blob_id = ?"))
                .thenApply(ps -> new BlobFreeQueue(session, config, ps));
    }

    /** The bucket of an instant: its UTC hour. */
    static Instant hourOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    CompletionStage<Void> add(Instant hour, UUID blobId) {
        return AsyncCql.execute(session, insert.bind(hour, blobId).setConsistencyLevel(config.consistency())
                .setIdempotent(true), "queue blob").thenApply(rs -> null);
    }

    /** At most {@code limit} blobs queued in the hour {@code hour}. */
    CompletionStage<List<UUID>> read(Instant hour, int limit) {
        return AsyncCql.collect(session.executeAsync(read.bind(hour, limit).setConsistencyLevel(config.consistency())
                        .setIdempotent(true).setPageSize(config.pageSize())), r -> !r.isNull("blob_id"),
                r -> r.getUuid("blob_id"), "read blob queue");
    }

    CompletionStage<Void> remove(Instant hour, UUID blobId) {
        return AsyncCql.execute(session, delete.bind(hour, blobId).setConsistencyLevel(config.consistency())
                .setIdempotent(true), "dequeue blob").thenApply(rs -> null);
    }
}
