package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * STARTTLS (RFC 3501 section 6.2.1) and implicit TLS (RFC 8314) with a real TLS client, LOGINDISABLED and
 * {@code NO [PRIVACYREQUIRED]} before TLS, and the refusal of plaintext pipelined after STARTTLS (RFC 7817
 * section 3).
 */
class TlsTest {

    private static final String CAPS = ConnectionTest.CAPS;

    private ImapTestServer server;
    private SSLSocketFactory tls;

    @BeforeEach
    void start() throws Exception {
        TestCertificate cert = TestCertificate.get();
        tls = cert.clientFactory();
        server = new ImapTestServer(ImapConfig.defaults("imap.test").withTls(cert.serverContext(), false));
        server.user("alice@example.org", "secret");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void plaintextConnectionOffersStartTlsAndDisablesLogin() throws Exception {
        try (ImapTestClient c = server.connect()) {
            assertThat(c.readLine()).isEqualTo("* OK [CAPABILITY " + CAPS + " STARTTLS LOGINDISABLED] imap.test "
                    + "Stratus IMAP4rev1 server ready");
            assertThat(c.command("a1", "LOGIN alice@example.org secret")).containsExactly(
                    "a1 NO [PRIVACYREQUIRED] Authentication needs TLS: use STARTTLS or the implicit TLS port first");
            String plain = Base64.getEncoder().encodeToString("\0alice@example.org\0secret".getBytes(
                    StandardCharsets.UTF_8));
            assertThat(c.command("a2", "AUTHENTICATE PLAIN " + plain)).containsExactly(
                    "a2 NO [PRIVACYREQUIRED] Authentication needs TLS: use STARTTLS or the implicit TLS port first");
            assertThat(c.command("a3", "SELECT INBOX")).containsExactly(
                    "a3 BAD SELECT is not allowed before authentication: log in first");
        }
    }

    @Test
    void startTlsThenLogin() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            // RFC 3501 section 6.2.1 example
            assertThat(c.command("a001", "CAPABILITY")).containsExactly(
                    "* CAPABILITY " + CAPS + " STARTTLS LOGINDISABLED", "a001 OK CAPABILITY completed");
            assertThat(c.command("a002", "STARTTLS")).containsExactly("a002 OK Begin TLS negotiation now");
            c.startTls(tls);
            assertThat(c.tlsSession().getProtocol()).startsWith("TLSv1.");
            assertThat(c.command("a003", "CAPABILITY")).containsExactly(
                    "* CAPABILITY " + CAPS + " SASL-IR AUTH=PLAIN AUTH=LOGIN", "a003 OK CAPABILITY completed");
            assertThat(c.command("a004", "LOGIN alice@example.org secret")).containsExactly(
                    "a004 OK [CAPABILITY " + CAPS + "] LOGIN completed");
            assertThat(c.command("a005", "STARTTLS")).containsExactly(
                    "a005 BAD STARTTLS is not allowed: already authenticated");
            assertThat(c.command("a006", "SELECT INBOX")).last().isEqualTo("a006 OK [READ-WRITE] SELECT completed");
        }
    }

    @Test
    void secondStartTlsIsRefused() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.command("a1", "STARTTLS");
            c.startTls(tls);
            assertThat(c.command("a2", "STARTTLS")).containsExactly("a2 BAD TLS is already active");
            assertThat(c.command("a3", "NOOP")).containsExactly("a3 OK NOOP completed");
        }
    }

    @Test
    void commandsPipelinedAfterStartTlsAreRefusedAndTheConnectionCloses() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            // An attacker in the middle appends a plaintext command after the client's STARTTLS.
            c.sendRaw("a1 STARTTLS\r\na2 LOGIN alice@example.org secret\r\n");
            assertThat(c.readUntilTagged("a1")).containsExactly(
                    "* BYE Plaintext after STARTTLS; closing",
                    "a1 BAD Commands sent after STARTTLS before the TLS handshake are not allowed (RFC 3501 section "
                            + "6.2.1)");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void partialCommandAfterStartTlsIsRefusedToo() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.sendRaw("a1 STARTTLS\r\na2 NO");
            assertThat(c.readUntilTagged("a1")).last().asString().startsWith("a1 BAD Commands sent after STARTTLS");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void untrustedClientFailsTheHandshakeAndTheServerKeepsServing() throws Exception {
        try (ImapTestClient c = server.connect()) {
            c.readLine();
            c.command("a1", "STARTTLS");
            SSLContext untrusting = SSLContext.getInstance("TLS");
            untrusting.init(null, null, null); // the JDK's CA list does not hold our self-signed certificate
            assertThatThrownBy(() -> c.startTls(untrusting.getSocketFactory())).isInstanceOf(SSLException.class);
        }
        try (ImapTestClient c = server.connect()) {
            assertThat(c.readLine()).startsWith("* OK ");
        }
    }

    @Test
    void implicitTlsGreetsOverTlsAndAllowsLogin() throws Exception {
        InetSocketAddress tlsAddress = server.startImplicitTls();
        try (ImapTestClient c = new ImapTestClient(tlsAddress, tls)) {
            assertThat(c.readLine()).isEqualTo("* OK [CAPABILITY " + CAPS + " SASL-IR AUTH=PLAIN AUTH=LOGIN] imap.test "
                    + "Stratus IMAP4rev1 server ready");
            assertThat(c.command("a1", "STARTTLS")).containsExactly("a1 BAD TLS is already active");
            assertThat(c.command("a2", "LOGIN alice@example.org secret")).containsExactly(
                    "a2 OK [CAPABILITY " + CAPS + "] LOGIN completed");
            assertThat(c.command("a3", "LOGOUT")).contains("a3 OK LOGOUT completed");
        }
    }

    @Test
    void plaintextOnTheImplicitTlsPortGetsNoGreeting() throws Exception {
        InetSocketAddress tlsAddress = server.startImplicitTls();
        try (ImapTestClient c = new ImapTestClient(tlsAddress)) {
            c.send("a1 LOGIN alice@example.org secret");
            c.setTimeout(5000);
            assertThatThrownBy(c::readLine).isInstanceOf(IOException.class);
        }
    }

    @Test
    void plaintextAuthCanBeAllowedBeforeTls() throws Exception {
        TestCertificate cert = TestCertificate.get();
        try (ImapTestServer lenient = new ImapTestServer(ImapConfig.defaults("imap.test")
                .withTls(cert.serverContext(), true))) {
            lenient.user("bob@example.org", "pw");
            try (ImapTestClient c = lenient.connect()) {
                assertThat(c.readLine()).contains(" STARTTLS SASL-IR AUTH=PLAIN AUTH=LOGIN]");
                assertThat(c.command("a1", "LOGIN bob@example.org pw")).last().asString()
                        .startsWith("a1 OK [CAPABILITY");
            }
        }
    }

    @Test
    void withoutTlsStartTlsIsNotOffered() throws Exception {
        try (ImapTestServer plain = new ImapTestServer(); ImapTestClient c = plain.connect()) {
            assertThat(c.readLine()).doesNotContain("STARTTLS");
            assertThat(c.command("a1", "STARTTLS")).containsExactly("a1 BAD STARTTLS is not available here");
        }
    }

    @Test
    void pythonImaplibStartTlsAndImplicitTls() throws Exception {
        InetSocketAddress tlsAddress = server.startImplicitTls();
        List<String> out = Python.run("imaplib_tls.py", Integer.toString(server.port()),
                Integer.toString(tlsAddress.getPort()), TestCertificate.get().pem.toString(), "alice@example.org",
                "secret");
        assertThat(out).containsExactly(
                "plain-caps LOGINDISABLED STARTTLS",
                "starttls OK",
                "tls-caps AUTH=PLAIN",
                "login OK",
                "ssl-login OK",
                "ssl-version TLSv1.3");
    }
}
