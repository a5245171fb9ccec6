package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.imap.literal.LiteralSpool;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Accounts;
import io.stratusmail.mailbox.user.PasswordHasher;
import io.stratusmail.mailbox.user.Username;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * APPEND of large literals (RFC 3501 section 6.3.11, RFC 7888 LITERAL+, RFC 7889 APPENDLIMIT) over a real socket:
 * the literal is spooled to a file as it arrives instead of being collected on the heap, the message comes back
 * byte for byte, and no spool file survives a success, a refusal or a dropped connection.
 */
class LargeLiteralTest {

    private static final int MIB = 1024 * 1024;

    @TempDir
    Path spoolDir;

    private final InMemoryMailStore store = new InMemoryMailStore();
    private final ExecutorService hashing = Executors.newFixedThreadPool(1);
    private LiteralSpool spool;
    private ImapServer server;
    private InetSocketAddress address;
    private Mailbox inbox;

    @BeforeEach
    void start() throws Exception {
        spool = new LiteralSpool(spoolDir, LiteralSpool.DEFAULT_THRESHOLD);
        Accounts accounts = new Accounts(store, store, new PasswordHasher(1024, 1, 1), hashing);
        server = new ImapServer(ImapConfig.defaults("imap.test").withMaxLiteralSize(48 * MIB), accounts, store,
                store, Quotas.withoutLimits(store, store)).useLiteralSpool(spool);
        address = server.start("127.0.0.1", 0);
        Username alice = Username.of("alice@example.org");
        accounts.createOrUpdate(alice, "secret".toCharArray()).toCompletableFuture().join();
        inbox = store.ensureInbox(alice).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        server.stop();
        spool.close();
        hashing.shutdownNow();
    }

    private ImapTestClient login() throws Exception {
        ImapTestClient c = new ImapTestClient(address);
        c.setTimeout(60_000);
        c.readLine();
        c.command("a0", "LOGIN alice@example.org secret");
        return c;
    }

