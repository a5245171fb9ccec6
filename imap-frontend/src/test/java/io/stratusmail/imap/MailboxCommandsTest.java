package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CREATE, DELETE, RENAME (RFC 3501 sections 6.3.3-6.3.5, RFC 6154 CREATE-SPECIAL-USE), SUBSCRIBE, UNSUBSCRIBE,
 * LSUB (6.3.6, 6.3.7, 6.3.9) and STATUS (6.3.10, RFC 8438, RFC 7162) over a real socket, with the RFCs'
 * examples where they give them.
 */
class MailboxCommandsTest {

    private ImapTestServer server;
    private Username alice;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        alice = server.user("alice@example.org", "secret");
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void createRfc3501ExampleWithTrailingDelimiterAndImpliedParents() throws Exception {
        assertThat(c.command("A003", "CREATE owatagusiam/")).containsExactly("A003 OK CREATE completed");
        assertThat(c.command("A004", "CREATE owatagusiam/blurdybloop")).containsExactly("A004 OK CREATE completed");
        assertThat(c.command("l", "LIST \"\" owatagusiam*")).containsExactly(
                "* LIST (\\HasChildren) \"/\" owatagusiam",
                "* LIST (\\HasNoChildren) \"/\" owatagusiam/blurdybloop",
                "l OK LIST completed");
        assertThat(c.command("c", "CREATE a/b/c")).containsExactly("c OK CREATE completed");
        assertThat(c.command("l2", "LIST \"\" a*")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" a",
                "* LIST (\\Noselect \\HasChildren) \"/\" a/b",
                "* LIST (\\HasNoChildren) \"/\" a/b/c",
                "l2 OK LIST completed");
        // Creating an implied parent makes it a real mailbox.
        assertThat(c.command("c2", "CREATE a")).containsExactly("c2 OK CREATE completed");
        assertThat(c.command("s", "SELECT a")).last().isEqualTo("s OK [READ-WRITE] SELECT completed");
    }

    @Test
    void createOfAnExistingNameOrInboxIsRefused() throws Exception {
        assertThat(c.command("c1", "CREATE Work")).containsExactly("c1 OK CREATE completed");
        assertThat(c.command("c2", "CREATE Work")).containsExactly(
                "c2 NO [ALREADYEXISTS] Mailbox already exists: Work");
        assertThat(c.command("c3", "CREATE inbox")).containsExactly(
                "c3 NO [ALREADYEXISTS] Mailbox already exists: INBOX");
    }

