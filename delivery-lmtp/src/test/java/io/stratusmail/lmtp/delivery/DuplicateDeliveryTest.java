package io.stratusmail.lmtp.delivery;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.testing.FaultyStore;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.mailbox.testing.InMemoryDeliveryLog;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Username;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An MTA that lost the {@code 250} after DATA sends the same message again (RFC 5321 section 4.5.4.1): within
 * the duplicate window it gets {@code 250} again, but each recipient keeps one copy.
 */
class DuplicateDeliveryTest {

    private static final byte[] MESSAGE = bytes("""
            Received: from mta.example.org by relay.example.org with ESMTP id 4QxYz1;\r
            \tMon, 2 Jun 2025 10:00:00 +0000\r
            From: Sender <sender@example.org>\r
            Message-ID: <retry-1@example.org>\r
            Subject: sent twice\r
            \r
            Hello.\r
            """);

    private final InMemoryDeliveryLog log = new InMemoryDeliveryLog();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(LmtpConfig config, DeliveryLog deliveryLog) {
        server = new TestServer(config, deliveryLog);
    }

    private List<String> deliver(byte[] message, String... recipients) {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
            for (String r : recipients) {
                assertThat(c.command("RCPT TO:<" + r + ">")).isEqualTo("250 2.1.5 OK");
            }
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(message));
            return c.replies(recipients.length);
        }
    }

    @Test
    void theSameTransactionTwiceIsStoredOnceAndAcknowledgedTwice() {
        start(TestServer.config(), log);

        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString()
                .matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString()
                .matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved \\(already delivered\\)");

        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }

    @Test
    void eachRecipientGetsTheMessageOnceWhateverTheRetryHolds() {
        start(TestServer.config(), log);

        assertThat(deliver(MESSAGE, "alice@example.com")).allMatch(r -> r.startsWith("250 2.0.0 "));
        // the retry holds alice again and bob for the first time (say bob had got 451 before)
        List<String> replies = deliver(MESSAGE, "alice@example.com", "bob@example.com");

        assertThat(replies.get(0)).endsWith("Saved (already delivered)");
        assertThat(replies.get(1)).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        assertThat(server.inbox("alice@example.com")).hasSize(1);
        assertThat(server.inbox("bob@example.com")).hasSize(1);

        assertThat(deliver(MESSAGE, "bob@example.com", "alice@example.com"))
                .allMatch(r -> r.endsWith("Saved (already delivered)"));
        assertThat(server.inbox("alice@example.com")).hasSize(1);
        assertThat(server.inbox("bob@example.com")).hasSize(1);
    }

    @Test
    void aDifferentMessageOrASubaddressOfTheSameUserIsNoRetry() {
        start(TestServer.config(), log);
        byte[] other = bytes(new String(MESSAGE, java.nio.charset.StandardCharsets.UTF_8).replace("Hello.", "Hello!"));

        deliver(MESSAGE, "alice@example.com");
        assertThat(deliver(other, "alice@example.com")).singleElement().asString().endsWith(" Saved");
        // the same octets to another address of the same account: the account has them already
        assertThat(deliver(MESSAGE, "alice+news@example.com")).singleElement().asString()
                .endsWith("Saved (already delivered)");

        assertThat(server.inbox("alice@example.com")).hasSize(2);
    }

    @Test
    void afterTheWindowTheSameMessageIsStoredAgain() throws InterruptedException {
        start(TestServer.config().withDuplicateWindow(Duration.ofMillis(300)), log);

        deliver(MESSAGE, "alice@example.com");
        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString()
                .endsWith("(already delivered)");
        Thread.sleep(500);
        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString().endsWith(" Saved");

        assertThat(server.inbox("alice@example.com")).hasSize(2);
    }

    @Test
    void aZeroWindowTurnsDeduplicationOff() {
        start(TestServer.config().withDuplicateWindow(Duration.ZERO), log);

        deliver(MESSAGE, "alice@example.com");
        deliver(MESSAGE, "alice@example.com");

        assertThat(server.inbox("alice@example.com")).hasSize(2);
        assertThat(log.size()).isZero();
    }

    @Test
    void concurrentRetriesAfterADeliveryAreAllAcknowledgedAndStoreNothing() throws Exception {
        start(TestServer.config(), log);
        deliver(MESSAGE, "alice@example.com", "bob@example.com");

        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> retries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                retries.add(clients.submit(() -> deliver(MESSAGE, "alice@example.com", "bob@example.com")));
            }
            for (Future<List<String>> retry : retries) {
                assertThat(retry.get()).hasSize(2).allMatch(r -> r.endsWith("Saved (already delivered)"));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
        assertThat(server.inbox("bob@example.com")).hasSize(1);
    }

    @Test
    void aRetryAfterAnAppendWhoseAnswerWasLostIsStoredOnce() {
        AtomicReference<FaultyStore> faulty = new AtomicReference<>();
        server = new TestServer(TestServer.config(), store -> {
            faulty.set(new FaultyStore(store, Map.of("alice@example.com", FaultyStore.Fault.LOSE_RESPONSE)));
            return faulty.get();
        }, null, MessageIndexer.NONE, log);

        // the append committed but its answer was lost: the MTA is told to retry
        assertThat(deliver(MESSAGE, "alice@example.com", "bob@example.com")).satisfiesExactly(
                alice -> assertThat(alice).startsWith("451 4.3.0 "),
                bob -> assertThat(bob).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
        assertThat(server.inbox("alice@example.com")).hasSize(1);

        faulty.get().heal();
        assertThat(deliver(MESSAGE, "alice@example.com", "bob@example.com"))
                .allMatch(r -> r.endsWith("Saved (already delivered)"));
        assertThat(server.inbox("alice@example.com")).hasSize(1);
        assertThat(server.inbox("bob@example.com")).hasSize(1);
    }

    @Test
    void aRetryAfterAnAppendThatFailedIsStored() {
        AtomicReference<FaultyStore> faulty = new AtomicReference<>();
        server = new TestServer(TestServer.config(), store -> {
            faulty.set(new FaultyStore(store, Map.of("alice@example.com", FaultyStore.Fault.FAIL)));
            return faulty.get();
        }, null, MessageIndexer.NONE, log);

        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString().startsWith("451 4.3.0 ");
        assertThat(server.inbox("alice@example.com")).isEmpty();
        assertThat(join(log.seen(Username.of("alice@example.com"), MailDelivery.sha256(MESSAGE)))).isTrue();

        faulty.get().heal();
        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString()
                .matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString()
                .endsWith("Saved (already delivered)");
        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }

    @Test
    void aRetryAfterTheUserExpungedTheMessageIsStoredAgain() {
        start(TestServer.config(), log);
        deliver(MESSAGE, "alice@example.com");
        InMemoryMailStore store = server.store;
        Mailbox inbox = join(store.ensureInbox(Username.of("alice@example.com")));
        join(store.updateFlags(inbox.id(), List.of(1L),
                new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\Deleted"))));
        join(store.expunge(inbox.id(), List.of(1L)));

        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString().endsWith(" Saved");
        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void aFailedLookUpIsATemporaryFailureThatStoresNothing() {
        start(TestServer.config(), new DeliveryLog() {
            @Override
            public CompletionStage<Optional<Delivery>> find(Username recipient, byte[] digest) {
                return CompletableFuture.failedFuture(new StorageUnavailableException("read timeout", null));
            }

            @Override
            public CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery,
                                                Duration window) {
                throw new AssertionError("nothing was stored, nothing to record");
            }
        });

        assertThat(deliver(MESSAGE, "alice@example.com", "bob@example.com"))
                .allMatch(r -> r.startsWith("451 4.3.0 "));

        assertThat(server.inbox("alice@example.com")).isEmpty();
        assertThat(server.inbox("bob@example.com")).isEmpty();
    }

    @Test
    void aFailedRecordIsATemporaryFailureThatStoresNothing() {
        // without the record a retry could not learn whether the append committed: refuse before appending
        start(TestServer.config(), new DeliveryLog() {
            @Override
            public CompletionStage<Optional<Delivery>> find(Username recipient, byte[] digest) {
                return CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery,
                                                Duration window) {
                return CompletableFuture.failedFuture(new StorageUnavailableException("write timeout", null));
            }
        });

        assertThat(deliver(MESSAGE, "alice@example.com")).singleElement().asString().startsWith("451 4.3.0 ");

        assertThat(server.inbox("alice@example.com")).isEmpty();
    }

    @Test
    void aRetryOverBdatIsRecognisedToo() {
        start(TestServer.config(), log);
        deliver(MESSAGE, "alice@example.com");

        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.send("BDAT " + MESSAGE.length + " LAST");
            c.write(MESSAGE);
            assertThat(c.reply()).endsWith("Saved (already delivered)");
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }
}
