package io.stratusmail.lmtp.delivery;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.address.Domain;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RCPT resolves aliases and checks local domains: mail for an alias ends in its user's INBOX with the address
 * the client gave in {@code Delivered-To}; unknown domains and alias loops get their own 550 codes.
 */
class AliasDeliveryTest {

    private static final byte[] MESSAGE = bytes("""
            From: Sender <sender@example.org>\r
            Subject: for an alias\r
            \r
            Hello.\r
            """);

    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void alias(String source, String target) {
        server.store.putAlias(Alias.parse(source, target)).toCompletableFuture().join();
    }

    private List<String> deliver(String... recipients) {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
            for (String r : recipients) {
                assertThat(c.command("RCPT TO:<" + r + ">")).isEqualTo("250 2.1.5 OK");
            }
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(MESSAGE));
            return c.replies(recipients.length);
        }
    }

    private String rcptReply(String recipient) {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            return c.command("RCPT TO:<" + recipient + ">");
        }
    }

    @Test
    void mailForAnAddressAliasEndsInTheTargetsInboxWithTheAliasAsDeliveredTo() {
        alias("sales@example.com", "alice@example.com");

        assertThat(deliver("Sales@Example.COM")).allMatch(r -> r.matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));

        List<byte[]> inbox = server.inbox("alice@example.com");
        assertThat(inbox).hasSize(1);
        Wire.Stored stored = Wire.split(inbox.get(0));
        assertThat(stored.body()).isEqualTo(MESSAGE);
        assertThat(stored.trace()).contains("Delivered-To: sales@example.com\r\n");
        assertThat(server.inbox("sales@example.com")).isEmpty();
    }

    @Test
    void mailForADomainAliasGoesToTheSameLocalPartInTheTargetDomain() {
        alias("@old.example", "@example.com");

        deliver("bob@old.example");

        Wire.Stored stored = Wire.split(server.inbox("bob@example.com").get(0));
        assertThat(stored.trace()).contains("Delivered-To: bob@old.example\r\n");
        assertThat(rcptReply("nobody@old.example")).isEqualTo("550 5.1.1 <nobody@old.example>: user unknown");
    }

    @Test
    void aUserReachedTwiceInOneTransactionGetsOneCopyAndEveryRecipientItsReply() {
        alias("sales@example.com", "alice@example.com");
        alias("info@example.com", "sales@example.com");

        List<String> replies = deliver("info@example.com", "alice@example.com", "bob@example.com", "sales@example.com");

        assertThat(replies).hasSize(4).allMatch(r -> r.startsWith("250 2.0.0 "));
        List<byte[]> alice = server.inbox("alice@example.com");
        assertThat(alice).hasSize(1);
        assertThat(Wire.split(alice.get(0)).trace()).contains("Delivered-To: info@example.com\r\n");
        assertThat(server.inbox("bob@example.com")).hasSize(1);
    }

    @Test
    void withLocalDomainsListedOtherDomainsAreRefusedAsBadDestination() {
        server.store.addDomain(Domain.of("example.com")).toCompletableFuture().join();
        server.store.put(Username.of("carol@elsewhere.example"), "unused-hash");

        assertThat(rcptReply("alice@example.com")).isEqualTo("250 2.1.5 OK");
        assertThat(rcptReply("carol@elsewhere.example"))
                .isEqualTo("550 5.1.2 <carol@elsewhere.example>: domain elsewhere.example is not handled here");
        assertThat(rcptReply("nobody@example.com")).isEqualTo("550 5.1.1 <nobody@example.com>: user unknown");
    }

    @Test
    void anAliasLoopIsRefusedAndTheSessionGoesOn() {
        alias("a@example.com", "b@example.com");
        alias("b@example.com", "a@example.com");

        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<a@example.com>")).isEqualTo("550 5.4.6 <a@example.com>: alias loop detected");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(MESSAGE));
            assertThat(c.reply()).startsWith("250 2.0.0 ");
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }
}
