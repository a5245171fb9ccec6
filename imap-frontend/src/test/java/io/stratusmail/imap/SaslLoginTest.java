package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AUTHENTICATE LOGIN (the SASL LOGIN mechanism Outlook uses; announced as {@code AUTH=LOGIN}, which
 * issue 4 requires) over a real socket: the two challenges, the user name as SASL-IR initial response (RFC 4959),
 * bad credentials, cancel and bad BASE64 at either step, and the session going on after each failure.
 */
class SaslLoginTest {

    private static final String USERNAME = "+ VXNlcm5hbWU6";
    private static final String PASSWORD = "+ UGFzc3dvcmQ6";

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
    void authLoginIsAnnouncedAndBothChallengesLogIn() throws Exception {
        try (ImapTestClient c = server.connect()) {
            assertThat(c.readLine()).contains(" SASL-IR AUTH=PLAIN AUTH=LOGIN]");
            c.send("a1 AUTHENTICATE LOGIN");
            assertThat(c.readLine()).isEqualTo(USERNAME);
            c.send(b64("alice@example.org"));
            assertThat(c.readLine()).isEqualTo(PASSWORD);
            c.send(b64("secret"));
            assertThat(c.readUntilTagged("a1")).containsExactly(
                    "a1 OK [CAPABILITY " + ConnectionTest.CAPS + "] AUTHENTICATE completed");
            assertThat(c.command("a2", "LIST \"\" INBOX")).containsExactly(
                    "* LIST (\\HasNoChildren) \"/\" INBOX", "a2 OK LIST completed");
        }
    }

    @Test
    void theUserNameMayComeAsInitialResponse() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 AUTHENTICATE LOGIN " + b64("alice@example.org"));
            assertThat(c.readLine()).isEqualTo(PASSWORD);
            c.send(b64("secret"));
            assertThat(c.readUntilTagged("a1")).last().asString().startsWith("a1 OK [CAPABILITY");
        }
    }

    @Test
    void wrongPasswordCancelAndBadBase64AreRefusedAndTheSessionGoesOn() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.send("a1 AUTHENTICATE LOGIN " + b64("alice@example.org"));
            assertThat(c.readLine()).isEqualTo(PASSWORD);
            c.send(b64("nope"));
            assertThat(c.readUntilTagged("a1")).containsExactly("a1 NO [AUTHENTICATIONFAILED] Invalid credentials");

            c.send("a2 AUTHENTICATE LOGIN");
            assertThat(c.readLine()).isEqualTo(USERNAME);
            c.send("*");
            assertThat(c.readUntilTagged("a2")).containsExactly("a2 BAD AUTHENTICATE cancelled");

            c.send("a3 AUTHENTICATE LOGIN " + b64("alice@example.org"));
            assertThat(c.readLine()).isEqualTo(PASSWORD);
            c.send("*");
            assertThat(c.readUntilTagged("a3")).containsExactly("a3 BAD AUTHENTICATE cancelled");

            assertThat(c.command("a4", "AUTHENTICATE LOGIN !!notbase64"))
                    .containsExactly("a4 BAD Invalid BASE64 in SASL response");
            c.send("a5 AUTHENTICATE LOGIN");
            assertThat(c.readLine()).isEqualTo(USERNAME);
            c.send(b64("alice@example.org"));
            assertThat(c.readLine()).isEqualTo(PASSWORD);
            c.send("%%%");
            assertThat(c.readUntilTagged("a5")).containsExactly("a5 BAD Invalid BASE64 in SASL response");

            assertThat(c.command("a6", "LOGIN alice@example.org secret").get(0)).startsWith("a6 OK");
        }
    }
}
