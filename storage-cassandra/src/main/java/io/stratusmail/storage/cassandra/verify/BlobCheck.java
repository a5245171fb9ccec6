package io.stratusmail.storage.cassandra.verify;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.BlobStore;
import io.stratusmail.storage.cassandra.cql.StorageErrors;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Checks a message's content in storage: every chunk of its blob exists in {@code blob_chunks}
 * ({@link BlobStore#CHUNK_SIZE} octets per chunk, so a blob of n octets has ceil(n / CHUNK_SIZE) chunks; only the
 * chunk's key is read, never its data), and, for a message that holds a reference (schema version 6,
 * {@code ref_id}), that its reference row exists in {@code blobs} with the blob's size. At most
 * {@value #IN_FLIGHT} point reads are in flight; {@link #await} blocks until they are done. One mailbox scan
 * uses it at a time.
 */
final class BlobCheck {

    static final int IN_FLIGHT = 64;

    /** A problem found by an asynchronous read: its kind and the detail to print after the message's UID. */
    record Problem(String problem, String key, String value) {
    }

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement chunkExists;
    private final PreparedStatement reference;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** @param references whether the {@code blobs} table (schema version 6) exists */
    BlobCheck(CqlSession session, CassandraStoreConfig config, boolean references) {
        this.session = session;
        this.config = config;
        this.chunkExists = session.prepare("SELECT chunk FROM " + config.table("blob_chunks")
                + " WHERE blob_id = ? AND chunk = ?");
        this.reference = references ? session.prepare("SELECT ref_id, size FROM " + config.table("blobs")
                + " WHERE blob_id = ? AND mailbox_id = ? AND ref_id = ?") : null;
    }

    /** Number of chunks of a blob of {@code size} octets. */
    static int chunkCount(long size) {
        return (int) ((size + BlobStore.CHUNK_SIZE - 1) / BlobStore.CHUNK_SIZE);
    }

    /**
     * Starts the reads for one message and calls {@code problems} (from a driver thread) for what is wrong:
     * {@code missing_blob chunk=K} (first absent chunk), {@code missing_blob_reference ref=R},
     * {@code blob_size_mismatch blob_size=S}. Blocks while {@value #IN_FLIGHT} reads are in flight. A read
     * that fails (timeout) is not a finding: it makes {@link #await} throw.
     *
     * @param blob        the blob id
     * @param contentSize the blob's octets: the message's size less its header prefix
     * @param mailbox     the message's mailbox
     * @param refId       the message's reference in {@code blobs}, null for a row written before version 6
     */
    void check(UUID blob, long contentSize, UUID mailbox, UUID refId, Consumer<Problem> problems)
            throws InterruptedException {
        AtomicBoolean chunkReported = new AtomicBoolean();
        for (int i = 0; i < chunkCount(contentSize); i++) {
            int chunk = i;
            read(chunkExists.bind(blob, chunk), row -> {
                if (row == null && chunkReported.compareAndSet(false, true)) {
                    problems.accept(new Problem("missing_blob", "chunk", String.valueOf(chunk)));
                }
            });
        }
        if (refId != null && reference != null) {
            read(reference.bind(blob, mailbox, refId), row -> {
                if (row == null) {
                    problems.accept(new Problem("missing_blob_reference", "ref", refId.toString()));
                } else if (row.isNull("size") || row.getLong("size") != contentSize) {
                    problems.accept(new Problem("blob_size_mismatch", "blob_size",
                            row.isNull("size") ? "null" : String.valueOf(row.getLong("size"))));
                }
            });
        }
    }

    private void read(Statement<?> statement, Consumer<Row> then) throws InterruptedException {
        permits.acquire();
        session.executeAsync(statement.setConsistencyLevel(config.consistency()).setIdempotent(true))
                .whenComplete((AsyncResultSet rs, Throwable error) -> {
                    try {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        } else {
                            then.accept(rs.one());
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        permits.release();
                    }
                });
    }

    /**
     * Blocks until every read started by {@link #check} has completed (and its callback has run).
     *
     * @throws io.stratusmail.mailbox.StorageUnavailableException when a read failed
     */
    void await() throws InterruptedException {
        permits.acquire(IN_FLIGHT);
        permits.release(IN_FLIGHT);
        Throwable error = failure.getAndSet(null);
        if (error != null) {
            Throwable translated = StorageErrors.translate(error, "verify blobs");
            throw translated instanceof RuntimeException re ? re : new IllegalStateException(translated);
        }
    }
}
