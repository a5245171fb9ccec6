package io.stratusmail.storage.cassandra.blob;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Data access for the table {@code blobs} (schema version 6): one partition per stored blob, its statics the
 * blob's metadata ({@code size}, {@code created}, {@code released}, {@code summary}), its rows the references
 * messages hold on it ({@code (mailbox_id, ref_id) -> uid}). The partition is bounded by the copies of one
 * message. Every statement runs at the configured consistency; none is conditional (a reference is owned by
 * exactly one message row, so no two writers race on one cell).
 */
public final class BlobsTable {

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insertMeta;
    private final PreparedStatement readMeta;
    private final PreparedStatement insertRef;
    private final PreparedStatement setRefUid;
    private final PreparedStatement deleteRef;
    private final PreparedStatement deleteMailboxRefs;
    private final PreparedStatement readRefs;
    private final PreparedStatement markReleased;
    private final PreparedStatement deleteBlob;
    private final PreparedStatement scan;
    private final PreparedStatement firstRef;
    private final PreparedStatement mailboxRefs;

    private BlobsTable(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insertMeta = ps.get(0);
        this.readMeta = ps.get(1);
        this.insertRef = ps.get(2);
        this.setRefUid = ps.get(3);
        this.deleteRef = ps.get(4);
        this.deleteMailboxRefs = ps.get(5);
        this.readRefs = ps.get(6);
        this.markReleased = ps.get(7);
        this.deleteBlob = ps.get(8);
        this.scan = ps.get(9);
        this.firstRef = ps.get(10);
        this.mailboxRefs = ps.get(11);
    }

