package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Greeting, CAPABILITY, NOOP, LOGOUT, LOGIN and AUTHENTICATE over a real socket (RFC 3501 section 6.1, 6.2). */
class ConnectionTest {

    /** The capabilities in every state (the default APPENDLIMIT is the 64 MiB literal limit). */
    static final String CAPS = "IMAP4rev1 LITERAL+ CHILDREN ID IDLE NAMESPACE UIDPLUS UNSELECT ENABLE MOVE "
            + "CONDSTORE QRESYNC ESEARCH LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE STATUS=SIZE QUOTA "
            + "QUOTA=RES-STORAGE QUOTA=RES-MESSAGE APPENDLIMIT=67108864";

    private ImapTestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ImapTestServer();
        server.user("alice@example.org", "secret");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetingAnnouncesCapabilities() throws Exception {
        try (ImapTestClient c = server.connect()) {
            assertThat(c.readLine()).isEqualTo(
                    "* OK [CAPABILITY " + CAPS + " SASL-IR AUTH=PLAIN AUTH=LOGIN] imap.test Stratus IMAP4rev1 "
                            + "server ready");
        }
    }

    @Test
    void capabilityBeforeAndAfterLogin() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "CAPABILITY")).containsExactly(
                    "* CAPABILITY " + CAPS + " SASL-IR AUTH=PLAIN AUTH=LOGIN",
                    "a1 OK CAPABILITY completed");
            assertThat(c.command("a2", "login alice@example.org secret")).containsExactly(
                    "a2 OK [CAPABILITY " + CAPS + "] LOGIN completed");
            assertThat(c.command("a3", "capability")).containsExactly(
                    "* CAPABILITY " + CAPS,
                    "a3 OK CAPABILITY completed");
        }
    }

    @Test
    void noopAndLogout() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "NOOP")).containsExactly("a1 OK NOOP completed");
            assertThat(c.command("a2", "LOGOUT")).containsExactly(
                    "* BYE Stratus IMAP4rev1 server logging out",
                    "a2 OK LOGOUT completed");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void loginWithWrongPasswordOrUnknownUserFails() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "LOGIN alice@example.org wrong"))
                    .containsExactly("a1 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat(c.command("a2", "LOGIN nobody@example.org secret"))
                    .containsExactly("a2 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat(c.command("a3", "LOGIN \"bad user\" secret"))
                    .containsExactly("a3 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat(c.command("a4", "SELECT INBOX"))
                    .containsExactly("a4 BAD SELECT is not allowed before authentication: log in first");
        }
    }

    @Test
    void loginWithQuotedStringsAndLiterals() throws Exception {
        server.user("bob@example.org", "p\"a\\ss word");
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "LOGIN \"BOB@example.org\" \"p\\\"a\\\\ss word\"").get(0))
                    .startsWith("a1 OK");
        }
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 LOGIN {15}");
            assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
            c.send("bob@example.org {11}");
            assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
            c.send("p\"a\\ss word");
            assertThat(c.readUntilTagged("a1").get(0)).startsWith("a1 OK");
        }
    }

    @Test
    void loginWithNonSynchronizingLiteralsNeedsNoContinuation() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.sendRaw("a1 LOGIN {17+}\r\nalice@example.org {6+}\r\nsecret\r\n");
            assertThat(c.readUntilTagged("a1")).containsExactly(
                    "a1 OK [CAPABILITY " + CAPS + "] LOGIN completed");
        }
    }

    @Test
    void loginTwiceIsRefused() throws Exception {
        try (ImapTestClient c = server.login("alice@example.org", "secret")) {
            assertThat(c.command("a1", "LOGIN alice@example.org secret"))
                    .containsExactly("a1 BAD LOGIN is not allowed: already authenticated");
        }
    }

    @Test
    void authenticatePlainWithContinuation() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 AUTHENTICATE PLAIN");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send(b64("\0alice@example.org\0secret"));
            assertThat(c.readUntilTagged("a1")).containsExactly(
                    "a1 OK [CAPABILITY " + CAPS + "] AUTHENTICATE completed");
            assertThat(c.command("a2", "LIST \"\" INBOX")).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" INBOX", "a2 OK LIST completed");
        }
    }

    @Test
    void authenticatePlainWithInitialResponse() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "AUTHENTICATE PLAIN " + b64("alice@example.org\0alice@example.org\0secret")))
                    .containsExactly("a1 OK [CAPABILITY " + CAPS + "] AUTHENTICATE completed");
        }
    }

    @Test
    void authenticatePlainFailures() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            assertThat(c.command("a1", "AUTHENTICATE PLAIN " + b64("\0alice@example.org\0nope")))
                    .containsExactly("a1 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat(c.command("a2", "AUTHENTICATE PLAIN " + b64("bob@example.org\0alice@example.org\0secret")))
                    .containsExactly("a2 NO [AUTHORIZATIONFAILED] Acting as another user is not allowed");
            assertThat(c.command("a3", "AUTHENTICATE PLAIN !!notbase64"))
                    .containsExactly("a3 BAD Invalid BASE64 in SASL response");
            assertThat(c.command("a4", "AUTHENTICATE PLAIN " + b64("just-one-field")))
                    .containsExactly("a4 BAD Malformed PLAIN response: expected [authzid] NUL authcid NUL passwd");
            assertThat(c.command("a5", "AUTHENTICATE CRAM-MD5"))
                    .containsExactly("a5 NO [CANNOT] Unsupported authentication mechanism");
            c.send("a6 AUTHENTICATE PLAIN");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send("*");
            assertThat(c.readUntilTagged("a6")).containsExactly("a6 BAD AUTHENTICATE cancelled");
            // The session goes on in the not authenticated state.
            assertThat(c.command("a7", "LOGIN alice@example.org secret").get(0)).startsWith("a7 OK");
        }
    }

    @Test
    void literalsAreSmallBeforeLoginAndLargeAfter() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 LOGIN {70000}");
            assertThat(c.readLine()).isEqualTo("a1 BAD [TOOBIG] Literal of 70000 octets refused (limit 65536 octets)");
            assertThat(c.command("a2", "LOGIN alice@example.org secret").get(0)).startsWith("a2 OK");
            c.send("a3 LIST {70000}");
            assertThat(c.readLine()).isEqualTo("+ Ready for literal data");
            c.send("x".repeat(70000) + " *");
            assertThat(c.readUntilTagged("a3")).containsExactly("a3 OK LIST completed");
        }
    }
}
