package io.stratusmail.storage.cassandra.verify;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxListing;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MailboxCounters;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stratus verify} against the real Cassandra node: a store damaged with raw CQL (as a bug or a lost
 * write would leave it) is reported line by line without a single write, {@code --repair} fixes what is safe,
 * a second run is clean, and an append concurrent with the repair is not lost.
 */
class StoreVerifierTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_verify");
    private static final Instant DATE = Instant.parse("2024-03-01T10:15:30Z");
    private static CqlSession session;
    private static CassandraStore store;
    private static StoreVerifier verifier;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        store = CassandraFixture.store(session, CONFIG);
        verifier = StoreVerifier.prepare(session, CONFIG);
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    /** The findings and usage lines of one run, and its summary. */
    private record Result(List<Finding> findings, List<UserUsage> usage, VerifySummary summary) {
        List<String> lines() {
            return findings.stream().map(Finding::line).toList();
        }
    }

    private static Result verify(Username user, boolean repair) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        List<UserUsage> usage = new ArrayList<>();
        VerifySummary summary = verifier.run(user, repair, findings::add, usage::add);
        return new Result(findings, usage, summary);
    }

    private static Username newUser() {
        return new Username("verify-" + unique() + "@example.org");
    }

    private static byte[] mail(String subject) {
        return ("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageRecord append(Mailbox box, String subject, String... flags) {
        return join(store.messages().append(box, mail(subject), Flags.of(flags), DATE)).record();
    }

    /** INBOX with three messages, one of them \Seen. */
    private static Mailbox inboxWithThree(Username user) {
        Mailbox inbox = join(store.mailboxes().create(user, MailboxName.INBOX));
        append(inbox, "one");
        append(inbox, "two", Flags.SEEN);
        append(inbox, "three");
        return inbox;
    }

    private static Row statics(Mailbox box) {
        return session.execute("SELECT next_uid, highest_modseq, message_count, unseen_count, total_size FROM "
                + CONFIG.table("messages") + " WHERE mailbox_id = ? LIMIT 1", box.id().value()).one();
    }

    private static Row registryRow(Username user, String name) {
        return session.execute("SELECT id FROM " + CONFIG.table("mailboxes") + " WHERE owner = ? AND name = ?",
                user.value(), name).one();
    }

    @Test
    void aConsistentStoreIsCleanAndItsUsageIsTheSumOfItsMailboxes() throws Exception {
        Username user = newUser();
        Mailbox inbox = inboxWithThree(user);
        Mailbox archive = join(store.mailboxes().create(user, new MailboxName("Lists/Archive")));
        append(archive, "four");
        long size = join(store.messages().counters(inbox.id())).size() + join(store.messages().counters(archive.id())).size();

        Result result = verify(user, false);

        assertThat(result.findings()).isEmpty();
        assertThat(result.summary().clean()).isTrue();
        assertThat(result.summary().line()).isEqualTo(
                "verify: summary users=1 mailboxes=2 messages=4 problems=0 repaired=0 remaining=0");
        assertThat(result.usage()).containsExactly(new UserUsage(user.value(), 2, 4, size));
        assertThat(result.usage().get(0).line()).isEqualTo("verify: user=" + user + " usage mailboxes=2 messages=4"
                + " size=" + size);
    }

    @Test
    void aCorruptedCounterIsReportedWithoutAnyWriteThenRepairedThenClean() throws Exception {
        Username user = newUser();
        Mailbox inbox = inboxWithThree(user);
        session.execute("UPDATE " + CONFIG.table("messages") + " SET unseen_count = 3 WHERE mailbox_id = ?",
                inbox.id().value());
        Row before = statics(inbox);

        Result found = verify(user, false);

        assertThat(found.lines()).containsExactly("verify: user=" + user
                + " mailbox=INBOX problem=counter_mismatch field=unseen stored=3 actual=2");
        assertThat(found.summary().clean()).isFalse();
        assertThat(found.summary().problems()).isEqualTo(1);
        Row untouched = statics(inbox);
        assertThat(untouched.getLong("unseen_count")).isEqualTo(3);
        assertThat(untouched.getLong("highest_modseq")).isEqualTo(before.getLong("highest_modseq"));

        Result repaired = verify(user, true);

        assertThat(repaired.lines()).containsExactly("verify: user=" + user
                + " mailbox=INBOX problem=counter_mismatch field=unseen stored=3 actual=2 repair=done");
        assertThat(repaired.summary().clean()).isTrue();
        assertThat(join(store.messages().counters(inbox.id())).unseen()).isEqualTo(2);
        assertThat(verify(user, false).findings()).isEmpty();

        // the store's own writers recover from their stale view of the statics
        append(inbox, "four");
        MailboxCounters after = join(store.messages().counters(inbox.id()));
        assertThat(after.messages()).isEqualTo(4);
        assertThat(after.unseen()).isEqualTo(3);
        assertThat(verify(user, false).findings()).isEmpty();
    }

    @Test
    void uidNextAndHighestModSeqBehindTheRowsAreRaisedSoNoUidIsReused() throws Exception {
        Username user = newUser();
        Mailbox inbox = inboxWithThree(user);
        session.execute("UPDATE " + CONFIG.table("messages") + " SET next_uid = 2, highest_modseq = 1"
                + " WHERE mailbox_id = ?", inbox.id().value());

        assertThat(verify(user, false).lines()).containsExactly(
                "verify: user=" + user + " mailbox=INBOX problem=uid_not_below_next_uid next_uid=2 max_uid=3",
                "verify: user=" + user + " mailbox=INBOX problem=modseq_above_highest highest_modseq=1 max_modseq=4");
        Result repaired = verify(user, true);
        assertThat(repaired.summary().repaired()).isEqualTo(2);

        MessageRecord fourth = append(inbox, "four");
        assertThat(fourth.uid()).isEqualTo(4);
        assertThat(fourth.modSeq()).isGreaterThan(4);
        assertThat(verify(user, false).findings()).isEmpty();
    }

    @Test
    void aMissingParentIsReportedThenRecreatedAsANoselectPlaceholder() throws Exception {
        Username user = newUser();
        join(store.mailboxes().create(user, MailboxName.INBOX));
        join(store.mailboxes().create(user, new MailboxName("Projects/2024/Q1")));
        session.execute("DELETE FROM " + CONFIG.table("mailboxes") + " WHERE owner = ? AND name = 'Projects/2024'",
                user.value());

        assertThat(verify(user, false).lines()).containsExactly(
                "verify: user=" + user + " mailbox=Projects/2024 problem=missing_parent");
        assertThat(registryRow(user, "Projects/2024")).isNull();

        Result repaired = verify(user, true);

        assertThat(repaired.lines()).containsExactly(
                "verify: user=" + user + " mailbox=Projects/2024 problem=missing_parent repair=done");
        Row placeholder = registryRow(user, "Projects/2024");
        assertThat(placeholder).isNotNull();
        assertThat(placeholder.isNull("id")).as("a \\Noselect placeholder has no id").isTrue();
        MailboxListing parent = join(store.mailboxes().listWithAttributes(user)).stream()
                .filter(l -> l.name().value().equals("Projects/2024")).findFirst().orElseThrow();
        assertThat(parent.mailbox()).isEmpty();
        assertThat(verify(user, false).findings()).isEmpty();
    }

    @Test
    void aMessageWhoseBlobIsMissingIsReportedAndNeverDeleted() throws Exception {
        Username user = newUser();
        Mailbox inbox = inboxWithThree(user);
        Row row = session.execute("SELECT blob_id FROM " + CONFIG.table("messages")
                + " WHERE mailbox_id = ? AND uid = 2", inbox.id().value()).one();
        UUID blob = row.getUuid("blob_id");
        session.execute("DELETE FROM " + CONFIG.table("blob_chunks") + " WHERE blob_id = ? AND chunk = 0", blob);

        Result repaired = verify(user, true);

        assertThat(repaired.lines()).containsExactly("verify: user=" + user
                + " mailbox=INBOX problem=missing_blob uid=2 blob=" + blob + " chunk=0 repair=unsafe");
        assertThat(repaired.summary().clean()).isFalse();
        assertThat(join(store.messages().snapshot(inbox)).messages()).extracting(MessageRecord::uid).contains(2L);
        assertThat(join(store.messages().counters(inbox.id())).messages()).isEqualTo(3);
    }

    @Test
    void anUnknownUserIsAnError() {
        assertThatThrownBy(() -> verify(newUser(), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown user ");
    }

    @Test
    void theWholeStoreIsVerifiedWhenNoUserIsGiven() throws Exception {
        Username user = newUser();
        Mailbox inbox = inboxWithThree(user);
        session.execute("UPDATE " + CONFIG.table("messages") + " SET total_size = 1 WHERE mailbox_id = ?",
                inbox.id().value());

        Result all = verify(null, false);

        assertThat(all.lines()).anyMatch(l -> l.startsWith("verify: user=" + user
                + " mailbox=INBOX problem=counter_mismatch field=size stored=1 actual="));
        assertThat(all.usage()).anyMatch(u -> u.user().equals(user.value()) && u.messages() == 3);
        assertThat(all.summary().users()).isGreaterThanOrEqualTo(1);
        verify(user, true);
    }

    @Test
    void anAppendFromAnotherNodeDuringTheRepairIsNotLost() throws Exception {
        Username user = newUser();
        Mailbox inbox = inboxWithThree(user);
        session.execute("UPDATE " + CONFIG.table("messages") + " SET message_count = 40, unseen_count = 40"
                + " WHERE mailbox_id = ?", inbox.id().value());
        int appends = 60;
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (CqlSession otherSession = CassandraFixture.openSession()) {
            MessageStore otherNode = join(CassandraStore.open(otherSession, CONFIG)).messages();
            Future<?> appending = other.submit(() -> {
                for (int i = 0; i < appends; i++) {
                    join(otherNode.append(inbox, mail("concurrent " + i), Flags.EMPTY, DATE));
                }
            });
            while (!appending.isDone()) {
                verify(user, true);
            }
            appending.get(60, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
        verify(user, true); // a repair that lost every round to the appender is finished now

        Result after = verify(user, false);
        assertThat(after.findings()).isEmpty();
        MailboxCounters counters = join(store.messages().counters(inbox.id()));
        assertThat(counters.messages()).isEqualTo(3 + appends);
        assertThat(counters.unseen()).isEqualTo(2 + appends);
        assertThat(join(store.messages().snapshot(inbox)).messages()).hasSize(3 + appends);
    }
}
