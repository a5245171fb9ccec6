package io.stratusmail.lmtp.session;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.testing.FaultyStore;
import io.stratusmail.lmtp.testing.FaultyStore.Fault;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.user.UserRepository;
import io.stratusmail.mailbox.user.Username;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The limits and timeouts of issue 5 item 5 as a client meets them: concurrent connections ({@code 421 4.3.2}),
 * the data timeout ({@code 421 4.4.2}, nothing stored), a store that stops answering ({@code 451 4.3.0} for
 * that recipient only, after {@link LmtpConfig#storeTimeout()}), and hashing kept off the event loop.
 */
class LimitsAndTimeoutsTest {

    private static final byte[] MESSAGE = bytes("From: a@example.org\r\nSubject: limits\r\n\r\nHello.\r\n");

    private static LmtpConfig config() {
        return TestServer.config();
    }

    @Test
    void aConnectionOverTheLimitGets421AndASlotFreesWhenOneCloses() {
        LmtpConfig two = config().withLimits(1 << 20, 1000, 64 * 1024, 100, 2);
        try (TestServer s = new TestServer(two, null, null, MessageIndexer.NONE);
             LmtpClient first = LmtpClient.greeted(s.address);
             LmtpClient second = LmtpClient.greeted(s.address)) {
            try (LmtpClient third = new LmtpClient(s.address)) {
                assertThat(third.reply()).isEqualTo(
                        "421 4.3.2 lmtp.stratus.test Too many connections, try again later");
                assertThat(third.isClosedByServer()).isTrue();
            }
            assertThat(second.command("LHLO client.example")).startsWith("250-");
            first.command("QUIT");
            assertThat(first.isClosedByServer()).isTrue();
            // the slot is freed when the server sees the close: retry briefly
            String greeting = null;
            for (int attempt = 0; attempt < 50 && (greeting == null || !greeting.startsWith("220 ")); attempt++) {
                try (LmtpClient again = new LmtpClient(s.address)) {
                    greeting = again.reply();
                }
                if (!greeting.startsWith("220 ")) {
                    sleep(20);
                }
            }
            assertThat(greeting).startsWith("220 lmtp.stratus.test");
        }
    }

    @Test
    void silenceInsideDataGets421AfterTheDataTimeoutAndStoresNothing() {
        LmtpConfig config = config().withTimeouts(Duration.ofMinutes(5), Duration.ofMillis(300),
                Duration.ofSeconds(10));
        try (TestServer s = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write("From: a@example.org\r\nSubject: half a message\r\n");
            assertThat(c.reply()).isEqualTo(
                    "421 4.4.2 lmtp.stratus.test Timeout waiting for message data, transaction aborted");
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(s.inbox("alice@example.com")).isEmpty();
        }
    }

    @Test
    void silenceInsideABdatChunkGets421AndStoresNothing() {
        LmtpConfig config = config().withTimeouts(Duration.ofMinutes(5), Duration.ofMillis(300),
                Duration.ofSeconds(10));
        try (TestServer s = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 100 LAST\r\nFrom: a@example.org\r\n");
            assertThat(c.reply()).isEqualTo(
                    "421 4.4.2 lmtp.stratus.test Timeout waiting for message data, transaction aborted");
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(s.inbox("alice@example.com")).isEmpty();
        }
    }

    @Test
    void theCommandTimeoutDoesNotCutASlowButSteadyDataTransfer() {
        LmtpConfig config = config().withTimeouts(Duration.ofMillis(400), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        try (TestServer s = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write("From: a@example.org\r\n");
            sleep(700);
            c.write("Subject: slow\r\n\r\nbody\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 ");
            assertThat(s.inbox("alice@example.com")).hasSize(1);
            assertThat(c.reply()).isEqualTo("421 4.4.2 lmtp.stratus.test Idle timeout, closing connection");
        }
    }

    @Test
    void aStoreThatStopsAnsweringGives451ForThatRecipientOnlyAndTheSessionGoesOn() {
        LmtpConfig config = config().withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMillis(500));
        try (TestServer s = new TestServer(config,
                store -> new FaultyStore(store, Map.of("bob@example.com", Fault.HANG)), null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            long start = System.nanoTime();
            c.write(stuffed(MESSAGE));
            List<String> replies = c.replies(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400),
                    Duration.ofSeconds(5));
            assertThat(replies.get(0)).startsWith("250 2.0.0 ");
            assertThat(replies.get(1)).isEqualTo(
                    "451 4.3.0 <bob@example.com> Temporary failure storing the message, try again later");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(s.inbox("alice@example.com")).hasSize(1);
            assertThat(s.inbox("bob@example.com")).isEmpty();
        }
    }

    @Test
    void aRecipientWhoseAppendHangsDoesNotHoldBackTheOthers() {
        LmtpConfig config = config().withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMillis(500));
        try (TestServer s = new TestServer(config,
                store -> new FaultyStore(store, Map.of("alice@example.com", Fault.HANG)), null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            // recipients are delivered at once: bob's append does not wait behind alice's hung one
            List<String> replies = c.replies(2);
            assertThat(replies.get(0)).startsWith("451 4.3.0 <alice@example.com> ");
            assertThat(replies.get(1)).startsWith("250 2.0.0 ");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(s.inbox("alice@example.com")).isEmpty();
            assertThat(s.inbox("bob@example.com")).hasSize(1);
        }
    }

    @Test
    void aRecipientLookUpThatNeverAnswersGets451AtRcpt() {
        LmtpConfig config = config().withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMillis(300));
        try (TestServer s = new TestServer(config, null, HangingUsers.INSTANCE, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>"))
                    .isEqualTo("451 4.3.0 Temporary failure looking up the recipient, try again later");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    /** Accounts whose look-ups never answer. */
    private enum HangingUsers implements UserRepository {
        INSTANCE;

        @Override
        public CompletionStage<Void> put(Username user, String passwordHash) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Optional<String>> passwordHash(Username user) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<List<Username>> list() {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Boolean> delete(Username user) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Boolean> deleteWithMail(Username user) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletionStage<Boolean> replacePasswordHash(Username user, String passwordHash) {
            return new CompletableFuture<>();
        }
    }

    @Test
    void aDuplicateLookUpThatNeverAnswersGives451AndStoresNothing() {
        LmtpConfig config = config().withTimeouts(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ofMillis(300));
        DeliveryLog never = new DeliveryLog() {
            @Override
            public CompletionStage<java.util.Optional<Delivery>> find(Username recipient, byte[] digest) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery,
                                                Duration window) {
                return new CompletableFuture<>();
            }
        };
        // the duplicate look-up is part of the delivery: it hangs, so the delivery times out
        try (TestServer s = new TestServer(config, never); LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            assertThat(c.reply()).startsWith("451 4.3.0 <alice@example.com> ");
            assertThat(s.inbox("alice@example.com")).isEmpty();
        }
    }

    @Test
    void aLargeMessageIsHashedOffTheEventLoop() {
        List<String> threads = new CopyOnWriteArrayList<>();
        DeliveryLog recording = new DeliveryLog() {
            @Override
            public CompletionStage<java.util.Optional<Delivery>> find(Username recipient, byte[] digest) {
                threads.add(Thread.currentThread().getName());
                return CompletableFuture.completedFuture(java.util.Optional.empty());
            }

            @Override
            public CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery,
                                                Duration window) {
                return CompletableFuture.completedFuture(null);
            }
        };
        StringBuilder big = new StringBuilder("From: a@example.org\r\nSubject: big\r\n\r\n");
        while (big.length() < 1 << 20) {
            big.append("0123456789".repeat(7)).append("\r\n");
        }
        try (TestServer s = new TestServer(config(), recording); LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(bytes(big.toString())));
            assertThat(c.reply()).startsWith("250 2.0.0 ");
        }
        assertThat(threads).singleElement().asString().doesNotStartWith("lmtp-io");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
