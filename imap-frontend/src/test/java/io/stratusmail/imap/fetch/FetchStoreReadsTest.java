package io.stratusmail.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.imap.ImapConfig;
import io.stratusmail.imap.ImapTestClient;
import io.stratusmail.imap.ImapTestServer;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.user.Username;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What FETCH reads from the store (over a real socket, the store wrapped in a counting decorator): metadata
 * comes from the precomputed summaries and records only, a section reads only its octet range, and only
 * BODY[] / RFC822 read the whole message.
 */
class FetchStoreReadsTest {

    static final String MULTIPART = "From: carol@example.org\r\n"
            + "Subject: multi\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"XX\"\r\n"
            + "\r\n"
            + "preamble\r\n"
            + "--XX\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "\r\n"
            + "part one\r\n"
            + "--XX\r\n"
            + "Content-Type: message/rfc822\r\n"
            + "\r\n"
            + "Subject: inner\r\n"
            + "From: dave@example.org\r\n"
            + "\r\n"
            + "inner body\r\n"
            + "--XX--\r\n";

    /** Calls by {@code name/arity}, e.g. {@code content/2} (whole) and {@code content/4} (range). */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The {@code [from, to)} of every range read. */
    private final List<long[]> ranges = new CopyOnWriteArrayList<>();
    /** When set, the next content read first expunges the message it reads (as another session would). */
    private final AtomicBoolean expungeBeforeContentRead = new AtomicBoolean();
    /** When set, range reads complete 20 ms late, so reads issued ahead of the answer overlap measurably. */
    private final AtomicBoolean slowRangeReads = new AtomicBoolean();
    private final AtomicInteger rangeReadsInFlight = new AtomicInteger();
    private final AtomicInteger maxRangeReadsInFlight = new AtomicInteger();

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        UnaryOperator<MessageStore> counting = store -> (MessageStore) Proxy.newProxyInstance(
                MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    int arity = method.getParameterCount();
                    calls.computeIfAbsent(method.getName() + "/" + arity, n -> new AtomicInteger()).incrementAndGet();
                    if (method.getName().equals("content")) {
                        if (arity == 4) {
                            ranges.add(new long[] {(long) args[2], (long) args[3]});
                        }
                        if (expungeBeforeContentRead.getAndSet(false)) {
                            expunge(store, (MailboxId) args[0], (long) args[1]);
                        }
                    }
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("content") && arity == 4 && slowRangeReads.get()) {
                        maxRangeReadsInFlight.accumulateAndGet(rangeReadsInFlight.incrementAndGet(), Math::max);
                        return ((CompletionStage<?>) result).thenApplyAsync(octets -> {
                            rangeReadsInFlight.decrementAndGet();
                            return octets;
                        }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                    }
                    return result;
                });
        server = new ImapTestServer(ImapConfig.defaults("imap.test"), counting);
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, ImapTestServer.message("hello", "Hi Bob,\r\nsee you.\r\n"));
        server.append(inbox, MULTIPART, "\\Seen");
        c = server.login("alice@example.org", "secret");
        c.command("s", "SELECT INBOX");
        calls.clear();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    private static void expunge(MessageStore store, MailboxId mailbox, long uid) {
        store.updateFlags(mailbox, List.of(uid), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.DELETED)))
                .toCompletableFuture().join();
        store.expunge(mailbox, List.of(uid)).toCompletableFuture().join();
    }

    /** The calls made that read messages (records, summaries, content), ignoring mailbox-level polls. */
    private List<String> messageReads() {
        return calls.keySet().stream()
                .filter(k -> k.startsWith("records/") || k.startsWith("summaries/") || k.startsWith("content/"))
                .sorted().toList();
    }

    private int count(String call) {
        AtomicInteger n = calls.get(call);
        return n == null ? 0 : n.get();
    }

    @Test
    void envelopeBodyStructureAndSizeReadNoContent() throws Exception {
        List<String> responses = c.command("f", "FETCH 1:2 (ENVELOPE BODYSTRUCTURE RFC822.SIZE)");

        assertThat(responses).hasSize(3);
        assertThat(responses.get(0)).startsWith("* 1 FETCH (ENVELOPE (\"Tue, 5 Mar 2024 10:08:07 +0100\" \"hello\" ")
                .endsWith(" BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 19 2 "
                        + "NIL NIL NIL NIL) RFC822.SIZE "
                        + ImapTestServer.message("hello", "Hi Bob,\r\nsee you.\r\n").length() + ")");
        assertThat(responses.get(1)).startsWith("* 2 FETCH (ENVELOPE (NIL \"multi\" ")
                .contains(" BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 8 1 ")
                .endsWith(" RFC822.SIZE " + MULTIPART.length() + ")");
        assertThat(responses.get(2)).isEqualTo("f OK FETCH completed");
        assertThat(count("summaries/2")).as("one summaries call for the batch").isEqualTo(1);
        assertThat(count("content/2") + count("content/4")).as("content reads").isZero();
        assertThat(count("records/2")).isZero();
    }

    @Test
    void flagsAndUidReadNothingAndInternalDateOnlyRecords() throws Exception {
        List<String> responses = c.command("f", "FETCH 1:2 (FLAGS UID)");
        assertThat(responses).hasSize(3);
        assertThat(responses.get(1)).startsWith("* 2 FETCH (FLAGS (\\Seen").endsWith(" UID 2)");
        assertThat(responses.get(2)).isEqualTo("f OK FETCH completed");
        assertThat(messageReads()).isEmpty();

        assertThat(c.command("f2", "FETCH 1:2 FAST")).hasSize(3);
        assertThat(messageReads()).containsExactly("records/2");
    }

    @Test
    void headerFieldsReadOnlyTheHeaderRange() throws Exception {
        assertThat(c.command("f", "FETCH 1:2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).containsExactly(
                "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: hello\r\n\r\n)",
                "* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: multi\r\n\r\n)",
                "f OK FETCH completed");

        assertThat(count("content/2")).as("whole-content reads").isZero();
        assertThat(count("content/4")).as("one range read per message").isEqualTo(2);
        int header = MULTIPART.indexOf("\r\n\r\n") + 4;
        assertThat(ranges.get(1)).containsExactly(0, header);
    }

    @Test
    void partsAndPartialsReadExactlyTheirOctets() throws Exception {
        assertThat(c.command("f", "FETCH 2 (BODY.PEEK[1.MIME] BODY.PEEK[2.TEXT] BODY.PEEK[TEXT]<4.6> "
                + "BODY.PEEK[]<0.5> BODY.PEEK[3] BODY.PEEK[1]<100.5>)")).containsExactly(
                "* 2 FETCH (BODY[1.MIME] {43}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                        + " BODY[2.TEXT] {10}\r\ninner body"
                        + " BODY[TEXT]<4> {6}\r\nmble\r\n"
                        + " BODY[]<0> {5}\r\nFrom:"
                        + " BODY[3] {0}\r\n"
                        + " BODY[1]<100> {0}\r\n)",
                "f OK FETCH completed");

        assertThat(count("content/2")).isZero();
        // No read at all for the part that does not exist and the partial past the part's end.
        assertThat(ranges).hasSize(4);
        int mime = MULTIPART.indexOf("Content-Type: text/plain");
        assertThat(ranges.get(0)).containsExactly(mime, mime + 43);
        int text = MULTIPART.indexOf("preamble");
        assertThat(ranges.get(2)).containsExactly(text + 4, text + 10);
        assertThat(ranges.get(3)).containsExactly(0, 5);
    }

    @Test
    void wholeMessageItemsReadTheContentOnceAndSliceTheRest() throws Exception {
        assertThat(c.command("f", "FETCH 2 (BODY.PEEK[] BODY.PEEK[2.HEADER] RFC822.SIZE)")).containsExactly(
                "* 2 FETCH (BODY[] {" + MULTIPART.length() + "}\r\n" + MULTIPART
                        + " BODY[2.HEADER] {42}\r\nSubject: inner\r\nFrom: dave@example.org\r\n\r\n"
                        + " RFC822.SIZE " + MULTIPART.length() + ")",
                "f OK FETCH completed");
        assertThat(count("content/2")).isEqualTo(1);
        assertThat(count("content/4")).isZero();
    }

    @Test
    void aLargeMessagesHeaderFetchReadsOnlyItsHeader() throws Exception {
        String body = "0123456789abcdef\r\n".repeat(200_000); // 3.6 MB
        String message = ImapTestServer.message("large", body);
        server.append(inbox, message);
        c.command("s2", "SELECT INBOX");
        calls.clear();

        List<String> responses = c.command("f", "FETCH 3 (RFC822.SIZE BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.16>)");

        String header = message.substring(0, message.indexOf("\r\n\r\n") + 4);
        assertThat(responses).containsExactly("* 3 FETCH (RFC822.SIZE " + message.length() + " BODY[HEADER] {"
                        + header.length() + "}\r\n" + header + " BODY[TEXT]<0> {16}\r\n0123456789abcdef)",
                "f OK FETCH completed");
        assertThat(count("content/2")).isZero();
        long read = ranges.stream().mapToLong(r -> r[1] - r[0]).sum();
        assertThat(read).isEqualTo(header.length() + 16);
    }

    @Test
    void smallMessagesSectionReadsOverlapInOrderAndLargeOnesAreReadAlone() throws Exception {
        for (int i = 3; i <= 22; i++) {
            server.append(inbox, ImapTestServer.message("small " + i, "body " + i + "\r\n"));
        }
        c.command("s2", "SELECT INBOX");
        slowRangeReads.set(true);

        List<String> responses = c.command("f", "FETCH 3:22 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
        assertThat(responses).hasSize(21);
        for (int i = 3; i <= 22; i++) {
            assertThat(responses.get(i - 3)).as("answered in MSN order")
                    .startsWith("* " + i + " FETCH (BODY[HEADER.FIELDS (SUBJECT)] {")
                    .contains("Subject: small " + i + "\r\n");
        }
        assertThat(maxRangeReadsInFlight.get()).as("section reads under way at once").isEqualTo(8);

        String body = "0123456789abcdef\r\n".repeat(100_000); // 1.8 MB: above the read-ahead's octet bound
        server.append(inbox, ImapTestServer.message("large 1", body));
        server.append(inbox, ImapTestServer.message("large 2", body));
        c.command("s3", "SELECT INBOX");
        maxRangeReadsInFlight.set(0);
        responses = c.command("f2", "FETCH 23:24 (BODY.PEEK[TEXT])");
        assertThat(responses).hasSize(3);
        assertThat(responses.get(2)).isEqualTo("f2 OK FETCH completed");
        assertThat(maxRangeReadsInFlight.get()).as("large messages read one at a time").isEqualTo(1);
    }

    @Test
    void aMessageExpungedBetweenItsSummaryAndItsContentIsLeftOut() throws Exception {
        expungeBeforeContentRead.set(true);
        assertThat(c.command("f", "FETCH 1:2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).containsExactly(
                "* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: multi\r\n\r\n)",
                "f NO [EXPUNGEISSUED] Some messages were expunged by another session");

        expungeBeforeContentRead.set(true);
        assertThat(c.command("f2", "FETCH 1:2 (BODY.PEEK[] ENVELOPE)")).containsExactly(
                "f2 NO [EXPUNGEISSUED] Some messages were expunged by another session");
    }

    @Test
    void aMessageExpungedBeforeTheFetchHasNoSummaryAndIsLeftOut() throws Exception {
        expunge(server.store, inbox.id(), 1);
        List<String> responses = c.command("f", "FETCH 1:2 (UID ENVELOPE)");
        assertThat(responses).hasSize(2);
        assertThat(responses.get(0)).startsWith("* 2 FETCH (UID 2 ENVELOPE (NIL \"multi\" ");
        assertThat(responses.get(1)).isEqualTo("f NO [EXPUNGEISSUED] Some messages were expunged by another session");
    }

    @Test
    void aSharedBlobWithATraceHeaderPrefixIsServedWithItsPrefix() throws Exception {
        String trace = "Delivered-To: alice@example.org\r\n";
        StoredContent stored = server.store.storeContent(MULTIPART.getBytes(StandardCharsets.US_ASCII))
                .toCompletableFuture().join();
        server.store.append(inbox, stored, trace.getBytes(StandardCharsets.US_ASCII), Flags.EMPTY,
                Instant.parse("2024-03-05T09:08:07Z")).toCompletableFuture().join();
        c.command("s2", "SELECT INBOX");

        String full = trace + MULTIPART;
        String header = full.substring(0, full.indexOf("\r\n\r\n") + 4);
        assertThat(c.command("f", "FETCH 3 (RFC822.SIZE BODY.PEEK[HEADER] BODY.PEEK[HEADER.FIELDS (Delivered-To)] "
                + "BODY.PEEK[1] BODY.PEEK[2.HEADER.FIELDS (FROM)])")).containsExactly(
                "* 3 FETCH (RFC822.SIZE " + full.length()
                        + " BODY[HEADER] {" + header.length() + "}\r\n" + header
                        + " BODY[HEADER.FIELDS (Delivered-To)] {" + (trace.length() + 2) + "}\r\n" + trace + "\r\n"
                        + " BODY[1] {8}\r\npart one"
                        + " BODY[2.HEADER.FIELDS (FROM)] {26}\r\nFrom: dave@example.org\r\n\r\n)",
                "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 3 BODY.PEEK[]")).containsExactly(
                "* 3 FETCH (BODY[] {" + full.length() + "}\r\n" + full + ")", "f2 OK FETCH completed");
    }
}