    /** A message of exactly {@code size} octets: a header, then numbered CRLF lines of text. */
    static byte[] message(int size, String subject) {
        byte[] out = new byte[size];
        byte[] header = ("From: Alice <alice@example.org>\r\nSubject: " + subject + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, out, 0, header.length);
        int pos = header.length;
        long line = 0;
        while (pos < size) {
            byte[] text = ("line " + line++ + " of " + subject + " abcdefghijklmnopqrstuvwxyz\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(text.length, size - pos);
            System.arraycopy(text, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    private static void sendInPieces(ImapTestClient c, byte[] octets) throws IOException {
        for (int i = 0; i < octets.length; i += 256 * 1024) {
            c.sendRaw(java.util.Arrays.copyOfRange(octets, i, Math.min(octets.length, i + 256 * 1024)));
        }
    }

    private long uidOf(String ok) {
        String[] words = ok.replace("]", "").split(" ");
        return Long.parseLong(words[4]);
    }

    private byte[] stored(long uid) {
        return store.content(inbox.id(), uid).toCompletableFuture().join().orElseThrow();
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spoolDir)) {
            return files.toList();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void a40MiBLiteralIsStoredByteForByteWithoutBeingHeldInMemory() throws Exception {
        byte[] message = message(40 * MIB, "forty");
        try (ImapTestClient c = login()) {
            c.send("a1 APPEND INBOX (\\Seen) {" + message.length + "}");
            assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
            sendInPieces(c, message);
            c.send("");
            String ok = c.readLine();
            assertThat(ok).startsWith("a1 OK [APPENDUID " + inbox.uidValidity() + " ");
            long uid = uidOf(ok);

            assertThat(stored(uid)).isEqualTo(message);
            c.command("a2", "SELECT INBOX");
            assertThat(c.command("a3", "UID FETCH " + uid + " (RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))
                    .first().asString().contains("RFC822.SIZE " + message.length)
                    .contains("\\Seen").contains("Subject: forty");
        }
        // The framer held one write buffer of the literal at a time, never the message.
        assertThat(spool.peakBufferedOctets()).isLessThanOrEqualTo(LiteralSpool.DEFAULT_THRESHOLD);
        await(() -> spool.liveFiles() == 0);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aConnectionDroppedMidLiteralStoresNothingAndLeavesNoFile() throws Exception {
        byte[] message = message(10 * MIB, "dropped");
        try (ImapTestClient c = login()) {
            c.send("a1 APPEND INBOX {" + message.length + "+}");
            c.sendRaw(java.util.Arrays.copyOf(message, 3 * MIB));
            await(() -> spool.liveFiles() == 1);
        }
        await(() -> spool.liveFiles() == 0);
        assertThat(spoolFiles()).isEmpty();
        assertThat(store.counters(inbox.id()).toCompletableFuture().join().messages()).isZero();

        try (ImapTestClient c = login()) {
            assertThat(c.command("a1", "STATUS INBOX (MESSAGES)")).first().asString()
                    .isEqualTo("* STATUS INBOX (MESSAGES 0)");
        }
    }

    @Test
    void anOverLimitLiteralIsRefusedWithTooBigAndTheSessionGoesOn() throws Exception {
        try (ImapTestClient c = login()) {
            // Synchronizing: refused before the continuation, so the client never sends the octets.
            c.send("a1 APPEND INBOX {" + (48 * MIB + 1) + "}");
            assertThat(c.readLine()).isEqualTo("a1 NO [TOOBIG] Literal of " + (48 * MIB + 1)
                    + " octets refused (limit " + 48 * MIB + " octets)");
            // LITERAL+: the client sends anyway; the server reads and discards the octets, then refuses.
            byte[] big = message(48 * MIB + 1, "too big");
            c.send("a2 APPEND INBOX {" + big.length + "+}");
            sendInPieces(c, big);
            c.send("");
            assertThat(c.readLine()).startsWith("a2 NO [TOOBIG]");
            assertThat(c.command("a3", "NOOP")).last().asString().isEqualTo("a3 OK NOOP completed");
        }
        assertThat(spool.peakBufferedOctets()).isLessThanOrEqualTo(LiteralSpool.DEFAULT_THRESHOLD);
        assertThat(spoolFiles()).isEmpty();
        assertThat(store.counters(inbox.id()).toCompletableFuture().join().messages()).isZero();
    }

    @Test
    void pipelinedLiteralPlusAppendsAreEachStoredInOrder() throws Exception {
        byte[] first = message(3 * MIB, "first");
        byte[] second = message(2 * MIB + 7, "second");
        byte[] small = message(1000, "small");
        try (ImapTestClient c = login()) {
            c.sendRaw(("a1 APPEND INBOX {" + first.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
            sendInPieces(c, first);
            c.sendRaw(("\r\na2 APPEND INBOX {" + second.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
            sendInPieces(c, second);
            c.sendRaw(("\r\na3 APPEND INBOX {" + small.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(small);
            c.send("");
            c.send("a4 NOOP");
            long uid1 = uidOf(c.readLine());
            long uid2 = uidOf(c.readLine());
            long uid3 = uidOf(c.readLine());
            assertThat(c.readLine()).isEqualTo("a4 OK NOOP completed");
            assertThat(List.of(uid1, uid2, uid3)).containsExactly(1L, 2L, 3L);
            assertThat(stored(uid1)).isEqualTo(first);
            assertThat(stored(uid2)).isEqualTo(second);
            assertThat(stored(uid3)).isEqualTo(small);
        }
        await(() -> spool.liveFiles() == 0);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void twoSessionsAppendLargeLiteralsConcurrently() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> uids = Stream.of("one", "two").map(subject -> clients.submit(() -> {
                byte[] message = message(12 * MIB + subject.length(), subject);
                try (ImapTestClient c = login()) {
                    c.send("t APPEND INBOX {" + message.length + "}");
                    assertThat(c.readLine()).startsWith("+ ");
                    sendInPieces(c, message);
                    c.send("");
                    long uid = uidOf(c.readLine());
                    assertThat(stored(uid)).isEqualTo(message);
                    return uid;
                }
            })).toList();
            assertThat(List.of(uids.get(0).get(), uids.get(1).get())).containsExactlyInAnyOrder(1L, 2L);
        } finally {
            clients.shutdownNow();
        }
        await(() -> spool.liveFiles() == 0);
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aRefusedLargeAppendReleasesItsSpoolFile() throws Exception {
        byte[] withNul = message(200_000, "nul");
        withNul[150_000] = 0;
        byte[] good = message(200_000, "good");
        try (ImapTestClient c = login()) {
            // A NUL octet: BAD (no BINARY); extra arguments after the literal: BAD; no such mailbox: TRYCREATE.
            c.send("a1 APPEND INBOX {" + withNul.length + "+}");
            c.sendRaw(withNul);
            c.send("");
            assertThat(c.readLine()).startsWith("a1 BAD ").contains("NUL");
            c.send("a2 APPEND INBOX {" + good.length + "+}");
            c.sendRaw(good);
            c.send(" extra");
            assertThat(c.readLine()).startsWith("a2 BAD ");
            c.send("a3 APPEND Nowhere {" + good.length + "+}");
            c.sendRaw(good);
            c.send("");
            assertThat(c.readLine()).startsWith("a3 NO [TRYCREATE]");
            await(() -> spool.liveFiles() == 0);
            assertThat(spoolFiles()).isEmpty();

            c.send("a4 APPEND INBOX {" + good.length + "+}");
            c.sendRaw(good);
            c.send("");
            assertThat(stored(uidOf(c.readLine()))).isEqualTo(good);
        }
        assertThat(store.find(Username.of("alice@example.org"), new MailboxName("Nowhere"))
                .toCompletableFuture().join()).isEmpty();
        await(() -> spool.liveFiles() == 0);
        assertThat(spoolFiles()).isEmpty();
    }
}
