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
