package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.imap.protocol.ModifiedUtf7;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * APPEND (RFC 3501 section 6.3.11) with synchronizing and LITERAL+ literals, UIDPLUS APPENDUID (RFC 4315),
 * APPENDLIMIT and TOOBIG (RFC 7889), TRYCREATE, and the new message showing in the selected mailbox.
 */
class AppendTest {

    /** RFC 3501 section 6.3.11 example message (310 octets with CRLF line ends). */
    static final String RFC_MESSAGE = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n"
            + "From: Fred Foobar <foobar@Blurdybloop.COM>\r\n"
            + "Subject: afternoon meeting\r\n"
            + "To: mooch@owatagu.siam.edu\r\n"
            + "Message-Id: <B27397-0100000@Blurdybloop.COM>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n"
            + "\r\n"
            + "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";

    /** A minimal message. */
    static final String SMALL = "X: y\r\n\r\nhi\r\n";

    private ImapTestServer server;
    private Username alice;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withMaxLiteralSize(4096));
        alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        server.mailbox(alice, "saved-messages");
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    /** {@code command {n+}CRLF message CRLF}: a command whose last argument is a LITERAL+ literal. */
    static String plus(String command, String message) {
        return command + " {" + message.getBytes(StandardCharsets.UTF_8).length + "+}\r\n" + message + "\r\n";
    }

    private Mailbox saved() {
        return server.mailbox(alice, "saved-messages");
    }

    private List<MessageRecord> records(Mailbox m) {
        return server.store.snapshot(m).toCompletableFuture().join().messages();
    }

    private byte[] content(Mailbox m, long uid) {
        Optional<byte[]> c = server.store.content(m.id(), uid).toCompletableFuture().join();
        return c.orElseThrow();
    }

    @Test
    void rfcExampleWithSynchronizingLiteral() throws Exception {
        int size = RFC_MESSAGE.getBytes(StandardCharsets.US_ASCII).length;
        c.send("A003 APPEND saved-messages (\\Seen) {" + size + "}");
        assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
        c.sendRaw(RFC_MESSAGE + "\r\n");
        assertThat(c.readUntilTagged("A003")).containsExactly(
                "A003 OK [APPENDUID " + saved().uidValidity() + " 1] APPEND completed");
        MessageRecord r = records(saved()).get(0);
        assertThat(r.flags()).isEqualTo(Flags.of("\\Seen"));
        assertThat(r.size()).isEqualTo(size);
        assertThat(new String(content(saved(), 1), StandardCharsets.US_ASCII)).isEqualTo(RFC_MESSAGE);
    }

    @Test
    void flagsAndDateTimeWithNonSynchronizingLiteral() throws Exception {
        String msg = ImapTestServer.message("dated", "hi\r\n");
        c.sendRaw("a1 APPEND INBOX (\\Flagged $Work) \"17-Jul-1996 02:44:25 -0700\" {" + msg.length() + "+}\r\n"
                + msg + "\r\n");
        assertThat(c.readUntilTagged("a1")).containsExactly(
                "a1 OK [APPENDUID " + inbox.uidValidity() + " 1] APPEND completed");
        MessageRecord r = records(inbox).get(0);
        assertThat(r.flags()).isEqualTo(Flags.of("$Work", "\\Flagged"));
        assertThat(r.internalDate()).isEqualTo(Instant.parse("1996-07-17T09:44:25Z"));
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1 (INTERNALDATE FLAGS)")).containsExactly(
                "* 1 FETCH (INTERNALDATE \"17-Jul-1996 09:44:25 +0000\" FLAGS ($Work \\Flagged \\Recent))",
                "f OK FETCH completed");
    }

    @Test
    void dayWithLeadingSpaceAndNoFlags() throws Exception {
        c.sendRaw(plus("a1 APPEND INBOX \" 5-Mar-2024 10:00:00 +0100\"", SMALL));
        assertThat(c.readUntilTagged("a1")).last().asString().startsWith("a1 OK [APPENDUID ");
        MessageRecord r = records(inbox).get(0);
        assertThat(r.internalDate()).isEqualTo(Instant.parse("2024-03-05T09:00:00Z"));
        assertThat(r.flags()).isEqualTo(Flags.EMPTY);
    }

    @Test
    void withoutDateTheInternalDateIsNow() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        c.sendRaw(plus("a1 APPEND INBOX", SMALL));
        c.readUntilTagged("a1");
        assertThat(records(inbox).get(0).internalDate()).isBetween(before, Instant.now().plusSeconds(1));
    }

    @Test
    void unknownMailboxAsksToCreate() throws Exception {
        c.sendRaw(plus("a1 APPEND NoSuchBox", SMALL));
        assertThat(c.readUntilTagged("a1")).containsExactly("a1 NO [TRYCREATE] Mailbox does not exist");
    }

    @Test
    void appendLimitIsAdvertisedAndEnforcedBeforeReading() throws Exception {
        assertThat(c.command("c", "CAPABILITY").get(0)).contains(" APPENDLIMIT=4096");
        c.send("a1 APPEND INBOX {4097}");
        assertThat(c.readLine()).isEqualTo("a1 NO [TOOBIG] Literal of 4097 octets refused (limit 4096 octets)");
        // LITERAL+: the announced octets are skipped without being stored or buffered.
        c.sendRaw("a2 APPEND INBOX {5000+}\r\n" + "x".repeat(5000) + "\r\n");
        assertThat(c.readUntilTagged("a2")).containsExactly(
                "a2 NO [TOOBIG] Literal of 5000 octets refused (limit 4096 octets)");
        assertThat(c.command("a3", "NOOP")).containsExactly("a3 OK NOOP completed");
        String exact = "X: y\r\n\r\n" + "z".repeat(4096 - 8);
        c.sendRaw("a4 APPEND INBOX {4096+}\r\n" + exact + "\r\n");
        assertThat(c.readUntilTagged("a4")).last().asString().startsWith("a4 OK [APPENDUID ");
        assertThat(records(inbox)).hasSize(1);
    }

    @Test
    void badInputIsRefusedAndNothingIsStored() throws Exception {
        c.sendRaw(plus("a1 APPEND INBOX (\\Recent)", SMALL));
        assertThat(c.readUntilTagged("a1")).containsExactly("a1 BAD \\Recent cannot be stored: the server sets it");
        c.sendRaw(plus("a2 APPEND INBOX \"31-Feb-2024 10:00:00 +0000\"", SMALL));
        assertThat(c.readUntilTagged("a2")).last().asString().startsWith("a2 BAD Invalid date-time");
        c.sendRaw(plus("a3 APPEND INBOX \"yesterday\"", SMALL));
        assertThat(c.readUntilTagged("a3")).containsExactly(
                "a3 BAD Invalid date-time, expected e.g. \"17-Jul-1996 02:44:25 -0700\"");
        assertThat(c.command("a4", "APPEND INBOX (\\Seen) Hello")).last().asString()
                .startsWith("a4 BAD Expected a literal");
        c.sendRaw("a5 APPEND INBOX {0+}\r\n\r\n");
        assertThat(c.readUntilTagged("a5")).containsExactly("a5 NO An empty message cannot be appended");
        c.sendRaw("a6 APPEND INBOX {3+}\r\na\0b\r\n");
        assertThat(c.readUntilTagged("a6")).containsExactly(
                "a6 BAD The message holds a NUL octet; this server does not support BINARY");
        assertThat(c.command("a7", "APPEND")).containsExactly("a7 BAD Missing argument");
        c.sendRaw(plus("a8 APPEND INBOX (\\Seen", SMALL));
        assertThat(c.readUntilTagged("a8")).last().asString().startsWith("a8 BAD ");
        assertThat(records(inbox)).isEmpty();
    }

    @Test
    void appendBeforeLoginIsRefused() throws Exception {
        try (ImapTestClient anon = server.connect()) {
            anon.readLine();
            anon.sendRaw(plus("a1 APPEND INBOX", SMALL));
            assertThat(anon.readUntilTagged("a1")).containsExactly(
                    "a1 BAD APPEND is not allowed before authentication: log in first");
        }
        assertThat(records(inbox)).isEmpty();
    }

    @Test
    void appendToTheSelectedMailboxShowsExistsBeforeTheOk() throws Exception {
        server.append(inbox, ImapTestServer.message("old", "x\r\n"));
        c.command("s", "SELECT INBOX");
        c.sendRaw(plus("a1 APPEND INBOX", SMALL));
        assertThat(c.readUntilTagged("a1")).containsExactly(
                "* 2 EXISTS",
                "* 2 RECENT",
                "a1 OK [APPENDUID " + inbox.uidValidity() + " 2] APPEND completed");
        assertThat(c.command("f", "UID FETCH 2 RFC822.SIZE")).containsExactly(
                "* 2 FETCH (UID 2 RFC822.SIZE " + SMALL.length() + ")", "f OK UID FETCH completed");
    }

    @Test
    void appendByAnotherSessionShowsAtNoop() throws Exception {
        c.command("s", "SELECT INBOX");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.sendRaw(plus("o1 APPEND INBOX", SMALL));
            other.readUntilTagged("o1");
        }
        assertThat(c.command("n", "NOOP")).containsExactly("* 1 EXISTS", "* 1 RECENT", "n OK NOOP completed");
    }

    @Test
    void appendToAnotherMailboxLeavesTheSelectedViewAlone() throws Exception {
        c.command("s", "SELECT INBOX");
        c.sendRaw(plus("a1 APPEND saved-messages", SMALL));
        assertThat(c.readUntilTagged("a1")).containsExactly(
                "a1 OK [APPENDUID " + saved().uidValidity() + " 1] APPEND completed");
    }

    @Test
    void mailboxNameAsLiteralAndInModifiedUtf7() throws Exception {
        Mailbox taipei = server.mailbox(alice, "台北");
        String wire = ModifiedUtf7.encode("台北");
        c.send("a1 APPEND {" + wire.length() + "}");
        assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
        c.sendRaw(plus(wire, SMALL));
        assertThat(c.readUntilTagged("a1")).containsExactly(
                "a1 OK [APPENDUID " + taipei.uidValidity() + " 1] APPEND completed");
    }

    @Test
    void concurrentAppendsFromTwoSessionsGetDistinctAscendingUids() throws Exception {
        int perSession = 25;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                results.add(pool.submit(() -> {
                    List<Long> uids = new ArrayList<>();
                    try (ImapTestClient client = server.login("alice@example.org", "secret")) {
                        for (int i = 0; i < perSession; i++) {
                            client.sendRaw(plus("p" + i + " APPEND INBOX", SMALL));
                            String ok = client.readUntilTagged("p" + i).get(0);
                            uids.add(Long.parseLong(ok.replaceAll(".*APPENDUID \\d+ (\\d+)].*", "$1")));
                        }
                    }
                    return uids;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<List<Long>> f : results) {
                List<Long> uids = f.get();
                assertThat(uids).isSorted();
                all.addAll(uids);
            }
            assertThat(all).hasSize(2 * perSession);
            assertThat(records(inbox)).extracting(MessageRecord::uid).containsExactlyElementsOf(
                    all.stream().sorted().toList());
        } finally {
            pool.shutdownNow();
        }
    }
}
