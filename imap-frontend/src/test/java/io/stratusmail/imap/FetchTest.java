package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FETCH and UID FETCH (RFC 3501 sections 6.4.5, 6.4.8, 7.4.2) over a real socket. */
class FetchTest {

    static final String SIMPLE = "From: Alice <alice@example.org>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: hello\r\n"
            + "Date: Tue, 5 Mar 2024 10:08:07 +0100\r\n"
            + "Message-ID: <1@example.org>\r\n"
            + "\r\n"
            + "Hi Bob,\r\nsee you.\r\n";

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

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, SIMPLE, Instant.parse("2024-03-05T09:08:07Z"));
        server.append(inbox, MULTIPART, Instant.parse("2024-11-21T17:30:00Z"), "\\Seen", "$Work");
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void metadataItems() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1:2 (FLAGS UID INTERNALDATE RFC822.SIZE)")).containsExactly(
                "* 1 FETCH (FLAGS (\\Recent) UID 1 INTERNALDATE \" 5-Mar-2024 09:08:07 +0000\" RFC822.SIZE "
                        + SIMPLE.length() + ")",
                "* 2 FETCH (FLAGS ($Work \\Seen \\Recent) UID 2 INTERNALDATE \"21-Nov-2024 17:30:00 +0000\" RFC822.SIZE "
                        + MULTIPART.length() + ")",
                "f OK FETCH completed");
    }

    @Test
    void macrosExpand() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 2 FAST")).containsExactly(
                "* 2 FETCH (FLAGS ($Work \\Seen \\Recent) INTERNALDATE \"21-Nov-2024 17:30:00 +0000\" RFC822.SIZE "
                        + MULTIPART.length() + ")",
                "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 1 ALL").get(0)).startsWith(
                "* 1 FETCH (FLAGS (\\Recent) INTERNALDATE \" 5-Mar-2024 09:08:07 +0000\" RFC822.SIZE " + SIMPLE.length()
                        + " ENVELOPE (\"Tue, 5 Mar 2024 10:08:07 +0100\" \"hello\" ");
        assertThat(c.command("f3", "FETCH 1 FULL").get(0)).contains(" ENVELOPE (", " BODY (");
    }

    @Test
    void headerFieldsPeekLeavesSeenAlone() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).containsExactly(
                "* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: hello\r\n\r\n)",
                "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (From To Date Message-ID)])"))
                .containsExactly(
                        "* 1 FETCH (BODY[HEADER.FIELDS.NOT (From To Date Message-ID)] {18}\r\nSubject: hello\r\n\r\n)",
                        "f2 OK FETCH completed");
        assertThat(c.command("f3", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Recent))", "f3 OK FETCH completed");
    }

    @Test
    void bodyFetchSetsSeenAndReportsIt() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1 BODY[TEXT]")).containsExactly(
                "* 1 FETCH (BODY[TEXT] {19}\r\nHi Bob,\r\nsee you.\r\n FLAGS (\\Seen \\Recent))",
                "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 1 (FLAGS BODY[TEXT])")).containsExactly(
                "* 1 FETCH (FLAGS (\\Seen \\Recent) BODY[TEXT] {19}\r\nHi Bob,\r\nsee you.\r\n)",
                "f2 OK FETCH completed");
        // Another session sees the stored flag.
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("e", "EXAMINE INBOX");
            assertThat(other.command("f", "FETCH 1 FLAGS")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Seen))", "f OK FETCH completed");
        }
    }

    @Test
    void examineNeverSetsSeen() throws Exception {
        c.command("e", "EXAMINE INBOX");
        assertThat(c.command("f", "FETCH 1 (BODY[HEADER] FLAGS)")).containsExactly(
                "* 1 FETCH (BODY[HEADER] {" + (SIMPLE.length() - 19) + "}\r\n"
                        + SIMPLE.substring(0, SIMPLE.length() - 19) + " FLAGS ())",
                "f OK FETCH completed");
    }

    @Test
    void partialFetch() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1 (BODY.PEEK[]<0.10>)")).containsExactly(
                "* 1 FETCH (BODY[]<0> {10}\r\nFrom: Alic)", "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 1 (BODY.PEEK[TEXT]<4.100>)")).containsExactly(
                "* 1 FETCH (BODY[TEXT]<4> {15}\r\nob,\r\nsee you.\r\n)", "f2 OK FETCH completed");
        assertThat(c.command("f3", "FETCH 1 (BODY.PEEK[]<5000.10>)")).containsExactly(
                "* 1 FETCH (BODY[]<5000> {0}\r\n)", "f3 OK FETCH completed");
    }

    @Test
    void rfc822Items() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1 (RFC822.HEADER)")).containsExactly(
                "* 1 FETCH (RFC822.HEADER {" + (SIMPLE.length() - 19) + "}\r\n"
                        + SIMPLE.substring(0, SIMPLE.length() - 19) + ")",
                "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 1 (RFC822.TEXT)")).containsExactly(
                "* 1 FETCH (RFC822.TEXT {19}\r\nHi Bob,\r\nsee you.\r\n FLAGS (\\Seen \\Recent))",
                "f2 OK FETCH completed");
        assertThat(c.command("f3", "FETCH 1 RFC822")).containsExactly(
                "* 1 FETCH (RFC822 {" + SIMPLE.length() + "}\r\n" + SIMPLE + ")", "f3 OK FETCH completed");
    }

    @Test
    void nestedPartNumbers() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 2 (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] "
                + "BODY.PEEK[2.1] BODY.PEEK[3])")).containsExactly(
                "* 2 FETCH (BODY[1] {8}\r\npart one"
                        + " BODY[1.MIME] {43}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                        + " BODY[2.HEADER] {42}\r\nSubject: inner\r\nFrom: dave@example.org\r\n\r\n"
                        + " BODY[2.TEXT] {10}\r\ninner body"
                        + " BODY[2.1] {10}\r\ninner body"
                        + " BODY[3] {0}\r\n)",
                "f OK FETCH completed");
    }

    @Test
    void uidFetchAlwaysIncludesUid() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("u", "UID FETCH 1:* FLAGS")).containsExactly(
                "* 1 FETCH (UID 1 FLAGS (\\Recent))",
                "* 2 FETCH (UID 2 FLAGS ($Work \\Seen \\Recent))",
                "u OK UID FETCH completed");
        assertThat(c.command("u2", "UID FETCH 2,7:9 (FLAGS UID)")).containsExactly(
                "* 2 FETCH (FLAGS ($Work \\Seen \\Recent) UID 2)", "u2 OK UID FETCH completed");
        // n:* always includes the highest UID, even when n is above it.
        assertThat(c.command("u3", "UID FETCH 100:* UID")).containsExactly(
                "* 2 FETCH (UID 2)", "u3 OK UID FETCH completed");
        assertThat(c.command("u4", "uid fetch 50 UID")).containsExactly("u4 OK UID FETCH completed");
    }

    @Test
    void envelopeAndBodyStructure() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("f", "FETCH 1 (ENVELOPE)")).containsExactly(
                "* 1 FETCH (ENVELOPE (\"Tue, 5 Mar 2024 10:08:07 +0100\" \"hello\" "
                        + "((\"Alice\" NIL \"alice\" \"example.org\")) ((\"Alice\" NIL \"alice\" \"example.org\")) "
                        + "((\"Alice\" NIL \"alice\" \"example.org\")) ((NIL NIL \"bob\" \"example.org\")) "
                        + "NIL NIL NIL \"<1@example.org>\"))",
                "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 1 (BODY BODYSTRUCTURE)")).containsExactly(
                "* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 19 2) "
                        + "BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 19 2 "
                        + "NIL NIL NIL NIL))",
                "f2 OK FETCH completed");
        assertThat(c.command("f3", "FETCH 2 (BODYSTRUCTURE)").get(0)).startsWith(
                "* 2 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7BIT\" 8 1 ");
    }

    @Test
    void largeFetchToASlowReaderArrivesCompleteAndInOrder() throws Exception {
        Mailbox big = server.mailbox(server.user("bulk@example.org", "pw"), "INBOX");
        String filler = "0123456789abcdef".repeat(16 * 1024); // 256 KiB per message
        for (int i = 1; i <= 40; i++) {
            server.append(big, ImapTestServer.message("bulk " + i, i + ":" + filler));
        }
        try (ImapTestClient bulk = server.login("bulk@example.org", "pw")) {
            bulk.command("s", "SELECT INBOX");
            bulk.send("f FETCH 1:* (BODY.PEEK[TEXT])");
            Thread.sleep(500); // the server must wait for the socket instead of buffering 10 MiB
            List<String> responses = bulk.readUntilTagged("f");
            assertThat(responses).hasSize(41);
            for (int i = 1; i <= 40; i++) {
                String body = i + ":" + filler;
                assertThat(responses.get(i - 1)).isEqualTo(
                        "* " + i + " FETCH (BODY[TEXT] {" + body.length() + "}\r\n" + body + ")");
            }
            assertThat(responses.get(40)).isEqualTo("f OK FETCH completed");
        }
    }
}
