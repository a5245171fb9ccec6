package io.stratusmail.storage.cassandra.mailbox;

import static io.stratusmail.storage.cassandra.CassandraFixture.failure;
import static io.stratusmail.storage.cassandra.CassandraFixture.join;
import static io.stratusmail.storage.cassandra.CassandraFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxExistsException;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CassandraMailboxRepositoryTest {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_mailboxes");
    private static CqlSession session;
    private static CqlSession otherSession;
    private static MailboxRepository mailboxes;
    /** A second, independent store: what another server node would run. */
    private static MailboxRepository otherNode;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        otherSession = CassandraFixture.openSession();
        mailboxes = CassandraFixture.store(session, CONFIG).mailboxes();
        otherNode = CassandraFixture.store(otherSession, CONFIG).mailboxes();
    }

    @AfterAll
    static void stop() {
        session.close();
        otherSession.close();
    }

    private static Username user() {
        return new Username("user-" + unique() + "@example.org");
    }

    @Test
    void createdMailboxIsFoundByName() {
        Username owner = user();
        MailboxName name = new MailboxName("Archive/2024");

        Mailbox created = join(mailboxes.create(owner, name));

        assertThat(created.owner()).isEqualTo(owner);
        assertThat(created.name()).isEqualTo(name);
        assertThat(created.uidValidity()).isBetween(1L, 0xFFFF_FFFFL);
        assertThat(join(mailboxes.find(owner, name))).contains(created);
        assertThat(join(otherNode.find(owner, name))).contains(created);
    }

    @Test
    void unknownMailboxIsNotFound() {
        assertThat(join(mailboxes.find(user(), new MailboxName("Nope")))).isEmpty();
        assertThat(join(mailboxes.list(user()))).isEmpty();
    }

    @Test
    void secondCreateOfTheSameNameFailsWithAlreadyExistsAndKeepsTheFirst() {
        Username owner = user();
        Mailbox first = join(mailboxes.create(owner, new MailboxName("Drafts")));

        assertThat(failure(mailboxes.create(owner, new MailboxName("Drafts"))))
                .isInstanceOf(MailboxExistsException.class);
        assertThat(failure(otherNode.create(owner, new MailboxName("Drafts"))))
                .isInstanceOf(MailboxExistsException.class);
        assertThat(join(mailboxes.find(owner, new MailboxName("Drafts")))).contains(first);
    }

    @Test
    void inboxIsCaseInsensitiveButOtherNamesAreNot() {
        Username owner = user();
        join(mailboxes.create(owner, new MailboxName("inbox")));

        assertThat(failure(mailboxes.create(owner, new MailboxName("INBOX"))))
                .isInstanceOf(MailboxExistsException.class);
        join(mailboxes.create(owner, new MailboxName("Work")));
        Mailbox lower = join(mailboxes.create(owner, new MailboxName("work")));
        assertThat(lower.name().value()).isEqualTo("work");
    }

    @Test
    void sameNameForTwoUsersIsTwoMailboxes() {
        Mailbox a = join(mailboxes.create(user(), new MailboxName("Sent")));
        Mailbox b = join(mailboxes.create(user(), new MailboxName("Sent")));

        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    void listReturnsEveryMailboxOfTheUserSortedByName() {
        Username owner = user();
        Username other = user();
        for (String n : List.of("Trash", "INBOX", "Archive", "Archive/2023", "Éte")) {
            join(mailboxes.create(owner, new MailboxName(n)));
        }
        join(mailboxes.create(other, new MailboxName("Foreign")));

        assertThat(join(mailboxes.list(owner))).extracting(m -> m.name().value())
                .containsExactly("Archive", "Archive/2023", "INBOX", "Trash", "Éte");
    }

    @Test
    void everyMailboxOfAUserGetsItsOwnUidValidityEvenWhenNodesCreateAtOnce() {
        Username owner = user();
        List<CompletionStage<Mailbox>> creations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            MailboxRepository node = i % 2 == 0 ? mailboxes : otherNode;
            creations.add(node.create(owner, new MailboxName("Folder" + i)));
        }

        Set<Long> uidValidities = new HashSet<>();
        for (CompletionStage<Mailbox> c : creations) {
            uidValidities.add(join(c).uidValidity());
        }
        assertThat(uidValidities).hasSize(12).allSatisfy(v -> assertThat(v).isBetween(1L, 0xFFFF_FFFFL));
        assertThat(join(mailboxes.list(owner))).hasSize(12);
    }

    @Test
    void ensureInboxCreatesOnceAndThenReturnsTheSameMailbox() {
        Username owner = user();

        Mailbox first = join(mailboxes.ensureInbox(owner));
        Mailbox again = join(mailboxes.ensureInbox(owner));

        assertThat(first.name()).isEqualTo(MailboxName.INBOX);
        assertThat(again).isEqualTo(first);
        assertThat(join(mailboxes.list(owner))).containsExactly(first);
    }

    @Test
    void twoNodesRacingEnsureInboxEndWithTheSameMailbox() {
        for (int round = 0; round < 10; round++) {
            Username owner = user();
            CompletableFuture<Mailbox> a = mailboxes.ensureInbox(owner).toCompletableFuture();
            CompletableFuture<Mailbox> b = otherNode.ensureInbox(owner).toCompletableFuture();
            CompletableFuture<Mailbox> c = otherNode.ensureInbox(owner).toCompletableFuture();

            assertThat(join(a)).isEqualTo(join(b)).isEqualTo(join(c));
            assertThat(join(mailboxes.list(owner))).containsExactly(join(a));
        }
    }
}
