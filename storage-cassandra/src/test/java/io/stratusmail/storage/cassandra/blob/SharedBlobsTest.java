package io.stratusmail.storage.cassandra.blob;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.gc.BlobCollector;
import io.stratusmail.storage.cassandra.gc.BlobCollector.GcSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One stored copy per delivery shared by COPY and MOVE, freed after the grace once its last reference goes, and
 * {@code stratus gc} (BlobCollector), against the real Cassandra node. The grace is 1 s here.
 */
class SharedBlobsTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_shared_blobs")
            .withBlobGrace(Duration.ofSeconds(1));
    private static final Duration GRACE = CONFIG.blobGrace();
    private static final Instant DATE = Instant.parse("2025-06-02T10:00:00Z");
    private static CqlSession session;
    private static CqlSession otherSession;
    private static CassandraStore store;
    private static CassandraStore otherNode;
    private static SharedBlobs blobs;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        otherSession = CassandraFixture.openSession();
        store = CassandraFixture.store(session, CONFIG);
        otherNode = join(CassandraStore.open(otherSession, CONFIG));
        blobs = join(SharedBlobs.prepare(session, CONFIG));
    }

    @AfterAll
    static void stop() {
        session.close();
        otherSession.close();
    }

    private static Mailbox newMailbox(String name) {
        return join(store.mailboxes().create(new Username("blob-" + unique() + "@example.org"), new MailboxName(name)));
    }

    private static byte[] message(String subject, int bodyOctets) {
        byte[] header = ("From: a@example.org\r\nSubject: " + subject + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + bodyOctets);
        for (int i = header.length; i < out.length; i++) {
            out[i] = (byte) ('a' + i % 26);
        }
        return out;
    }

    private static long count(String cql, Object... values) {
        long n = 0;
        for (Row ignored : session.execute(SimpleStatement.newInstance(cql, values))) {
            n++;
        }
        return n;
    }

    private static long chunks(UUID blob) {
        long n = 0;
        for (int i = 0; i < 70; i++) {
            n += count("SELECT chunk FROM " + CONFIG.table("blob_chunks") + " WHERE blob_id = ? AND chunk = ?", blob, i);
        }
        return n;
    }

    private static long refs(UUID blob) {
        return join(blobs.table().refs(blob)).size();
    }

    private static UUID blobOf(Mailbox box, long uid) {
        return session.execute(SimpleStatement.newInstance("SELECT blob_id FROM " + CONFIG.table("messages")
                + " WHERE mailbox_id = ? AND uid = ?", box.id().value(), uid)).one().getUuid("blob_id");
    }

    private static void pastGrace() throws InterruptedException {
        Thread.sleep(GRACE.toMillis() + 300);
    }

    private static void expungeAll(MessageStore s, Mailbox box, List<Long> uids) {
        join(s.updateFlags(box.id(), uids, new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\Deleted"))));
        join(s.expunge(box.id(), uids));
    }

    @Test
    void fiveRecipientsShareOneStoredBlob() {
        byte[] content = message("to five", 2 * 1024 * 1024 + 10);
        StoredContent stored = join(store.messages().storeContent(content));
        Set<UUID> blobIds = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Mailbox inbox = newMailbox("INBOX");
            byte[] prefix = ("Delivered-To: r" + i + "@example.org\r\n").getBytes(StandardCharsets.US_ASCII);
            long uid = join(store.messages().append(inbox, stored, prefix, Flags.EMPTY, DATE)).record().uid();
            blobIds.add(blobOf(inbox, uid));
            byte[] read = join(store.messages().content(inbox.id(), uid)).orElseThrow();
            assertThat(Arrays.copyOfRange(read, 0, prefix.length)).isEqualTo(prefix);
            assertThat(Arrays.copyOfRange(read, prefix.length, read.length)).isEqualTo(content);
        }
        assertThat(blobIds).containsExactly(stored.id());
        assertThat(chunks(stored.id())).isEqualTo(3);
        assertThat(refs(stored.id())).isEqualTo(5);
    }

    @Test
    void copySharesTheBlobAndOnlyTheLastExpungeFreesItAfterTheGrace() throws InterruptedException {
        Mailbox a = newMailbox("INBOX");
        Mailbox b = newMailbox("INBOX");
        byte[] content = message("shared", 3 * 1024 * 1024);
        long uid = join(store.messages().append(a, content, Flags.EMPTY, DATE)).record().uid();
        UUID blob = blobOf(a, uid);
        CopyResult copy = join(store.messages().copy(a.id(), List.of(uid), b));
        long copyUid = copy.copies().get(0).copy().uid();

        assertThat(blobOf(b, copyUid)).isEqualTo(blob);
        assertThat(chunks(blob)).isEqualTo(BlobStore.chunkCount(content.length)).isEqualTo(4);
        assertThat(refs(blob)).isEqualTo(2);

        expungeAll(store.messages(), a, List.of(uid));
        pastGrace();
        join(blobs.freeDue(1000));
        assertThat(refs(blob)).isEqualTo(1);
        assertThat(join(store.messages().content(b.id(), copyUid))).contains(content);

        expungeAll(store.messages(), b, List.of(copyUid));
        assertThat(refs(blob)).isZero();
        assertThat(join(blobs.freeDue(1000)).freed()).as("within the grace").isZero();
        assertThat(chunks(blob)).isEqualTo(4);
        pastGrace();
        SharedBlobs.FreeRun run = join(blobs.freeDue(1000));
        assertThat(run.freed()).isGreaterThanOrEqualTo(1);
        assertThat(chunks(blob)).isZero();
        assertThat(join(blobs.table().meta(blob))).isEmpty();
    }

    @Test
    void aRangeReadReadsOnlyTheChunksCoveringIt() {
        Mailbox box = newMailbox("INBOX");
        byte[] content = message("big", 3 * 1024 * 1024);
        long uid = join(store.messages().append(box, content, Flags.EMPTY, DATE)).record().uid();
        UUID blob = blobOf(box, uid);
        // Chunks 0 and 2 are lost: a read inside chunk 1 must not need them.
        for (int chunk : new int[] {0, 2}) {
            session.execute(SimpleStatement.newInstance("DELETE FROM " + CONFIG.table("blob_chunks")
                    + " WHERE blob_id = ? AND chunk = ?", blob, chunk));
        }
        long from = BlobStore.CHUNK_SIZE + 100;
        long to = 2L * BlobStore.CHUNK_SIZE - 100;

        byte[] range = join(store.messages().content(box.id(), uid, from, to)).orElseThrow();

        assertThat(range).isEqualTo(Arrays.copyOfRange(content, (int) from, (int) to));
        assertThat(CassandraFixture.failure(store.messages().content(box.id(), uid)))
                .hasMessageContaining("missing");
        assertThat(CassandraFixture.failure(store.messages().content(box.id(), uid, from, to + 200)))
                .hasMessageContaining("missing");
    }

    @Test
    void concurrentCopiesAndExpungesFromTwoNodesNeverLeaveAMessageWithoutItsContent() throws Exception {
        Mailbox source = newMailbox("INBOX");
        Mailbox target = newMailbox("INBOX");
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            contents.add(message("m" + i, 100 + i));
            join(store.messages().append(source, contents.get(i), Flags.of("\\Deleted"), DATE));
        }
        List<Long> uids = LongStream.rangeClosed(1, 20).boxed().toList();

        CompletableFuture<CopyResult> copies = CompletableFuture.supplyAsync(() -> {
            CopyResult last = null;
            for (Long uid : uids) {
                last = join(otherNode.messages().copy(source.id(), List.of(uid), target));
            }
            return last;
        });
        CompletableFuture<List<Long>> expunged = CompletableFuture.supplyAsync(() -> {
            List<Long> out = new ArrayList<>();
            for (int i = uids.size() - 1; i >= 0; i--) {
                out.addAll(join(store.messages().expunge(source.id(), List.of(uids.get(i)))));
            }
            return out;
        });
        copies.get();
        assertThat(expunged.get()).hasSize(20);
        pastGrace();
        join(blobs.freeDue(1000));
        BlobCollector.prepare(session, CONFIG).run(GRACE, false);

        List<MessageRecord> copied = join(store.messages().snapshot(target)).messages();
        assertThat(copied).isNotEmpty();
        Set<String> seen = new HashSet<>();
        for (MessageRecord r : copied) {
            byte[] read = join(store.messages().content(target.id(), r.uid())).orElseThrow();
            assertThat(contents).anySatisfy(c -> assertThat(read).isEqualTo(c));
            seen.add(new String(read, StandardCharsets.US_ASCII));
        }
        assertThat(seen).hasSize(copied.size());
    }

    @Test
    void gcRemovesOldOrphansAndStaleReferencesAndKeepsYoungAndReferencedBlobs() throws InterruptedException {
        Mailbox box = newMailbox("INBOX");
        StoredContent orphan = join(store.messages().storeContent(message("orphan", 10)));
        long kept = join(store.messages().append(box, message("kept", 10), Flags.EMPTY, DATE)).record().uid();
        UUID keptBlob = blobOf(box, kept);
        // A reference whose commit never happened (a crash between the reference and the batch).
        StoredContent uncommitted = join(store.messages().storeContent(message("uncommitted", 10)));
        join(blobs.reference(uncommitted, box.id()));
        BlobCollector gc = BlobCollector.prepare(session, CONFIG);

        gc.run(Duration.ofHours(1), false);
        assertThat(chunks(orphan.id())).as("young orphan kept").isEqualTo(1);
        assertThat(refs(uncommitted.id())).as("young reference kept").isEqualTo(1);

        pastGrace();
        GcSummary dry = gc.run(GRACE, true);
        assertThat(dry.orphanBlobs()).isGreaterThanOrEqualTo(2);
        assertThat(dry.staleRefs()).isGreaterThanOrEqualTo(1);
        assertThat(dry.line()).startsWith("gc: scanned=").contains("dry_run=true");
        assertThat(chunks(orphan.id())).as("dry run removes nothing").isEqualTo(1);
        assertThat(refs(uncommitted.id())).isEqualTo(1);

        GcSummary run = gc.run(GRACE, false);
        assertThat(run.orphanBlobs()).isGreaterThanOrEqualTo(2);
        assertThat(run.staleRefs()).isGreaterThanOrEqualTo(1);
        assertThat(run.freedBytes()).isGreaterThan(0);
        assertThat(chunks(orphan.id())).isZero();
        assertThat(chunks(uncommitted.id())).isZero();
        assertThat(chunks(keptBlob)).isEqualTo(1);
        assertThat(join(store.messages().content(box.id(), kept))).contains(message("kept", 10));
    }

    @Test
    void gcCollectsADeletedMailboxsMessagesAndTheirBlobs() throws InterruptedException {
        Username owner = new Username("gone-" + unique() + "@example.org");
        join(store.mailboxes().create(owner, MailboxName.INBOX));
        Mailbox gone = join(store.mailboxes().create(owner, new MailboxName("Old")));
        long uid = join(store.messages().append(gone, message("old", 50), Flags.EMPTY, DATE)).record().uid();
        UUID blob = blobOf(gone, uid);
        join(store.mailboxes().delete(owner, new MailboxName("Old")));
        BlobCollector gc = BlobCollector.prepare(session, CONFIG);

        GcSummary first = gc.run(GRACE, false);
        assertThat(first.deletedMailboxes()).isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT uid FROM " + CONFIG.table("messages") + " WHERE mailbox_id = ?", gone.id().value()))
                .isZero();
        pastGrace();
        gc.run(GRACE, false);

        assertThat(chunks(blob)).isZero();
        assertThat(gc.run(GRACE, false).deletedMailboxes()).as("collected once").isZero();
    }

    @Test
    void gcConcurrentWithAppendsLosesNothing() throws Exception {
        Mailbox box = newMailbox("INBOX");
        AtomicBoolean appending = new AtomicBoolean(true);
        CompletableFuture<List<Long>> appends = CompletableFuture.supplyAsync(() -> {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                out.add(join(otherNode.messages().append(box, message("c" + i, 30), Flags.EMPTY, DATE)).record().uid());
            }
            appending.set(false);
            return out;
        });
        BlobCollector gc = BlobCollector.prepare(session, CONFIG);
        while (appending.get()) {
            gc.run(GRACE, false);
        }
        List<Long> uids = appends.get();
        pastGrace();
        gc.run(GRACE, false);

        for (int i = 0; i < uids.size(); i++) {
            assertThat(join(store.messages().content(box.id(), uids.get(i)))).contains(message("c" + i, 30));
        }
    }
}
