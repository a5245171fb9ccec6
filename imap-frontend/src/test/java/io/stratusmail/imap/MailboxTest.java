package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LIST (RFC 3501 section 6.3.8; implied parents are listed as {@code \Noselect}), SELECT and EXAMINE (sections
 * 6.3.1, 6.3.2) over a real socket.
 */
class MailboxTest {

    private ImapTestServer server;
    private Username alice;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        alice = server.user("alice@example.org", "secret");
        server.mailbox(alice, "Archive/2023");
        server.mailbox(alice, "Archive/2024");
        server.mailbox(alice, "Sent");
        server.mailbox(alice, "Projects/Alpha/Specs");
        server.mailbox(alice, "~peter/mail/台北/日本語");
        Username bob = server.user("bob@example.org", "secret");
        server.mailbox(bob, "Bobs secrets");
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void listEmptyPatternGivesDelimiterAndRoot() throws Exception {
        assertThat(c.command("l", "LIST \"\" \"\"")).containsExactly(
                "* LIST (\\Noselect) \"/\" \"\"",
                "l OK LIST completed");
    }

    @Test
    void listStarListsEveryMailboxOfTheUserOnly() throws Exception {
        // Accounts provisions INBOX, Sent, Drafts, Trash, Junk and Archive for a new account.
        assertThat(c.command("l", "LIST \"\" \"*\"")).containsExactly(
                "* LIST (\\HasChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren) \"/\" Archive/2023",
                "* LIST (\\HasNoChildren) \"/\" Archive/2024",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\Noselect \\HasChildren) \"/\" Projects",
                "* LIST (\\Noselect \\HasChildren) \"/\" Projects/Alpha",
                "* LIST (\\HasNoChildren) \"/\" Projects/Alpha/Specs",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "* LIST (\\Noselect \\HasChildren) \"/\" ~peter",
                "* LIST (\\Noselect \\HasChildren) \"/\" ~peter/mail",
                "* LIST (\\Noselect \\HasChildren) \"/\" ~peter/mail/&U,BTFw-",
                "* LIST (\\HasNoChildren) \"/\" ~peter/mail/&U,BTFw-/&ZeVnLIqe-",
                "l OK LIST completed");
    }

    @Test
    void listPercentStopsAtTheDelimiterAndShowsUnselectableParents() throws Exception {
        assertThat(c.command("l", "LIST \"\" %")).containsExactly(
                "* LIST (\\HasChildren \\Archive) \"/\" Archive",
                "* LIST (\\HasNoChildren \\Drafts) \"/\" Drafts",
                "* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\HasNoChildren \\Junk) \"/\" Junk",
                "* LIST (\\Noselect \\HasChildren) \"/\" Projects",
                "* LIST (\\HasNoChildren \\Sent) \"/\" Sent",
                "* LIST (\\HasNoChildren \\Trash) \"/\" Trash",
                "* LIST (\\Noselect \\HasChildren) \"/\" ~peter",
                "l OK LIST completed");
        assertThat(c.command("l2", "LIST Archive/ %")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" Archive/2023",
                "* LIST (\\HasNoChildren) \"/\" Archive/2024",
                "l2 OK LIST completed");
        assertThat(c.command("l3", "LIST \"\" Projects/%/%")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" Projects/Alpha/Specs",
                "l3 OK LIST completed");
    }

    @Test
    void listMatchesInboxInAnyCaseAndModifiedUtf7Names() throws Exception {
        assertThat(c.command("l", "LIST \"\" inbox")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" INBOX", "l OK LIST completed");
        assertThat(c.command("l2", "LIST \"\" \"~peter/mail/&U,BTFw-/*\"")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" ~peter/mail/&U,BTFw-/&ZeVnLIqe-", "l2 OK LIST completed");
        assertThat(c.command("l3", "LIST \"\" Nothing*")).containsExactly("l3 OK LIST completed");
        assertThat(c.command("l4", "LIST \"\" \"&-bad&\"").get(0))
                .startsWith("l4 BAD Mailbox name is not valid modified UTF-7");
    }

    @Test
    void selectAnswersTheMailboxState() throws Exception {
        Mailbox inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, ImapTestServer.message("one", "1"), "\\Seen");
        server.append(inbox, ImapTestServer.message("two", "2"), "$Important");
        server.append(inbox, ImapTestServer.message("three", "3"), "\\Seen", "\\Flagged");
        assertThat(c.command("s", "SELECT INBOX")).containsExactly(
                "* FLAGS ($Important \\Answered \\Deleted \\Draft \\Flagged \\Seen)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted",
                "* 3 EXISTS",
                "* 3 RECENT",
                "* OK [UNSEEN 2] First unseen",
                "* OK [UIDVALIDITY " + inbox.uidValidity() + "] UIDs valid",
                "* OK [UIDNEXT 4] Predicted next UID",
                "* OK [HIGHESTMODSEQ 4] Highest",
                "s OK [READ-WRITE] SELECT completed");
    }

    @Test
    void examineIsReadOnlyAndEmptyMailboxHasNoUnseen() throws Exception {
        Mailbox sent = server.mailbox(alice, "Sent");
        assertThat(c.command("e", "EXAMINE Sent")).containsExactly(
                "* FLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen)",
                "* OK [PERMANENTFLAGS ()] No permanent flags permitted",
                "* 0 EXISTS",
                "* 0 RECENT",
                "* OK [UIDVALIDITY " + sent.uidValidity() + "] UIDs valid",
                "* OK [UIDNEXT 1] Predicted next UID",
                // RFC 7162 section 3.1.2.1: a positive HIGHESTMODSEQ even before the first change.
                "* OK [HIGHESTMODSEQ 1] Highest",
                "e OK [READ-ONLY] EXAMINE completed");
    }

    @Test
    void selectOfAnUnknownMailboxFailsAndDeselects() throws Exception {
        assertThat(c.command("s1", "SELECT inbox")).last().isEqualTo("s1 OK [READ-WRITE] SELECT completed");
        assertThat(c.command("s2", "SELECT \"Bobs secrets\"")).containsExactly(
                "* OK [CLOSED] Previous mailbox is now closed", "s2 NO [NONEXISTENT] Mailbox does not exist");
        assertThat(c.command("f", "FETCH 1 FLAGS")).containsExactly(
                "f BAD FETCH needs a selected mailbox: SELECT or EXAMINE one first");
        assertThat(c.command("s3", "SELECT \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"").get(0))
                .isEqualTo("* FLAGS (\\Answered \\Deleted \\Draft \\Flagged \\Seen)");
    }
}
