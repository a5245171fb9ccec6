package io.stratusmail.lmtp.delivery;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.testing.FaultyStore;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.search.MessageIndexer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mail transactions end to end over a real socket, down to the octets stored in each INBOX. */
class LmtpDeliveryTest {

    private static final byte[] MESSAGE = bytes("""
            From: Sender <sender@example.org>\r
            To: alice@example.com\r
            Subject: hello\r
            \r
            Hi Alice.\r
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

    @Test
    void singleRecipientGetsTraceFieldsAndTheExactOctets() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).isEqualTo("354 Start mail input; end with <CRLF>.<CRLF>");
            c.write(stuffed(MESSAGE));
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
        List<byte[]> inbox = server.inbox("alice@example.com");
        assertThat(inbox).hasSize(1);
        Wire.Stored stored = Wire.split(inbox.get(0));
        assertThat(stored.body()).isEqualTo(MESSAGE);
        assertThat(stored.trace()).matches("""
                Return-Path: <sender@example\\.org>\r
                Delivered-To: alice@example\\.com\r
                Received: from client\\.example \\(\\[127\\.0\\.0\\.1]\\)\r
                \tby lmtp\\.stratus\\.test with LMTP id [0-9A-Z]{16};\r
                \t(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \
                \\d\\d:\\d\\d:\\d\\d \\+0000\r
                """);
    }

    @Test
    void theReplyIdIsTheReceivedId() {
        String reply;
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            reply = c.reply();
        }
        String id = reply.split(" ")[2];
        String trace = Wire.split(server.inbox("alice@example.com").get(0)).trace();
        assertThat(trace).startsWith("Return-Path: <>\r\n").contains("with LMTP id " + id + ";");
    }

    @Test
    void eachRecipientGetsItsOwnReplyAndCopy() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<Bob@Example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(MESSAGE));
            assertThat(c.replies(2)).allMatch(r -> r.matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        Wire.Stored alice = Wire.split(server.inbox("alice@example.com").get(0));
        Wire.Stored bob = Wire.split(server.inbox("bob@example.com").get(0));
        assertThat(alice.body()).isEqualTo(MESSAGE);
        assertThat(bob.body()).isEqualTo(MESSAGE);
        assertThat(alice.trace()).contains("Delivered-To: alice@example.com\r\n");
        assertThat(bob.trace()).contains("Delivered-To: bob@example.com\r\n");
    }

    @Test
    void mixedKnownAndUnknownRecipientsOnlyAcceptedOnesGetReplies() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<ghost@example.com>")).isEqualTo("550 5.1.1 <ghost@example.com>: user unknown");
            assertThat(c.command("RCPT TO:<bob@example.com>")).isEqualTo("250 2.1.5 OK");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            assertThat(c.replies(2)).allMatch(r -> r.startsWith("250 2.0.0 "));
            // exactly two replies: the next one answers NOOP
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
        assertThat(server.inbox("bob@example.com")).hasSize(1);
        assertThat(server.inbox("ghost@example.com")).isEmpty();
    }

    @Test
    void aRecipientNamedTwiceGetsTwoRepliesAndOneCopy() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<ALICE@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            assertThat(c.replies(2)).allMatch(r -> r.startsWith("250 2.0.0 "));
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }

    @Test
    void dotStuffedLinesAreUnstuffed() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write("Subject: dots\r\n\r\n..leading dot\r\n..\r\n...\r\nmiddle . dot\r\n. space\r\n");
            c.write(".\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 ");
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body())
                .isEqualTo(bytes("Subject: dots\r\n\r\n.leading dot\r\n.\r\n..\r\nmiddle . dot\r\n space\r\n"));
    }

    @Test
    void everyOctetAndBareCrOrLfIsKeptAsReceived() {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(bytes("Subject: all octets\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"));
        for (int b = 0; b < 256; b++) {
            content.write(b);
        }
        content.writeBytes(bytes("\r\n"));
        // none of these ends the data: only CRLF.CRLF does
        content.writeBytes(bytes("bare lf\n.\nbare cr\r.\rmixed\n.\r\nafter\r\n"));
        content.writeBytes("Grüße, ½ €\r\n".getBytes(StandardCharsets.UTF_8));
        content.writeBytes(bytes(".starts with dot\r\n"));
        byte[] message = content.toByteArray();
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org> BODY=8BITMIME");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(message));
            assertThat(c.reply()).startsWith("250 2.0.0 ");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        List<byte[]> inbox = server.inbox("alice@example.com");
        assertThat(inbox).hasSize(1);
        assertThat(Wire.split(inbox.get(0)).body()).isEqualTo(message);
    }

    @Test
    void messageSentOneOctetPerWriteIsStoredIdentically() {
        byte[] message = bytes("Subject: slow\r\n\r\n.a\r\n.\r\n\r\n.\r\r\n\r\nend\r\n");
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            for (byte b : stuffed(message)) {
                c.write(new byte[] {b});
            }
            assertThat(c.reply()).startsWith("250 2.0.0 ");
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body()).isEqualTo(message);
    }

    @Test
    void largeMessageIsStoredExactly() {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(bytes("Subject: large\r\n\r\n"));
        java.util.Random random = new java.util.Random(42);
        while (content.size() < 8 * 1024 * 1024) {
            byte[] line = new byte[random.nextInt(200)];
            for (int i = 0; i < line.length; i++) {
                line[i] = (byte) (0x20 + random.nextInt(0xE0)); // printable and 8-bit, no CR/LF
            }
            content.writeBytes(line);
            content.writeBytes(bytes("\r\n"));
        }
        byte[] message = content.toByteArray();
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org> SIZE=" + message.length);
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            c.write(stuffed(message));
            assertThat(c.replies(2)).allMatch(r -> r.startsWith("250 2.0.0 "));
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body()).isEqualTo(message);
        assertThat(Wire.split(server.inbox("bob@example.com").get(0)).body()).isEqualTo(message);
    }

    @Test
    void oversizedMessageIsReadToItsEndRefusedPerRecipientAndNotStored() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 4096, 1000, 64 * 1024, 100, Duration.ofMinutes(5));
        try (TestServer small = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = small.connect()) {
            assertThat(c.command("MAIL FROM:<sender@example.org> SIZE=4097"))
                    .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size (4096 octets)");
            assertThat(c.command("MAIL FROM:<sender@example.org> SIZE=100")).isEqualTo("250 2.1.0 OK");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            // the SIZE estimate lied: 100 lines of 100 octets
            c.write(stuffed(bytes(("x".repeat(98) + "\r\n").repeat(100))));
            assertThat(c.replies(2)).containsOnly(
                    "552 5.3.4 Message size exceeds fixed maximum message size (4096 octets)");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            // a message of exactly the limit is accepted
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            byte[] exact = bytes(("y".repeat(1022) + "\r\n").repeat(4));
            assertThat(exact).hasSize(4096);
            c.write(stuffed(exact));
            assertThat(c.reply()).startsWith("250 2.0.0 ");
            assertThat(small.inbox("alice@example.com")).hasSize(1);
            assertThat(Wire.split(small.inbox("alice@example.com").get(0)).body()).isEqualTo(exact);
            assertThat(small.inbox("bob@example.com")).isEmpty();
        }
    }

    @Test
    void overlongDataLineIsRefusedAndNotStored() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 1 << 20, 1000, 2000, 100, Duration.ofMinutes(5));
        try (TestServer small = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = small.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(bytes("Subject: long\r\n\r\n" + "z".repeat(1998) + "\r\n")));
            assertThat(c.reply()).startsWith("250 2.0.0 ");
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(bytes("Subject: too long\r\n\r\n" + "z".repeat(1999) + "\r\n")));
            assertThat(c.reply()).isEqualTo("554 5.6.0 Message has a line longer than 2000 octets");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(small.inbox("alice@example.com")).hasSize(1);
        }
    }

    @Test
    void storeFailureGives451ForThatRecipientOnly() {
        try (TestServer s = new TestServer(TestServer.config(),
                store -> new FaultyStore(store, Map.of("bob@example.com", FaultyStore.Fault.FAIL)), null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            List<String> replies = c.replies(2);
            assertThat(replies.get(0)).startsWith("250 2.0.0 ");
            assertThat(replies.get(1))
                    .isEqualTo("451 4.3.0 <bob@example.com> Temporary failure storing the message, try again later");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(s.inbox("alice@example.com")).hasSize(1);
            assertThat(s.inbox("bob@example.com")).isEmpty();
        }
    }

    @Test
    void storeThrowingSynchronouslyAlsoGives451() {
        try (TestServer s = new TestServer(TestServer.config(),
                store -> new FaultyStore(store, Map.of("alice@example.com", FaultyStore.Fault.THROW)), null, MessageIndexer.NONE);
             LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            assertThat(c.reply()).startsWith("451 4.3.0 ");
            assertThat(s.inbox("alice@example.com")).isEmpty();
        }
    }

    @Test
    void indexerIsCalledAfterCommitAndItsFailureDoesNotFailDelivery() {
        List<Long> indexed = Collections.synchronizedList(new ArrayList<>());
        MessageIndexer broken = (mailbox, uid, content) -> {
            indexed.add(uid);
            return CompletableFuture.failedFuture(new IllegalStateException("search engine down"));
        };
        try (TestServer s = new TestServer(TestServer.config(), null, null, broken);
             LmtpClient c = s.connect()) {
            for (int i = 0; i < 2; i++) {
                c.command("MAIL FROM:<sender@example.org>");
                c.command("RCPT TO:<alice@example.com>");
                c.command("DATA");
                c.write(stuffed(MESSAGE));
                assertThat(c.reply()).startsWith("250 2.0.0 ");
            }
            assertThat(s.inbox("alice@example.com")).hasSize(2);
            assertThat(indexed).containsExactly(1L, 2L);
        }
    }

    @Test
    void disconnectInTheMiddleOfDataStoresNothing() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write("Subject: cut\r\n\r\nhalf a message\r\n");
        }
        // a later, complete delivery proves the server went on and stored only that one
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(MESSAGE));
            assertThat(c.reply()).startsWith("250 2.0.0 ");
        }
        List<byte[]> inbox = server.inbox("alice@example.com");
        assertThat(inbox).hasSize(1);
        assertThat(Wire.split(inbox.get(0)).body()).isEqualTo(MESSAGE);
    }

    @Test
    void wholeTransactionInOneWrite() {
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.writeBytes(bytes("LHLO client.example\r\nMAIL FROM:<sender@example.org>\r\n"
                    + "RCPT TO:<alice@example.com>\r\nRCPT TO:<ghost@example.com>\r\nRCPT TO:<bob@example.com>\r\n"
                    + "DATA\r\n"));
            wire.writeBytes(stuffed(MESSAGE));
            wire.writeBytes(bytes("MAIL FROM:<other@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n"));
            wire.writeBytes(stuffed(bytes("Subject: second\r\n\r\n.\r\n")));
            wire.writeBytes(bytes("QUIT\r\n"));
            c.write(wire.toByteArray());
            assertThat(c.reply()).startsWith("250-lmtp.stratus.test");
            List<String> replies = c.replies(12);
            assertThat(replies.subList(0, 5)).containsExactly(
                    "250 2.1.0 OK",
                    "250 2.1.5 OK",
                    "550 5.1.1 <ghost@example.com>: user unknown",
                    "250 2.1.5 OK",
                    "354 Start mail input; end with <CRLF>.<CRLF>");
            assertThat(replies.subList(5, 7)).allMatch(r -> r.startsWith("250 2.0.0 "));
            assertThat(replies.subList(7, 10)).containsExactly(
                    "250 2.1.0 OK", "250 2.1.5 OK", "354 Start mail input; end with <CRLF>.<CRLF>");
            assertThat(replies.get(10)).startsWith("250 2.0.0 ");
            assertThat(replies.get(11)).isEqualTo("221 2.0.0 lmtp.stratus.test closing connection");
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
        List<byte[]> bob = server.inbox("bob@example.com");
        assertThat(bob).hasSize(2);
        assertThat(Wire.split(bob.get(1)).body()).isEqualTo(bytes("Subject: second\r\n\r\n.\r\n"));
        assertThat(Wire.split(bob.get(1)).trace()).startsWith("Return-Path: <other@example.org>\r\n");
    }

    @Test
    void concurrentDeliveriesToOneMailboxAllLandWithDistinctUids() throws Exception {
        int clients = 8;
        int perClient = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int n = 0; n < clients; n++) {
                int client = n;
                futures.add(pool.submit(() -> {
                    try (LmtpClient c = server.connect()) {
                        for (int i = 0; i < perClient; i++) {
                            c.command("MAIL FROM:<sender@example.org>");
                            c.command("RCPT TO:<alice@example.com>");
                            c.command("DATA");
                            c.write(stuffed(bytes("Subject: " + client + "/" + i + "\r\n\r\nbody\r\n")));
                            assertThat(c.reply()).startsWith("250 2.0.0 ");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> subjects = new ArrayList<>();
        for (byte[] m : server.inbox("alice@example.com")) {
            String body = new String(Wire.split(m).body(), StandardCharsets.ISO_8859_1);
            subjects.add(body.substring("Subject: ".length(), body.indexOf("\r\n")));
        }
        assertThat(subjects).hasSize(clients * perClient).doesNotHaveDuplicates();
    }
}
