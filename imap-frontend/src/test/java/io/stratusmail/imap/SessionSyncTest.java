package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two sessions on one mailbox: what session B changes reaches session A at NOOP and during IDLE, with the MSNs
 * renumbered; no EXPUNGE during FETCH, STORE or SEARCH (RFC 3501 section 7.4.1); {@code \Recent} belongs to
 * exactly one session (section 2.3.2).
 */
class SessionSyncTest {

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient a;
    private ImapTestClient b;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withIdlePollInterval(Duration.ofMillis(200)));
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 5; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body " + i + "\r\n"));
        }
        a = server.login("alice@example.org", "secret");
        b = server.login("alice@example.org", "secret");
        a.command("s", "SELECT INBOX");
        b.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        server.close();
    }

    @Test
    void flagsAndExpungesOfAnotherSessionArriveAtNoopRenumbered() throws Exception {
        b.command("d", "STORE 2,4 +FLAGS.SILENT (\\Deleted)");
        b.command("f", "STORE 5 +FLAGS.SILENT (\\Flagged)");
        b.command("x", "EXPUNGE");
        // A still numbers 1..5; 2 and 4 go (4 is 3 after the first), 5 becomes 3.
        assertThat(a.command("n", "NOOP")).containsExactly("* 2 EXPUNGE", "* 3 EXPUNGE",
                "* 3 FETCH (FLAGS (\\Flagged \\Recent))", "n OK NOOP completed");
        assertThat(a.command("f", "FETCH 1:* UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 5)", "f OK FETCH completed");
        assertThat(a.command("n2", "NOOP")).containsExactly("n2 OK NOOP completed");
    }

    @Test
    void noExpungeDuringFetchStoreOrSearchButAtTheNextNoop() throws Exception {
        b.command("d", "STORE 3 +FLAGS.SILENT (\\Deleted)");
        b.command("x", "EXPUNGE");
        // FETCH of the gone message: no EXPUNGE, NO [EXPUNGEISSUED] (RFC 2180 section 4.1.2); MSNs unchanged.
        assertThat(a.command("f", "FETCH 3:4 (UID RFC822.SIZE)")).satisfies(lines -> {
            assertThat(lines).noneMatch(l -> l.contains("EXPUNGE") && l.startsWith("*"));
            assertThat(lines).last().asString().startsWith("f NO [EXPUNGEISSUED]");
        });
        assertThat(a.command("t", "STORE 4 +FLAGS.SILENT (\\Seen)")).containsExactly("t OK STORE completed");
        assertThat(a.command("q", "SEARCH ALL")).containsExactly("* SEARCH 1 2 3 4 5", "q OK SEARCH completed");
        assertThat(a.command("n", "NOOP")).containsExactly("* 3 EXPUNGE", "n OK NOOP completed");
        assertThat(a.command("q2", "SEARCH ALL")).containsExactly("* SEARCH 1 2 3 4", "q2 OK SEARCH completed");
    }

    @Test
    void newMessagesAreRecentInExactlyOneSession() throws Exception {
        // A selected first: the five messages are \Recent for A only.
        assertThat(a.command("r", "SEARCH RECENT")).containsExactly("* SEARCH 1 2 3 4 5", "r OK SEARCH completed");
        assertThat(b.command("r", "SEARCH RECENT")).containsExactly("* SEARCH", "r OK SEARCH completed");
        server.append(inbox, ImapTestServer.message("m6", "six\r\n"));
        assertThat(b.command("n", "NOOP")).containsExactly("* 6 EXISTS", "* 1 RECENT", "n OK NOOP completed");
        assertThat(a.command("n", "NOOP")).containsExactly("* 6 EXISTS", "* 5 RECENT", "n OK NOOP completed");
        assertThat(b.command("f", "FETCH 5:6 FLAGS")).containsExactly(
                "* 5 FETCH (FLAGS ())", "* 6 FETCH (FLAGS (\\Recent))", "f OK FETCH completed");
        assertThat(b.command("o", "SEARCH OLD")).containsExactly("* SEARCH 1 2 3 4 5", "o OK SEARCH completed");
        assertThat(b.command("w", "SEARCH NEW")).containsExactly("* SEARCH 6", "w OK SEARCH completed");
        // EXAMINE claims nothing; a later SELECT still finds nothing new.
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            assertThat(c.command("e", "EXAMINE INBOX")).contains("* 0 RECENT");
            assertThat(c.command("s", "SELECT INBOX")).contains("* OK [CLOSED] Previous mailbox is now closed",
                    "* 0 RECENT");
        }
    }

    @Test
    void changesOfAnotherSessionArriveDuringIdleByTheTimer() throws Exception {
        a.send("i IDLE");
        assertThat(a.readLine()).isEqualTo("+ idling");
        b.command("f", "STORE 1 +FLAGS.SILENT (\\Answered)");
        assertThat(a.readLine()).isEqualTo("* 1 FETCH (FLAGS (\\Answered \\Recent))");
        b.command("d", "STORE 1 +FLAGS.SILENT (\\Deleted)");
        b.command("x", "EXPUNGE");
        String line = a.readLine();
        if (line.startsWith("* 1 FETCH")) {
            line = a.readLine(); // the \Deleted change, when a poll fell between STORE and EXPUNGE
        }
        assertThat(line).isEqualTo("* 1 EXPUNGE");
        a.send("DONE");
        assertThat(a.readLine()).isEqualTo("i OK IDLE terminated");
        assertThat(a.command("f", "FETCH 1 UID")).containsExactly("* 1 FETCH (UID 2)", "f OK FETCH completed");
    }
}
