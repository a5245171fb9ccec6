package io.stratusmail.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.server.cli.Cli.Result;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.storage.cassandra.CassandraStore;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stratus verify [--user U] [--repair]} as an operator runs it against the test Cassandra node: the
 * lines it prints and its exit codes (0 nothing remains wrong, 1 problems remain, 2 the check could not run).
 */
class VerifyCommandTest {

    static {
        Cli.fastDriverShutdown();
    }

    private static final String KEYSPACE = "it_verify_cli_" + UUID.randomUUID().toString().substring(0, 8);
    private static final CassandraStoreConfig CONFIG = CassandraStoreConfig.defaults(KEYSPACE);
    private static CqlSession session;
    private static CassandraStore store;

    @BeforeAll
    static void start() {
        session = Cli.session();
        SchemaMigrator.migrate(session, CONFIG);
        store = CassandraStore.open(session, CONFIG).toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        session.execute("DROP KEYSPACE IF EXISTS " + KEYSPACE);
        session.close();
    }

    private static Result stratus(String... args) {
        return Cli.onKeyspace(KEYSPACE, args);
    }

    private static Mailbox inboxWithTwoMessages(Username user) {
        Mailbox inbox = store.mailboxes().create(user, MailboxName.INBOX).toCompletableFuture().join();
        for (String subject : List.of("one", "two")) {
            byte[] mail = ("Subject: " + subject + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
            store.messages().append(inbox, mail, Flags.EMPTY, Instant.parse("2024-01-02T03:04:05Z"))
                    .toCompletableFuture().join();
        }
        return inbox;
    }

    @Test
    void aCorruptedCounterExitsOneRepairFixesItAndTheNextRunIsClean() {
        Username user = new Username("cli-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        Mailbox inbox = inboxWithTwoMessages(user);
        long size = store.messages().counters(inbox.id()).toCompletableFuture().join().size();
        session.execute("UPDATE " + CONFIG.table("messages") + " SET message_count = 7 WHERE mailbox_id = ?",
                inbox.id().value());

        Result found = stratus("verify", "--user", user.value());
        assertThat(found.code()).isEqualTo(1);
        assertThat(found.out()).isEqualTo(
                "verify: user=" + user + " mailbox=INBOX problem=counter_mismatch field=messages stored=7 actual=2\n"
                        + "verify: user=" + user + " usage mailboxes=1 messages=2 size=" + size + "\n"
                        + "verify: summary users=1 mailboxes=1 messages=2 problems=1 repaired=0 remaining=1\n");
        assertThat(session.execute("SELECT message_count FROM " + CONFIG.table("messages")
                + " WHERE mailbox_id = ? LIMIT 1", inbox.id().value()).one().getLong(0)).isEqualTo(7);

        Result repaired = stratus("verify", "--user", user.value(), "--repair");
        assertThat(repaired.code()).isZero();
        assertThat(repaired.out()).startsWith("verify: user=" + user
                + " mailbox=INBOX problem=counter_mismatch field=messages stored=7 actual=2 repair=done\n");

        Result clean = stratus("verify", "--user", user.value());
        assertThat(clean).isEqualTo(new Result(0, "verify: user=" + user + " usage mailboxes=1 messages=2 size=" + size
                + "\nverify: summary users=1 mailboxes=1 messages=2 problems=0 repaired=0 remaining=0\n", ""));
    }

    @Test
    void anUnknownUserOrAMissingSchemaExitsTwoAndABadAddressIsAUsageError() {
        Result unknown = stratus("verify", "--user", "nobody-" + UUID.randomUUID() + "@example.com");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("stratus: unknown user nobody-");

        Result absent = Cli.onKeyspace("it_no_such_keyspace", "verify");
        assertThat(absent.code()).isEqualTo(2);
        assertThat(absent.err()).isEqualTo(
                "stratus: keyspace it_no_such_keyspace has no Stratus schema (run: stratus schema migrate)\n");

        Result bad = stratus("verify", "--user", "two@at@example.com");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("invalid address 'two@at@example.com': ");
    }
}
