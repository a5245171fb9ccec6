package io.stratusmail.lmtp.session;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.search.MessageIndexer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CHUNKING (RFC 3030) in LMTP: BDAT chunks over a real socket, down to the octets stored. */
class ChunkingTest {

    private static final String HEADER = "To: Susan@random.com\r\nFrom: Sam@random.com\r\n"
            + "Subject: This is a bodyless test message\r\n";

    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** RFC 3030 section 4.1's example, in LMTP: after BDAT LAST one reply per accepted recipient. */
    @Test
    void rfc3030BodylessMessageThenEmptyLastChunk() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("MAIL FROM:<Sam@Random.com>")).isEqualTo("250 2.1.0 OK");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<bob@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(HEADER).hasSize(86);
            c.write("BDAT 86\r\n" + HEADER);
            assertThat(c.reply()).isEqualTo("250 2.0.0 86 octets received");
            c.send("BDAT 0 LAST");
            assertThat(c.replies(2)).allMatch(r -> r.matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        for (String user : List.of("alice@example.com", "bob@example.com")) {
            Wire.Stored stored = Wire.split(server.inbox(user).get(0));
            assertThat(stored.body()).isEqualTo(bytes(HEADER));
            assertThat(stored.trace()).contains("Delivered-To: " + user + "\r\n").contains(" with LMTP id ");
        }
    }

    @Test
    void chunksAreJoinedExactlyWithoutDotStuffingOrEndMarker() {
        // what would end or be unstuffed in DATA is plain content in a chunk, and so is every octet value
        byte[] first = bytes("Subject: chunks\r\n\r\n.leading dot\r\n.\r\n");
        byte[] second = new byte[256];
        for (int i = 0; i < 256; i++) {
            second[i] = (byte) i;
        }
        byte[] third = bytes("..two dots\nbare LF\rbare CR\r\n");
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org> BODY=8BITMIME");
            c.command("RCPT TO:<alice@example.com>");
            c.write(bytes("BDAT " + first.length + "\r\n"));
            c.write(first);
            assertThat(c.reply()).isEqualTo("250 2.0.0 " + first.length + " octets received");
            c.write(bytes("BDAT " + second.length + "\r\n"));
            c.write(second);
            assertThat(c.reply()).isEqualTo("250 2.0.0 256 octets received");
            c.write(bytes("BDAT " + third.length + " LAST\r\n"));
            c.write(third);
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body())
                .isEqualTo(concat(first, second, third));
    }

    @Test
    void pipelinedTransactionInOneWriteIsAnsweredInOrder() {
        byte[] part1 = bytes("Subject: pipelined\r\n\r\n");
        byte[] part2 = bytes("QUIT\r\nRSET\r\n"); // content, not commands
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(bytes("MAIL FROM:<sender@example.org>\r\nRCPT TO:<alice@example.com>\r\n"
                + "RCPT TO:<nobody@example.com>\r\nRCPT TO:<bob@example.com>\r\n"));
        all.writeBytes(bytes("BDAT " + part1.length + "\r\n"));
        all.writeBytes(part1);
        all.writeBytes(bytes("bdat " + part2.length + " last\r\n"));
        all.writeBytes(part2);
        all.writeBytes(bytes("NOOP\r\n"));
        try (LmtpClient c = server.connect()) {
            c.write(all.toByteArray());
            List<String> replies = c.replies(8);
            assertThat(replies.subList(0, 5)).containsExactly(
                    "250 2.1.0 OK",
                    "250 2.1.5 OK",
                    "550 5.1.1 <nobody@example.com>: user unknown",
                    "250 2.1.5 OK",
                    "250 2.0.0 " + part1.length + " octets received");
            assertThat(replies.subList(5, 7)).allMatch(r -> r.matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
            assertThat(replies.get(7)).isEqualTo("250 2.0.0 OK");
        }
        assertThat(Wire.split(server.inbox("bob@example.com").get(0)).body()).isEqualTo(concat(part1, part2));
    }

    @Test
    void chunkSentOneOctetPerWriteIsStoredIdentically() {
        byte[] message = bytes("Subject: slow\r\n\r\nsent one octet at a time\r\n");
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            for (byte b : bytes("BDAT " + message.length + " LAST\r\n")) {
                c.write(new byte[] {b});
            }
            for (byte b : message) {
                c.write(new byte[] {b});
            }
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body()).isEqualTo(message);
    }

    @Test
    void sizeLimitCountsEveryChunkAndLaterChunksAreDiscardedWithTheSameReply() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 1000, 1000, 64 * 1024, 100, Duration.ofMinutes(5));
        try (TestServer small = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = small.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.write("BDAT 600\r\n" + "a".repeat(600));
            assertThat(c.reply()).isEqualTo("250 2.0.0 600 octets received");
            // 600 + 401 > 1000: refused, its octets read and dropped, never taken for commands
            c.write("BDAT 401\r\n" + "NOOP\r\n".repeat(66) + "xxxxx");
            String tooBig = "552 5.3.4 Message size exceeds fixed maximum message size (1000 octets)";
            assertThat(c.reply()).isEqualTo(tooBig);
            // RFC 3030: chunks already in the pipeline after the failed one are accepted and discarded
            c.write("BDAT 5\r\nhello");
            assertThat(c.reply()).isEqualTo(tooBig);
            c.write("BDAT 3 LAST\r\nbye");
            assertThat(c.replies(2)).containsExactly(tooBig, tooBig);
            // the transaction is over; the connection goes on
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("503 5.5.1 Need MAIL command first");
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 1000 LAST\r\n" + "b".repeat(1000));
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
    }

    @Test
    void lastChunkOverTheLimitIsRefusedForEveryRecipient() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 1000, 1000, 64 * 1024, 100, Duration.ofMinutes(5));
        try (TestServer small = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = small.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("RCPT TO:<bob@example.com>");
            c.write("BDAT 1001 LAST\r\n" + "c".repeat(1001));
            assertThat(c.replies(2)).allMatch(r -> r.startsWith("552 5.3.4 "));
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(small.inbox("alice@example.com")).isEmpty();
            assertThat(small.inbox("bob@example.com")).isEmpty();
        }
    }

    @Test
    void hugeRefusedChunkIsStreamedThroughNotBuffered() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 4096, 1000, 64 * 1024, 100, Duration.ofMinutes(5));
        int size = 32 * 1024 * 1024;
        try (TestServer small = new TestServer(config, null, null, MessageIndexer.NONE);
             LmtpClient c = small.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.send("BDAT " + size + " LAST");
            byte[] block = new byte[1024 * 1024];
            Arrays.fill(block, (byte) 'z');
            for (int i = 0; i < size / block.length; i++) {
                c.write(block);
            }
            assertThat(c.reply()).startsWith("552 5.3.4 ");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void dataCannotFollowBdatInOneTransaction() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 7\r\nSubject");
            assertThat(c.reply()).isEqualTo("250 2.0.0 7 octets received");
            assertThat(c.command("DATA"))
                    .isEqualTo("503 5.5.1 DATA cannot follow BDAT in one transaction (RFC 3030); transaction aborted");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("503 5.5.1 Need MAIL command first");
            assertThat(c.command("RSET")).isEqualTo("250 2.0.0 OK");
            // DATA and BDAT may both be used in one session, in different transactions
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write("Subject: by DATA\r\n\r\n.\r\n");
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
        assertThat(server.inbox("alice@example.com")).hasSize(1);
    }

    @Test
    void bdatOutsideATransactionIsRefusedAndItsChunkIsNotTakenForCommands() {
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            c.write("BDAT 6\r\nQUIT\r\n");
            assertThat(c.reply()).isEqualTo("503 5.5.1 Send LHLO first");
            c.command("LHLO client.example");
            c.write("BDAT 6\r\nQUIT\r\n");
            assertThat(c.reply()).isEqualTo("503 5.5.1 Need MAIL command first");
            c.command("MAIL FROM:<sender@example.org>");
            assertThat(c.command("RCPT TO:<nobody@example.com>")).startsWith("550 5.1.1");
            c.write("BDAT 6 LAST\r\nQUIT\r\n");
            assertThat(c.reply()).isEqualTo("503 5.5.1 No valid recipients");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void bdatAfterTheLastChunkIsABadSequence() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 4 LAST\r\nbody");
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            c.write("BDAT 4\r\nmore");
            assertThat(c.reply()).isEqualTo("503 5.5.1 Need MAIL command first");
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body()).isEqualTo(bytes("body"));
    }

    @Test
    void rsetBetweenChunksDropsTheMessage() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 9\r\nforgotten");
            assertThat(c.reply()).isEqualTo("250 2.0.0 9 octets received");
            assertThat(c.command("RSET")).isEqualTo("250 2.0.0 OK");
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 4 LAST\r\nkept");
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
        List<byte[]> inbox = server.inbox("alice@example.com");
        assertThat(inbox).hasSize(1);
        assertThat(Wire.split(inbox.get(0)).body()).isEqualTo(bytes("kept"));
    }

    @Test
    void unreadableChunkSizeClosesTheConnection() {
        for (String command : List.of("BDAT", "BDAT abc", "BDAT -1", "BDAT 10 FIRST", "BDAT 10  LAST", "BDAT 0x10")) {
            try (LmtpClient c = server.connect()) {
                c.command("MAIL FROM:<sender@example.org>");
                c.command("RCPT TO:<alice@example.com>");
                c.write(command + "\r\nRCPT TO:<bob@example.com>\r\n");
                assertThat(c.reply()).as(command)
                        .isEqualTo("501 5.5.4 Syntax: BDAT chunk-size [LAST]; closing connection");
                assertThat(c.isClosedByServer()).as(command).isTrue();
            }
        }
        assertThat(server.inbox("alice@example.com")).isEmpty();
    }

    @Test
    void disconnectInTheMiddleOfAChunkStoresNothing() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 100 LAST\r\nSubject: cut\r\n");
        }
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        assertThat(server.inbox("alice@example.com")).isEmpty();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
