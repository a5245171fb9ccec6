package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear BAD and the session goes on; limits hold (RFC 3501 sections 2.2, 4.3, 9; RFC 7889). */
class BadInputTest {

    private ImapTestServer server;
    private Mailbox inbox;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withMaxLiteralSize(1000)
                .withMaxLineLength(2000));
        Username alice = server.user("alice@example.org", "secret");
        inbox = server.mailbox(alice, "INBOX");
        for (int i = 1; i <= 3; i++) {
            server.append(inbox, ImapTestServer.message("m" + i, "body " + i + "\r\n"));
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void unknownCommandAndGarbageGetBad() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "FROBNICATE x")).containsExactly("a1 BAD Unknown command FROBNICATE");
            assertThat(c.command("a2", "UID FROB 1")).containsExactly("a2 BAD Unknown command UID FROB");
            c.send("");
            assertThat(c.readLine()).isEqualTo("* BAD Missing or invalid tag");
            c.send("+plus CAPABILITY");
            assertThat(c.readLine()).isEqualTo("* BAD Missing or invalid tag");
            assertThat(c.command("a3", "CAPABILITY extra")).containsExactly(
                    "a3 BAD Unexpected extra arguments at ' ' (offset 13)");
            assertThat(c.command("a4", "LOGIN onlyuser")).containsExactly("a4 BAD Missing argument");
            assertThat(c.command("a5", "NOOP").get(0)).isEqualTo("a5 OK NOOP completed");
        }
    }

    @Test
    void wrongStateCommands() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            assertThat(c.command("a1", "FETCH 1 FLAGS"))
                    .containsExactly("a1 BAD FETCH needs a selected mailbox: SELECT or EXAMINE one first");
            assertThat(c.command("a2", "AUTHENTICATE PLAIN"))
                    .containsExactly("a2 BAD AUTHENTICATE is not allowed: already authenticated");
        }
    }

    @Test
    void malformedFetchArguments() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            c.command("s", "SELECT INBOX");
            assertThat(c.command("a1", "FETCH 1 (FLAGS UID")).containsExactly("a1 BAD Expected ')' at end of command");
            assertThat(c.command("a2", "FETCH 1 FLAGS)")).containsExactly(
                    "a2 BAD Unexpected extra arguments at ')' (offset 16)");
            assertThat(c.command("a3", "FETCH 0 FLAGS").get(0)).startsWith("a3 BAD Invalid sequence set number '0'");
            assertThat(c.command("a4", "FETCH 1:4 FLAGS")).containsExactly(
                    "a4 BAD Invalid message sequence number: 1:4 (mailbox has 3 messages)");
            assertThat(c.command("a5", "FETCH 1 (BODY[1.0])")).containsExactly(
                    "a5 BAD Section part numbers start at 1");
            assertThat(c.command("a6", "FETCH 1 (FLAGS FOO)")).containsExactly("a6 BAD Unknown FETCH attribute FOO");
            assertThat(c.command("a7", "FETCH 1 BODY[]<0.0>")).containsExactly(
                    "a7 BAD Partial length must be at least 1");
            assertThat(c.command("a8", "STORE 1 FLAGS (\\Recent)")).containsExactly(
                    "a8 BAD \\Recent cannot be stored: the server sets it");
            assertThat(c.command("a9", "STORE 1 FLAGS (\\Bogus)").get(0)).startsWith("a9 BAD Invalid flag");
            assertThat(c.command("b1", "SELECT \"&Jjo\"").get(0))
                    .startsWith("b1 BAD Mailbox name is not valid modified UTF-7");
            // *:1 is 1:*, a valid range.
            assertThat(c.command("b2", "FETCH *:1 (UID)")).containsExactly(
                    "* 1 FETCH (UID 1)", "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "b2 OK FETCH completed");
        }
    }

    @Test
    void literalOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 LOGIN {5000}");
            // No "+ Ready" continuation: the refusal comes instead, and the client never sends the octets.
            assertThat(c.readLine()).isEqualTo("a1 BAD [TOOBIG] Literal of 5000 octets refused (limit 1000 octets)");
            assertThat(c.command("a2", "NOOP")).containsExactly("a2 OK NOOP completed");
        }
    }

    @Test
    void nonSynchronizingLiteralOverTheLimitIsSkipped() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            String big = "x".repeat(5000);
            // The octets of the refused literal, and the rest of its command, must not be read as commands.
            c.sendRaw("a1 LOGIN {5000+}\r\n" + big + " {11+}\r\nb9 LOGOUT\r\n\r\na2 NOOP\r\n");
            assertThat(c.readLine()).isEqualTo("a1 BAD [TOOBIG] Literal of 5000 octets refused (limit 1000 octets)");
            assertThat(c.readUntilTagged("a2")).containsExactly("a2 OK NOOP completed");
        }
    }

    @Test
    void overLongLineIsRefusedAndTheStreamResynchronises() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 LOGIN " + "y".repeat(5000) + " pw");
            assertThat(c.readLine()).isEqualTo("a1 BAD Line too long (limit 2000 octets)");
            c.send("y".repeat(3000));
            assertThat(c.readLine()).isEqualTo("* BAD Line too long (limit 2000 octets)");
            assertThat(c.command("a2", "NOOP")).containsExactly("a2 OK NOOP completed");
        }
    }

    @Test
    void disconnectMidLiteralLeavesTheServerServing() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 LOGIN {500}");
            assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
            c.sendRaw("only part of it");
        }
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "LOGIN alice@example.org secret").get(0)).startsWith("a1 OK");
            assertThat(c.command("a2", "SELECT INBOX")).contains("* 3 EXISTS");
        }
    }

    @Test
    void thousandPipelinedNoopsAreAnsweredInOrder() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            c.command("s", "SELECT INBOX");
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                burst.append("n").append(i).append(" NOOP\r\n");
            }
            c.sendRaw(burst.toString());
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                answers.add(c.readLine());
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(answers.get(i)).isEqualTo("n" + i + " OK NOOP completed");
            }
        }
    }

    @Test
    void sequenceSetsFollowRfc3501Section9() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            c.command("s", "SELECT INBOX");
            // 0 is never a valid number (seq-number = nz-number / "*").
            assertThat(c.command("a1", "FETCH 0:2 (UID)").get(0)).startsWith("a1 BAD Invalid sequence set number '0'");
            assertThat(c.command("a2", "UID FETCH 0 (UID)").get(0)).startsWith("a2 BAD Invalid sequence set number '0'");
            assertThat(c.command("a3", "STORE 0 +FLAGS (\\Seen)").get(0))
                    .startsWith("a3 BAD Invalid sequence set number '0'");
            assertThat(c.command("a4", "COPY 1,0 INBOX").get(0)).startsWith("a4 BAD Invalid sequence set number '0'");
            // A range may be given in either order: 3:2 is 2:3, and *:1 is 1:*.
            assertThat(c.command("b1", "FETCH 3:2 (UID)")).containsExactly(
                    "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "b1 OK FETCH completed");
            assertThat(c.command("b2", "UID FETCH 5:3 (UID)")).containsExactly(
                    "* 3 FETCH (UID 3)", "b2 OK UID FETCH completed");
            assertThat(c.command("b3", "UID FETCH *:2 (UID)")).containsExactly(
                    "* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "b3 OK UID FETCH completed");
            // Syntax errors in the set itself.
            assertThat(c.command("c1", "FETCH 1: (UID)").get(0)).startsWith("c1 BAD");
            assertThat(c.command("c2", "FETCH 1,,2 (UID)").get(0)).startsWith("c2 BAD");
            assertThat(c.command("c3", "FETCH -1 (UID)").get(0)).startsWith("c3 BAD");
            assertThat(c.command("c4", "FETCH 99999999999 (UID)").get(0)).startsWith("c4 BAD");
            assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        }
    }

    @Test
    void unbalancedParenthesesGetBadAndChangeNothing() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            c.command("s", "SELECT INBOX");
            assertThat(c.command("a1", "STORE 1 +FLAGS (\\Seen").get(0)).startsWith("a1 BAD");
            assertThat(c.command("a2", "STORE 1 +FLAGS \\Seen)").get(0)).startsWith("a2 BAD");
            assertThat(c.command("a3", "SEARCH (OR SEEN DELETED").get(0)).startsWith("a3 BAD");
            assertThat(c.command("a4", "SEARCH SEEN)").get(0)).startsWith("a4 BAD");
            assertThat(c.command("a5", "FETCH 1 ((FLAGS)").get(0)).startsWith("a5 BAD");
            assertThat(c.command("a6", "FETCH 1 BODY[HEADER.FIELDS (SUBJECT]").get(0)).startsWith("a6 BAD");
            assertThat(c.command("a7", "SELECT INBOX (CONDSTORE").get(0)).startsWith("a7 BAD");
            assertThat(c.command("a8", "STATUS INBOX (MESSAGES))").get(0)).startsWith("a8 BAD");
            assertThat(c.command("a9", "LIST (SUBSCRIBED \"\" *").get(0)).startsWith("a9 BAD");
            // Nothing was stored by the refused STOREs, and the session goes on.
            assertThat(c.command("f", "FETCH 1 (FLAGS)")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Recent))", "f OK FETCH completed");
        }
    }

    @Test
    void nonAsciiWhereTheGrammarAllowsOnlyAsciiGetsBad() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            c.command("s", "SELECT INBOX");
            // A tag, a command name, an atom, a flag keyword: ASTRING-CHAR is 7-bit (RFC 3501 section 9).
            c.sendRaw("t\u00e9 NOOP\r\n");
            assertThat(c.readLine()).isEqualTo("* BAD Missing or invalid tag");
            assertThat(c.command("a1", "NO\u00d6P").get(0)).startsWith("a1 BAD");
            assertThat(c.command("a2", "STORE 1 +FLAGS (caf\u00e9)").get(0)).startsWith("a2 BAD Expected ')'");
            assertThat(c.command("a3", "FETCH 1 (FL\u00c4GS)").get(0)).startsWith("a3 BAD");
            assertThat(c.command("a4", "SEARCH KEYWORD \u00fcber").get(0)).startsWith("a4 BAD");
            assertThat(c.command("a5", "SEARCH CHARSET KOI8-Z SUBJECT x")).containsExactly(
                    "a5 NO [BADCHARSET (US-ASCII UTF-8)] Charset not supported for SEARCH");
            // An 8-bit mailbox name must be modified UTF-7 (RFC 3501 section 5.1.3).
            assertThat(c.command("a6", "CREATE Entw\u00fcrfe").get(0)).startsWith("a6 BAD");
            assertThat(c.command("f", "FETCH 1 (FLAGS)")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Recent))", "f OK FETCH completed");
        }
    }

    @Test
    void commandsInTheWrongStateGetBadAndTheSessionGoesOn() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "SELECT INBOX")).containsExactly(
                    "a1 BAD SELECT is not allowed before authentication: log in first");
            assertThat(c.command("a2", "UID FETCH 1 (UID)")).containsExactly(
                    "a2 BAD UID FETCH is not allowed before authentication: log in first");
            assertThat(c.command("a3", "LOGIN alice@example.org secret").get(0)).startsWith("a3 OK");
            assertThat(c.command("a4", "LOGIN alice@example.org secret")).containsExactly(
                    "a4 BAD LOGIN is not allowed: already authenticated");
            assertThat(c.command("a5", "EXPUNGE")).containsExactly(
                    "a5 BAD EXPUNGE needs a selected mailbox: SELECT or EXAMINE one first");
            assertThat(c.command("a6", "CLOSE")).containsExactly(
                    "a6 BAD CLOSE needs a selected mailbox: SELECT or EXAMINE one first");
            assertThat(c.command("a7", "SELECT INBOX")).last().isEqualTo("a7 OK [READ-WRITE] SELECT completed");
            assertThat(c.command("a8", "FETCH 1 (UID)")).containsExactly("* 1 FETCH (UID 1)", "a8 OK FETCH completed");
        }
    }

    @Test
    void aLiteralAnnouncedAndNeverSentStoresNothingAndTheIdleTimeoutEndsTheWait() throws Exception {
        try (ImapTestServer quick = new ImapTestServer(ImapConfig.defaults("imap.test")
                .withIdleTimeout(Duration.ofMillis(500)))) {
            Username bob = quick.user("bob@example.org", "pw");
            Mailbox box = quick.mailbox(bob, "INBOX");
            try (ImapTestClient c = quick.login("bob@example.org", "pw")) {
                c.send("a1 APPEND INBOX {120}");
                assertThat(c.readLine()).startsWith("+ ");
                // The server waits for the octets (RFC 3501 section 4.3) and does not take the next line as a
                // command; then the idle timeout ends the connection.
                assertThat(c.readLine()).isEqualTo("* BYE Autologout; idle for too long");
                assertThat(c.isClosedByServer()).isTrue();
            }
            try (ImapTestClient c = quick.login("bob@example.org", "pw")) {
                // Part of a non-synchronizing literal, then silence.
                c.sendRaw("a2 APPEND INBOX {120+}\r\nFrom: x@example.org\r\n");
                assertThat(c.readLine()).isEqualTo("* BYE Autologout; idle for too long");
            }
            assertThat(quick.store.snapshot(box).toCompletableFuture().join().messages()).isEmpty();
            assertThat(quick.store.counters(box.id()).toCompletableFuture().join().messages()).isZero();
        }
    }

    @Test
    void idleConnectionIsLoggedOut() throws Exception {
        try (ImapTestServer quick = new ImapTestServer(ImapConfig.defaults("imap.test")
                .withIdleTimeout(Duration.ofMillis(300)));
             ImapTestClient c = quick.connect()) {
            c.readLine();
            assertThat(c.readLine()).isEqualTo("* BYE Autologout; idle for too long");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }
}
