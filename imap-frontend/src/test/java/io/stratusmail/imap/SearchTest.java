package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SEARCH and UID SEARCH (RFC 3501 sections 6.4.4, 6.4.8) over a real socket: every search key, charsets,
 * decoding of encoded headers and bodies, and bad input.
 */
class SearchTest {

    static final String M1 = "From: Alice <alice@example.org>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: Lunch plans\r\n"
            + "Date: Mon, 7 Feb 1994 23:30:00 -0800\r\n"
            + "Message-ID: <m1@example.org>\r\n"
            + "\r\n"
            + "Let's meet at noon.\r\n";
    static final String M2 = "From: \"John Smith\" <smith@example.org>\r\n"
            + "To: bob@example.org\r\n"
            + "Cc: carol@example.org\r\n"
            + "Subject: =?UTF-8?Q?Caf=C3=A9_au_lait?=\r\n"
            + "Date: 8 Feb 1994 09:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n"
            + "\r\n"
            + "Un caf=C3=A9 cr=C3=A8me, s'il vous pla=\r\n"
            + "=C3=AEt.\r\n";
    static final String M3 = "From: Alice <alice@example.org>\r\n"
            + "To: bob@example.org\r\n"
            + "Bcc: dave@example.org\r\n"
            + "Subject: Report\r\n"
            + "Date: Tue, 5 Mar 2024 10:08:07 +0100\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
            + "\r\n"
            + "--b1\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "\r\n"
            + "UXVhcnRlcmx5IHJlcG9ydCBhdHRhY2hlZCwgc2VlIHRoZSBQREYuDQo=\r\n"
            + "--b1\r\n"
            + "Content-Type: application/pdf; name=report.pdf\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "\r\n"
            + "JVBERi0xLjQgc2VjcmV0d29yZCBiaW5hcnk=\r\n"
            + "--b1--\r\n";
    static final String M4_HEAD = "From: Hans <hans@example.de>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\n"
            + "Date: Wed, 6 Mar 2024 08:00:00 +0100\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=iso-8859-1\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n";
    static final String M5 = "From: Eve <eve@example.org>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: Fwd: forwarded\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: message/rfc822\r\n"
            + "\r\n"
            + "From: Inner <inner@example.org>\r\n"
            + "Subject: Inner secret\r\n"
            + "\r\n"
            + "nested body text\r\n";

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, M1, Instant.parse("1994-02-01T12:00:00Z"), "\\Seen", "\\Flagged");
        server.append(inbox, M2, Instant.parse("1994-02-02T12:00:00Z"));
        server.append(inbox, M3, Instant.parse("2024-03-05T09:08:07Z"), "\\Answered", "$Work");
        byte[] m4 = concat(M4_HEAD.getBytes(StandardCharsets.US_ASCII),
                "Gr\u00fc\u00dfe aus M\u00fcnchen\r\n".getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
        server.store.append(inbox, m4, Flags.of("\\Deleted", "\\Draft", "\\Flagged"),
                Instant.parse("2024-03-06T07:00:00Z")).toCompletableFuture().join();
        server.append(inbox, M5, Instant.parse("2024-03-07T00:30:00Z"), "\\Seen");
        c = server.login("alice@example.org", "secret");
        c.command("s", "SELECT INBOX");
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }

    /** The MSNs (1-based, space-separated) whose size satisfies {@code test}. */
    private static String msns(long[] sizes, java.util.function.LongPredicate test) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            if (test.test(sizes[i])) {
                sb.append(sb.length() == 0 ? "" : " ").append(i + 1);
            }
        }
        return sb.toString();
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    /** The numbers of {@code * SEARCH}, after checking the command completed OK. */
    private String search(String criteria) throws Exception {
        List<String> r = c.command("t", "SEARCH " + criteria);
        assertThat(r).as(criteria).hasSize(2);
        assertThat(r.get(1)).isEqualTo("t OK SEARCH completed");
        assertThat(r.get(0)).startsWith("* SEARCH");
        return r.get(0).substring("* SEARCH".length()).trim();
    }

    @Test
    void rfcExamples() throws Exception {
        // RFC 3501 section 6.4.4: A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
        assertThat(c.command("A282", "SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"")).containsExactly(
                "* SEARCH 1 4", "A282 OK SEARCH completed");
        assertThat(c.command("A283", "SEARCH TEXT \"string not in mailbox\"")).containsExactly(
                "* SEARCH", "A283 OK SEARCH completed");
        c.send("A284 SEARCH CHARSET UTF-8 TEXT {5}");
        assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
        c.sendRaw("caf\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(c.readUntilTagged("A284")).containsExactly("* SEARCH 2", "A284 OK SEARCH completed");
    }

    @Test
    void flagKeys() throws Exception {
        assertThat(search("ALL")).isEqualTo("1 2 3 4 5");
        assertThat(search("ANSWERED")).isEqualTo("3");
        assertThat(search("UNANSWERED")).isEqualTo("1 2 4 5");
        assertThat(search("DELETED")).isEqualTo("4");
        assertThat(search("UNDELETED")).isEqualTo("1 2 3 5");
        assertThat(search("DRAFT")).isEqualTo("4");
        assertThat(search("UNDRAFT")).isEqualTo("1 2 3 5");
        assertThat(search("FLAGGED")).isEqualTo("1 4");
        assertThat(search("UNFLAGGED")).isEqualTo("2 3 5");
        assertThat(search("SEEN")).isEqualTo("1 5");
        assertThat(search("UNSEEN")).isEqualTo("2 3 4");
        assertThat(search("KEYWORD $work")).isEqualTo("3");
        assertThat(search("UNKEYWORD $Work")).isEqualTo("1 2 4 5");
        assertThat(search("KEYWORD $Unused")).isEmpty();
        // This session's SELECT was the first: every message is \Recent here (RFC 3501 section 2.3.2).
        assertThat(search("RECENT")).isEqualTo("1 2 3 4 5");
        assertThat(search("NEW")).isEqualTo("2 3 4");
        assertThat(search("OLD")).isEmpty();
    }

    @Test
    void flagChangesOfThisSessionCount() throws Exception {
        c.command("f", "STORE 2 +FLAGS (\\Seen)");
        assertThat(search("SEEN")).isEqualTo("1 2 5");
    }

    @Test
    void sizeAndInternalDateKeys() throws Exception {
        long[] sizes = server.store.snapshot(inbox).toCompletableFuture().join().messages().stream()
                .mapToLong(r -> r.size()).toArray();
        for (long threshold : new long[] {sizes[0], sizes[4], sizes[2] - 1}) {
            assertThat(search("LARGER " + threshold)).as("LARGER " + threshold).isEqualTo(msns(sizes, s -> s > threshold));
            assertThat(search("SMALLER " + threshold)).as("SMALLER " + threshold)
                    .isEqualTo(msns(sizes, s -> s < threshold));
        }
        assertThat(search("LARGER 100000")).isEmpty();
        assertThat(search("BEFORE 2-Feb-1994")).isEqualTo("1");
        assertThat(search("ON 2-Feb-1994")).isEqualTo("2");
        assertThat(search("SINCE 2-Feb-1994")).isEqualTo("2 3 4 5");
        assertThat(search("SINCE \"6-Mar-2024\"")).isEqualTo("4 5");
        assertThat(search("ON 7-Mar-2024")).isEqualTo("5");
    }

    @Test
    void sentDateKeysUseTheDateHeaderAsWritten() throws Exception {
        // M1's Date is 7 Feb 1994 at 23:30 -0800, which is 8 Feb in UTC: the date as written counts.
        assertThat(search("SENTON 7-Feb-1994")).isEqualTo("1");
        assertThat(search("SENTON 8-Feb-1994")).isEqualTo("2");
        assertThat(search("SENTBEFORE 8-Feb-1994")).isEqualTo("1");
        assertThat(search("SENTSINCE 5-Mar-2024")).isEqualTo("3 4 5");
        // M5 has no Date field: its INTERNALDATE (7 Mar 2024) stands in.
        assertThat(search("SENTON 7-Mar-2024")).isEqualTo("5");
    }

    @Test
    void headerKeysAreDecodedAndCaseInsensitive() throws Exception {
        assertThat(search("FROM \"Smith\"")).isEqualTo("2");
        assertThat(search("FROM ALICE@EXAMPLE")).isEqualTo("1 3");
        assertThat(search("TO bob")).isEqualTo("1 2 3 4 5");
        assertThat(search("CC carol")).isEqualTo("2");
        assertThat(search("BCC dave")).isEqualTo("3");
        assertThat(search("SUBJECT \"AU LAIT\"")).isEqualTo("2");
        assertThat(search("SUBJECT lunch")).isEqualTo("1");
        assertThat(search("HEADER Message-ID <m1@")).isEqualTo("1");
        assertThat(search("HEADER MESSAGE-ID \"\"")).isEqualTo("1");
        assertThat(search("HEADER X-Missing \"\"")).isEmpty();
        // The subject of M5's encapsulated message is body text, not M5's header.
        assertThat(search("SUBJECT secret")).isEmpty();
    }

    @Test
    void utf8SearchStringsAsLiterals() throws Exception {
        byte[] gruesse = "GR\u00dcSSE".getBytes(StandardCharsets.UTF_8);
        byte[] gruesseExact = "gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8);
        c.send("u1 SEARCH CHARSET UTF-8 SUBJECT {" + gruesseExact.length + "}");
        c.readLine();
        c.sendRaw(concat(gruesseExact, "\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0]));
        assertThat(c.readUntilTagged("u1")).containsExactly("* SEARCH 4", "u1 OK SEARCH completed");
        // ß lower-cases to itself; upper-case SS is a different string (no full case folding).
        c.sendRaw(concat(("u2 SEARCH CHARSET UTF-8 SUBJECT {" + gruesse.length + "+}\r\n")
                .getBytes(StandardCharsets.US_ASCII), gruesse, "\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(c.readUntilTagged("u2")).containsExactly("* SEARCH", "u2 OK SEARCH completed");
        byte[] muenchen = "M\u00dcNCHEN".getBytes(StandardCharsets.UTF_8);
        c.sendRaw(concat(("u3 SEARCH CHARSET utf-8 BODY {" + muenchen.length + "+}\r\n")
                .getBytes(StandardCharsets.US_ASCII), muenchen, "\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(c.readUntilTagged("u3")).containsExactly("* SEARCH 4", "u3 OK SEARCH completed");
    }

    @Test
    void bodyKeysDecodeTransferEncodingsAndCharsets() throws Exception {
        c.sendRaw(concat("b1 SEARCH CHARSET UTF-8 BODY {6+}\r\n".getBytes(StandardCharsets.US_ASCII),
                "cr\u00e8me".getBytes(StandardCharsets.UTF_8), "\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(c.readUntilTagged("b1")).containsExactly("* SEARCH 2", "b1 OK SEARCH completed");
        assertThat(search("BODY \"QUARTERLY report\"")).isEqualTo("3");
        assertThat(search("BODY secretword")).as("attachments are not body text").isEmpty();
        assertThat(search("BODY \"nested body\"")).isEqualTo("5");
        assertThat(search("BODY lunch")).as("BODY does not look at the header").isEmpty();
        assertThat(search("TEXT lunch")).isEqualTo("1");
        assertThat(search("TEXT \"inner secret\"")).isEqualTo("5");
        assertThat(search("TEXT smith@example.org")).isEqualTo("2");
        assertThat(search("TEXT noon")).isEqualTo("1");
    }

    @Test
    void booleanCombinationsAndSequenceSets() throws Exception {
        assertThat(search("OR SEEN ANSWERED")).isEqualTo("1 3 5");
        assertThat(search("NOT OR SEEN ANSWERED")).isEqualTo("2 4");
        assertThat(search("(SEEN FLAGGED) UNDELETED")).isEqualTo("1");
        assertThat(search("OR (FROM alice SUBJECT report) (KEYWORD $Work)")).isEqualTo("3");
        assertThat(search("2:4")).isEqualTo("2 3 4");
        assertThat(search("4:2 SEEN")).isEmpty();
        assertThat(search("*")).isEqualTo("5");
        assertThat(search("1,3,5:*")).isEqualTo("1 3 5");
        assertThat(search("9:20")).isEmpty();
        assertThat(search("UID 2,4:*")).isEqualTo("2 4 5");
        assertThat(search("NOT NOT NOT UNSEEN")).isEqualTo("1 5");
        assertThat(search("unseen body cafe")).isEmpty();
        assertThat(search("unseen text CAF")).isEqualTo("2");
    }

    @Test
    void uidSearchAnswersUids() throws Exception {
        c.command("d", "STORE 1 +FLAGS (\\Deleted)");
        c.command("x", "UID EXPUNGE 1"); // message 4 has \Deleted too, but stays
        assertThat(c.command("u1", "UID SEARCH SEEN")).containsExactly("* SEARCH 5", "u1 OK UID SEARCH completed");
        assertThat(c.command("u2", "UID SEARCH 1:2")).containsExactly("* SEARCH 2 3", "u2 OK UID SEARCH completed");
        assertThat(c.command("u3", "SEARCH UID 3:4")).containsExactly("* SEARCH 2 3", "u3 OK SEARCH completed");
        assertThat(c.command("u4", "UID SEARCH UID 9:*")).containsExactly("* SEARCH 5",
                "u4 OK UID SEARCH completed");
        assertThat(c.command("u5", "UID SEARCH CHARSET US-ASCII FROM smith")).containsExactly("* SEARCH 2",
                "u5 OK UID SEARCH completed");
    }

    @Test
    void unsupportedCharsetIsRefusedWithTheSupportedOnes() throws Exception {
        assertThat(c.command("c1", "SEARCH CHARSET ISO-8859-1 TEXT caf")).containsExactly(
                "c1 NO [BADCHARSET (US-ASCII UTF-8)] Charset not supported for SEARCH");
        assertThat(c.command("c2", "SEARCH CHARSET \"x-klingon\" ALL")).containsExactly(
                "c2 NO [BADCHARSET (US-ASCII UTF-8)] Charset not supported for SEARCH");
    }

    @Test
    void malformedSearchesGetBad() throws Exception {
        assertThat(c.command("b1", "SEARCH")).containsExactly("b1 BAD Missing argument");
        assertThat(c.command("b2", "SEARCH FOO")).containsExactly("b2 BAD Unknown search key FOO");
        assertThat(c.command("b3", "SEARCH BEFORE 32-Jan-2024").get(0)).startsWith("b3 BAD Invalid date");
        assertThat(c.command("b4", "SEARCH SINCE 1-Foo-2024")).containsExactly(
                "b4 BAD Invalid date, expected e.g. 1-Feb-1994");
        assertThat(c.command("b5", "SEARCH LARGER many").get(0)).startsWith("b5 BAD Expected a number");
        assertThat(c.command("b6", "SEARCH (SEEN").get(0)).startsWith("b6 BAD Expected ')'");
        assertThat(c.command("b7", "SEARCH OR SEEN").get(0)).startsWith("b7 BAD Missing argument");
        assertThat(c.command("b8", "SEARCH " + "NOT ".repeat(100) + "SEEN")).containsExactly(
                "b8 BAD Search keys nested too deeply (limit 64)");
        assertThat(c.command("b9", "SEARCH HEADER \"Bad Name\" x")).containsExactly(
                "b9 BAD Invalid header field name");
        assertThat(c.command("b10", "SEARCH UID 0")).containsExactly(
                "b10 BAD Invalid sequence set number '0' (numbers are 1 to 4294967295)");
        assertThat(c.command("b11", "SEARCH ALL extra)").get(0)).startsWith("b11 BAD ");
        assertThat(c.command("b12", "SEARCH " + "SEEN ".repeat(1001).trim())).containsExactly(
                "b12 BAD Too many search keys (limit 1000)");
        c.sendRaw(concat("b13 SEARCH CHARSET UTF-8 TEXT {2+}\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xc3, (byte) 0x28}, "\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(c.readUntilTagged("b13")).containsExactly(
                "b13 BAD Search string is not valid in the given charset");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
    }

    @Test
    void searchNeedsASelectedMailbox() throws Exception {
        c.command("u", "UNSELECT");
        assertThat(c.command("a", "SEARCH ALL")).containsExactly(
                "a BAD SEARCH needs a selected mailbox: SELECT or EXAMINE one first");
    }

    @Test
    void messageExpungedByAnotherSessionDoesNotMatch() throws Exception {
        // Another session removes message 2 (UID 2); this session has not been told yet.
        server.store.updateFlags(inbox.id(), List.of(2L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\Deleted")))
                .toCompletableFuture().join();
        server.store.expunge(inbox.id(), List.of(2L)).toCompletableFuture().join();
        assertThat(search("TO bob")).isEqualTo("1 3 4 5");
        assertThat(search("LARGER 1")).isEqualTo("1 3 4 5");
        assertThat(search("ALL")).isEqualTo("1 2 3 4 5");
        assertThat(c.command("n", "NOOP")).contains("* 2 EXPUNGE");
        assertThat(search("ALL")).isEqualTo("1 2 3 4");
    }

    @Test
    void largeMailboxIsScannedInBatches() throws Exception {
        for (int i = 0; i < 1200; i++) {
            server.append(inbox, ImapTestServer.message("bulk " + i, i % 400 == 7 ? "needle\r\n" : "hay\r\n"),
                    i % 2 == 0 ? new String[] {"\\Seen"} : new String[0]);
        }
        c.command("n", "NOOP");
        assertThat(search("BODY needle")).isEqualTo("13 413 813");
        assertThat(search("SEEN BODY needle")).as("unseen messages are decided without reading them").isEmpty();
        assertThat(search("UNSEEN LARGER 1").split(" ")).hasSize(600 + 3);
    }
}
