package io.stratusmail.storage.cassandra.gc;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.BlobsTable;
import io.stratusmail.storage.cassandra.blob.BlobsTable.BlobMeta;
import io.stratusmail.storage.cassandra.blob.BlobsTable.BlobRef;
import io.stratusmail.storage.cassandra.blob.SharedBlobs;
import io.stratusmail.storage.cassandra.blob.SharedBlobs.FreeOutcome;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stratus gc}: finds and removes what crashes and deletions leave behind, safe while nodes run.
 *
 * <ol>
 *   <li>Deleted mailboxes ({@code deleted_mailboxes}): for each id no longer in its owner's registry, releases
 *       the blob reference of every message, then deletes the mailbox's {@code messages} partition and the
 *       record. An id still registered (the DELETE failed after writing its record) is left alone.</li>
 *   <li>Blobs ({@code blobs}, one paged scan in token order): every reference older than the grace whose
 *       message does not exist or holds another reference (a commit that never happened, a deleted user's
 *       mailbox) is removed; a blob then without reference and unreferenced for the grace is freed (chunks,
 *       then metadata).</li>
 * </ol>
 * Memory is bounded by one page of the scan plus one blob's references (the copies of one message); a
 * reference is checked with a point read of its message (or, when its UID was never recorded, one paged scan
 * of its mailbox's partition). Young blobs and references (within the grace) are never touched, so concurrent
 * appends, COPYs and deliveries lose nothing. Blocking: run it on its own thread (command line), never on an
 * event loop.
 */
public final class BlobCollector {

    private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);
    private static final long UID_END = 1L << 32;

    private final CqlSession session;
    private final CassandraStoreConfig config;
    private final SharedBlobs blobs;
    private final Clock clock;
    private final PreparedStatement messageRef;
    private final PreparedStatement mailboxRefs;
    private final PreparedStatement mailboxMessages;
    private final PreparedStatement deleteMessages;
    private final PreparedStatement registry;
    private final PreparedStatement deleteRecord;

    private BlobCollector(CqlSession session, CassandraStoreConfig config, SharedBlobs blobs) {
        this.session = session;
        this.config = config;
        this.blobs = blobs;
        this.clock = Clock.systemUTC();
        String messages = config.table("messages");
        this.messageRef = session.prepare("SELECT ref_id FROM " + messages + " WHERE mailbox_id = ? AND uid = ?");
        this.mailboxRefs = session.prepare("SELECT uid, ref_id FROM " + messages
                + " WHERE mailbox_id = ? AND uid > 0 AND uid < " + UID_END);
        this.mailboxMessages = session.prepare("SELECT uid, blob_id, ref_id, size, header_prefix FROM " + messages
                + " WHERE mailbox_id = ? AND uid > 0 AND uid < " + UID_END);
        this.deleteMessages = session.prepare("DELETE FROM " + messages + " WHERE mailbox_id = ?");
        this.registry = session.prepare("SELECT id FROM " + config.table("mailboxes") + " WHERE owner = ?");
        this.deleteRecord = session.prepare("DELETE FROM " + config.table("deleted_mailboxes")
                + " WHERE day = ? AND mailbox_id = ?");
    }

    /** Prepares the statements (blocking); the schema must be migrated to version 6. */
    public static BlobCollector prepare(CqlSession session, CassandraStoreConfig config) {
        SharedBlobs blobs = join(SharedBlobs.prepare(session, config));
        return new BlobCollector(session, config, blobs);
    }

    /**
     * One collection run.
     *
     * @param grace  how old an unreferenced blob or a stale reference must be before it is removed (at least the
     *               store's configured grace is advisable; shorter values risk a COPY in flight)
     * @param dryRun count what would be removed, remove nothing
     */
    public GcSummary run(Duration grace, boolean dryRun) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        Counts counts = new Counts();
        collectDeletedMailboxes(dryRun, counts);
        collectBlobs(grace, dryRun, counts);
        GcSummary summary = new GcSummary(counts.scanned, counts.orphanBlobs, counts.freedBytes.get(),
                counts.staleRefs, counts.deletedMailboxes, dryRun);
        LOG.info("event=gc_done {}", summary.line());
        return summary;
    }

    private void collectDeletedMailboxes(boolean dryRun, Counts counts) {
        for (Row record : session.execute(scan("SELECT day, mailbox_id, owner FROM "
                + config.table("deleted_mailboxes")))) {
            MailboxId id = new MailboxId(record.getUuid("mailbox_id"));
            String owner = record.getString("owner");
            boolean registered = false;
            for (Row r : session.execute(registry.bind(owner).setConsistencyLevel(config.consistency()))) {
                if (id.value().equals(r.getUuid("id"))) {
                    registered = true;
                    break;
                }
            }
            if (registered) {
                continue;
            }
            counts.deletedMailboxes++;
            if (dryRun) {
                continue;
            }
            for (Row m : session.execute(mailboxMessages.bind(id.value()).setConsistencyLevel(config.consistency())
                    .setPageSize(config.pageSize()))) {
                if (m.isNull("blob_id")) {
                    continue;
                }
                UUID blobId = m.getUuid("blob_id");
                ByteBuffer prefix = m.getByteBuffer("header_prefix");
                long blobSize = m.getLong("size") - (prefix == null ? 0 : prefix.remaining());
                join(m.isNull("ref_id") ? blobs.releaseLegacy(blobId, blobSize)
                        : blobs.release(blobId, id, m.getUuid("ref_id")));
            }
            session.execute(deleteMessages.bind(id.value()).setConsistencyLevel(config.consistency()));
            session.execute(deleteRecord.bind(record.getLocalDate("day"), id.value())
                    .setConsistencyLevel(config.consistency()));
            LOG.info("event=gc_mailbox_collected mailbox={} owner={}", id, owner);
        }
    }

    private void collectBlobs(Duration grace, boolean dryRun, Counts counts) {
        BlobsTable table = blobs.table();
        Instant now = clock.instant();
        Instant cutoff = now.minus(grace);
        for (Row row : session.execute(scan("SELECT DISTINCT blob_id, size, created, released FROM "
                + config.table("blobs")))) {
            counts.scanned++;
            BlobMeta meta = BlobsTable.toMeta(row);
            if (meta.unreferencedSince().isAfter(cutoff)) {
                continue;
            }
            List<BlobRef> refs = join(table.refs(meta.blobId()));
            int live = 0;
            for (BlobRef ref : refs) {
                Instant made = Instant.ofEpochMilli(Uuids.unixTimestamp(ref.refId()));
                if (made.isAfter(cutoff) || messageHolds(ref)) {
                    live++;
                    continue;
                }
                counts.staleRefs++;
                LOG.info("event=gc_stale_ref blob={} mailbox={} uid={} dry_run={}", ref.blobId(), ref.mailbox(),
                        ref.uid(), dryRun);
                if (!dryRun) {
                    join(table.deleteRef(ref.blobId(), ref.mailbox(), ref.refId()));
                }
            }
            if (live > 0) {
                continue;
            }
            FreeOutcome outcome;
            if (dryRun) {
                boolean due = !meta.unreferencedSince().isAfter(cutoff);
                outcome = due ? FreeOutcome.FREED : FreeOutcome.NOT_DUE;
                if (due) {
                    counts.freedBytes.addAndGet(meta.size());
                }
            } else {
                outcome = join(blobs.free(meta.blobId(), grace, false, counts.freedBytes));
            }
            if (outcome == FreeOutcome.FREED) {
                counts.orphanBlobs++;
            }
        }
    }

    /**
     * Whether the reference's message exists and holds this very reference. Read at serial consistency: a
     * conditional append whose outcome was unknown (Cassandra failed mid-Paxos) may still be completed by the
     * next Paxos round on the mailbox; the serial read completes it first, so its reference is not freed from
     * under a message that becomes visible later.
     */
    private boolean messageHolds(BlobRef ref) {
        if (ref.uid() != null) {
            Row row = session.execute(messageRef.bind(ref.mailbox().value(), ref.uid())
                    .setConsistencyLevel(config.serialConsistency())).one();
            return row != null && ref.refId().equals(row.getUuid("ref_id"));
        }
        for (Row row : session.execute(mailboxRefs.bind(ref.mailbox().value())
                .setConsistencyLevel(config.serialConsistency()).setPageSize(config.pageSize()))) {
            if (ref.refId().equals(row.getUuid("ref_id"))) {
                return true;
            }
        }
        return false;
    }

    /** A paged scan in token order at the configured consistency (the driver fetches one page at a time). */
    private SimpleStatement scan(String cql) {
        return SimpleStatement.newInstance(cql).setConsistencyLevel(config.consistency())
                .setPageSize(config.pageSize());
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static final class Counts {
        long scanned;
        long orphanBlobs;
        final AtomicLong freedBytes = new AtomicLong();
        long staleRefs;
        long deletedMailboxes;
    }

    /**
     * What a run found (and, unless a dry run, removed).
     *
     * @param scanned          blobs scanned
     * @param orphanBlobs      blobs freed (no reference for the grace)
     * @param freedBytes       their octets
     * @param staleRefs        references removed whose message does not exist
     * @param deletedMailboxes deleted mailboxes whose messages were collected
     * @param dryRun           whether nothing was removed
     */
    public record GcSummary(long scanned, long orphanBlobs, long freedBytes, long staleRefs, long deletedMailboxes,
                            boolean dryRun) {

        /** The one-line report: {@code gc: scanned=… orphan_blobs=… freed_bytes=… stale_refs=… deleted_mailboxes=…}. */
        public String line() {
            return "gc: scanned=" + scanned + " orphan_blobs=" + orphanBlobs + " freed_bytes=" + freedBytes
                    + " stale_refs=" + staleRefs + " deleted_mailboxes=" + deletedMailboxes
                    + (dryRun ? " dry_run=true" : "");
        }
    }
}
