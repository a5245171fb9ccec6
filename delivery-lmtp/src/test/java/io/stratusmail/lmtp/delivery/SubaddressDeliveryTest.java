package io.stratusmail.lmtp.delivery;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.address.Alias;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Subaddressing (RFC 5233): {@code user+detail@domain} reaches {@code user@domain}, into the mailbox the detail
 * names when the user has it, else INBOX; {@code Delivered-To} keeps the full address.
 */
class SubaddressDeliveryTest {

    private static final byte[] MESSAGE = bytes("""
            From: Shop <news@shop.example>\r
            Subject: weekly offers\r
            \r
            Buy now.\r
            """);

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(LmtpConfig config) {
        server = new TestServer(config, DeliveryLog.NONE);
        return server;
    }

    private void mailbox(String user, String name) {
        server.store.create(Username.of(user), new MailboxName(name)).toCompletableFuture().join();
    }

    private List<String> deliver(String... recipients) {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<news@shop.example>")).isEqualTo("250 2.1.0 OK");
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
            c.command("MAIL FROM:<news@shop.example>");
            return c.command("RCPT TO:<" + recipient + ">");
        }
    }

    @Test
    void aDetailNamingAMailboxDeliversThereWithTheFullAddressAsDeliveredTo() {
        start(TestServer.config());
        mailbox("alice@example.com", "Shopping");

        assertThat(deliver("alice+Shopping@example.com")).singleElement().asString()
                .matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");

        List<byte[]> shopping = server.mailbox("alice@example.com", "Shopping");
        assertThat(shopping).hasSize(1);
        Wire.Stored stored = Wire.split(shopping.get(0));
        assertThat(stored.body()).isEqualTo(MESSAGE);
        assertThat(stored.trace()).contains("Delivered-To: alice+shopping@example.com\r\n");
        assertThat(server.inbox("alice@example.com")).isEmpty();
    }

    @Test
    void aDetailNamingNoMailboxOfTheUserDeliversToInbox() {
        start(TestServer.config());
        mailbox("bob@example.com", "Shopping");

        assertThat(deliver("alice+shopping@example.com", "alice+inbox@example.com"))
                .allMatch(r -> r.startsWith("250 2.0.0 "));

        assertThat(server.inbox("alice@example.com")).hasSize(1);
        assertThat(server.mailbox("bob@example.com", "Shopping")).isEmpty();
        assertThat(server.inbox("bob@example.com")).isEmpty();
    }

    @Test
    void invalidDetailsDeliverToInbox() {
        start(TestServer.config());
        mailbox("alice@example.com", "a/b");
        mailbox("alice@example.com", "a");

        for (String detail : List.of("a/b", "*", "%", "a%", "", "/a")) {
            assertThat(deliver("alice+" + detail + "@example.com")).as(detail).singleElement().asString()
                    .startsWith("250 2.0.0 ");
        }

        assertThat(server.inbox("alice@example.com")).hasSize(6);
        assertThat(server.mailbox("alice@example.com", "a/b")).isEmpty();
        assertThat(server.mailbox("alice@example.com", "a")).isEmpty();
    }

    @Test
    void aSubaddressOfAnAliasReachesTheAliasTargetsMailbox() {
        start(TestServer.config());
        server.store.putAlias(Alias.parse("sales@example.com", "alice@example.com")).toCompletableFuture().join();
        mailbox("alice@example.com", "Leads");

        assertThat(deliver("sales+leads@example.com")).singleElement().asString().startsWith("250 2.0.0 ");

        assertThat(server.mailbox("alice@example.com", "Leads")).hasSize(1);
    }

    @Test
    void twoSubaddressesOfOneUserInOneTransactionGetOneCopyWhereTheFirstSays() {
        start(TestServer.config());
        mailbox("alice@example.com", "Shopping");
        mailbox("alice@example.com", "Lists");

        assertThat(deliver("alice+shopping@example.com", "alice+lists@example.com", "bob+lists@example.com"))
                .hasSize(3).allMatch(r -> r.startsWith("250 2.0.0 "));

        assertThat(server.mailbox("alice@example.com", "Shopping")).hasSize(1);
        assertThat(server.mailbox("alice@example.com", "Lists")).isEmpty();
        assertThat(server.inbox("bob@example.com")).hasSize(1);
    }

    @Test
    void unknownUsersStayUnknownWithADetail() {
        start(TestServer.config());

        assertThat(rcptReply("carol+shopping@example.com")).startsWith("550 5.1.1 ");
        assertThat(rcptReply("+alice@example.com")).startsWith("550 5.1.1 ");
    }

    @Test
    void anEmptySeparatorDisablesSubaddressing() {
        start(TestServer.config().withDetailSeparator(""));

        assertThat(rcptReply("alice+shopping@example.com")).startsWith("550 5.1.1 ");
        assertThat(rcptReply("alice@example.com")).isEqualTo("250 2.1.5 OK");
    }

    @Test
    void theSeparatorIsConfigurable() {
        start(TestServer.config().withDetailSeparator("-"));
        mailbox("alice@example.com", "Shopping");

        assertThat(rcptReply("alice+shopping@example.com")).startsWith("550 5.1.1 ");
        assertThat(deliver("alice-shopping@example.com")).singleElement().asString().startsWith("250 2.0.0 ");
        assertThat(server.mailbox("alice@example.com", "Shopping")).hasSize(1);
    }

    @Test
    void aBadSeparatorIsRefusedByTheConfiguration() {
        for (String bad : List.of("@", " ", "+++++", "\"")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.config().withDetailSeparator(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
