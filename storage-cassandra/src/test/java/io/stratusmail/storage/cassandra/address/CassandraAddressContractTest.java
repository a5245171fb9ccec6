package io.stratusmail.storage.cassandra.address;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.testing.AddressContract;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The address and account contract on a real Cassandra node, plus what only the tables can show. */
class CassandraAddressContractTest extends AddressContract {

    private static final String KEYSPACE = "it_addresses";
    private static CqlSession session;
    private static CassandraStore store;

    @BeforeAll
    static void start() {
        session = CassandraFixture.openSession();
        store = CassandraFixture.store(session, CassandraFixture.config(KEYSPACE));
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Override
    protected Repositories repositories() {
        return new Repositories(store.users(), store.mailboxes(), store.messages(), store.aliases(), store.domains());
    }

    @Test
    void deletingAUserDeletesTheRowsOfItsMessagePartitionsAndKeepsItsUidValidityCounter() {
        Username user = user("rows", "example.com");
        Mailbox inbox = join(store.mailboxes().ensureInbox(user));
        Mailbox sent = join(store.mailboxes().create(user, new MailboxName("Outbox")));
        join(store.mailboxes().subscribe(user, new MailboxName("Outbox")));
        byte[] message = "Subject: x\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII);
        join(store.messages().append(inbox, message, Flags.EMPTY, Instant.now()));
        join(store.messages().append(sent, message, Flags.EMPTY, Instant.now()));

        join(accounts.delete(user));

        for (Mailbox m : new Mailbox[] {inbox, sent}) {
            assertThat(session.execute("SELECT uid FROM " + KEYSPACE + ".messages WHERE mailbox_id = ?",
                    m.id().value()).all()).isEmpty();
        }
        assertThat(session.execute("SELECT name FROM " + KEYSPACE + ".mailboxes WHERE owner = ? AND name = ?",
                user.value(), "INBOX").all()).isEmpty();
        long counter = session.execute("SELECT last_uid_validity FROM " + KEYSPACE + ".mailboxes WHERE owner = ?",
                user.value()).one().getLong(0);
        assertThat(counter).isGreaterThanOrEqualTo(sent.uidValidity());
        assertThat(session.execute("SELECT name FROM " + KEYSPACE + ".subscriptions WHERE owner = ?", user.value())
                .all()).isEmpty();
    }

    @Test
    void aWholeDomainAliasIsTheEmptyLocalPartRowOfTheDomainPartition() {
        var oldDomain = domain("rowold");
        var newDomain = domain("rownew");
        join(addresses.addAlias(new io.stratusmail.mailbox.address.Alias.DomainAlias(oldDomain, newDomain)));

        var row = session.execute("SELECT target FROM " + KEYSPACE + ".aliases WHERE domain = ? AND local_part = ''",
                oldDomain.value()).one();
        assertThat(row.getString("target")).isEqualTo(newDomain.value());
    }
}
