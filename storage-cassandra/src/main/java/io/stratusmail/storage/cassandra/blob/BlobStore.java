package io.stratusmail.storage.cassandra.blob;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.cql.AsyncCql;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Data access for the table {@code blob_chunks}: message content split into chunks of
 * {@value #CHUNK_SIZE} octets, one partition per chunk ({@code (blob_id, chunk) -> data}).
 *
 * <p>A blob is immutable once written and is written before any message row refers to it, after its metadata
 * row in {@code blobs} ({@link SharedBlobs}). Its id is a time-based UUID; a blob nobody refers to (the append
 * failed after the write, or its last message was expunged) is freed after the grace period by the node's
 * {@link BlobFreer} or by {@code stratus gc}. Up to {@value #IN_FLIGHT} chunks of one blob are written or read at
 * the same time; a range read reads only the chunks covering the range.
 */
public final class BlobStore {

    /** Octets per chunk; part of the stored format (a reader derives the chunk count from the size). */
    public static final int CHUNK_SIZE = 1024 * 1024;
    static final int IN_FLIGHT = 4;

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final PreparedStatement delete;

    private BlobStore(CqlSession session, CassandraStoreConfig config, List<PreparedStatement> ps) {
        this.session = session;
        this.config = config;
        this.insert = ps.get(0);
        this.select = ps.get(1);
        this.delete = ps.get(2);
    }

    /** Prepares the statements once; the schema must be migrated. */
    public static CompletionStage<BlobStore> prepare(CqlSession session, CassandraStoreConfig config) {
        String t = config.table("blob_chunks");
        return AsyncCql.prepareAll(session, List.of(
                        "INSERT INTO " + t + " (blob_id, chunk, data) VALUES (?, ?, ?)",
                        "SELECT data FROM " + t + " WHERE blob_id = ? AND chunk = ?",
                        "DELETE FROM " + t + " WHERE blob_id = ? AND chunk = ?"))
                .thenApply(ps -> new BlobStore(session, config, ps));
    }

    /** Number of chunks of a blob of {@code size} octets. */
    public static int chunkCount(long size) {
        return (int) ((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
    }

    /**
     * Stores the content and completes with its new blob id once every chunk is durable at the configured
     * consistency. The array is not copied: the caller must not change it until the stage completes.
     */
    public CompletionStage<UUID> write(byte[] content) {
        UUID id = Uuids.timeBased();
        return write(id, content).thenApply(v -> id);
    }

    /**
     * Stores the content under a blob id chosen by the caller (whose metadata row is written first, see
     * {@link SharedBlobs}); completes once every chunk is durable. The array is not copied.
     */
    public CompletionStage<Void> write(UUID id, byte[] content) {
        return write(id, ByteBuffer.wrap(content));
    }

    /**
     * As {@link #write(UUID, byte[])} for the octets between the buffer's position and limit, which may be a
     * memory-mapped file: each chunk is a slice of the buffer handed to the driver, so at most {@value #IN_FLIGHT}
     * chunks are being encoded at a time and the content is never copied whole. The buffer is not changed.
     */
    public CompletionStage<Void> write(UUID id, ByteBuffer content) {
        ByteBuffer octets = content.slice();
        int size = octets.remaining();
        return forEachChunk(chunkCount(size), i -> {
            int offset = i * CHUNK_SIZE;
            ByteBuffer data = octets.slice(offset, Math.min(CHUNK_SIZE, size - offset));
            return AsyncCql.execute(session, insert.bind(id, i, data)
                    .setConsistencyLevel(config.consistency()).setIdempotent(true), "write blob").thenApply(rs -> null);
        });
    }

    /**
     * Reads a blob back, byte for byte.
     *
     * @param size its length in octets, as recorded by the message row
     * @throws StorageUnavailableException (in the stage) when a chunk is missing or has the wrong length at
     *                                     the configured consistency
     */
    public CompletionStage<byte[]> read(UUID id, long size) {
        byte[] out = new byte[Math.toIntExact(size)];
        return forEachChunk(chunkCount(size), i -> AsyncCql.execute(session, select.bind(id, i)
                        .setConsistencyLevel(config.consistency()).setIdempotent(true), "read blob")
                .thenAccept(rs -> {
                    Row row = rs.one();
                    int offset = i * CHUNK_SIZE;
                    int expected = (int) Math.min(CHUNK_SIZE, size - offset);
                    ByteBuffer data = row == null ? null : row.getByteBuffer("data");
                    if (data == null || data.remaining() != expected) {
                        throw new StorageUnavailableException("blob " + id + " chunk " + i + " is missing or short",
                                null);
                    }
                    data.duplicate().get(out, offset, expected);
                })).thenApply(v -> out);
    }

    /**
     * Reads octets {@code [from, to)} of a blob, reading only the chunks that cover the range.
     *
     * @param size the blob's length in octets; the range is clamped to it
     * @throws StorageUnavailableException (in the stage) when a covering chunk is missing or short
     */
    public CompletionStage<byte[]> readRange(UUID id, long size, long from, long to) {
        long start = Math.max(0, Math.min(from, size));
        long end = Math.max(start, Math.min(to, size));
        byte[] out = new byte[Math.toIntExact(end - start)];
        if (out.length == 0) {
            return java.util.concurrent.CompletableFuture.completedFuture(out);
        }
        int firstChunk = (int) (start / CHUNK_SIZE);
        int lastChunk = (int) ((end - 1) / CHUNK_SIZE);
        return forEachChunk(lastChunk - firstChunk + 1, k -> {
            int i = firstChunk + k;
            return AsyncCql.execute(session, select.bind(id, i)
                            .setConsistencyLevel(config.consistency()).setIdempotent(true), "read blob")
                    .thenAccept(rs -> {
                        Row row = rs.one();
                        long chunkStart = (long) i * CHUNK_SIZE;
                        int expected = (int) Math.min(CHUNK_SIZE, size - chunkStart);
                        ByteBuffer data = row == null ? null : row.getByteBuffer("data");
                        if (data == null || data.remaining() != expected) {
                            throw new StorageUnavailableException("blob " + id + " chunk " + i
                                    + " is missing or short", null);
                        }
                        long copyFrom = Math.max(start, chunkStart);
                        long copyTo = Math.min(end, chunkStart + expected);
                        ByteBuffer slice = data.duplicate();
                        slice.position(slice.position() + (int) (copyFrom - chunkStart));
                        slice.get(out, (int) (copyFrom - start), (int) (copyTo - copyFrom));
                    });
        }).thenApply(v -> out);
    }

    /**
     * Deletes every chunk of a blob (idempotent); only for a blob no message refers to any more.
     *
     * @param size the blob's length in octets (gives the chunk count)
     */
    public CompletionStage<Void> delete(UUID id, long size) {
        return forEachChunk(Math.max(1, chunkCount(size)), i -> AsyncCql.execute(session, delete.bind(id, i)
                .setConsistencyLevel(config.consistency()).setIdempotent(true), "delete blob").thenApply(rs -> null));
    }

    /**
     * Copies a blob chunk by chunk into the blob {@code copy} (for COPY and MOVE of a message stored before
     * blobs were shared, schema version 6) and completes once every chunk is durable. Holds at most
     * {@value #IN_FLIGHT} chunks in memory, whatever the size.
     *
     * @param size the blob's length in octets, as recorded by the message row
     * @throws StorageUnavailableException (in the stage) when a chunk is missing or has the wrong length
     */
    public CompletionStage<Void> copy(UUID id, long size, UUID copy) {
        return forEachChunk(chunkCount(size), i -> AsyncCql.execute(session, select.bind(id, i)
                        .setConsistencyLevel(config.consistency()).setIdempotent(true), "read blob")
                .thenCompose(rs -> {
                    Row row = rs.one();
                    long expected = Math.min(CHUNK_SIZE, size - (long) i * CHUNK_SIZE);
                    ByteBuffer data = row == null ? null : row.getByteBuffer("data");
                    if (data == null || data.remaining() != expected) {
                        throw new StorageUnavailableException("blob " + id + " chunk " + i + " is missing or short",
                                null);
                    }
                    return AsyncCql.execute(session, insert.bind(copy, i, data)
                            .setConsistencyLevel(config.consistency()).setIdempotent(true), "write blob");
                }).thenApply(rs -> null));
    }

    /** Runs {@code task} for chunks 0..count-1, at most {@value #IN_FLIGHT} at a time; fails on the first failure. */
    private static CompletionStage<Void> forEachChunk(int count, IntFunction<CompletionStage<Void>> task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int workers = Math.min(IN_FLIGHT, count);
        if (workers == 0) {
            done.complete(null);
            return done;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger idle = new AtomicInteger();
        for (int w = 0; w < workers; w++) {
            work(count, task, next, idle, workers, done);
        }
        return done;
    }

    private static void work(int count, IntFunction<CompletionStage<Void>> task, AtomicInteger next,
                             AtomicInteger idle, int workers, CompletableFuture<Void> done) {
        int i = next.getAndIncrement();
        if (i >= count || done.isDone()) {
            if (idle.incrementAndGet() == workers) {
                done.complete(null);
            }
            return;
        }
        CompletionStage<Void> step;
        try {
            step = task.apply(i);
        } catch (RuntimeException e) {
            step = CompletableFuture.failedFuture(e);
        }
        step.whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            }
            work(count, task, next, idle, workers, done);
        });
    }
}
