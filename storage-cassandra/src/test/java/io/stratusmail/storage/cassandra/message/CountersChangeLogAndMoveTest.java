package io.stratusmail.storage.cassandra.message;

import static io.stratusmail.storage.cassandra.CassandraFixture.failure;
import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.CopyResult;
import io.stratusmail.mailbox.message.FlagUpdate;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only the Cassandra store has to prove: mailboxes written before schema version 3, the change log's
 * retention, a MOVE interrupted between its two halves, a COPY failing part-way, and the cost of appends.
 */
class CountersChangeLogAndMoveTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_messages");
    private static final Instant DATE = Instant.parse("2024-03-01T10:15:30.123Z");
    private static final Logger LOG = LoggerFactory.getLogger(CountersChangeLogAndMoveTest.class);
    private static CqlSession session;
    private static MailboxRepository mailboxes;
    private static MessageStore store;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        CassandraStore s = CassandraFixture.store(session, CONFIG);
        mailboxes = s.mailboxes();
        store = s.messages();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    private static Mailbox newMailbox() {
        return join(mailboxes.create(new Username("log-" + unique() + "@example.org"), MailboxName.INBOX));
    }

    private static byte[] mail(String subject) {
        return ("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageRecord append(Mailbox box, String subject, String... flags) {
        return join(store.append(box, mail(subject), Flags.of(flags), DATE)).record();
    }

    private static MailboxCounters recount(Mailbox box) {
        MailboxSnapshot s = join(store.snapshot(box));
        long unseen = s.messages().stream().filter(m -> !m.flags().contains(Flags.SEEN)).count();
        return new MailboxCounters(s.messages().size(), unseen, s.messages().stream().mapToLong(MessageRecord::size)
                .sum(), s.uidNext(), s.highestModSeq());
    }

    /** Writes a mailbox the way schema version 1 did: rows and next_uid/highest_modseq, no counters, no log. */
    private static void writeLegacy(Mailbox box, int messages) {
        String t = CONFIG.table("messages");
        for (int uid = 1; uid <= messages; uid++) {
            session.execute(SimpleStatement.newInstance("INSERT INTO " + t
                            + " (mailbox_id, uid, modseq, flags, size, internal_date, blob_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    box.id().value(), (long) uid, (long) uid, uid % 2 == 0 ? Set.of(Flags.SEEN) : Set.of(),
                    100L * uid, DATE, UUID.randomUUID()));
        }
        session.execute(SimpleStatement.newInstance("UPDATE " + t + " SET next_uid = ?, highest_modseq = ?"
                + " WHERE mailbox_id = ?", messages + 1L, messages + 2L, box.id().value()));
    }

    @Test
    void mailboxWrittenBeforeVersion3IsCountedOnceThenKeptExactAndItsOldMessagesAreNobodysRecent() {
        Mailbox box = newMailbox();
        writeLegacy(box, 5);

        assertThat(join(store.counters(box.id()))).isEqualTo(new MailboxCounters(5, 3, 1500, 6, 7));
        assertThat(join(store.claimRecent(box.id())).isEmpty()).isTrue();

        MessageRecord added = append(box, "after upgrade");
        assertThat(added.uid()).isEqualTo(6);
        assertThat(added.modSeq()).isEqualTo(8);
        assertThat(join(store.claimRecent(box.id()))).isEqualTo(new RecentRange(6, 7));
        join(store.updateFlags(box.id(), List.of(1L, 6L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN))));
        assertThat(join(store.counters(box.id()))).isEqualTo(recount(box));

        // Changes before the upgrade were never logged: expunges since then are unknown, changes still exact.
        MailboxChanges sinceStart = join(store.changesSince(box.id(), 0));
        assertThat(sinceStart.vanishedComplete()).isFalse();
        assertThat(sinceStart.changed()).extracting(MessageRecord::uid).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        MailboxChanges sinceUpgrade = join(store.changesSince(box.id(), 7));
        assertThat(sinceUpgrade.vanishedComplete()).isTrue();
        assertThat(sinceUpgrade.changed()).extracting(MessageRecord::uid).containsExactly(1L, 6L);
    }

    @Test
    void mailboxWrittenBeforeVersion3WhoseFirstWriteIsAnExpungeGetsExactCounters() {
        Mailbox box = newMailbox();
        writeLegacy(box, 4);

        join(store.updateFlags(box.id(), List.of(2L, 3L),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.DELETED))));
        assertThat(join(store.expunge(box.id(), List.of(2L, 3L)))).containsExactly(2L, 3L);

        assertThat(join(store.counters(box.id()))).isEqualTo(new MailboxCounters(2, 1, 500, 5, 10))
                .isEqualTo(recount(box));
    }

    @Test
    void expiredChangeLogReportsVanishedAsIncompleteButChangedMessagesExactly() throws Exception {
        MessageStore shortLog = CassandraFixture.store(session, CONFIG.withChangeLogRetention(Duration.ofSeconds(1)))
                .messages();
        Mailbox box = newMailbox();
        for (int i = 0; i < 3; i++) {
            join(shortLog.append(box, mail("m" + i), Flags.of(Flags.DELETED), DATE));
        }
        join(shortLog.expunge(box.id(), List.of(2L)));
        Thread.sleep(2_500);

        MailboxChanges old = join(shortLog.changesSince(box.id(), 0));
        assertThat(old.vanishedComplete()).isFalse();
        assertThat(old.vanished()).isEmpty();
        assertThat(old.changed()).extracting(MessageRecord::uid).containsExactly(1L, 3L);

        long known = old.highestModSeq();
        join(shortLog.expunge(box.id(), List.of(1L)));
        MailboxChanges fresh = join(shortLog.changesSince(box.id(), known));
        assertThat(fresh.vanishedComplete()).isTrue();
        assertThat(fresh.vanished()).containsExactly(1L);
    }

    @Test
    void changeLogRetentionDefaultsToThirtyDaysAndMustBeOneSecondToTenYears() {
        assertThat(CassandraStoreConfig.defaults("stratus").changeLogRetention()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> CONFIG.withChangeLogRetention(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CONFIG.withChangeLogRetention(Duration.ofDays(3651)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moveRetriedAfterACrashBetweenCopyAndExpungeReusesTheCopy() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        for (int i = 1; i <= 3; i++) {
            append(source, "m" + i, "$K" + i);
        }
        MessageTransfer transfer = ((CassandraMessageStore) store).transfer();
        // The node dies after the copies are committed and before the sources are removed.
        Map<Long, MessageRecord> copied = join(transfer.copyForMove(source.id(), List.of(1L, 2L, 3L), destination.id()))
                .copies();
        assertThat(join(store.snapshot(source)).messages()).hasSize(3);
        assertThat(join(store.snapshot(destination)).messages()).hasSize(3);
        // Meanwhile a client changes a flag of a source message; the copy must end up with it.
        join(store.updateFlags(source.id(), List.of(2L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN))));

        CopyResult retried = join(store.move(source.id(), List.of(1L, 2L, 3L), destination));

        assertThat(retried.sourceUids()).containsExactly(1L, 2L, 3L);
        assertThat(retried.destinationUids()).containsExactlyElementsOf(
                copied.values().stream().map(MessageRecord::uid).toList());
        MailboxSnapshot after = join(store.snapshot(destination));
        assertThat(after.messages()).extracting(MessageRecord::uid).containsExactly(1L, 2L, 3L);
        assertThat(after.messages().get(1).flags()).isEqualTo(Flags.of("$K2", Flags.SEEN));
        assertThat(join(store.snapshot(source)).messages()).isEmpty();
        assertThat(join(store.content(destination.id(), 3))).hasValue(mail("m3"));
        assertThat(join(store.counters(destination.id()))).isEqualTo(recount(destination));
        assertThat(join(store.counters(source.id()))).isEqualTo(recount(source));
    }

    @Test
    void moveWhoseEarlierCopyWasExpungedCopiesAgain() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(source, "m1");
        join(((CassandraMessageStore) store).transfer().copyForMove(source.id(), List.of(1L), destination.id()));
        join(store.updateFlags(destination.id(), List.of(1L), new FlagUpdate(FlagUpdate.Mode.ADD,
                Flags.of(Flags.DELETED))));
        join(store.expunge(destination.id(), List.of(1L)));

        CopyResult moved = join(store.move(source.id(), List.of(1L), destination));

        assertThat(moved.destinationUids()).containsExactly(2L);
        assertThat(join(store.snapshot(destination)).messages()).extracting(MessageRecord::uid).containsExactly(2L);
        assertThat(join(store.content(destination.id(), 2))).hasValue(mail("m1"));
    }

    @Test
    void moveThatLostItsSourceToAMoveReusingItsCopyKeepsThatCopy() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(source, "m1");
        MessageTransfer transfer = ((CassandraMessageStore) store).transfer();
        MessageTransfer.PendingMove first = join(transfer.copyForMove(source.id(), List.of(1L), destination.id()));

        CopyResult second = join(store.move(source.id(), List.of(1L), destination));
        CopyResult firstFinished = join(transfer.finishMove(source.id(), first, destination));

        assertThat(second.destinationUids()).containsExactly(1L);
        assertThat(firstFinished.copies()).isEmpty();
        assertThat(join(store.snapshot(destination)).messages()).extracting(MessageRecord::uid).containsExactly(1L);
        assertThat(join(store.content(destination.id(), 1))).hasValue(mail("m1"));
    }

    @Test
    void moveThatLostItsSourceToAMoveWithItsOwnCopyWithdrawsItsCopy() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(source, "m1");
        MessageTransfer transfer = ((CassandraMessageStore) store).transfer();
        MessageTransfer.PendingMove first = join(transfer.copyForMove(source.id(), List.of(1L), destination.id()));
        // The second MOVE did not see the first one's marker (it read before the first copy was committed).
        session.execute(SimpleStatement.newInstance("DELETE FROM " + CONFIG.table("messages")
                + " WHERE mailbox_id = ? AND uid = ?", destination.id().value(),
                ClusteringKeys.markerKey(source.id(), 1)));
        MessageTransfer.PendingMove second = join(transfer.copyForMove(source.id(), List.of(1L), destination.id()));
        assertThat(join(store.snapshot(destination)).messages()).hasSize(2);

        CopyResult secondFinished = join(transfer.finishMove(source.id(), second, destination));
        CopyResult firstFinished = join(transfer.finishMove(source.id(), first, destination));

        assertThat(secondFinished.destinationUids()).containsExactly(2L);
        assertThat(firstFinished.copies()).isEmpty();
        assertThat(join(store.snapshot(destination)).messages()).extracting(MessageRecord::uid).containsExactly(2L);
        assertThat(join(store.counters(destination.id()))).isEqualTo(recount(destination));
    }

    @Test
    void moveThatLostItsSourceToAnExpungeWithdrawsItsCopy() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        append(source, "m1", Flags.DELETED);
        MessageTransfer transfer = ((CassandraMessageStore) store).transfer();
        MessageTransfer.PendingMove pending = join(transfer.copyForMove(source.id(), List.of(1L), destination.id()));
        join(store.expunge(source.id(), List.of(1L)));

        CopyResult finished = join(transfer.finishMove(source.id(), pending, destination));

        assertThat(finished.copies()).isEmpty();
        assertThat(join(store.snapshot(destination)).messages()).isEmpty();
    }

    @Test
    void copyThatFailsPartWayLeavesTheDestinationWithoutAnyOfTheMessages() {
        Mailbox source = newMailbox();
        Mailbox destination = newMailbox();
        List<MessageToAppend> batch = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            batch.add(new MessageToAppend(mail("m" + i), Flags.EMPTY, DATE));
        }
        join(store.appendAll(source, batch));
        // Message 120 looks stored before blobs were shared (no reference: a COPY copies its chunks) and its
        // content is lost: the second round of the copy cannot read it.
        UUID blob = session.execute(SimpleStatement.newInstance("SELECT blob_id FROM " + CONFIG.table("messages")
                + " WHERE mailbox_id = ? AND uid = ?", source.id().value(), 120L)).one().getUuid("blob_id");
        session.execute(SimpleStatement.newInstance("UPDATE " + CONFIG.table("messages")
                + " SET ref_id = null WHERE mailbox_id = ? AND uid = ?", source.id().value(), 120L));
        session.execute(SimpleStatement.newInstance("DELETE FROM " + CONFIG.table("blob_chunks")
                + " WHERE blob_id = ? AND chunk = 0", blob));

        Throwable error = failure(store.copy(source.id(), LongStream.rangeClosed(1, 150).boxed().toList(),
                destination));

        assertThat(error).isInstanceOf(StorageUnavailableException.class).hasMessageContaining("missing");
        assertThat(join(store.snapshot(destination)).messages()).isEmpty();
        assertThat(join(store.counters(destination.id())).messages()).isZero();
        assertThat(join(store.counters(source.id())).messages()).isEqualTo(150);
    }

    @Test
    void clusteringKeysOutsideTheUidRangeAreNeverReadAsMessages() {
        Mailbox box = newMailbox();
        append(box, "a", Flags.DELETED);
        join(store.expunge(box.id(), List.of(1L)));
        append(box, "b");

        assertThat(join(store.content(box.id(), -1))).isEmpty();
        assertThat(join(store.content(box.id(), Long.MIN_VALUE + 1))).isEmpty();
        assertThat(join(store.records(box.id(), List.of(Long.MIN_VALUE + 1, -3L, 0L, 2L))))
                .extracting(MessageRecord::uid).containsExactly(2L);
        assertThat(join(store.snapshot(box)).messages()).extracting(MessageRecord::uid).containsExactly(2L);
    }

    @Test
    void batchedAppendsAreFasterThanOneAtATimeAndKeepUidsConsecutive() {
        Mailbox single = newMailbox();
        int singles = 200;
        long t0 = System.nanoTime();
        for (int i = 0; i < singles; i++) {
            append(single, "s" + i);
        }
        double singleRate = singles / ((System.nanoTime() - t0) / 1e9);

        Mailbox grouped = newMailbox();
        int groupedCount = 600;
        long t1 = System.nanoTime();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (int i = 0; i < groupedCount; i++) {
            inFlight.add(store.append(grouped, mail("g" + i), Flags.EMPTY, DATE).toCompletableFuture());
        }
        inFlight.forEach(f -> join(f));
        double groupedRate = groupedCount / ((System.nanoTime() - t1) / 1e9);

        Mailbox batched = newMailbox();
        List<MessageToAppend> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(new MessageToAppend(mail("b" + i), Flags.EMPTY, DATE));
        }
        long t2 = System.nanoTime();
        List<Long> uids = join(store.appendAll(batched, batch)).stream().map(r -> r.record().uid()).toList();
        double batchedRate = batch.size() / ((System.nanoTime() - t2) / 1e9);

        LOG.info("event=append_rate single_sequential_per_second={} single_600_in_flight_per_second={}"
                        + " append_all_per_second={}", String.format("%.0f", singleRate),
                String.format("%.0f", groupedRate), String.format("%.0f", batchedRate));
        assertThat(uids).containsExactlyElementsOf(LongStream.rangeClosed(1, 2_000).boxed().toList());
        assertThat(batchedRate).isGreaterThan(singleRate);
        assertThat(join(store.counters(batched.id())).messages()).isEqualTo(2_000);
    }
}
