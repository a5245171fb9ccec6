package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ID (RFC 2971), NAMESPACE (RFC 2342), UNSELECT (RFC 3691), ENABLE (RFC 5161), CHECK (RFC 3501 section 6.4.1)
 * and UID EXPUNGE (RFC 4315) over a real socket.
 */
class ExtensionsTest {

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 5; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body\r\n"), i >= 2 ? new String[] {"\\Deleted"}
                    : new String[0]);
        }
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    private List<Long> uids() {
        return server.store.snapshot(inbox).toCompletableFuture().join().messages().stream()
                .map(MessageRecord::uid).toList();
    }

    @Test
    void idAnswersNameAndVersionInAnyState() throws Exception {
        List<String> r = c.command("a023", "ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" \"Pink Floyd "
                + "Music Limited\")");
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).matches("\\* ID \\(\"name\" \"Stratus\" \"version\" \"\\d+\\.\\d+\\.\\d+[^\"$]*\"\\)");
        assertThat(r.get(1)).isEqualTo("a023 OK ID completed");
        try (ImapTestClient anon = server.connect()) {
            anon.readLine();
            assertThat(anon.command("a1", "ID NIL").get(0)).startsWith("* ID (\"name\" \"Stratus\"");
            assertThat(anon.command("a2", "ID ()").get(1)).isEqualTo("a2 OK ID completed");
            assertThat(anon.command("a3", "ID (\"os\" NIL)").get(1)).isEqualTo("a3 OK ID completed");
        }
    }

    @Test
    void malformedIdGetsBad() throws Exception {
        assertThat(c.command("b1", "ID (\"name\")").get(0)).startsWith("b1 BAD Expected a space");
        assertThat(c.command("b2", "ID").get(0)).startsWith("b2 BAD ");
        assertThat(c.command("b3", "ID (\"" + "x".repeat(31) + "\" \"v\")")).containsExactly(
                "b3 BAD ID field names are limited to 30 octets, values to 1024");
        StringBuilder many = new StringBuilder("ID (");
        for (int i = 0; i < 31; i++) {
            many.append(i == 0 ? "" : " ").append("\"f").append(i).append("\" \"v\"");
        }
        assertThat(c.command("b4", many.append(')').toString())).containsExactly(
                "b4 BAD ID takes at most 30 field-value pairs");
        assertThat(c.command("b5", "ID name version").get(0)).startsWith("b5 BAD ");
    }

    @Test
    void namespaceIsOnePersonalRootWithSlash() throws Exception {
        assertThat(c.command("A001", "NAMESPACE")).containsExactly(
                "* NAMESPACE ((\"\" \"/\")) NIL NIL", "A001 OK NAMESPACE completed");
        assertThat(c.command("A002", "NAMESPACE extra").get(0)).startsWith("A002 BAD Unexpected extra arguments");
    }

    @Test
    void unselectLeavesDeletedMessages() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("u", "UNSELECT")).containsExactly("u OK UNSELECT completed");
        assertThat(uids()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(c.command("f", "FETCH 1 UID")).containsExactly(
                "f BAD FETCH needs a selected mailbox: SELECT or EXAMINE one first");
        assertThat(c.command("u2", "UNSELECT")).containsExactly(
                "u2 BAD UNSELECT needs a selected mailbox: SELECT or EXAMINE one first");
        // CLOSE, for comparison, expunges.
        c.command("s", "SELECT INBOX");
        c.command("c", "CLOSE");
        assertThat(uids()).containsExactly(1L);
    }

    @Test
    void enableListsOnlyWhatItCanEnable() throws Exception {
        assertThat(c.command("t0", "ENABLE X-GOOD-IDEA")).containsExactly("* ENABLED", "t0 OK ENABLE completed");
        assertThat(c.command("t1", "ENABLE CONDSTORE X-GOOD-IDEA")).containsExactly(
                "* ENABLED CONDSTORE", "t1 OK ENABLE completed");
        assertThat(c.command("t2", "ENABLE")).containsExactly("t2 BAD Missing argument");
        c.command("s", "SELECT INBOX");
        assertThat(c.command("t3", "ENABLE CONDSTORE")).containsExactly(
                "t3 BAD ENABLE is not allowed while a mailbox is selected: CLOSE or UNSELECT first");
        try (ImapTestClient anon = server.connect()) {
            anon.readLine();
            assertThat(anon.command("t4", "ENABLE CONDSTORE")).containsExactly(
                    "t4 BAD ENABLE is not allowed before authentication: log in first");
        }
    }

    @Test
    void checkReportsChangesLikeNoop() throws Exception {
        assertThat(c.command("k0", "CHECK")).containsExactly(
                "k0 BAD CHECK needs a selected mailbox: SELECT or EXAMINE one first");
        c.command("s", "SELECT INBOX");
        server.append(inbox, ImapTestServer.message("m6", "body\r\n"));
        assertThat(c.command("k1", "CHECK")).containsExactly("* 6 EXISTS", "* 6 RECENT", "k1 OK CHECK completed");
    }

    @Test
    void uidExpungeRemovesOnlyTheGivenDeletedMessages() throws Exception {
        c.command("s", "SELECT INBOX");
        // RFC 4315 section 2.1: each EXPUNGE counts the MSNs after the previous removals.
        assertThat(c.command("A003", "UID EXPUNGE 3:4")).containsExactly(
                "* 3 EXPUNGE", "* 3 EXPUNGE", "A003 OK UID EXPUNGE completed");
        assertThat(uids()).containsExactly(1L, 2L, 5L);
        assertThat(c.command("A004", "UID EXPUNGE 1")).containsExactly("A004 OK UID EXPUNGE completed");
        assertThat(c.command("A005", "UID EXPUNGE 7:9")).containsExactly("A005 OK UID EXPUNGE completed");
        assertThat(c.command("A006", "UID EXPUNGE 5,2")).containsExactly(
                "* 2 EXPUNGE", "* 2 EXPUNGE", "A006 OK UID EXPUNGE completed");
        assertThat(uids()).containsExactly(1L);
        assertThat(c.command("A007", "UID EXPUNGE")).containsExactly("A007 BAD Missing argument");
        assertThat(c.command("A008", "UID EXPUNGE 0")).containsExactly(
                "A008 BAD Invalid sequence set number '0' (numbers are 1 to 4294967295)");
    }

    @Test
    void uidExpungeInAnExaminedMailboxIsRefused() throws Exception {
        c.command("e", "EXAMINE INBOX");
        assertThat(c.command("x", "UID EXPUNGE 2")).containsExactly(
                "x NO [CANNOT] Mailbox is read-only (opened with EXAMINE)");
        assertThat(uids()).hasSize(5);
    }

    @Test
    void pythonImaplibUsesTheExtensions() throws Exception {
        List<String> out = Python.run("imaplib_extensions.py", Integer.toString(server.port()),
                "alice@example.org", "secret");
        assertThat(out).containsExactly(
                "namespace OK ((\"\" \"/\")) NIL NIL",
                "append OK [APPENDUID " + inbox.uidValidity() + " 6] APPEND completed",
                "select OK 6",
                "search OK 2 3 4 5",
                "search-text OK 6",
                "uid-search OK 6",
                "search-utf8 OK 6",
                "unselect OK",
                "id OK");
    }
}
