package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MailboxSnapshot;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CONDSTORE and QRESYNC (RFC 7162) and ESEARCH (RFC 4731) over a real socket, modelled on the RFCs' examples:
 * MODSEQ in FETCH, FETCH CHANGEDSINCE, STORE UNCHANGEDSINCE with MODIFIED, SEARCH MODSEQ, SELECT (QRESYNC ...)
 * after flag changes and expunges by another session, UID FETCH (CHANGEDSINCE n VANISHED), SEARCH RETURN.
 */
@SuppressWarnings("unchecked")
class CondstoreQresyncTest {

    private ImapTestServer server;
    private Mailbox inbox;
    private long validity;
    private ImapTestClient c;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 5; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body " + i + "\r\n"), i % 2 == 0 ? "\\Seen" : "$X");
        }
        validity = snapshot().uidValidity();
        c = server.login("alice@example.org", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        server.close();
    }

    private MailboxSnapshot snapshot() {
        return server.store.snapshot(inbox).toCompletableFuture().join();
    }

    private long highest() {
        return snapshot().highestModSeq();
    }

    @Test
    void selectCondstoreAndFetchModSeqAndChangedSince() throws Exception {
        assertThat(c.command("s", "SELECT INBOX (CONDSTORE)")).contains(
                "* OK [HIGHESTMODSEQ " + highest() + "] Highest", "s OK [READ-WRITE] SELECT completed");
        assertThat(c.command("f", "FETCH 1,3 (MODSEQ)")).containsExactly(
                "* 1 FETCH (MODSEQ (2))", "* 3 FETCH (MODSEQ (4))", "f OK FETCH completed");
        long before = highest();
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("s", "SELECT INBOX");
            other.command("t", "STORE 2 +FLAGS.SILENT (\\Flagged)");
        }
        // RFC 7162 section 3.1.4.1 example: only what changed after the MODSEQ, with its MODSEQ.
        assertThat(c.command("g", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + before + ")")).containsExactly(
                "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Seen \\Recent) MODSEQ (" + highest() + "))",
                "g OK UID FETCH completed");
        assertThat(c.command("h", "FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest() + ")")).containsExactly(
                "h OK FETCH completed");
    }

    @Test
    void aNewMailboxHasAPositiveHighestModSeqAndItsFirstChangeIsAboveIt() throws Exception {
        c.command("c", "CREATE Fresh");
        // RFC 7162 section 3.1.2.1: HIGHESTMODSEQ on every SELECT, a mod-sequence-value (1 or more, section 7).
        assertThat(c.command("s", "SELECT Fresh (CONDSTORE)")).contains("* 0 EXISTS",
                "* OK [HIGHESTMODSEQ 1] Highest", "s OK [READ-WRITE] SELECT completed");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            assertThat(other.command("st", "STATUS Fresh (HIGHESTMODSEQ MESSAGES)")).containsExactly(
                    "* STATUS Fresh (HIGHESTMODSEQ 1 MESSAGES 0)", "st OK STATUS completed");
        }
        server.append(server.mailbox(Username.of("alice@example.org"), "Fresh"), ImapTestServer.message("1st", "x"));
        // A client that remembered HIGHESTMODSEQ 1 finds the first message among the changes after it.
        assertThat(c.command("n", "NOOP")).containsExactly("* 1 EXISTS", "* 1 RECENT", "n OK NOOP completed");
        assertThat(c.command("f", "UID FETCH 1:* (UID) (CHANGEDSINCE 1)")).containsExactly(
                "* 1 FETCH (UID 1 MODSEQ (2))", "f OK UID FETCH completed");
        assertThat(c.command("e", "EXAMINE Fresh")).contains("* OK [HIGHESTMODSEQ 2] Highest");
    }

    @Test
    void storeUnchangedSinceReportsModifiedAndModSeqs() throws Exception {
        c.command("e", "ENABLE CONDSTORE");
        c.command("s", "SELECT INBOX");
        // Messages 1..5 have MODSEQ 2..6 (the mailbox's creation is 1). Message 5 changes after MODSEQ 6
        // elsewhere, so a STORE UNCHANGEDSINCE 6 of 4:5 leaves it alone.
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("s", "SELECT INBOX");
            other.command("t", "STORE 5 +FLAGS.SILENT (\\Answered)");
        }
        long after = highest();
        assertThat(c.command("a", "STORE 4:5 (UNCHANGEDSINCE 6) +FLAGS.SILENT (\\Deleted)")).containsExactly(
                "* 4 FETCH (MODSEQ (" + (after + 1) + "))",
                "a OK [MODIFIED 5] Conditional STORE failed for some messages");
        assertThat(c.command("b", "UID STORE 1 (UNCHANGEDSINCE 2) FLAGS ($Y)")).containsExactly(
                "* 1 FETCH (FLAGS ($Y \\Recent) UID 1 MODSEQ (" + (after + 2) + "))", "b OK UID STORE completed");
        assertThat(c.command("d", "UID STORE 1,5 (UNCHANGEDSINCE 0) +FLAGS (\\Seen)")).containsExactly(
                "d OK [MODIFIED 1,5] Conditional STORE failed for some messages");
        assertThat(snapshot().messages().get(0).flags().values()).containsExactly("$Y");
        // The change by the other session arrives with its MODSEQ at NOOP.
        assertThat(c.command("n", "NOOP")).containsExactly(
                "* 5 FETCH (FLAGS ($X \\Answered \\Recent) MODSEQ (" + after + "))", "n OK NOOP completed");
    }

    @Test
    void searchModSeqAndEsearch() throws Exception {
        c.command("s", "SELECT INBOX");
        assertThat(c.command("a", "SEARCH MODSEQ 4")).containsExactly("* SEARCH 3 4 5 (MODSEQ 6)",
                "a OK SEARCH completed");
        assertThat(c.command("b", "UID SEARCH MODSEQ \"/flags/\\\\draft\" all 5 SEEN")).containsExactly(
                "* SEARCH 4 (MODSEQ 5)", "b OK UID SEARCH completed");
        assertThat(c.command("c", "SEARCH MODSEQ 99")).containsExactly("* SEARCH", "c OK SEARCH completed");
        // RFC 4731 section 3.1 examples.
        assertThat(c.command("A282", "SEARCH RETURN (MIN COUNT) UNSEEN")).containsExactly(
                "* ESEARCH (TAG \"A282\") MIN 1 COUNT 3", "A282 OK SEARCH completed");
        assertThat(c.command("A283", "SEARCH RETURN () UNSEEN")).containsExactly(
                "* ESEARCH (TAG \"A283\") ALL 1,3,5", "A283 OK SEARCH completed");
        assertThat(c.command("A284", "UID SEARCH RETURN (MIN MAX ALL COUNT) CHARSET UTF-8 1:4")).containsExactly(
                "* ESEARCH (TAG \"A284\") UID MIN 1 MAX 4 ALL 1:4 COUNT 4", "A284 OK UID SEARCH completed");
        assertThat(c.command("A285", "SEARCH RETURN (MIN MAX) KEYWORD $Nothing")).containsExactly(
                "* ESEARCH (TAG \"A285\")", "A285 OK SEARCH completed");
        assertThat(c.command("A286", "SEARCH RETURN (COUNT) MODSEQ 5")).containsExactly(
                "* ESEARCH (TAG \"A286\") COUNT 2 MODSEQ 6", "A286 OK SEARCH completed");
        assertThat(c.command("A287", "SEARCH RETURN (SAVE) ALL")).hasSize(1).first().asString()
                .startsWith("A287 BAD Unsupported SEARCH RETURN option SAVE");
        assertThat(c.command("A288", "SEARCH RETURN (MIN ALL")).hasSize(1).first().asString().startsWith("A288 BAD");
    }

    @Test
    void qresyncSelectAfterFlagChangesAndExpungesByAnotherSession() throws Exception {
        c.command("e", "ENABLE QRESYNC");
        c.command("s", "SELECT INBOX");
        long known = highest();
        c.command("u", "UNSELECT");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("s", "SELECT INBOX");
            other.command("t", "STORE 1 +FLAGS.SILENT (\\Flagged)");
            other.command("d", "STORE 2,4 +FLAGS.SILENT (\\Deleted)");
            other.command("x", "EXPUNGE");
        }
        server.append(inbox, ImapTestServer.message("m6", "six\r\n"));
        List<String> lines = c.command("r", "SELECT INBOX (QRESYNC (" + validity + " " + known + " 1:5))");
        assertThat(lines).contains("* 4 EXISTS", "* OK [HIGHESTMODSEQ " + highest() + "] Highest");
        int vanished = lines.indexOf("* VANISHED (EARLIER) 2,4");
        assertThat(vanished).isPositive();
        assertThat(lines.subList(vanished + 1, lines.size())).containsExactly(
                "* 1 FETCH (UID 1 FLAGS ($X \\Flagged) MODSEQ (7))",
                "* 4 FETCH (UID 6 FLAGS (\\Recent) MODSEQ (" + highest() + "))",
                "r OK [READ-WRITE] SELECT completed");
        // Known UIDs restrict VANISHED; a wrong UIDVALIDITY makes it a plain SELECT.
        assertThat(c.command("k", "EXAMINE INBOX (QRESYNC (" + validity + " " + known + " 3:5))"))
                .contains("* OK [CLOSED] Previous mailbox is now closed", "* VANISHED (EARLIER) 4");
        assertThat(c.command("w", "SELECT INBOX (QRESYNC (" + (validity + 1) + " " + known + "))"))
                .noneMatch(l -> l.contains("VANISHED") || l.contains("FETCH"));
    }

    @Test
    void uidFetchVanishedAndVanishedInsteadOfExpunge() throws Exception {
        c.command("e", "ENABLE QRESYNC");
        c.command("s", "SELECT INBOX");
        long known = highest();
        c.command("d", "STORE 1:2 +FLAGS.SILENT (\\Deleted)");
        assertThat(c.command("x", "EXPUNGE")).containsExactly("* VANISHED 1:2", "x OK EXPUNGE completed");
        // RFC 7162 section 3.2.6 example.
        assertThat(c.command("f", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + known + " VANISHED)")).containsExactly(
                "* VANISHED (EARLIER) 1:2", "f OK UID FETCH completed");
        try (ImapTestClient other = server.login("alice@example.org", "secret")) {
            other.command("s", "SELECT INBOX");
            other.command("d", "STORE 2 +FLAGS.SILENT (\\Deleted)");
            other.command("x", "EXPUNGE");
        }
        assertThat(c.command("n", "NOOP")).containsExactly("* VANISHED 4", "n OK NOOP completed");
    }

    @Test
    void withoutTheExpungeLogQresyncAndRefreshFallBackToComparingUids() throws Exception {
        // A store whose expunge log does not reach back (RFC 7162 section 3.2.5.2): vanishedComplete is false.
        UnaryOperator<MessageStore> forgetful = store -> (MessageStore) Proxy.newProxyInstance(
                MessageStore.class.getClassLoader(), new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("changesSince")) {
                        return result;
                    }
                    return ((CompletionStage<MailboxChanges>) result).thenApply(ch -> new MailboxChanges(
                            ch.uidNext(), ch.highestModSeq(), ch.changed(), List.of(), false));
                });
        try (ImapTestServer old = new ImapTestServer(ImapConfig.defaults("imap.test"), forgetful)) {
            Username bob = old.user("bob@example.org", "pw");
            Mailbox box = old.mailbox(bob, "INBOX");
            for (int i = 1; i <= 6; i++) {
                old.append(box, ImapTestServer.message("m" + i, "x\r\n"));
            }
            long uidValidity = old.store.snapshot(box).toCompletableFuture().join().uidValidity();
            try (ImapTestClient q = old.login("bob@example.org", "pw");
                 ImapTestClient other = old.login("bob@example.org", "pw")) {
                q.command("e", "ENABLE QRESYNC");
                q.command("s", "SELECT INBOX");
                other.command("s", "SELECT INBOX");
                other.command("d", "STORE 2,5 +FLAGS.SILENT (\\Deleted)");
                other.command("x", "EXPUNGE");
                assertThat(q.command("n", "NOOP")).containsExactly("* VANISHED 2,5", "n OK NOOP completed");
                q.command("u", "UNSELECT");
                assertThat(q.command("r", "SELECT INBOX (QRESYNC (" + uidValidity + " 3 1:4))"))
                        .contains("* VANISHED (EARLIER) 2");
                assertThat(q.command("r2", "SELECT INBOX (QRESYNC (" + uidValidity + " 3))"))
                        .contains("* VANISHED (EARLIER) 2,5");
            }
        }
    }

    @Test
    void badInputIsRefused() throws Exception {
        assertThat(c.command("a", "SELECT INBOX (QRESYNC (" + validity + " 5))")).containsExactly(
                "a BAD QRESYNC parameter without ENABLE QRESYNC (RFC 7162 section 3.2.3)");
        c.command("s", "SELECT INBOX");
        assertThat(c.command("b", "STORE 1 (UNCHANGEDSINCE abc) +FLAGS (\\Seen)")).hasSize(1).first().asString()
                .startsWith("b BAD Expected a number");
        assertThat(c.command("c", "STORE 1 (UNCHANGEDSINCE) +FLAGS (\\Seen)")).hasSize(1).first().asString()
                .startsWith("c BAD");
        assertThat(c.command("d", "STORE 1 (FOO 1) +FLAGS (\\Seen)")).hasSize(1).first().asString()
                .startsWith("d BAD Unknown STORE modifier");
        assertThat(c.command("e", "UID FETCH 1:* FLAGS (CHANGEDSINCE 1 VANISHED)")).containsExactly(
                "e BAD VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC");
        assertThat(c.command("f", "FETCH 1 FLAGS (CHANGEDSINCE x)")).hasSize(1).first().asString()
                .startsWith("f BAD");
        assertThat(c.command("g", "SELECT INBOX (QRESYNC (0 1))")).hasSize(1).first().asString()
                .startsWith("g BAD QRESYNC needs a non-zero");
        assertThat(c.command("h", "SELECT INBOX (BOGUS)")).hasSize(1).first().asString()
                .startsWith("h BAD Unknown or repeated SELECT parameter");
        assertThat(snapshot().messages()).allMatch(r -> !r.flags().contains("\\Seen") || r.uid() % 2 == 0);
    }
}
