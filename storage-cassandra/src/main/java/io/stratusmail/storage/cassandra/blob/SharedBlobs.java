package io.stratusmail.storage.cassandra.blob;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a shared blob: stored once ({@link #store}), referenced by every message made from it
 * ({@link #reference}, written before the message's commit), released when such a message is removed
 * ({@link #release}, after the commit) and freed once it has had no reference for the grace period
 * ({@link #free}, {@link #freeDue}).
 *
 * <p>Why the grace period is safe: a message is copied (COPY, MOVE) by reading its row and then writing a new
 * reference to the same blob; if the source is expunged in between, the blob may briefly have no reference.
 * Freeing waits until the blob has been unreferenced for {@link CassandraStoreConfig#blobGrace()} and checks
 * again, so any copy whose reference write started before that (every store operation takes far less than the
 * grace) is seen. The same holds for a {@link StoredContent} handle used within the grace. The order of writes
 * makes every crash leave too many references or an unreferenced blob, both found by the collector
 * ({@code stratus gc}), never a message without its content.
 */
public final class SharedBlobs {

    /** How far back the freeing task looks for queued blobs; older entries are left to {@code stratus gc}. */
    static final Duration QUEUE_LOOKBACK = Duration.ofHours(48);
    private static final Logger LOG = LoggerFactory.getLogger(SharedBlobs.class);

    private final CassandraStoreConfig config;
    private final BlobStore chunks;
    private final BlobsTable blobs;
    private final BlobFreeQueue queue;
    private final Clock clock;

    private SharedBlobs(CassandraStoreConfig config, BlobStore chunks, BlobsTable blobs, BlobFreeQueue queue,
                        Clock clock) {
        this.config = config;
        this.chunks = chunks;
        this.blobs = blobs;
        this.queue = queue;
        this.clock = clock;
    }

    /** Prepares the statements of the three tables once; the schema must be migrated to version 6. */
    public static CompletionStage<SharedBlobs> prepare(CqlSession session, CassandraStoreConfig config) {
        CompletableFuture<BlobStore> c = BlobStore.prepare(session, config).toCompletableFuture();
        CompletableFuture<BlobsTable> b = BlobsTable.prepare(session, config).toCompletableFuture();
        CompletableFuture<BlobFreeQueue> q = BlobFreeQueue.prepare(session, config).toCompletableFuture();
        return CompletableFuture.allOf(c, b, q)
                .thenApply(v -> new SharedBlobs(config, c.join(), b.join(), q.join(), Clock.systemUTC()));
    }

    /** The chunks table. */
    public BlobStore chunks() {
        return chunks;
    }

    /** The metadata and references table. */
    public BlobsTable table() {
        return blobs;
    }

    /** The grace period before an unreferenced blob is freed. */
    public Duration grace() {
        return config.blobGrace();
    }

    /**
     * Stores content as a new blob: its metadata row first, then its chunks, so every chunk belongs to a blob
     * the collector can find. The content is not copied.
     *
     * @param summary the encoded precomputed summary, or null
     */
    public CompletionStage<StoredContent> store(byte[] content, byte[] summary) {
        return store(java.nio.ByteBuffer.wrap(content), summary);
    }

    /**
     * As {@link #store(byte[], byte[])} for the octets between the buffer's position and limit (for example a
     * memory-mapped APPEND literal), written chunk by chunk from slices of the buffer.
     */
    public CompletionStage<StoredContent> store(java.nio.ByteBuffer content, byte[] summary) {
        UUID id = Uuids.timeBased();
        long size = content.remaining();
        return blobs.insertMeta(id, size, clock.instant(), summary)
                .thenCompose(v -> chunks.write(id, content))
                .thenApply(v -> new StoredContent(id, size));
    }

    /**
     * Writes a new reference on the stored content for a message about to be committed in {@code mailbox}
     * and checks the blob still exists with the handle's size.
     *
     * @return the reference id (the message row's {@code ref_id})
     * @throws IllegalArgumentException (in the stage) for an unknown or freed blob (the reference is removed)
     */
    public CompletionStage<UUID> reference(StoredContent content, MailboxId mailbox) {
        UUID refId = Uuids.timeBased();
        return blobs.insertRef(content.id(), mailbox, refId)
                .thenCompose(v -> blobs.meta(content.id()))
                .thenCompose(meta -> {
                    if (meta.isPresent() && meta.get().size() == content.size()) {
                        return CompletableFuture.completedFuture(refId);
                    }
                    return blobs.deleteRef(content.id(), mailbox, refId).thenCompose(v ->
                            CompletableFuture.<UUID>failedFuture(new IllegalArgumentException("stored content "
                                    + content.id() + " is unknown or was collected")));
                });
    }

    /**
     * Writes a new reference on the blob of an existing message (COPY, MOVE). The source message exists at
     * the time of the call, so the blob cannot be freed before the grace period ends.
     */
    public CompletionStage<UUID> share(UUID blobId, MailboxId mailbox) {
        UUID refId = Uuids.timeBased();
        return blobs.insertRef(blobId, mailbox, refId).thenApply(v -> refId);
    }

    /**
     * Copies a blob stored before schema version 6 (no metadata, owned by one message) into a new shared blob
     * with one reference for {@code mailbox}.
     *
     * @return the new blob id and its reference id
     */
    public CompletionStage<UUID[]> adopt(UUID legacyBlobId, long size, MailboxId mailbox) {
        UUID id = Uuids.timeBased();
        UUID refId = Uuids.timeBased();
        return blobs.insertMeta(id, size, clock.instant(), null)
                .thenCompose(v -> chunks.copy(legacyBlobId, size, id))
                .thenCompose(v -> blobs.insertRef(id, mailbox, refId))
                .thenApply(v -> new UUID[] {id, refId});
    }

    /**
     * Records in a reference the UID its message's next conditional batch proposes, before that batch is sent
     * (and again for each retry that proposes another UID), so that the message can be found by its content even
     * when the batch's outcome is unknown to the writer ({@code MessageStore#findAppended}), and the collector
     * checks the reference with one row read.
     *
     * @throws io.stratusmail.mailbox.StorageUnavailableException (in the stage) when the write fails: the
     *         batch must then not be sent
     */
    public CompletionStage<Void> propose(UUID blobId, MailboxId mailbox, UUID refId, long uid) {
        return blobs.setRefUid(blobId, mailbox, refId, uid);
    }

    /**
     * Releases the reference of a removed message (after the removal's commit): stamps the blob's release
     * time, deletes the reference and, when none is left, queues the blob for freeing after the grace period.
     * Best effort: a failure is logged and leaves a reference or an unqueued blob for the collector.
     */
    public CompletionStage<Void> release(UUID blobId, MailboxId mailbox, UUID refId) {
        Instant now = clock.instant();
        return blobs.markReleased(blobId, now)
                .thenCompose(v -> blobs.deleteRef(blobId, mailbox, refId))
                .thenCompose(v -> blobs.referenced(blobId))
                .thenCompose(referenced -> referenced ? CompletableFuture.<Void>completedFuture(null)
                        : queue.add(BlobFreeQueue.hourOf(now), blobId))
                .exceptionally(e -> {
                    LOG.warn("event=blob_release_failed blob={} mailbox={} error={}", blobId, mailbox, e.toString());
                    return null;
                });
    }

    /**
     * Releases the blob of a removed message stored before schema version 6 (its blob is its own and has no
     * metadata): writes the metadata with the release time and queues the blob, so it is freed after the grace
     * period like any other (a COPY that read the message just before its removal can still finish).
     */
    public CompletionStage<Void> releaseLegacy(UUID blobId, long size) {
        Instant now = clock.instant();
        return blobs.insertMeta(blobId, size, now, null)
                .thenCompose(v -> queue.add(BlobFreeQueue.hourOf(now), blobId))
                .exceptionally(e -> {
                    LOG.warn("event=blob_release_failed blob={} error={}", blobId, e.toString());
                    return null;
                });
    }

    /** What {@link #free} did with a blob. */
    public enum FreeOutcome {
        /** Chunks and metadata deleted. */
        FREED,
        /** A message refers to it: kept. */
        REFERENCED,
        /** Unreferenced for less than the grace period: kept for now. */
        NOT_DUE,
        /** No metadata (already freed, or never shared): nothing done. */
        UNKNOWN
    }

    /**
     * Frees a blob if it has had no reference for at least the grace period: deletes its chunks, then its
     * partition (a crash in between leaves metadata the next run frees again).
     *
     * @param grace the grace period to apply (the configured one, or a longer one from {@code stratus gc})
     * @param dryRun decide only, delete nothing
     * @param freedBytes incremented by the blob's size when it is (or, in a dry run, would be) freed
     */
    public CompletionStage<FreeOutcome> free(UUID blobId, Duration grace, boolean dryRun, AtomicLong freedBytes) {
        Instant now = clock.instant();
        return blobs.meta(blobId).thenCompose(meta -> {
            if (meta.isEmpty()) {
                return CompletableFuture.completedFuture(FreeOutcome.UNKNOWN);
            }
            if (meta.get().unreferencedSince().plus(grace).isAfter(now)) {
                return CompletableFuture.completedFuture(FreeOutcome.NOT_DUE);
            }
            return blobs.referenced(blobId).thenCompose(referenced -> {
                if (referenced) {
                    return CompletableFuture.completedFuture(FreeOutcome.REFERENCED);
                }
                freedBytes.addAndGet(meta.get().size());
                if (dryRun) {
                    return CompletableFuture.completedFuture(FreeOutcome.FREED);
                }
                LOG.info("event=blob_freed blob={} size={}", blobId, meta.get().size());
                return chunks.delete(blobId, meta.get().size())
                        .thenCompose(v -> blobs.deleteBlob(blobId))
                        .thenApply(v -> FreeOutcome.FREED);
            });
        });
    }

    /**
     * One run of the node's freeing task: frees at most {@code limit} queued blobs whose grace has passed,
     * walking the hour buckets of the last {@link #QUEUE_LOOKBACK} that are old enough, oldest first. An entry
     * is dequeued once its blob is freed, referenced again or gone; an entry not yet due stays.
     *
     * @return the blobs freed and their octets
     */
    public CompletionStage<FreeRun> freeDue(int limit) {
        Instant now = clock.instant();
        Instant last = BlobFreeQueue.hourOf(now.minus(grace()));
        Instant hour = BlobFreeQueue.hourOf(now.minus(QUEUE_LOOKBACK));
        AtomicInteger freed = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger budget = new AtomicInteger(limit);
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (Instant h = hour; !h.isAfter(last); h = h.plus(Duration.ofHours(1))) {
            Instant bucket = h;
            chain = chain.thenCompose(v -> budget.get() <= 0 ? CompletableFuture.completedFuture(null)
                    : queue.read(bucket, budget.get()).thenCompose(ids -> freeEach(bucket, ids, budget, freed, bytes)));
        }
        return chain.thenApply(v -> new FreeRun(freed.get(), bytes.get()));
    }

    private CompletionStage<Void> freeEach(Instant bucket, List<UUID> ids, AtomicInteger budget, AtomicInteger freed,
                                           AtomicLong bytes) {
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (UUID id : ids) {
            chain = chain.thenCompose(v -> {
                budget.decrementAndGet();
                return free(id, grace(), false, bytes).thenCompose(outcome -> {
                    if (outcome == FreeOutcome.NOT_DUE) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (outcome == FreeOutcome.FREED) {
                        freed.incrementAndGet();
                    }
                    return queue.remove(bucket, id);
                });
            });
        }
        return chain;
    }

    /**
     * The result of one freeing run.
     *
     * @param freed      blobs freed
     * @param freedBytes their total size in octets
     */
    public record FreeRun(int freed, long freedBytes) {
    }
}
