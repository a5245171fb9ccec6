package io.stratusmail.storage.cassandra.message;

import static io.stratusmail.storage.cassandra.CassandraFixture.unique;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.testing.MessageStoreContract;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The shared message store contract against the real Cassandra node. */
class CassandraMessageStoreContractTest extends MessageStoreContract {

    private static CqlSession session;
    private static MailboxRepository mailboxes;
    private static MessageStore store;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        CassandraStore s = CassandraFixture.store(session, CassandraFixture.config("it_message_contract"));
        mailboxes = s.mailboxes();
        store = s.messages();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Override
    protected MessageStore store() {
        return store;
    }

    @Override
    protected Mailbox newMailbox() {
        return join(mailboxes.create(new Username("contract-" + unique() + "@example.org"), MailboxName.INBOX));
    }
}
