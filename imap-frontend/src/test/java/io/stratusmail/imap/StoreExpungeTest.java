package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.FlagUpdate;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.user.Username;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * STORE, UID STORE, EXPUNGE, CLOSE and NOOP change reporting (RFC 3501 sections 6.1.2, 6.4.2, 6.4.3, 6.4.6,
 * 7.4.1) over a real socket.
 */
class StoreExpungeTest {

    private ImapTestServer server;
    private Mailbox inbox;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 5; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body " + i + "\r\n"));
        }
        c = server.login("alice@example.org", "secret");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    @Test
    void storeVariants() throws Exception {
        assertThat(c.command("a1", "STORE 1:2 +FLAGS (\\Flagged $Todo)")).containsExactly(
                "* 1 FETCH (FLAGS ($Todo \\Flagged \\Recent))",
                "* 2 FETCH (FLAGS ($Todo \\Flagged \\Recent))",
                "a1 OK STORE completed");
        assertThat(c.command("a2", "STORE 2 -FLAGS \\Flagged")).containsExactly(
                "* 2 FETCH (FLAGS ($Todo \\Recent))", "a2 OK STORE completed");
        assertThat(c.command("a3", "STORE 3 FLAGS (\\Seen \\Answered)")).containsExactly(
                "* 3 FETCH (FLAGS (\\Answered \\Seen \\Recent))", "a3 OK STORE completed");
        assertThat(c.command("a4", "STORE 1 FLAGS.SILENT ()")).containsExactly("a4 OK STORE completed");
        assertThat(c.command("a5", "store 4 +flags.silent (\\Draft)")).containsExactly("a5 OK STORE completed");
        assertThat(c.command("a6", "FETCH 1:4 FLAGS")).containsExactly(
                "* 1 FETCH (FLAGS (\\Recent))",
                "* 2 FETCH (FLAGS ($Todo \\Recent))",
                "* 3 FETCH (FLAGS (\\Answered \\Seen \\Recent))",
                "* 4 FETCH (FLAGS (\\Draft \\Recent))",
                "a6 OK FETCH completed");
    }

    @Test
    void uidStoreAnswersWithUids() throws Exception {
        assertThat(c.command("u1", "UID STORE 4:5,9 +FLAGS (\\Seen)")).containsExactly(
                "* 4 FETCH (FLAGS (\\Seen \\Recent) UID 4)",
                "* 5 FETCH (FLAGS (\\Seen \\Recent) UID 5)",
                "u1 OK UID STORE completed");
        assertThat(c.command("u2", "UID STORE 7 +FLAGS (\\Seen)")).containsExactly("u2 OK UID STORE completed");
    }

    @Test
    void storeInExaminedMailboxIsRefused() throws Exception {
        c.command("e", "EXAMINE INBOX");
        assertThat(c.command("a1", "STORE 1 +FLAGS (\\Deleted)")).containsExactly(
                "a1 NO [CANNOT] Mailbox is read-only (opened with EXAMINE)");
        assertThat(c.command("a2", "EXPUNGE")).containsExactly(
                "a2 NO [CANNOT] Mailbox is read-only (opened with EXAMINE)");
    }

    @Test
    void expungeRenumbersAsTheRfcDescribes() throws Exception {
        c.command("d", "STORE 2,3,5 +FLAGS.SILENT (\\Deleted)");
        // Messages 2, 3 and 5 go: after 2 is gone, 3 is the new 2, and 5 is the new 3.
        assertThat(c.command("e", "EXPUNGE")).containsExactly(
                "* 2 EXPUNGE", "* 2 EXPUNGE", "* 3 EXPUNGE", "e OK EXPUNGE completed");
        assertThat(c.command("f", "FETCH 1:* UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)", "f OK FETCH completed");
        assertThat(c.command("e2", "EXPUNGE")).containsExactly("e2 OK EXPUNGE completed");
        assertThat(server.store.snapshot(inbox).toCompletableFuture().join().messages()).hasSize(2);
    }

    @Test
    void closeExpungesSilently() throws Exception {
        c.command("d", "STORE 1 +FLAGS.SILENT (\\Deleted)");
        assertThat(c.command("c", "CLOSE")).containsExactly("c OK CLOSE completed");
        assertThat(c.command("f", "FETCH 1 FLAGS")).containsExactly(
                "f BAD FETCH needs a selected mailbox: SELECT or EXAMINE one first");
        assertThat(c.command("s", "SELECT INBOX")).contains("* 4 EXISTS");
    }

    @Test
    void closeOfExaminedMailboxKeepsDeletedMessages() throws Exception {
        c.command("d", "STORE 1 +FLAGS.SILENT (\\Deleted)");
        c.command("e", "EXAMINE INBOX");
        assertThat(c.command("c", "CLOSE")).containsExactly("c OK CLOSE completed");
        assertThat(server.store.snapshot(inbox).toCompletableFuture().join().messages()).hasSize(5);
    }

    @Test
    void noopReportsChangesMadeElsewhere() throws Exception {
        server.store.updateFlags(inbox.id(), List.of(2L, 4L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\Deleted")));
        server.store.expunge(inbox.id(), List.of(2L, 4L));
        server.store.updateFlags(inbox.id(), List.of(5L), new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of("\\Flagged")));
        server.append(inbox, ImapTestServer.message("new", "new\r\n"));
        // No EXPUNGE during FETCH: the view stays as the client knows it until NOOP.
        assertThat(c.command("f", "FETCH 1:5 UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "* 4 FETCH (UID 4)",
                "* 5 FETCH (UID 5)", "f OK FETCH completed");
        assertThat(c.command("f2", "FETCH 2 (RFC822.SIZE)")).containsExactly(
                "f2 NO [EXPUNGEISSUED] Some messages were expunged by another session");
        assertThat(c.command("n", "NOOP")).containsExactly(
                "* 2 EXPUNGE", "* 3 EXPUNGE", "* 4 EXISTS", "* 4 RECENT", "* 3 FETCH (FLAGS (\\Flagged \\Recent))",
                "n OK NOOP completed");
        assertThat(c.command("f3", "FETCH 1:* UID")).containsExactly(
                "* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 5)", "* 4 FETCH (UID 6)",
                "f3 OK FETCH completed");
        assertThat(c.command("n2", "NOOP")).containsExactly("n2 OK NOOP completed");
    }

    @Test
    void concurrentSessionsStoreWithoutLosingUpdates() throws Exception {
        int sessions = 4;
        List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(sessions);
        try {
            for (int s = 0; s < sessions; s++) {
                int n = s;
                results.add(pool.submit(() -> {
                    try (ImapTestClient other = server.login("alice@example.org", "secret")) {
                        other.command("s", "SELECT INBOX");
                        List<String> answers = new java.util.ArrayList<>();
                        for (int round = 0; round < 12; round++) {
                            answers.add(other.command("t" + round, "STORE 1:5 +FLAGS.SILENT (k" + n + "_" + round
                                    + ")").get(0));
                        }
                        return answers;
                    }
                }));
            }
            for (java.util.concurrent.Future<List<String>> r : results) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).allMatch(a -> a.contains(" OK STORE"));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> noop = c.command("n", "NOOP");
        assertThat(noop).hasSize(6);
        assertThat(noop.get(0)).startsWith("* 1 FETCH (FLAGS (");
        for (int s = 0; s < sessions; s++) {
            for (int round = 0; round < 12; round++) {
                assertThat(noop.get(0)).contains("k" + s + "_" + round);
            }
        }
    }
}
