package io.stratusmail.storage.cassandra.message;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.CopiedMessage;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.FlagUpdateResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.MessageToAppend;
import io.stratusmail.mailbox.message.RecentRange;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Architecture invariant 4 and exact counters with two independent stores (each its own session, as two
 * server nodes) doing conditional STOREs, COPY, MOVE, EXPUNGE and {@code \Recent} claims on the same mailboxes
 * while appends continue. After each race: UIDs ascending and unique, MODSEQs unique, the counters equal a
 * recount of the rows, the change log complete, and no message lost or duplicated.
 */
class ConcurrentMessageOperationsTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_concurrency");
    private static final Instant DATE = Instant.parse("2024-03-01T10:15:30.123Z");
    private static CqlSession sessionA;
    private static CqlSession sessionB;
    private static CassandraStore nodeA;
    private static CassandraStore nodeB;

    @BeforeAll
    static void start() {
        sessionA = CassandraFixture.openSession();
        sessionB = CassandraFixture.openSession();
        nodeA = CassandraFixture.store(sessionA, CONFIG);
        nodeB = CassandraFixture.store(sessionB, CONFIG);
    }

    @AfterAll
    static void stop() {
        sessionA.close();
        sessionB.close();
    }

    private static MessageStore a() {
        return nodeA.messages();
    }

    private static MessageStore b() {
        return nodeB.messages();
    }

    private static Mailbox newMailbox() {
        return join(nodeA.mailboxes().create(new Username("ops-" + unique() + "@example.org"), MailboxName.INBOX));
    }

    private static byte[] mail(String subject) {
        return ("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void fill(Mailbox box, String prefix, int count, Flags flags) {
        List<MessageToAppend> batch = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            batch.add(new MessageToAppend(mail(prefix + i), flags, DATE));
        }
        join(a().appendAll(box, batch));
    }

    /** Appends {@code count} messages through {@code store}, 4 outstanding, while the test races. */
    private static CompletableFuture<List<MessageRecord>> appendInBackground(MessageStore store, Mailbox box,
                                                                            String prefix, int count) {
        ConcurrentLinkedQueue<MessageRecord> done = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(appendWorker(store, box, prefix, count, next, done).toCompletableFuture());
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).thenApply(v -> new ArrayList<>(done));
    }

    private static CompletionStage<Void> appendWorker(MessageStore store, Mailbox box, String prefix, int count,
                                                      AtomicInteger next, ConcurrentLinkedQueue<MessageRecord> done) {
        int i = next.getAndIncrement();
        if (i >= count) {
            return CompletableFuture.completedFuture(null);
        }
        return store.append(box, mail(prefix + i), Flags.EMPTY, Instant.now()).thenCompose(r -> {
            done.add(r.record());
            return appendWorker(store, box, prefix, count, next, done);
        });
    }

    /** The invariants every race must leave, checked through the other node. */
    private static MailboxSnapshot assertConsistent(Mailbox box) {
        MailboxSnapshot s = join(b().snapshot(box));
        List<Long> uids = s.messages().stream().map(MessageRecord::uid).toList();
        assertThat(uids).as("UIDs").isSorted().doesNotHaveDuplicates()
                .allSatisfy(u -> assertThat(u).isLessThan(s.uidNext()));
        assertThat(s.messages()).extracting(MessageRecord::modSeq).as("MODSEQs").doesNotHaveDuplicates()
                .allSatisfy(m -> assertThat(m).isBetween(1L, s.highestModSeq()));
        long unseen = s.messages().stream().filter(m -> !m.flags().contains(Flags.SEEN)).count();
        long size = s.messages().stream().mapToLong(MessageRecord::size).sum();
        assertThat(join(a().counters(box.id()))).as("counters")
                .isEqualTo(new MailboxCounters(s.messages().size(), unseen, size, s.uidNext(), s.highestModSeq()));
        // The change log is dense and complete: replaying it from 0 gives the mailbox exactly.
        MailboxChanges all = join(a().changesSince(box.id(), 0));
        assertThat(all.vanishedComplete()).isTrue();
        assertThat(all.changed()).isEqualTo(s.messages());
        assertThat(all.vanished()).doesNotHaveDuplicates().allSatisfy(u -> {
            assertThat(uids).doesNotContain(u);
            assertThat(u).isLessThan(s.uidNext());
        });
        assertThat(all.vanished().size() + uids.size()).as("every UID ever allocated is either there or vanished")
                .isEqualTo(s.uidNext() - 1);
        return s;
    }

    private static String subject(Mailbox box, long uid) {
        byte[] content = join(b().content(box.id(), uid)).orElseThrow();
        String text = new String(content, StandardCharsets.US_ASCII);
        return text.substring("Subject: ".length(), text.indexOf("\r\n"));
    }

    @Test
    void conditionalStoresFromTwoNodesOnTheSameMessagesHaveExactlyOneWinnerEach() {
        Mailbox box = newMailbox();
        int messages = 30;
        fill(box, "m", messages, Flags.EMPTY);
        MailboxSnapshot before = join(a().snapshot(box));
        CompletableFuture<List<MessageRecord>> appends = appendInBackground(a(), box, "new", 60);

        // One conditional STORE per message from each node, all at once, each with the MODSEQ it saw.
        List<CompletableFuture<FlagUpdateResult>> fromA = new ArrayList<>();
        List<CompletableFuture<FlagUpdateResult>> fromB = new ArrayList<>();
        for (MessageRecord r : before.messages()) {
            fromA.add(a().updateFlags(box.id(), List.of(r.uid()), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("$A")),
                    r.modSeq()).toCompletableFuture());
            fromB.add(b().updateFlags(box.id(), List.of(r.uid()), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("$B")),
                    r.modSeq()).toCompletableFuture());
        }
        Map<Long, String> winner = new HashMap<>();
        for (int i = 0; i < messages; i++) {
            FlagUpdateResult ra = join(fromA.get(i));
            FlagUpdateResult rb = join(fromB.get(i));
            long uid = before.messages().get(i).uid();
            assertThat(ra.updated().size() + rb.updated().size()).as("winners of UID %d", uid).isEqualTo(1);
            assertThat(ra.modified().size() + rb.modified().size()).as("MODIFIED for UID %d", uid).isEqualTo(1);
            winner.put(uid, ra.updated().isEmpty() ? "$B" : "$A");
        }
        for (MessageRecord r : join(b().records(box.id(), winner.keySet()))) {
            assertThat(r.flags()).as("flags of UID %d", r.uid()).isEqualTo(Flags.of(winner.get(r.uid())));
        }

        // Then one STORE of all messages from each node with the same UNCHANGEDSINCE.
        long since = join(a().counters(box.id())).highestModSeq();
        List<Long> uids = LongStream.rangeClosed(1, messages).boxed().toList();
        CompletableFuture<FlagUpdateResult> allA = a().updateFlags(box.id(), uids,
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN, "$A2")), since).toCompletableFuture();
        CompletableFuture<FlagUpdateResult> allB = b().updateFlags(box.id(), uids,
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.FLAGGED, "$B2")), since).toCompletableFuture();
        FlagUpdateResult ra = join(allA);
        FlagUpdateResult rb = join(allB);
        Set<Long> updatedA = new HashSet<>(ra.updated().stream().map(MessageRecord::uid).toList());
        Set<Long> updatedB = new HashSet<>(rb.updated().stream().map(MessageRecord::uid).toList());
        Set<Long> both = new HashSet<>(updatedA);
        both.retainAll(updatedB);
        assertThat(both).as("UIDs both nodes updated").isEmpty();
        assertThat(updatedA.size() + updatedB.size()).isEqualTo(messages);
        assertThat(ra.modified()).containsExactlyInAnyOrderElementsOf(updatedB);
        assertThat(rb.modified()).containsExactlyInAnyOrderElementsOf(updatedA);

        assertThat(join(appends)).hasSize(60);
        assertConsistent(box);
    }

    @Test
    void copyAndMoveFromTwoNodesIntoOneDestinationWhileItReceivesMail() {
        Mailbox copied = newMailbox();
        Mailbox moved = newMailbox();
        Mailbox destination = newMailbox();
        fill(copied, "c", 40, Flags.of(Flags.SEEN));
        fill(moved, "v", 40, Flags.EMPTY);
        fill(destination, "d", 10, Flags.EMPTY);
        List<Long> uids = LongStream.rangeClosed(1, 40).boxed().toList();

        CompletableFuture<List<MessageRecord>> appends = appendInBackground(b(), destination, "live", 40);
        CompletableFuture<CopyResult> copy = a().copy(copied.id(), uids, destination).toCompletableFuture();
        CompletableFuture<CopyResult> move = b().move(moved.id(), uids, destination).toCompletableFuture();
        CopyResult copyResult = join(copy);
        CopyResult moveResult = join(move);
        join(appends);

        assertThat(copyResult.sourceUids()).isEqualTo(uids);
        assertThat(moveResult.sourceUids()).isEqualTo(uids);
        assertThat(copyResult.destinationUids()).isSorted();
        Set<Long> shared = new HashSet<>(copyResult.destinationUids());
        shared.retainAll(moveResult.destinationUids());
        assertThat(shared).as("destination UIDs given to both").isEmpty();
        assertThat(moveResult.destinationUids()).isSorted();
        for (CopiedMessage c : copyResult.copies()) {
            assertThat(subject(destination, c.copy().uid())).isEqualTo("c" + c.sourceUid());
            assertThat(c.copy().flags()).isEqualTo(Flags.of(Flags.SEEN));
        }
        for (CopiedMessage c : moveResult.copies()) {
            assertThat(subject(destination, c.copy().uid())).isEqualTo("v" + c.sourceUid());
        }
        MailboxSnapshot after = assertConsistent(destination);
        assertThat(after.messages()).hasSize(10 + 40 + 40 + 40);
        assertThat(after.messages().stream().filter(m -> m.flags().contains(Flags.SEEN)).count()).isEqualTo(40);
        assertThat(assertConsistent(moved).messages()).isEmpty();
        assertThat(assertConsistent(copied).messages()).hasSize(40);
    }

    @Test
    void twoNodesMovingTheSameMessagesAtOnceLeaveExactlyOneCopyOfEach() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        fill(source, "m", 20, Flags.EMPTY);
        List<Long> uids = LongStream.rangeClosed(1, 20).boxed().toList();

        CompletableFuture<CopyResult> moveA = a().move(source.id(), uids, destination).toCompletableFuture();
        CompletableFuture<CopyResult> moveB = b().move(source.id(), uids, destination).toCompletableFuture();
        CopyResult ra = join(moveA);
        CopyResult rb = join(moveB);

        Set<Long> both = new HashSet<>(ra.sourceUids());
        both.retainAll(rb.sourceUids());
        assertThat(both).as("source UIDs both nodes report as moved by them").isEmpty();
        assertThat(ra.sourceUids().size() + rb.sourceUids().size()).isEqualTo(20);
        assertThat(assertConsistent(source).messages()).isEmpty();
        MailboxSnapshot after = assertConsistent(destination);
        Set<String> subjects = new HashSet<>();
        after.messages().forEach(m -> subjects.add(subject(destination, m.uid())));
        assertThat(after.messages()).hasSize(20);
        assertThat(subjects).hasSize(20);
        List<Long> reported = new ArrayList<>(ra.destinationUids());
        reported.addAll(rb.destinationUids());
        assertThat(after.messages()).extracting(MessageRecord::uid).containsExactlyInAnyOrderElementsOf(reported);
    }

    @Test
    void expungesFromTwoNodesRemoveEachMessageOnceWhileAppendsContinue() {
        Mailbox box = newMailbox();
        fill(box, "gone", 40, Flags.of(Flags.DELETED));
        fill(box, "kept", 20, Flags.EMPTY);
        long before = join(a().counters(box.id())).highestModSeq();
        List<Long> deleted = LongStream.rangeClosed(1, 40).boxed().toList();
        CompletableFuture<List<MessageRecord>> appends = appendInBackground(a(), box, "new", 40);

        List<CompletableFuture<List<Long>>> expunges = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expunges.add(a().expunge(box.id(), deleted).toCompletableFuture());
            expunges.add(b().expunge(box.id(), deleted.subList(i * 10, 40)).toCompletableFuture());
        }
        List<Long> removed = new ArrayList<>();
        expunges.forEach(f -> removed.addAll(join(f)));
        join(appends);

        assertThat(removed).containsExactlyInAnyOrderElementsOf(deleted);
        MailboxSnapshot after = assertConsistent(box);
        assertThat(after.messages()).hasSize(20 + 40);
        assertThat(after.highestModSeq()).isEqualTo(before + 40 + 40);
        MailboxChanges changes = join(b().changesSince(box.id(), before));
        assertThat(changes.vanished()).isEqualTo(deleted);
        assertThat(changes.vanishedComplete()).isTrue();
        assertThat(changes.changed()).hasSize(40);
    }

    @Test
    void recentClaimedFromTwoNodesGoesToExactlyOneSession() {
        Mailbox box = newMailbox();
        CompletableFuture<List<MessageRecord>> appends = appendInBackground(a(), box, "r", 120);
        List<RecentRange> ranges = new ArrayList<>();
        List<CompletableFuture<RecentRange>> claims = new ArrayList<>();
        while (!appends.isDone()) {
            claims.add(a().claimRecent(box.id()).toCompletableFuture());
            claims.add(b().claimRecent(box.id()).toCompletableFuture());
            join(claims.get(claims.size() - 1));
        }
        join(appends);
        claims.add(a().claimRecent(box.id()).toCompletableFuture());
        claims.add(b().claimRecent(box.id()).toCompletableFuture());
        claims.forEach(c -> ranges.add(join(c)));

        Map<Long, Integer> holders = new HashMap<>();
        for (RecentRange r : ranges) {
            LongStream.range(r.fromUid(), r.toUid()).forEach(uid -> holders.merge(uid, 1, Integer::sum));
        }
        assertThat(holders.keySet())
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 120).boxed().toList());
        assertThat(holders.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        assertThat(ranges.stream().filter(r -> !r.isEmpty()).count()).isGreaterThan(1);
        assertThat(assertConsistent(box).highestModSeq()).isEqualTo(MessageStore.NEW_MAILBOX_MODSEQ + 120);
    }
}
