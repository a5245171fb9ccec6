package io.stratusmail.lmtp.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LMTP dialogue over a real socket: each step is a client line and the reply RFC 2033 expects. */
class LmtpCommandsTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void greetingThenLhloListsTheExtensions() {
        try (LmtpClient c = new LmtpClient(server.address)) {
            assertThat(c.reply()).isEqualTo("220 lmtp.stratus.test LMTP Stratus ready");
            assertThat(c.command("LHLO client.example")).isEqualTo("""
                    250-lmtp.stratus.test
                    250-PIPELINING
                    250-ENHANCEDSTATUSCODES
                    250-8BITMIME
                    250-SIZE 67108864
                    250-CHUNKING
                    250 SMTPUTF8""");
        }
    }

    @Test
    void lhloIsCaseInsensitiveAndNeedsADomain() {
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            assertThat(c.command("LHLO")).isEqualTo("501 5.5.4 Syntax: LHLO domain");
            assertThat(c.command("LHLO two words")).isEqualTo("501 5.5.4 Syntax: LHLO domain");
            assertThat(c.command("lhlo [192.0.2.1]")).startsWith("250-lmtp.stratus.test");
        }
    }

    @Test
    void heloAndEhloAreRefusedBecauseLmtpNeedsLhlo() {
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            assertThat(c.command("HELO client.example")).isEqualTo("500 5.5.1 This is LMTP (RFC 2033): use LHLO");
            assertThat(c.command("EHLO client.example")).isEqualTo("500 5.5.1 This is LMTP (RFC 2033): use LHLO");
            assertThat(c.command("MAIL FROM:<a@example.org>")).isEqualTo("503 5.5.1 Send LHLO first");
        }
    }

    @Test
    void unknownCommandsAndGarbageGet500() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("XYZZY")).isEqualTo("500 5.5.2 Command unrecognized");
            assertThat(c.command("")).isEqualTo("500 5.5.2 Command unrecognized");
            assertThat(c.command("NOOP \u00e9")).isEqualTo("500 5.5.2 Command contains a control or non-ASCII character");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void commandsOutOfOrderGet503() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("503 5.5.1 Need MAIL command first");
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 Need MAIL command first");
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("503 5.5.1 Nested MAIL command");
        }
    }

    @Test
    void rsetClearsTheTransaction() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RSET")).isEqualTo("250 2.0.0 OK");
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 Need MAIL command first");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("503 5.5.1 Need MAIL command first");
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
        }
        assertThat(server.inbox("alice@example.com")).isEmpty();
    }

    @Test
    void lhloAgainAlsoClearsTheTransaction() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            assertThat(c.command("LHLO client.example")).startsWith("250-");
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 Need MAIL command first");
        }
    }

    @Test
    void noopVrfyAndQuit() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("NOOP anything")).isEqualTo("250 2.0.0 OK");
            assertThat(c.command("VRFY alice")).isEqualTo(
                    "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery");
            assertThat(c.command("RSET now")).isEqualTo("501 5.5.4 No arguments allowed");
            assertThat(c.command("QUIT")).isEqualTo("221 2.0.0 lmtp.stratus.test closing connection");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void recipientsAreCheckedAgainstTheAccounts() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<ALICE@Example.COM>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<nobody@example.com>"))
                    .isEqualTo("550 5.1.1 <nobody@example.com>: user unknown");
            assertThat(c.command("RCPT TO:<\"john doe\"@example.com>"))
                    .isEqualTo("550 5.1.1 <\"john doe\"@example.com>: user unknown");
            assertThat(c.command("rcpt to: <@relay.example:bob@example.com>")).isEqualTo("250 2.1.5 OK");
        }
    }

    @Test
    void malformedAddressesGet501() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:sender@example.org"))
                    .isEqualTo("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
            assertThat(c.command("MAIL FROM:<a..b@example.org>")).startsWith("501 5.1.7 Bad sender address syntax");
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
            assertThat(c.command("RCPT TO:alice@example.com")).isEqualTo("501 5.1.3 Bad recipient address syntax");
            assertThat(c.command("RCPT TO:<>")).isEqualTo("501 5.1.3 Bad recipient address syntax");
            assertThat(c.command("RCPT TO:<alice@>")).startsWith("501 5.1.3 Bad recipient address syntax");
            assertThat(c.command("RCPT TO:<alice@exa mple.com>")).startsWith("501 5.1.3 Bad recipient address syntax");
            assertThat(c.command("RCPT TO:<alice@-example.com>")).startsWith("501 5.1.3 Bad recipient address syntax");
            assertThat(c.command("RCPT <alice@example.com>")).isEqualTo("501 5.5.4 Syntax: RCPT TO:<address>");
            assertThat(c.command("RCPT TO:<alice@example.com> NOTIFY=NEVER"))
                    .isEqualTo("555 5.5.4 RCPT parameters are not supported");
            // none of the bad ones counted: DATA has no recipient
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 No valid recipients");
        }
    }

    @Test
    void mailParameters() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<s@example.org> BODY=8BITMIME SIZE=1000")).isEqualTo("250 2.1.0 OK");
            c.command("RSET");
            assertThat(c.command("MAIL FROM:<> body=7bit")).isEqualTo("250 2.1.0 OK");
            c.command("RSET");
            assertThat(c.command("MAIL FROM:<s@example.org> SIZE=67108865"))
                    .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size (67108864 octets)");
            assertThat(c.command("MAIL FROM:<s@example.org> SIZE=99999999999999999999999"))
                    .startsWith("552 5.3.4 ");
            assertThat(c.command("MAIL FROM:<s@example.org> SIZE=big")).isEqualTo("501 5.5.4 Syntax: SIZE=<octets>");
            assertThat(c.command("MAIL FROM:<s@example.org> BODY=BINARYMIME")).isEqualTo("555 5.5.4 Unsupported BODY type");
            assertThat(c.command("MAIL FROM:<s@example.org> BODY=8BITMIME SMTPUTF8=yes"))
                    .isEqualTo("501 5.5.4 SMTPUTF8 takes no value");
            assertThat(c.command("MAIL FROM:<s@example.org> DSN"))
                    .isEqualTo("555 5.5.4 Unsupported MAIL parameter DSN");
            // the refused MAILs opened no transaction
            assertThat(c.command("MAIL FROM:<s@example.org>")).isEqualTo("250 2.1.0 OK");
        }
    }

    @Test
    void dataWithoutAcceptedRecipientFails503AndTheNextLineIsACommand() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<nobody@example.com>")).startsWith("550 5.1.1");
            // RFC 2033 section 4.2: DATA without a successful RCPT MUST fail with 503
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 No valid recipients");
            assertThat(c.command("Subject: not a command")).isEqualTo("500 5.5.2 Command unrecognized");
            assertThat(c.command(".")).isEqualTo("500 5.5.2 Command unrecognized");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        assertThat(server.inbox("nobody@example.com")).isEmpty();
        assertThat(server.inbox("alice@example.com")).isEmpty();
    }

    @Test
    void overlongCommandLineIsRefusedAndTheConnectionGoesOn() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("NOOP " + "x".repeat(993))).isEqualTo("250 2.0.0 OK"); // 1000 octets with CRLF
            assertThat(c.command("NOOP " + "x".repeat(994))).isEqualTo("500 5.5.2 Line too long (limit 1000 octets)");
            assertThat(c.command("NOOP " + "x".repeat(200_000))).isEqualTo("500 5.5.2 Line too long (limit 1000 octets)");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void tooManyRecipientsGet452() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 1 << 20, 1000, 64 * 1024, 2, Duration.ofMinutes(5));
        try (TestServer small = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = small.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<bob@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("452 4.5.3 Too many recipients");
        }
    }

    @Test
    void recipientLookupFailureIsTemporary() {
        UserRepository down = new UserRepository() {
            @Override
            public CompletionStage<Void> put(Username user, String passwordHash) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<Optional<String>> passwordHash(Username user) {
                return CompletableFuture.failedFuture(
                        new io.stratusmail.mailbox.StorageUnavailableException("no replicas", null));
            }

            @Override
            public CompletionStage<List<Username>> list() {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<Boolean> delete(Username user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<Boolean> deleteWithMail(Username user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<Boolean> replacePasswordHash(Username user, String passwordHash) {
                throw new UnsupportedOperationException();
            }
        };
        try (TestServer s = new TestServer(TestServer.config(), null, down, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>"))
                    .isEqualTo("451 4.3.0 Temporary failure looking up the recipient, try again later");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void idleConnectionIsClosedWith421() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 1 << 20, 1000, 64 * 1024, 100, Duration.ofMillis(300));
        try (TestServer s = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            assertThat(c.reply()).isEqualTo("421 4.4.2 lmtp.stratus.test Idle timeout, closing connection");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            c.write("LHLO client.example\r\nMAIL FROM:<sender@example.org>\r\nRCPT TO:<nobody@example.com>\r\n"
                    + "DATA\r\nNOOP\r\nRSET\r\nRCPT TO:<alice@example.com>\r\nQUIT\r\n");
            assertThat(c.reply()).startsWith("250-lmtp.stratus.test");
            assertThat(c.replies(7)).containsExactly(
                    "250 2.1.0 OK",
                    "550 5.1.1 <nobody@example.com>: user unknown",
                    "503 5.5.1 No valid recipients",
                    "250 2.0.0 OK",
                    "250 2.0.0 OK",
                    "503 5.5.1 Need MAIL command first",
                    "221 2.0.0 lmtp.stratus.test closing connection");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }
}