    /** Prepares the statements once; the schema must be migrated to version 6. */
    public static CompletionStage<BlobsTable> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("blobs");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (blob_id, size, created, summary) VALUES (?, ?, ?, ?)",
                        "SELECT size, created, released, summary FROM " + t + " WHERE blob_id = ? LIMIT 1",
                        "INSERT INTO " + t + " (blob_id, mailbox_id, ref_id) VALUES (?, ?, ?)",
                        "UPDATE " + t + " SET uid = ? WHERE blob_id = ? AND mailbox_id = ? AND ref_id = ?",
                        "DELETE FROM " + t + " WHERE blob_id = ? AND mailbox_id = ? AND ref_id = ?",
                        "DELETE FROM " + t + " WHERE blob_id = ? AND mailbox_id = ?",
                        "SELECT mailbox_id, ref_id, uid FROM " + t + " WHERE blob_id = ?",
                        "UPDATE " + t + " SET released = ? WHERE blob_id = ?",
                        "DELETE FROM " + t + " WHERE blob_id = ?",
                        "SELECT DISTINCT blob_id, size, created, released FROM " + t,
                        "SELECT mailbox_id FROM " + t + " WHERE blob_id = ? LIMIT 1",
                        "SELECT ref_id, uid FROM " + t + " WHERE blob_id = ? AND mailbox_id = ?"))
                .thenApply(ps -> new BlobsTable(session, config, ps));
    }

    /** Writes a blob's metadata (before its chunks, so every chunk written has a row the collector finds). */
    CompletionStage<Void> insertMeta(UUID blobId, long size, Instant created, byte[] summary) {
        return run(insertMeta.bind(blobId, size, created, summary == null ? null : ByteBuffer.wrap(summary)),
                "write blob metadata");
    }

    /** The blob's metadata, empty when it has none (never stored, stored before version 6, or freed). */
    public CompletionStage<Optional<BlobMeta>> meta(UUID blobId) {
        return AsyncCql.execute(session, readMeta.bind(blobId).setConsistencyLevel(config.consistency())
                .setIdempotent(true), "read blob metadata").thenApply(rs -> Optional.ofNullable(rs.one())
                .filter(r -> !r.isNull("size")).map(r -> toMeta(blobId, r)));
    }

    CompletionStage<Void> insertRef(UUID blobId, MailboxId mailbox, UUID refId) {
        return run(insertRef.bind(blobId, mailbox.value(), refId), "write blob reference");
    }

    CompletionStage<Void> setRefUid(UUID blobId, MailboxId mailbox, UUID refId, long uid) {
        return run(setRefUid.bind(uid, blobId, mailbox.value(), refId), "write blob reference");
    }

    /** Removes one reference (idempotent). */
    public CompletionStage<Void> deleteRef(UUID blobId, MailboxId mailbox, UUID refId) {
        return run(deleteRef.bind(blobId, mailbox.value(), refId), "delete blob reference");
    }

    /** Removes every reference a mailbox holds on a blob (idempotent). */
    public CompletionStage<Void> deleteRefs(UUID blobId, MailboxId mailbox) {
        return run(deleteMailboxRefs.bind(blobId, mailbox.value()), "delete blob references");
    }

    /** Every reference on a blob (the partition is bounded by the copies of one message). */
    public CompletionStage<List<BlobRef>> refs(UUID blobId) {
        return AsyncCql.collect(session.executeAsync(readRefs.bind(blobId).setConsistencyLevel(config.consistency())
                        .setIdempotent(true).setPageSize(config.pageSize())),
                r -> !r.isNull("mailbox_id") && !r.isNull("ref_id"),
                r -> new BlobRef(blobId, new MailboxId(r.getUuid("mailbox_id")), r.getUuid("ref_id"),
                        r.isNull("uid") ? null : r.getLong("uid")), "read blob references");
    }

    /** The references {@code mailbox} holds on a blob (one clustering slice of the blob's partition). */
    public CompletionStage<List<BlobRef>> refs(UUID blobId, MailboxId mailbox) {
        return AsyncCql.collect(session.executeAsync(mailboxRefs.bind(blobId, mailbox.value())
                        .setConsistencyLevel(config.consistency()).setIdempotent(true).setPageSize(config.pageSize())),
                r -> !r.isNull("ref_id"),
                r -> new BlobRef(blobId, mailbox, r.getUuid("ref_id"), r.isNull("uid") ? null : r.getLong("uid")),
                "read blob references");
    }

    /** Whether any message holds a reference on the blob (one row read). */
    public CompletionStage<Boolean> referenced(UUID blobId) {
        return AsyncCql.execute(session, firstRef.bind(blobId).setConsistencyLevel(config.consistency())
                .setIdempotent(true), "read blob references").thenApply(rs -> {
                    Row row = rs.one();
                    return row != null && !row.isNull("mailbox_id");
                });
    }

    CompletionStage<Void> markReleased(UUID blobId, Instant at) {
        return run(markReleased.bind(at, blobId), "release blob");
    }

    /** Deletes the blob's partition (metadata and any reference); only once its chunks are deleted. */
    CompletionStage<Void> deleteBlob(UUID blobId) {
        return run(deleteBlob.bind(blobId), "free blob");
    }

    /**
     * The first page of a paged scan over every blob's metadata (token order); continue with
     * {@link AsyncResultSet#fetchNextPage()} and map rows with {@link #toMeta(Row)}.
     */
    public CompletionStage<AsyncResultSet> scan() {
        return AsyncCql.execute(session, scan.bind().setConsistencyLevel(config.consistency()).setIdempotent(true)
                .setPageSize(config.pageSize()), "scan blobs");
    }

    /** A row of {@link #scan()} as metadata (summary not read). */
    public static BlobMeta toMeta(Row row) {
        return toMeta(row.getUuid("blob_id"), row);
    }

    private static BlobMeta toMeta(UUID blobId, Row r) {
        ByteBuffer summary = r.getColumnDefinitions().contains("summary") ? r.getByteBuffer("summary") : null;
        byte[] bytes = null;
        if (summary != null) {
            bytes = new byte[summary.remaining()];
            summary.duplicate().get(bytes);
        }
        return new BlobMeta(blobId, r.isNull("size") ? 0 : r.getLong("size"), r.getInstant("created"),
                r.getInstant("released"), bytes);
    }

    private CompletionStage<Void> run(com.datastax.oss.driver.api.core.cql.BoundStatement statement, String operation) {
        return AsyncCql.execute(session, statement.setConsistencyLevel(config.consistency()).setIdempotent(true),
                operation).thenApply(rs -> null);
    }

    /**
     * Metadata of a stored blob.
     *
     * @param blobId   the blob
     * @param size     its length in octets
     * @param created  when its metadata was written (null for a row missing it)
     * @param released when a reference on it was last released, null if never
     * @param summary  the encoded precomputed {@code MessageSummary}, null if none was stored
     */
    public record BlobMeta(UUID blobId, long size, Instant created, Instant released, byte[] summary) {

        /** Since when the blob may have had no reference: the later of creation and last release. */
        public Instant unreferencedSince() {
            if (created == null) {
                return released == null ? Instant.EPOCH : released;
            }
            return released != null && released.isAfter(created) ? released : created;
        }
    }

    /**
     * A reference a message holds on a blob.
     *
     * @param uid the UID last proposed for the message (written before each conditional batch; the message row
     *            at that UID holds {@code refId} only if the batch committed), null before any proposal and for
     *            references written before this was done
     */
    public record BlobRef(UUID blobId, MailboxId mailbox, UUID refId, Long uid) {
    }
}