    @Test
    void createModifiedUtf7NameRoundTrips() throws Exception {
        assertThat(c.command("c", "CREATE \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"")).containsExactly(
                "c OK CREATE completed");
        assertThat(server.store.find(alice, new io.stratusmail.mailbox.MailboxName("~peter/mail/台北/日本語"))
                .toCompletableFuture().join()).isPresent();
        assertThat(c.command("l", "LIST \"\" ~peter/mail/*")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" ~peter/mail/&U,BTFw-",
                "* LIST (\\HasNoChildren) \"/\" ~peter/mail/&U,BTFw-/&ZeVnLIqe-",
                "l OK LIST completed");
    }

    @Test
    void createWithInvalidNamesIsRefusedAndCreatesNothing() throws Exception {
        List<String> before = c.command("l0", "LIST \"\" *");
        assertThat(c.command("c1", "CREATE \"a//b\"")).containsExactly(
                "c1 BAD Invalid mailbox name: mailbox name has an empty hierarchy level");
        assertThat(c.command("c2", "CREATE /a")).containsExactly(
                "c2 BAD Invalid mailbox name: mailbox name has an empty hierarchy level");
        assertThat(c.command("c3", "CREATE \"&Jjo!\"").get(0)).startsWith(
                "c3 BAD Mailbox name is not valid modified UTF-7");
        assertThat(c.command("c4", "CREATE \"" + "x".repeat(256) + "\"")).containsExactly(
                "c4 BAD Invalid mailbox name: mailbox name must be 1 to 255 characters");
        assertThat(c.command("c5", "CREATE \"a*b\"")).containsExactly(
                "c5 BAD Invalid mailbox name: mailbox name contains the LIST wildcard '*'");
        assertThat(c.command("c6", "CREATE \"\"")).containsExactly(
                "c6 BAD Invalid mailbox name: mailbox name must be 1 to 255 characters");
        assertThat(c.command("c7", "CREATE")).containsExactly("c7 BAD Missing argument");
        assertThat(c.command("c8", "CREATE a b")).containsExactly("c8 BAD Expected '(' at 'b' (offset 12)");
        assertThat(c.command("l0", "LIST \"\" *")).isEqualTo(before);
    }

    @Test
    void createSpecialUseRfc6154Examples() throws Exception {
        assertThat(c.command("t1", "CREATE MySpecial (USE (\\Drafts \\Sent))")).containsExactly(
                "t1 OK CREATE completed");
        assertThat(c.command("t2", "LIST \"\" MySpecial")).containsExactly(
                "* LIST (\\HasNoChildren \\Drafts \\Sent) \"/\" MySpecial",
                "t2 OK LIST completed");
        assertThat(c.command("t3", "CREATE Foo (USE (\\Important))")).containsExactly(
                "t3 NO [USEATTR] Unsupported special-use attribute \\Important");
        assertThat(c.command("t4", "CREATE Foo (USE (\\All))")).containsExactly(
                "t4 NO [USEATTR] \\All is for virtual mailboxes, which this server does not have");
        assertThat(c.command("t5", "LIST \"\" Foo")).containsExactly("t5 OK LIST completed");
        assertThat(c.command("t6", "CREATE Foo (USE (Sent))")).containsExactly(
                "t6 BAD Expected a special-use attribute such as \\Sent");
        assertThat(c.command("t7", "CREATE Foo (COLOR (red))")).containsExactly(
                "t7 BAD Unknown CREATE parameter COLOR (only USE, RFC 6154)");
        assertThat(c.command("t8", "CREATE Foo (USE ())")).containsExactly("t8 OK CREATE completed");
        assertThat(c.command("t9", "CREATE Bar (use (\\sent))")).containsExactly("t9 OK CREATE completed");
        assertThat(c.command("t10", "LIST \"\" Bar")).containsExactly(
                "* LIST (\\HasNoChildren \\Sent) \"/\" Bar", "t10 OK LIST completed");
    }

    @Test
    void deleteRfc3501Examples() throws Exception {
        c.command("c1", "CREATE blurdybloop");
        c.command("c2", "CREATE foo");
        c.command("c3", "CREATE foo/bar");
        assertThat(c.command("A682", "LIST \"\" *")).contains(
                "* LIST (\\HasNoChildren) \"/\" blurdybloop",
                "* LIST (\\HasChildren) \"/\" foo",
                "* LIST (\\HasNoChildren) \"/\" foo/bar");
        assertThat(c.command("A683", "DELETE blurdybloop")).containsExactly("A683 OK DELETE completed");
        assertThat(c.command("A684", "DELETE foo")).containsExactly("A684 OK DELETE completed");
        assertThat(c.command("A685", "LIST \"\" foo*")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" foo",
                "* LIST (\\HasNoChildren) \"/\" foo/bar",
                "A685 OK LIST completed");
        assertThat(c.command("A686", "DELETE foo")).containsExactly(
                "A686 NO [HASCHILDREN] Name has inferior hierarchical names and is not a mailbox; delete them first");
        assertThat(c.command("A687", "DELETE foo/bar")).containsExactly("A687 OK DELETE completed");
        assertThat(c.command("A688", "LIST \"\" foo*")).containsExactly(
                "* LIST (\\Noselect \\HasNoChildren) \"/\" foo",
                "A688 OK LIST completed");
        assertThat(c.command("A689", "DELETE foo")).containsExactly("A689 OK DELETE completed");
        assertThat(c.command("A690", "LIST \"\" foo*")).containsExactly("A690 OK LIST completed");
    }

    @Test
    void deleteRefusesUnknownNamesInboxAndTheSelectedMailbox() throws Exception {
        assertThat(c.command("d1", "DELETE Nothing")).containsExactly("d1 NO [NONEXISTENT] Mailbox does not exist");
        assertThat(c.command("d2", "DELETE inbox")).containsExactly("d2 NO [CANNOT] INBOX cannot be deleted");
        c.command("c", "CREATE Work");
        c.command("s", "SELECT Work");
        assertThat(c.command("d3", "DELETE Work")).containsExactly(
                "d3 NO [INUSE] Mailbox is selected in this session; CLOSE or UNSELECT it first");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        c.command("u", "UNSELECT");
        assertThat(c.command("d4", "DELETE Work")).containsExactly("d4 OK DELETE completed");
        assertThat(c.command("d5", "DELETE \"a//b\"")).containsExactly(
                "d5 BAD Invalid mailbox name: mailbox name has an empty hierarchy level");
    }

    @Test
    void deletedMailboxLosesItsMessagesAndANewOneGetsANewUidValidity() throws Exception {
        Mailbox work = server.mailbox(alice, "Work");
        server.append(work, ImapTestServer.message("one", "1"));
        assertThat(c.command("d", "DELETE Work")).containsExactly("d OK DELETE completed");
        assertThat(c.command("s", "STATUS Work (MESSAGES)")).containsExactly(
                "s NO [NONEXISTENT] Mailbox does not exist");
        c.command("c", "CREATE Work");
        Mailbox again = server.mailbox(alice, "Work");
        assertThat(again.uidValidity()).isNotEqualTo(work.uidValidity());
        assertThat(c.command("s2", "STATUS Work (MESSAGES UIDNEXT UIDVALIDITY)")).containsExactly(
                "* STATUS Work (MESSAGES 0 UIDNEXT 1 UIDVALIDITY " + again.uidValidity() + ")",
                "s2 OK STATUS completed");
    }

    @Test
    void renameRfc3501ExampleMovesInferiorNames() throws Exception {
        c.command("c", "CREATE foo/bar/zap");
        Mailbox zap = server.mailbox(alice, "foo/bar/zap");
        server.append(zap, ImapTestServer.message("one", "1"));
        assertThat(c.command("A684", "RENAME foo/bar/zap baz")).containsExactly("A684 OK RENAME completed");
        assertThat(c.command("l", "LIST \"\" *z*")).containsExactly(
                "* LIST (\\HasNoChildren) \"/\" baz", "l OK LIST completed");
        c.command("c2", "CREATE foo/bar/zap");
        assertThat(c.command("A685", "RENAME foo zowie")).containsExactly("A685 OK RENAME completed");
        assertThat(c.command("l2", "LIST \"\" zowie*")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" zowie",
                "* LIST (\\Noselect \\HasChildren) \"/\" zowie/bar",
                "* LIST (\\HasNoChildren) \"/\" zowie/bar/zap",
                "l2 OK LIST completed");
        assertThat(c.command("l3", "LIST \"\" foo*")).containsExactly("l3 OK LIST completed");
        // The renamed mailbox keeps its messages and UIDVALIDITY.
        assertThat(c.command("s", "STATUS baz (MESSAGES UIDVALIDITY)")).containsExactly(
                "* STATUS baz (MESSAGES 1 UIDVALIDITY " + zap.uidValidity() + ")", "s OK STATUS completed");
    }

    @Test
    void renameRefusals() throws Exception {
        c.command("c1", "CREATE a/b");
        c.command("c2", "CREATE x");
        assertThat(c.command("r1", "RENAME nothing y")).containsExactly("r1 NO [NONEXISTENT] Mailbox does not exist");
        assertThat(c.command("r2", "RENAME a x")).containsExactly("r2 NO [ALREADYEXISTS] Mailbox already exists: x");
        assertThat(c.command("r3", "RENAME a a/b/c")).containsExactly(
                "r3 NO [CANNOT] Cannot rename a into its own hierarchy a/b/c");
        assertThat(c.command("r4", "RENAME a \"a//c\"")).containsExactly(
                "r4 BAD Invalid mailbox name: mailbox name has an empty hierarchy level");
        assertThat(c.command("r5", "RENAME a")).containsExactly("r5 BAD Missing argument");
        assertThat(c.command("r6", "RENAME x " + "y/".repeat(20) + "z" + "/q".repeat(12))).containsExactly(
                "r6 BAD Invalid mailbox name: mailbox name has more than 32 hierarchy levels");
        assertThat(c.command("l", "LIST \"\" a*")).containsExactly(
                "* LIST (\\Noselect \\HasChildren) \"/\" a",
                "* LIST (\\HasNoChildren) \"/\" a/b",
                "l OK LIST completed");
    }

    @Test
    void renameInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        Mailbox inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, ImapTestServer.message("one", "1"));
        server.append(inbox, ImapTestServer.message("two", "2"));
        assertThat(c.command("r", "RENAME INBOX old-mail")).containsExactly("r OK RENAME completed");
        assertThat(c.command("s1", "STATUS old-mail (MESSAGES UIDVALIDITY)")).containsExactly(
                "* STATUS old-mail (MESSAGES 2 UIDVALIDITY " + inbox.uidValidity() + ")", "s1 OK STATUS completed");
        List<String> status = c.command("s2", "STATUS INBOX (MESSAGES UIDNEXT)");
        assertThat(status).containsExactly("* STATUS INBOX (MESSAGES 0 UIDNEXT 1)", "s2 OK STATUS completed");
        assertThat(server.mailbox(alice, "INBOX").uidValidity()).isNotEqualTo(inbox.uidValidity());
    }

    @Test
    void renameInboxWhileSelectedEmptiesTheSessionsInbox() throws Exception {
        Mailbox inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 3; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body"));
        }
        c.command("s", "SELECT INBOX");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("s", "SELECT INBOX");
            // RFC 3501 section 6.3.5: the messages move to the new name and INBOX stays, empty; this session's
            // INBOX loses them all (MSNs renumber after each EXPUNGE, RFC 3501 section 7.4.1).
            assertThat(c.command("r", "RENAME INBOX old-mail")).containsExactly(
                    "* 1 EXPUNGE", "* 1 EXPUNGE", "* 1 EXPUNGE", "r OK RENAME completed");
            assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
            assertThat(c.command("f", "UID FETCH 1:* (UID)")).containsExactly("f OK UID FETCH completed");
            assertThat(c.command("x", "EXPUNGE")).containsExactly("x OK EXPUNGE completed");
            assertThat(c.command("st", "STATUS old-mail (MESSAGES UIDVALIDITY)")).containsExactly(
                    "* STATUS old-mail (MESSAGES 3 UIDVALIDITY " + inbox.uidValidity() + ")", "st OK STATUS completed");
            // New mail goes to the new INBOX (another UIDVALIDITY): seen after selecting it again, never under the
            // old selection, whose UIDs it would clash with.
            Mailbox fresh = server.mailbox(alice, "INBOX");
            assertThat(fresh.uidValidity()).isNotEqualTo(inbox.uidValidity());
            server.append(fresh, ImapTestServer.message("new", "mail"));
            assertThat(c.command("n2", "NOOP")).containsExactly("n2 OK NOOP completed");
            assertThat(c.command("s2", "SELECT INBOX")).contains("* 1 EXISTS",
                    "* OK [UIDVALIDITY " + fresh.uidValidity() + "] UIDs valid", "* OK [UIDNEXT 2] Predicted next UID");
            assertThat(c.command("s3", "EXAMINE old-mail")).contains("* 3 EXISTS",
                    "* OK [UIDVALIDITY " + inbox.uidValidity() + "] UIDs valid");
            // Another session with INBOX selected follows the mailbox it opened, now named old-mail (as for any
            // rename of a selected mailbox) until it selects again.
            assertThat(other.command("f", "FETCH 1:* (UID)")).containsExactly(
                    "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "f OK FETCH completed");
        }
    }

    @Test
    void renameInboxWhileSelectedWithQresyncSendsVanished() throws Exception {
        Mailbox inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 3; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body"));
        }
        c.command("e", "ENABLE QRESYNC");
        c.command("s", "SELECT INBOX");
        assertThat(c.command("r", "RENAME INBOX Archive/2026")).containsExactly(
                "* VANISHED 1:3", "r OK RENAME completed");
        assertThat(c.command("f", "FETCH 1:* (UID)")).containsExactly(
                "f BAD Invalid message sequence number: 1:* (mailbox has 0 messages)");
        // A failed RENAME INBOX changes nothing in the session.
        c.command("s2", "SELECT INBOX");
        server.append(server.mailbox(alice, "INBOX"), ImapTestServer.message("m4", "body"));
        c.command("n", "NOOP");
        assertThat(c.command("r2", "RENAME INBOX Archive/2026")).containsExactly(
                "r2 NO [ALREADYEXISTS] Mailbox already exists: Archive/2026");
        assertThat(c.command("f2", "FETCH 1 (UID)")).containsExactly("* 1 FETCH (UID 1)", "f2 OK FETCH completed");
    }

    @Test
    void renameOfTheSelectedMailboxKeepsTheSessionOnIt() throws Exception {
        Mailbox work = server.mailbox(alice, "Work");
        server.append(work, ImapTestServer.message("one", "1"));
        c.command("s", "SELECT Work");
        assertThat(c.command("r", "RENAME Work Done")).containsExactly("r OK RENAME completed");
        assertThat(c.command("f", "UID FETCH 1 (UID)")).containsExactly("* 1 FETCH (UID 1)", "f OK UID FETCH completed");
    }

    @Test
    void subscribeUnsubscribeAndLsub() throws Exception {
        c.command("c", "CREATE news/comp/mail/misc");
        List<String> base = c.command("l0", "LSUB \"\" *");
        assertThat(c.command("s1", "SUBSCRIBE news/comp/mail/misc")).containsExactly("s1 OK SUBSCRIBE completed");
        assertThat(c.command("s2", "SUBSCRIBE Ghost")).containsExactly("s2 OK SUBSCRIBE completed");
        assertThat(c.command("s3", "SUBSCRIBE Ghost")).containsExactly("s3 OK SUBSCRIBE completed");
        assertThat(c.command("l1", "LSUB \"news/\" \"comp/mail/*\"")).containsExactly(
                "* LSUB () \"/\" news/comp/mail/misc", "l1 OK LSUB completed");
        // RFC 3501 6.3.9: "%" hides news/comp/mail/misc, so its unsubscribed level shows as \Noselect.
        assertThat(c.command("l2", "LSUB \"news/\" comp/%")).containsExactly(
                "* LSUB (\\Noselect) \"/\" news/comp/mail", "l2 OK LSUB completed");
        assertThat(c.command("l3", "LSUB \"\" Gh*")).containsExactly(
                "* LSUB (\\Noselect) \"/\" Ghost", "l3 OK LSUB completed");
        assertThat(c.command("u1", "UNSUBSCRIBE Ghost")).containsExactly("u1 OK UNSUBSCRIBE completed");
        assertThat(c.command("u2", "UNSUBSCRIBE Ghost")).containsExactly("u2 OK UNSUBSCRIBE completed");
        assertThat(c.command("u3", "UNSUBSCRIBE news/comp/mail/misc")).containsExactly("u3 OK UNSUBSCRIBE completed");
        assertThat(c.command("l4", "LSUB \"\" *")).isEqualTo(base.stream()
                .map(line -> line.replace("l0 OK", "l4 OK")).toList());
        assertThat(c.command("s4", "SUBSCRIBE \"a//b\"")).containsExactly(
                "s4 BAD Invalid mailbox name: mailbox name has an empty hierarchy level");
    }

    @Test
    void subscriptionsFollowRename() throws Exception {
        c.command("c", "CREATE Projects/Alpha");
        c.command("s", "SUBSCRIBE Projects/Alpha");
        c.command("r", "RENAME Projects Old");
        assertThat(c.command("l", "LSUB \"\" *lpha")).containsExactly(
                "* LSUB () \"/\" Old/Alpha", "l OK LSUB completed");
    }

    @Test
    void statusAnswersEveryItemFromTheCounters() throws Exception {
        Mailbox inbox = server.mailbox(alice, "INBOX");
        String one = ImapTestServer.message("one", "1");
        String two = ImapTestServer.message("two", "22");
        server.append(inbox, one, "\\Seen");
        server.append(inbox, two);
        long size = one.length() + two.length();
        assertThat(c.command("A042", "STATUS blurdybloop (UIDNEXT MESSAGES)")).containsExactly(
                "A042 NO [NONEXISTENT] Mailbox does not exist");
        assertThat(c.command("s", "status inbox (messages recent uidnext uidvalidity unseen highestmodseq size "
                + "appendlimit)")).containsExactly(
                "* STATUS INBOX (MESSAGES 2 RECENT 2 UIDNEXT 3 UIDVALIDITY " + inbox.uidValidity()
                        + " UNSEEN 1 HIGHESTMODSEQ 3 SIZE " + size + " APPENDLIMIT 67108864)",
                "s OK STATUS completed");
        assertThat(c.command("s2", "STATUS INBOX (UNSEEN MESSAGES UNSEEN)")).containsExactly(
                "* STATUS INBOX (UNSEEN 1 MESSAGES 2)", "s2 OK STATUS completed");
    }

    @Test
    void statusBadInput() throws Exception {
        c.command("c", "CREATE a/b");
        assertThat(c.command("s1", "STATUS INBOX ()")).containsExactly("s1 BAD Expected an atom at ')' (offset 17)");
        assertThat(c.command("s2", "STATUS INBOX (DELETED)")).containsExactly(
                "s2 BAD Unknown STATUS item DELETED; supported: [MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, "
                        + "HIGHESTMODSEQ, SIZE, APPENDLIMIT]");
        assertThat(c.command("s3", "STATUS INBOX MESSAGES")).containsExactly(
                "s3 BAD Expected '(' at 'M' (offset 16)");
        assertThat(c.command("s4", "STATUS INBOX (MESSAGES")).containsExactly("s4 BAD Expected ')' at end of command");
        assertThat(c.command("s5", "STATUS a (MESSAGES)")).containsExactly(
                "s5 NO [NONEXISTENT] Mailbox does not exist");
    }

    @Test
    void statusSeesWhatAnotherSessionAppendedAndWorksOnTheSelectedMailbox() throws Exception {
        c.command("sel", "SELECT INBOX");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            String message = ImapTestServer.message("hello", "from the other session");
            other.send("a APPEND INBOX (\\Seen) {" + message.length() + "+}");
            other.sendRaw(message + "\r\n");
            assertThat(other.readUntilTagged("a")).last().asString().startsWith("a OK [APPENDUID ");
            other.send("b APPEND INBOX {" + message.length() + "+}");
            other.sendRaw(message + "\r\n");
            assertThat(other.readUntilTagged("b")).last().asString().startsWith("b OK [APPENDUID ");
            // On the selected mailbox the view is brought up to date first, so STATUS agrees with EXISTS.
            assertThat(c.command("s", "STATUS INBOX (MESSAGES UNSEEN UIDNEXT SIZE HIGHESTMODSEQ RECENT)"))
                    .containsExactly("* 2 EXISTS", "* 2 RECENT",
                            "* STATUS INBOX (MESSAGES 2 UNSEEN 1 UIDNEXT 3 SIZE " + 2 * message.length()
                                    + " HIGHESTMODSEQ 3 RECENT 2)",
                            "s OK STATUS completed");
        }
    }

    @Test
    void statusRecentCountsUnclaimedMessagesAndNeverClaims() throws Exception {
        Mailbox inbox = server.mailbox(alice, "INBOX");
        server.append(inbox, ImapTestServer.message("one", "1"));
        server.append(inbox, ImapTestServer.message("two", "2"));
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            // RFC 3501 section 6.3.10: the messages with \Recent, i.e. no session was told of them yet. STATUS
            // must not claim them: the SELECT after it still gets both messages as recent.
            assertThat(other.command("s0", "STATUS INBOX (RECENT)")).containsExactly(
                    "* STATUS INBOX (RECENT 2)", "s0 OK STATUS completed");
            assertThat(other.command("s0b", "STATUS INBOX (RECENT)")).containsExactly(
                    "* STATUS INBOX (RECENT 2)", "s0b OK STATUS completed");
            assertThat(c.command("sel", "SELECT INBOX")).contains("* 2 RECENT");
            assertThat(c.command("s1", "STATUS INBOX (RECENT MESSAGES)")).containsExactly(
                    "* STATUS INBOX (RECENT 2 MESSAGES 2)", "s1 OK STATUS completed");
            assertThat(other.command("s2", "STATUS INBOX (RECENT)")).containsExactly(
                    "* STATUS INBOX (RECENT 0)", "s2 OK STATUS completed");
            // A new message is \Recent for nobody yet, until the selecting session learns of it.
            server.append(inbox, ImapTestServer.message("three", "3"));
            assertThat(other.command("s3", "STATUS INBOX (RECENT)")).containsExactly(
                    "* STATUS INBOX (RECENT 1)", "s3 OK STATUS completed");
            assertThat(c.command("n", "NOOP")).containsExactly("* 3 EXISTS", "* 3 RECENT", "n OK NOOP completed");
            assertThat(other.command("s4", "STATUS INBOX (RECENT)")).containsExactly(
                    "* STATUS INBOX (RECENT 0)", "s4 OK STATUS completed");
        }
    }

    @Test
    void everyMailboxCommandNeedsAuthentication() throws Exception {
        try (ImapTestClient anon = server.connect()) {
            anon.readLine();
            for (String command : List.of("CREATE x", "DELETE x", "RENAME x y", "SUBSCRIBE x", "UNSUBSCRIBE x",
                    "LSUB \"\" *", "STATUS INBOX (MESSAGES)", "LIST \"\" *")) {
                String name = command.substring(0, command.indexOf(' '));
                assertThat(anon.command("t", command)).containsExactly(
                        "t BAD " + name + " is not allowed before authentication: log in first");
            }
        }
    }

    @Test
    void concurrentCreatesOfOneNameGiveExactlyOneMailbox() throws Exception {
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            c.send("c1 CREATE Race");
            other.send("c2 CREATE Race");
            String first = c.readUntilTagged("c1").get(0);
            String second = other.readUntilTagged("c2").get(0);
            List<String> both = List.of(first, second);
            assertThat(both).filteredOn(l -> l.endsWith(" OK CREATE completed")).hasSize(1);
            assertThat(both).filteredOn(l -> l.endsWith(" NO [ALREADYEXISTS] Mailbox already exists: Race"))
                    .hasSize(1);
            assertThat(c.command("l", "LIST \"\" Race")).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" Race", "l OK LIST completed");
        }
    }

    @Test
    void limitOfMailboxNamesGivesLimit() throws Exception {
        try (ImapTestServer small = new ImapTestServer(ImapConfig.defaults("imap.test"), new InMemoryMailStore(8),
                UnaryOperator.identity())) {
            small.user("bob@example.org", "pw");
            try (ImapTestClient bob = small.login("bob@example.org", "pw")) {
                // INBOX and the five default mailboxes leave room for two names.
                assertThat(bob.command("c1", "CREATE one")).containsExactly("c1 OK CREATE completed");
                assertThat(bob.command("c2", "CREATE two/three")).containsExactly(
                        "c2 NO [LIMIT] Too many mailbox names for this account");
                assertThat(bob.command("c3", "CREATE two")).containsExactly("c3 OK CREATE completed");
                assertThat(bob.command("l", "LIST \"\" t*")).containsExactly(
                        "* LIST (\\HasNoChildren) \"/\" two",
                        "l OK LIST completed");
            }
        }
    }
}
