package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The classic IMAP walkthrough session (login, list, select, fetch subjects, delete, expunge, logout). */
class WalkthroughTest {

    private ImapTestServer server;
    private Mailbox inbox;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username user = server.user("user@example.org", "pw");
        inbox = server.mailbox(user, "INBOX");
        server.mailbox(user, "Drafts");
        server.append(inbox, ImapTestServer.message("Lunch?", "Noon.\r\n"), "\\Seen");
        server.append(inbox, ImapTestServer.message("Report", "Attached.\r\n"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void walkthrough() throws Exception {
        try (ImapTestClient c = server.connect()) {
            assertThat(c.readLine()).startsWith("* OK [CAPABILITY IMAP4rev1 ");
            assertThat(c.command("01", "login user@example.org pw")).containsExactly(
                    "01 OK [CAPABILITY " + ConnectionTest.CAPS + "] LOGIN completed");
            assertThat(c.command("l", "list \"\" \"*\"")).containsExactly(
                    "* LIST (\\HasNoChildren \\Archive) \"/\" Archive",
                    "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                    "* LIST (\\HasNoChildren) \"/\" INBOX",
                    "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                    "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                    "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                    "l OK LIST completed");
            assertThat(c.command("s", "select INBOX")).containsExactly(
                    "* FLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen)",
                    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted",
                    "* 2 EXISTS",
                    "* 2 RECENT",
                    "* OK [UNSEEN 2] First unseen",
                    "* OK [UIDVALIDITY " + inbox.uidValidity() + "] UIDs valid",
                    "* OK [UIDNEXT 3] Predicted next UID",
                    "* OK [HIGHESTMODSEQ 3] Highest",
                    "s OK [READ-WRITE] SELECT completed");
            assertThat(c.command("f", "FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Seen \\Recent) BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: Lunch?\r\n\r\n)",
                    "* 2 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: Report\r\n\r\n)",
                    "f OK FETCH completed");
            assertThat(c.command("d", "store 1 +FLAGS (\\Deleted)")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Deleted \\Seen \\Recent))",
                    "d OK STORE completed");
            assertThat(c.command("e", "expunge")).containsExactly("* 1 EXPUNGE", "e OK EXPUNGE completed");
            assertThat(c.command("l", "logout")).containsExactly(
                    "* BYE Stratus IMAP4rev1 server logging out",
                    "l OK LOGOUT completed");
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(server.store.snapshot(inbox).toCompletableFuture().join().messages())
                .extracting(r -> r.uid()).containsExactly(2L);
    }
}
