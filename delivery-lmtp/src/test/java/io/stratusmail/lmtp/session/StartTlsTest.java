package io.stratusmail.lmtp.session;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.search.MessageIndexer;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** STARTTLS (RFC 3207) with a JDK SSLSocket client and a certificate made for the test. */
class StartTlsTest {

    private static SelfSignedCertificate certificate;
    private static SslContext serverTls;
    private static SSLSocketFactory clientTls;

    private TestServer server;

    @BeforeAll
    static void certificate() throws Exception {
        certificate = new SelfSignedCertificate(TestServer.HOSTNAME);
        serverTls = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("lmtp", certificate.cert());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        clientTls = context.getSocketFactory();
    }

    @AfterAll
    static void deleteCertificate() {
        certificate.delete();
    }

    @BeforeEach
    void start() {
        server = new TestServer(TestServer.config().withTls(serverTls), null, null, MessageIndexer.NONE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void afterStarttlsTheSessionStartsOverAndMailArrivesOverTls() {
        byte[] message = bytes("Subject: secret\r\n\r\nover TLS\r\n");
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            assertThat(c.command("LHLO client.example")).endsWith("\n250 STARTTLS");
            assertThat(c.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
            assertThat(c.startTls(clientTls)).startsWith("TLSv1.");
            // RFC 3207 section 4.2: back to the state after the greeting, without a new greeting
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("503 5.5.1 Send LHLO first");
            String lhlo = c.command("LHLO client.example");
            assertThat(lhlo).startsWith("250-lmtp.stratus.test").doesNotContain("STARTTLS");
            assertThat(c.command("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(message));
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
        Wire.Stored stored = Wire.split(server.inbox("alice@example.com").get(0));
        assertThat(stored.body()).isEqualTo(message);
        assertThat(stored.trace()).contains(" with LMTPS id "); // RFC 3848
    }

    @Test
    void plaintextPipelinedAfterStarttlsIsDropped() {
        // the STARTTLS command injection attack: commands sent in clear behind STARTTLS must not run as if
        // they came over TLS
        try (LmtpClient c = server.connect()) {
            c.write("STARTTLS\r\nLHLO injected.example\r\nMAIL FROM:<evil@example.org>\r\n");
            assertThat(c.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
            c.startTls(clientTls);
            // neither the injected LHLO nor the injected MAIL ran
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("503 5.5.1 Send LHLO first");
            c.command("LHLO client.example");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("503 5.5.1 Need MAIL command first");
        }
    }

    @Test
    void starttlsEndsAnOpenTransaction() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            assertThat(c.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
            c.startTls(clientTls);
            c.command("LHLO client.example");
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 Need MAIL command first");
        }
    }

    @Test
    void starttlsTakesNoArgumentAndIsNotOfferedWithoutACertificate() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("STARTTLS now")).isEqualTo("501 5.5.4 No arguments allowed");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        try (TestServer plain = new TestServer(); LmtpClient c = LmtpClient.greeted(plain.address)) {
            assertThat(List.of(c.command("LHLO client.example").split("\n")))
                    .noneMatch(line -> line.contains("STARTTLS"));
            assertThat(c.command("STARTTLS")).isEqualTo("502 5.5.1 STARTTLS not available");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void failedHandshakeClosesThatConnectionOnly() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
            c.write("NOOP\r\n".repeat(100)); // not a TLS record
            assertThat(c.isClosedByServer()).isTrue();
        }
        try (LmtpClient c = server.connect()) {
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }
}
