package io.stratusmail.lmtp.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.LmtpServer;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.address.RecipientResolver;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.quota.InMemoryQuotaRepository;
import io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore;
import io.stratusmail.mailbox.quota.QuotaLimit;
import io.stratusmail.mailbox.quota.QuotaLimits;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.quota.UserQuota;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Username;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Quotas at delivery (RFC 9208 limits, RFC 3463 X.2.2): a RCPT for a full account is refused with the configured
 * reply; a message that does not fit one recipient at commit gets {@code 552 5.2.2} for that recipient only.
 */
class QuotaDeliveryTest {

    private static final Username ALICE = Username.of("alice@example.com");
    private static final Username BOB = Username.of("bob@example.com");
    private static final String MESSAGE = "Subject: quota\r\n\r\n" + "x".repeat(480) + "\r\n";

    private final InMemoryMailStore store = new InMemoryMailStore();
    private final InMemoryQuotaRepository settings = new InMemoryQuotaRepository(store);
    private LmtpServer server;

    private InetSocketAddress start(LmtpConfig config) {
        store.put(ALICE, "unused-hash");
        store.put(BOB, "unused-hash");
        Quotas quotas = new Quotas(settings, store, store, QuotaLimits.UNLIMITED);
        server = new LmtpServer(config, new RecipientResolver(store, store, store), store,
                new QuotaEnforcingMessageStore(store, quotas), MessageIndexer.NONE, quotas);
        return server.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void limit(Username user, QuotaLimit storage, QuotaLimit messages) {
        settings.setQuota(user, new UserQuota(storage, messages)).toCompletableFuture().join();
    }

    private void fill(Username user) {
        var inbox = store.ensureInbox(user).toCompletableFuture().join();
        store.append(inbox, "Subject: old\r\n\r\nold\r\n".getBytes(StandardCharsets.US_ASCII), Flags.EMPTY,
                Instant.now()).toCompletableFuture().join();
    }

    private long inboxMessages(Username user) {
        return store.find(user, MailboxName.INBOX).toCompletableFuture().join()
                .map(box -> store.counters(box.id()).toCompletableFuture().join().messages()).orElse(0L);
    }

    @Test
    void aFullAccountIsRefusedTemporarilyAtRcptByDefault() {
        InetSocketAddress address = start(TestServer.config());
        limit(ALICE, QuotaLimit.DEFAULT, QuotaLimit.of(1));
        fill(ALICE);
        try (LmtpClient c = LmtpClient.afterLhlo(address)) {
            assertThat(c.command("MAIL FROM:<sender@example.org>")).startsWith("250 ");
            assertThat(c.command("RCPT TO:<alice@example.com>"))
                    .isEqualTo("452 4.2.2 <alice@example.com>: mailbox full (quota exceeded), try again later");
            assertThat(c.command("RCPT TO:<bob@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write((MESSAGE + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.replies(1)).allMatch(r -> r.matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
        }
        assertThat(inboxMessages(ALICE)).isEqualTo(1);
        assertThat(inboxMessages(BOB)).isEqualTo(1);
    }

    @Test
    void thePermanentSettingRefusesWith552() {
        InetSocketAddress address = start(TestServer.config().withOverQuotaAtRcpt(LmtpConfig.OverQuotaReply.PERMANENT));
        limit(ALICE, QuotaLimit.of(0), QuotaLimit.DEFAULT);
        try (LmtpClient c = LmtpClient.afterLhlo(address)) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>"))
                    .isEqualTo("552 5.2.2 <alice@example.com>: mailbox full (quota exceeded)");
            assertThat(c.command("DATA")).startsWith("503 ");
        }
        assertThat(inboxMessages(ALICE)).isZero();
    }

    @Test
    void theSizeAnnouncedWithMailIsCheckedAtRcpt() {
        InetSocketAddress address = start(TestServer.config());
        limit(ALICE, QuotaLimit.of(1000), QuotaLimit.DEFAULT);
        try (LmtpClient c = LmtpClient.afterLhlo(address)) {
            c.command("MAIL FROM:<sender@example.org> SIZE=1001");
            assertThat(c.command("RCPT TO:<alice@example.com>")).startsWith("452 4.2.2 ");
            assertThat(c.command("RSET")).startsWith("250 ");
            c.command("MAIL FROM:<sender@example.org> SIZE=900");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
        }
    }

    @Test
    void aMessageThatDoesNotFitOneRecipientAtCommitIsRefusedForThatRecipientOnly() {
        InetSocketAddress address = start(TestServer.config());
        // Room for a message, but not for this one with its trace fields: RCPT passes, the commit does not.
        limit(ALICE, QuotaLimit.of(300), QuotaLimit.DEFAULT);
        try (LmtpClient c = LmtpClient.afterLhlo(address)) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<bob@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write((MESSAGE + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.replies(2)).satisfiesExactly(
                    alice -> assertThat(alice).isEqualTo(
                            "552 5.2.2 <alice@example.com> Mailbox full: the message exceeds the recipient's quota"),
                    bob -> assertThat(bob).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        assertThat(inboxMessages(ALICE)).isZero();
        assertThat(inboxMessages(BOB)).isEqualTo(1);
    }
}
