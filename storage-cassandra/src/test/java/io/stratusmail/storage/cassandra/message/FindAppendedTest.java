package io.stratusmail.storage.cassandra.message;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.blob.SharedBlobs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MessageStore#findAppended} against the real node: a caller whose append failed with an unknown outcome
 * learns from any node whether it committed, so an LMTP retry is not stored twice (issue 5: Cassandra failed
 * while the conditional batch was in flight and completed it later).
 */
class FindAppendedTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_find_appended");
    private static final Instant DATE = Instant.parse("2026-11-22T02:00:00Z");
    private static CqlSession sessionA;
    private static CqlSession sessionB;
    private static CassandraStore nodeA;
    private static CassandraStore nodeB;
    private static SharedBlobs blobs;

    @BeforeAll
    static void start() {
        sessionA = CassandraFixture.openSession();
        sessionB = CassandraFixture.openSession();
        nodeA = CassandraFixture.store(sessionA, CONFIG);
        nodeB = CassandraFixture.store(sessionB, CONFIG);
        blobs = join(SharedBlobs.prepare(sessionA, CONFIG));
    }

    @AfterAll
    static void stop() {
        sessionA.close();
        sessionB.close();
    }

    private static Mailbox newMailbox() {
        return join(nodeA.mailboxes().create(new Username("find-" + unique() + "@example.org"), MailboxName.INBOX));
    }

    private static byte[] mail(String subject) {
        return ("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The append commits, but its caller gets the failure a closed connection gives (the answer is lost). */
    private static CompletionStage<AppendResult> appendLosingTheAnswer(MessageStore store, Mailbox box,
                                                                      StoredContent content) {
        return store.append(box, content, new byte[0], Flags.EMPTY, DATE).thenCompose(committed ->
                CompletableFuture.failedFuture(new StorageUnavailableException("connection closed", null)));
    }

    @Test
    void anAppendWhoseAnswerWasLostIsFoundFromAnotherNode() {
        Mailbox box = newMailbox();
        StoredContent content = join(nodeA.messages().storeContent(mail("lost answer")));

        assertThat(CassandraFixture.failure(appendLosingTheAnswer(nodeA.messages(), box, content)))
                .isInstanceOf(StorageUnavailableException.class);

        MessageRecord found = join(nodeB.messages().findAppended(box.id(), content.id())).orElseThrow();
        assertThat(join(nodeB.messages().snapshot(box)).messages()).singleElement().isEqualTo(found);
        assertThat(join(nodeB.messages().content(box.id(), found.uid()))).contains(mail("lost answer"));
    }

    @Test
    void aProposalThatNeverCommittedIsNotFoundEvenWhenItsUidWasTakenByAnother() {
        Mailbox box = newMailbox();
        StoredContent lost = join(nodeA.messages().storeContent(mail("never committed")));
        // what the writer does before a batch that then never reaches Cassandra: reference, proposed UID 1
        UUID refId = join(blobs.reference(lost, box.id()));
        join(blobs.propose(lost.id(), box.id(), refId, 1));
        assertThat(join(nodeB.messages().findAppended(box.id(), lost.id()))).isEmpty();

        // another message commits with UID 1: the stale proposal must not be taken for it
        StoredContent other = join(nodeB.messages().storeContent(mail("other")));
        AppendResult committed = join(nodeB.messages().append(box, other, new byte[0], Flags.EMPTY, DATE));
        assertThat(committed.record().uid()).isEqualTo(1);

        assertThat(join(nodeA.messages().findAppended(box.id(), lost.id()))).isEmpty();
        assertThat(join(nodeA.messages().findAppended(box.id(), other.id()))).contains(committed.record());
        assertThat(join(nodeA.messages().findAppended(newMailbox().id(), other.id()))).isEmpty();
    }

    @Test
    void racingAppendsFromTwoNodesAreEachFoundAtTheUidTheyFinallyGot() {
        Mailbox box = newMailbox();
        int perNode = 15;
        List<StoredContent> contents = new ArrayList<>();
        List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
        for (int i = 0; i < perNode; i++) {
            for (CassandraStore node : List.of(nodeA, nodeB)) {
                StoredContent c = join(node.messages().storeContent(mail("race " + i + " " + node.hashCode())));
                contents.add(c);
                appends.add(node.messages().append(box, c, new byte[0], Flags.EMPTY, DATE).toCompletableFuture());
            }
        }
        for (int i = 0; i < contents.size(); i++) {
            MessageRecord record = join(appends.get(i)).record();
            // losers of a Paxos round retried with another UID: the reference must follow them
            assertThat(join(nodeB.messages().findAppended(box.id(), contents.get(i).id()))).contains(record);
        }
        assertThat(join(nodeA.messages().snapshot(box)).messages()).hasSize(2 * perNode);
    }
}
