package io.stratusmail.storage.cassandra.message;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Architecture invariant 4 with two independent stores (each its own session, as two server nodes) writing
 * one mailbox at the same time.
 */
class ConcurrentAppendTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_concurrency");
    private static final int PER_NODE = 250;
    private static final int IN_FLIGHT = 8;
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentAppendTest.class);
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

    private static Mailbox newMailbox() {
        return join(nodeA.mailboxes().create(new Username("race-" + unique() + "@example.org"), MailboxName.INBOX));
    }

    private static byte[] mail(String node, int i) {
        return ("Subject: " + node + "-" + i + "\r\n\r\nbody " + node + "-" + i + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends {@code count} messages through {@code store} with {@code IN_FLIGHT} appends outstanding. */
    private static CompletableFuture<List<AppendResult>> appendAll(MessageStore store, Mailbox box, String node,
                                                                   int count) {
        ConcurrentLinkedQueue<AppendResult> results = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < IN_FLIGHT; w++) {
            workers.add(worker(store, box, node, count, next, results).toCompletableFuture());
        }
        return CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                .thenApply(v -> new ArrayList<>(results));
    }

    private static CompletionStage<Void> worker(MessageStore store, Mailbox box, String node, int count,
                                                AtomicInteger next, ConcurrentLinkedQueue<AppendResult> results) {
        int i = next.getAndIncrement();
        if (i >= count) {
            return CompletableFuture.completedFuture(null);
        }
        return store.append(box, mail(node, i), Flags.of("$" + node + i), Instant.now())
                .thenCompose(r -> {
                    results.add(r);
                    return worker(store, box, node, count, next, results);
                });
    }

    @Test
    void twoNodesAppendingToOneMailboxNeverShareLoseOrReorderUids() throws Exception {
        Mailbox box = newMailbox();
        AtomicBoolean appending = new AtomicBoolean(true);
        List<String> violations = new ArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        Thread reader = new Thread(() -> {
            Set<Long> seen = new HashSet<>();
            long maxSeen = 0;
            while (appending.get()) {
                MailboxSnapshot s = join(nodeB.messages().snapshot(box));
                polls.incrementAndGet();
                List<Long> uids = s.messages().stream().map(MessageRecord::uid).toList();
                // Appends only: every allocated UID is committed together with its row, so 1..UIDNEXT-1 are all there.
                if (!uids.equals(LongStream.range(1, s.uidNext()).boxed().toList())) {
                    violations.add("snapshot is not exactly 1.." + (s.uidNext() - 1) + ": " + uids);
                }
                if (s.highestModSeq() != MessageStore.NEW_MAILBOX_MODSEQ + s.uidNext() - 1) {
                    violations.add("HIGHESTMODSEQ " + s.highestModSeq() + " with UIDNEXT " + s.uidNext());
                }
                for (long uid : uids) {
                    if (!seen.contains(uid) && uid < maxSeen) {
                        violations.add("UID " + uid + " appeared after UID " + maxSeen + " had been seen");
                    }
                }
                seen.addAll(uids);
                maxSeen = Math.max(maxSeen, uids.isEmpty() ? 0 : uids.get(uids.size() - 1));
            }
        }, "snapshot-poller");
        reader.start();

        long started = System.nanoTime();
        CompletableFuture<List<AppendResult>> a = appendAll(nodeA.messages(), box, "a", PER_NODE);
        CompletableFuture<List<AppendResult>> b = appendAll(nodeB.messages(), box, "b", PER_NODE);
        List<AppendResult> all = new ArrayList<>(join(a));
        all.addAll(join(b));
        double seconds = (System.nanoTime() - started) / 1e9;
        appending.set(false);
        reader.join(30_000);
        LOG.info("event=append_throughput nodes=2 in_flight_per_node={} appends={} seconds={} per_second={} polls={}",
                IN_FLIGHT, all.size(), String.format("%.2f", seconds), String.format("%.0f", all.size() / seconds),
                polls.get());

        assertThat(violations).isEmpty();
        assertThat(polls.get()).isPositive();
        assertThat(all).hasSize(2 * PER_NODE);
        assertThat(all).extracting(r -> r.record().uid()).doesNotHaveDuplicates();
        assertThat(all).extracting(r -> r.record().modSeq()).doesNotHaveDuplicates();
        MailboxSnapshot last = join(nodeA.messages().snapshot(box));
        assertThat(last.uidNext()).isEqualTo(2 * PER_NODE + 1);
        assertThat(last.highestModSeq()).isEqualTo(MessageStore.NEW_MAILBOX_MODSEQ + 2 * PER_NODE);
        Map<Long, MessageRecord> byUid = new TreeMap<>();
        last.messages().forEach(r -> byUid.put(r.uid(), r));
        assertThat(byUid.keySet()).containsExactlyElementsOf(LongStream.rangeClosed(1, 2 * PER_NODE).boxed().toList());
        for (AppendResult r : all) {
            assertThat(byUid.get(r.record().uid())).isEqualTo(r.record());
        }
        // Each UID holds the content that was appended with it (its keyword names the message).
        for (AppendResult r : all.subList(0, 40)) {
            String keyword = r.record().flags().values().iterator().next();
            byte[] expected = mail(keyword.substring(1, 2), Integer.parseInt(keyword.substring(2)));
            assertThat(join(nodeB.messages().content(box.id(), r.record().uid()))).hasValue(expected);
        }
    }

    @Test
    void concurrentFlagAdditionsFromTwoNodesAreAllKeptWithStrictlyIncreasingModSeqs() {
        Mailbox box = newMailbox();
        int messages = 20;
        int rounds = 25;
        for (int i = 0; i < messages; i++) {
            join(nodeA.messages().append(box, mail("m", i), Flags.EMPTY, Instant.now()));
        }
        List<Long> uids = LongStream.rangeClosed(1, messages).boxed().toList();

        CompletableFuture<List<List<MessageRecord>>> a = addKeywords(nodeA.messages(), box, uids, "$A", rounds);
        CompletableFuture<List<List<MessageRecord>>> b = addKeywords(nodeB.messages(), box, uids, "$B", rounds);
        List<List<MessageRecord>> seenByA = join(a);
        List<List<MessageRecord>> seenByB = join(b);

        for (List<List<MessageRecord>> results : List.of(seenByA, seenByB)) {
            for (long uid : uids) {
                List<Long> modSeqs = results.stream()
                        .map(rs -> rs.stream().filter(r -> r.uid() == uid).findFirst().orElseThrow().modSeq())
                        .toList();
                assertThat(modSeqs).as("MODSEQs of UID %d seen by one node", uid).isSorted().doesNotHaveDuplicates();
            }
        }
        Set<Long> allModSeqs = new HashSet<>();
        for (List<List<MessageRecord>> results : List.of(seenByA, seenByB)) {
            results.forEach(rs -> rs.forEach(r -> allModSeqs.add(r.modSeq())));
        }
        assertThat(allModSeqs).as("every change has its own MODSEQ").hasSize(2 * rounds * messages);

        MailboxSnapshot last = join(nodeA.messages().snapshot(box));
        assertThat(last.highestModSeq()).isEqualTo(MessageStore.NEW_MAILBOX_MODSEQ + messages + 2L * rounds * messages);
        Set<String> expected = new HashSet<>();
        for (int r = 0; r < rounds; r++) {
            expected.add("$A" + r);
            expected.add("$B" + r);
        }
        for (MessageRecord r : last.messages()) {
            assertThat(r.flags().values()).as("flags of UID %d", r.uid()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(last.messages().stream().map(MessageRecord::modSeq).collect(Collectors.toSet()))
                .hasSize(messages);
    }

    @Test
    void appendsOnOneNodeWhileAnotherExpungesNeverReuseAUidAndCountEveryChangeInHighestModSeq() {
        Mailbox box = newMailbox();
        int count = 150;
        CompletableFuture<List<AppendResult>> appends = appendAll(nodeA.messages(), box, "a", count);
        MessageStore cleaner = nodeB.messages();
        long flagChanges = 0;
        long expunged = 0;
        long maxSeen = 0;
        while (true) {
            boolean done = appends.isDone();
            MailboxSnapshot before = join(cleaner.snapshot(box));
            List<Long> uids = before.messages().stream().map(MessageRecord::uid).toList();
            long floor = maxSeen;
            // What this loop has not expunged yet is still there; anything new lies above every UID seen so far.
            assertThat(uids).allSatisfy(uid -> assertThat(uid).isGreaterThan(floor));
            maxSeen = uids.isEmpty() ? maxSeen : uids.get(uids.size() - 1);
            List<MessageRecord> flagged = join(cleaner.updateFlags(box.id(), uids,
                    new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.DELETED))));
            // None had \Deleted before (this loop expunges what it flags), so each one changed: new MODSEQ.
            assertThat(flagged).allSatisfy(r -> {
                assertThat(r.flags().contains(Flags.DELETED)).isTrue();
                assertThat(r.modSeq()).isGreaterThan(before.highestModSeq());
            });
            flagChanges += flagged.size();
            expunged += join(cleaner.expunge(box.id(), uids)).size();
            if (done && uids.isEmpty()) {
                break;
            }
        }

        List<AppendResult> results = join(appends);
        assertThat(results).extracting(r -> r.record().uid()).doesNotHaveDuplicates()
                .allSatisfy(uid -> assertThat(uid).isBetween(1L, (long) count));
        MailboxSnapshot last = join(cleaner.snapshot(box));
        assertThat(last.messages()).isEmpty();
        assertThat(last.uidNext()).isEqualTo(count + 1);
        assertThat(expunged).isEqualTo(count);
        assertThat(flagChanges).isEqualTo(count);
        assertThat(last.highestModSeq()).isEqualTo(MessageStore.NEW_MAILBOX_MODSEQ + count + flagChanges + expunged);
        assertThat(join(nodeA.messages().append(box, mail("a", -1), Flags.EMPTY, Instant.now())).record().uid())
                .isEqualTo(count + 1);
    }

    private static CompletableFuture<List<List<MessageRecord>>> addKeywords(MessageStore store, Mailbox box,
                                                                          List<Long> uids, String prefix, int rounds) {
        CompletionStage<List<List<MessageRecord>>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            Flags keyword = Flags.of(prefix + r);
            chain = chain.thenCompose(acc -> store.updateFlags(box.id(), uids,
                    new FlagUpdate(FlagUpdate.Mode.ADD, keyword)).thenApply(rs -> {
                        acc.add(rs);
                        return acc;
                    }));
        }
        return chain.toCompletableFuture();
    }
}
