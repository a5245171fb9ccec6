package io.stratusmail.storage.cassandra.fault;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.gc.BlobCollector.GcSummary;
import io.stratusmail.storage.cassandra.gc.BlobCollector;
import io.stratusmail.storage.cassandra.verify.Finding;
import io.stratusmail.storage.cassandra.verify.StoreVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Architecture invariants 2, 3 and 6 under a hard crash: a separate JVM ({@link WriterProcess}) appends and
 * moves messages and is killed with SIGKILL mid-write. Afterwards every acknowledged message is there (an
 * acknowledged MOVE in its destination, never twice in one mailbox), every visible message reads back whole,
 * the counters equal a recount, the blob collector removes what the crash left, and the consistency check
 * finds nothing wrong.
 */
class KilledWriterTest {

    /** A keyspace of this run alone: the blob counts below take everything in it as this run's. */
    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_fault_" + unique());
    /** Acknowledged appends to wait for before the kill: enough that several operations are in flight. */
    private static final int ACKS_BEFORE_KILL = 60;

    private static CqlSession session;
    private static CassandraStore store;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        store = CassandraFixture.store(session, CONFIG);
    }

    @AfterAll
    static void stop() {
        session.execute("DROP KEYSPACE IF EXISTS " + CONFIG.keyspace());
        session.close();
    }

    @Test
    void aWriterKilledMidWriteLosesNothingAcknowledgedAndLeavesNothingHalfWritten() throws Exception {
        Username user = new Username("fault-" + unique() + "@example.org");
        Mailbox inbox = join(store.mailboxes().ensureInbox(user));
        Mailbox moved = join(store.mailboxes().create(user, new MailboxName("Moved")));

        Map<Integer, Long> appended = new ConcurrentHashMap<>();
        Map<Integer, Long> movedTo = new ConcurrentHashMap<>();
        AtomicInteger lastLargeBegun = new AtomicInteger();
        Process writer = startWriter(user);
        // Reads acknowledgements until the stream ends (the kill closes it; lines still in the pipe then are
        // simply not counted, which only weakens the check).
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (line.startsWith("BEGIN append ") && Integer.parseInt(f[2]) % 5 == 0) {
                        lastLargeBegun.set(Integer.parseInt(f[2]));
                    } else if (line.startsWith("ACK append ")) {
                        appended.put(Integer.parseInt(f[2]), Long.parseLong(f[3]));
                    } else if (line.startsWith("ACK move ")) {
                        movedTo.put(Integer.parseInt(f[2]), Long.parseLong(f[4]));
                    }
                }
            } catch (IOException closedByTheKill) {
                // expected
            }
        }, "writer-output");
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (appended.size() < ACKS_BEFORE_KILL && writer.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Kill while a large (multi-chunk) append is in flight, so the crash most likely cuts a blob write.
            while (writer.isAlive() && System.nanoTime() < deadline
                    && (lastLargeBegun.get() == 0 || appended.containsKey(lastLargeBegun.get()))) {
                Thread.onSpinWait();
            }
            assertThat(writer.isAlive()).as("writer still running").isTrue();
            writer.destroyForcibly(); // SIGKILL: in-flight blob writes, batches and moves are cut off
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } finally {
            writer.destroyForcibly();
        }
        assertThat(appended).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        Map<Integer, Long> inInbox = visibleMessages(inbox);
        Map<Integer, Long> inMoved = visibleMessages(moved);
        for (Map.Entry<Integer, Long> a : appended.entrySet()) {
            int seq = a.getKey();
            if (movedTo.containsKey(seq)) {
                assertThat(inMoved).as("acknowledged move of %d", seq).containsEntry(seq, movedTo.get(seq));
                assertThat(inInbox).as("acknowledged move of %d left its source", seq).doesNotContainKey(seq);
            } else {
                // An unacknowledged MOVE may have committed its copy, never removed the source without one.
                assertThat(inInbox.containsKey(seq) || inMoved.containsKey(seq))
                        .as("acknowledged append %d is somewhere", seq).isTrue();
                if (inInbox.containsKey(seq)) {
                    assertThat(inInbox.get(seq)).as("UID of %d", seq).isEqualTo(a.getValue());
                }
            }
        }
        assertCountersExact(inbox);
        assertCountersExact(moved);

        StoreVerifier verifier = StoreVerifier.prepare(session, CONFIG);
        List<Finding> findings = new ArrayList<>();
        assertThat(verifier.run(user, false, findings::add, u -> { }).clean())
                .as("verify right after the crash: %s", findings).isTrue();

        // This keyspace holds only this test's data, so every blob and reference beyond those of the visible
        // messages is the crash's leftover. Each seq has its own blob; a MOVE shares it by a second reference.
        Set<Integer> distinct = new HashSet<>(inInbox.keySet());
        distinct.addAll(inMoved.keySet());
        StoredBlobs before = StoredBlobs.read();
        BlobCollector collector = BlobCollector.prepare(session, CONFIG);
        GcSummary collected = collector.run(Duration.ZERO, false);
        StoredBlobs after = StoredBlobs.read();
        System.out.printf("killed writer left %d blobs and %d references beyond the visible messages; %s%n",
                before.blobs().size() - distinct.size(), before.references() - inInbox.size() - inMoved.size(),
                collected.line());
        assertThat(after.blobs()).as("blobs left after gc (one per visible message)").hasSize(distinct.size());
        assertThat(after.references()).as("references left after gc (one per visible row)")
                .isEqualTo(inInbox.size() + inMoved.size());
        assertThat(after.chunked()).as("chunks left without their blob").isSubsetOf(after.blobs());
        assertThat(collected.orphanBlobs()).as("orphans gc reported: %s", collected.line())
                .isEqualTo(before.blobs().size() - after.blobs().size());
        assertThat(collected.staleRefs()).as("stale references gc reported: %s", collected.line())
                .isEqualTo(before.references() - after.references());
        GcSummary again = collector.run(Duration.ZERO, false);
        assertThat(again.orphanBlobs() + again.staleRefs()).as(again.line()).isZero();

        assertThat(verifier.run(user, false, findings::add, u -> { }).clean())
                .as("verify after gc: %s", findings).isTrue();
        assertThat(visibleMessages(inbox)).as("gc removed nothing visible").isEqualTo(inInbox);
        assertThat(visibleMessages(moved)).as("gc removed nothing visible").isEqualTo(inMoved);
    }

    /** What the keyspace holds: blob partitions, reference rows, and the blob ids that have chunks. */
    private record StoredBlobs(Set<UUID> blobs, long references, Set<UUID> chunked) {
        static StoredBlobs read() {
            Set<UUID> blobs = new HashSet<>();
            long references = 0;
            for (Row r : session.execute("SELECT blob_id, ref_id FROM " + CONFIG.table("blobs"))) {
                blobs.add(r.getUuid("blob_id"));
                if (!r.isNull("ref_id")) {
                    references++;
                }
            }
            Set<UUID> chunked = new HashSet<>();
            for (Row r : session.execute("SELECT DISTINCT blob_id, chunk FROM " + CONFIG.table("blob_chunks"))) {
                chunked.add(r.getUuid("blob_id"));
            }
            return new StoredBlobs(blobs, references, chunked);
        }
    }

    /** X-Seq to UID of every visible message, each read back whole; fails on a duplicate in one mailbox. */
    private static Map<Integer, Long> visibleMessages(Mailbox box) {
        MailboxSnapshot snapshot = join(store.messages().snapshot(box));
        Map<Integer, Long> bySeq = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (MessageRecord r : snapshot.messages()) {
            byte[] content = join(store.messages().content(box.id(), r.uid())).orElseThrow();
            int seq = WriterProcess.seqOf(content);
            assertThat(content).as("content of %d", seq).isEqualTo(WriterProcess.message(seq));
            assertThat(r.size()).isEqualTo(content.length);
            assertThat(seen.add(seq)).as("message %d twice in %s", seq, box.name()).isTrue();
            bySeq.put(seq, r.uid());
        }
        return bySeq;
    }

    private static void assertCountersExact(Mailbox box) {
        MailboxSnapshot s = join(store.messages().snapshot(box));
        long size = s.messages().stream().mapToLong(MessageRecord::size).sum();
        assertThat(join(store.messages().counters(box.id())))
                .isEqualTo(new MailboxCounters(s.messages().size(), s.messages().size(), size, s.uidNext(),
                        s.highestModSeq()));
    }

    private static Process startWriter(Username user) throws IOException {
        CassandraEndpoint node = TestCluster.cassandra();
        String contactPoint = (node.host().contains(":") ? "[" + node.host() + "]" : node.host()) + ":" + node.port();
        return new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                WriterProcess.class.getName(), contactPoint, node.localDatacenter(), CONFIG.keyspace(),
                user.value())
                .redirectError(ProcessBuilder.Redirect.appendTo(Path.of("target", "killed-writer.log").toFile()))
                .start();
    }
}
