package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MessageRecord;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** COPY, UID COPY (RFC 3501 section 6.4.7, RFC 4315 COPYUID), MOVE and UID MOVE (RFC 6851) over a real socket. */
class CopyMoveTest {

    private ImapTestServer server;
    private Mailbox inbox;
    private Mailbox archive;
    private long archiveValidity;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        archive = server.mailbox(alice, "Archive");
        for (int i = 1; i <= 4; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body " + i + "\r\n"), i == 2 ? "\\Flagged" : "$X");
        }
        archiveValidity = server.store.snapshot(archive).toCompletableFuture().join().uidValidity();
        c = server.login("alice@example.org", "secret");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    private List<MessageRecord> archived() {
        return server.store.snapshot(archive).toCompletableFuture().join().messages();
    }

    @Test
    void copyAnswersCopyUidAndKeepsFlagsWithoutRecent() throws Exception {
        assertThat(c.command("c1", "COPY 2:3 Archive")).containsExactly(
                "c1 OK [COPYUID " + archiveValidity + " 2:3 1:2] COPY completed");
        assertThat(c.command("c2", "UID COPY 4,1 Archive")).containsExactly(
                "c2 OK [COPYUID " + archiveValidity + " 1,4 3:4] UID COPY completed");
        assertThat(archived()).extracting(r -> r.flags().values().toString())
                .containsExactly("[\\Flagged]", "[$X]", "[$X]", "[$X]");
        // The source is untouched.
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            assertThat(other.command("s", "SELECT Archive")).contains("* 4 EXISTS", "* 4 RECENT");
        }
    }

    @Test
    void copyIntoTheSelectedMailboxShowsExistsBeforeTheOk() throws Exception {
        long validity = server.store.snapshot(inbox).toCompletableFuture().join().uidValidity();
        assertThat(c.command("c", "COPY 1 INBOX")).containsExactly("* 5 EXISTS", "* 5 RECENT",
                "c OK [COPYUID " + validity + " 1 5] COPY completed");
    }

    @Test
    void moveSendsCopyUidThenExpungesRenumbered() throws Exception {
        assertThat(c.command("m1", "MOVE 2:3 Archive")).containsExactly(
                "* OK [COPYUID " + archiveValidity + " 2:3 1:2] Moved",
                "* 2 EXPUNGE",
                "* 2 EXPUNGE",
                "m1 OK MOVE completed");
        assertThat(c.command("f", "FETCH 1:* UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)", "f OK FETCH completed");
        assertThat(c.command("m2", "UID MOVE 4 Archive")).containsExactly(
                "* OK [COPYUID " + archiveValidity + " 4 3] Moved",
                "* 2 EXPUNGE",
                "m2 OK UID MOVE completed");
        assertThat(archived()).extracting(MessageRecord::uid).containsExactly(1L, 2L, 3L);
    }

    @Test
    void moveIsSeenByAnotherSessionAsExpungeOrVanished() throws Exception {
        try (ImapTestClient plain = server.login("alice@example.org", "secret");
             ImapTestClient qresync = server.login("alice@example.org", "secret")) {
            plain.command("s", "SELECT INBOX");
            qresync.command("e", "ENABLE QRESYNC");
            qresync.command("s", "SELECT INBOX");
            c.command("m", "UID MOVE 1,3 Archive");
            assertThat(plain.command("n", "NOOP")).containsExactly("* 1 EXPUNGE", "* 2 EXPUNGE", "n OK NOOP completed");
            assertThat(qresync.command("n", "NOOP")).containsExactly("* VANISHED 1,3", "n OK NOOP completed");
        }
    }

    @Test
    void moveWithQresyncAnswersVanished() throws Exception {
        c.command("u", "UNSELECT");
        c.command("e", "ENABLE QRESYNC");
        c.command("s", "SELECT INBOX");
        assertThat(c.command("m", "MOVE 1,2,4 Archive")).containsExactly(
                "* OK [COPYUID " + archiveValidity + " 1:2,4 1:3] Moved",
                "* VANISHED 1:2,4",
                "m OK MOVE completed");
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        assertThat(c.command("a1", "MOVE 1 Nowhere")).containsExactly("a1 NO [TRYCREATE] Mailbox does not exist");
        assertThat(c.command("a2", "COPY 1 Nowhere")).containsExactly("a2 NO [TRYCREATE] Mailbox does not exist");
        assertThat(c.command("a3", "COPY 9 Archive")).hasSize(1).first().asString().startsWith("a3 BAD Invalid message");
        assertThat(c.command("a4", "MOVE 0 Archive")).hasSize(1).first().asString().startsWith("a4 BAD");
        assertThat(c.command("a5", "MOVE 1")).containsExactly("a5 BAD Missing argument");
        assertThat(c.command("a6", "UID MOVE 99 Archive")).containsExactly("a6 OK UID MOVE completed");
        c.command("e", "EXAMINE INBOX");
        assertThat(c.command("a7", "MOVE 1 Archive")).containsExactly(
                "a7 NO [CANNOT] Mailbox is read-only (opened with EXAMINE)");
        assertThat(c.command("a8", "COPY 1 Archive")).last().asString().startsWith("a8 OK [COPYUID");
        assertThat(archived()).hasSize(1);
        assertThat(server.store.snapshot(inbox).toCompletableFuture().join().messages()).hasSize(4);
    }

    @Test
    void moveOfMessagesExpungedElsewhereIsExpungeIssued() throws Exception {
        server.store.move(inbox.id(), List.of(1L), archive).toCompletableFuture().join();
        assertThat(c.command("m", "MOVE 1 Archive")).containsExactly(
                "m NO [EXPUNGEISSUED] The messages were expunged by another session");
        assertThat(archived()).hasSize(1);
    }

    @Test
    void copyAndMoveNeedASelectedMailbox() throws Exception {
        c.command("u", "UNSELECT");
        assertThat(c.command("a", "COPY 1 Archive")).containsExactly(
                "a BAD COPY needs a selected mailbox: SELECT or EXAMINE one first");
        assertThat(c.command("b", "UID MOVE 1 Archive")).containsExactly(
                "b BAD UID MOVE needs a selected mailbox: SELECT or EXAMINE one first");
    }
}
