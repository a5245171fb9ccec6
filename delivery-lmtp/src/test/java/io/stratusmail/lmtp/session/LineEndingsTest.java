package io.stratusmail.lmtp.session;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.LmtpConfig;
import io.stratusmail.lmtp.LmtpConfig.LineEndings;
import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.search.MessageIndexer;
import org.junit.jupiter.api.Test;

/**
 * RFC 5321 section 2.3.8 (CR and LF only as CRLF) under both line-ending policies: lenient (the default,
 * as real MTAs send) and strict.
 */
class LineEndingsTest {

    private static final String BAD_DATA =
            "554 5.6.0 Message has a bare CR or LF; lines end with CRLF (RFC 5321 section 2.3.8)";

    private static TestServer server(LineEndings lineEndings) {
        return new TestServer(TestServer.config().withLineEndings(lineEndings), null, null, MessageIndexer.NONE);
    }

    @Test
    void lenientByDefaultBareLfEndsACommandAndIsStoredUnchangedInData() {
        assertThat(TestServer.config().lineEndings()).isEqualTo(LineEndings.LENIENT);
        byte[] message = bytes("Subject: unix\n\nline\nother\rline\r\n");
        try (TestServer s = server(LineEndings.LENIENT); LmtpClient c = s.connect()) {
            c.write("NOOP\n");
            assertThat(c.reply()).isEqualTo("250 2.0.0 OK");
            c.write("MAIL FROM:<sender@example.org>\nRCPT TO:<alice@example.com>\n");
            assertThat(c.replies(2)).containsExactly("250 2.1.0 OK", "250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(message));
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            assertThat(Wire.split(s.inbox("alice@example.com").get(0)).body()).isEqualTo(message);
        }
    }

    @Test
    void strictRefusesACommandLineEndedByBareLfAndGoesOn() {
        try (TestServer s = server(LineEndings.STRICT); LmtpClient c = s.connect()) {
            c.write("NOOP\nMAIL FROM:<sender@example.org>\n");
            assertThat(c.replies(2)).containsExactly(
                    "500 5.5.2 Bare LF in command line; lines end with CRLF (RFC 5321 section 2.3.8)",
                    "500 5.5.2 Bare LF in command line; lines end with CRLF (RFC 5321 section 2.3.8)");
            assertThat(c.command("MAIL FROM:<sender@example.org>")).isEqualTo("250 2.1.0 OK");
        }
    }

    @Test
    void strictRefusesDataWithABareLfOrCrForEveryRecipient() {
        for (String body : new String[] {"Subject: x\r\n\r\nbare\nLF\r\n", "Subject: x\r\n\r\nbare\rCR\r\n",
                "Subject: x\r\n\r\nperiod then bare CR\r\n.\rx\r\n", "Subject: x\r\n\r\nCR CR LF\r\r\n"}) {
            try (TestServer s = server(LineEndings.STRICT); LmtpClient c = s.connect()) {
                c.command("MAIL FROM:<sender@example.org>");
                c.command("RCPT TO:<alice@example.com>");
                c.command("RCPT TO:<bob@example.com>");
                assertThat(c.command("DATA")).startsWith("354 ");
                // written raw: no line starts with a period but the one meant to
                c.write(body + ".\r\n");
                assertThat(c.replies(2)).as(body).containsExactly(BAD_DATA, BAD_DATA);
                assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
                assertThat(s.inbox("alice@example.com")).isEmpty();
                assertThat(s.inbox("bob@example.com")).isEmpty();
            }
        }
    }

    @Test
    void strictDoesNotLetABareLfDotEndTheDataEarly() {
        // "LF . LF" is no end of data in either mode; in strict mode the whole transfer is refused, and what
        // looked like a second transaction inside it is never run
        String smuggling = "Subject: first\r\n\r\ntext\n.\nMAIL FROM:<evil@example.org>\nRCPT TO:<bob@example.com>\n"
                + "DATA\nSubject: smuggled\n\nend\r\n.\r\n";
        try (TestServer s = server(LineEndings.STRICT); LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(smuggling);
            assertThat(c.reply()).isEqualTo(BAD_DATA);
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            assertThat(s.inbox("alice@example.com")).isEmpty();
            assertThat(s.inbox("bob@example.com")).isEmpty();
        }
    }

    @Test
    void strictStoresCrlfMailAndBdatChunksUnchanged() {
        byte[] message = bytes("Subject: proper\r\n\r\nCRLF only.\r\n");
        try (TestServer s = server(LineEndings.STRICT); LmtpClient c = s.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write(stuffed(message));
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            // a chunk has an exact length and no end marker: its octets are not line-checked
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<bob@example.com>");
            c.write("BDAT 7 LAST\r\nbare\nLF");
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
            assertThat(Wire.split(s.inbox("alice@example.com").get(0)).body()).isEqualTo(message);
            assertThat(Wire.split(s.inbox("bob@example.com").get(0)).body()).isEqualTo(bytes("bare\nLF"));
        }
    }

    @Test
    void strictStillAppliesTheLineLengthLimits() {
        LmtpConfig config = new LmtpConfig(TestServer.HOSTNAME, 1 << 20, 1000, 2000, 100, java.time.Duration.ofMinutes(5))
                .withLineEndings(LineEndings.STRICT);
        try (TestServer s = new TestServer(config, null, null, MessageIndexer.NONE); LmtpClient c = s.connect()) {
            assertThat(c.command("NOOP " + "x".repeat(994))).isEqualTo("500 5.5.2 Line too long (limit 1000 octets)");
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            c.command("DATA");
            c.write("Subject: long\r\n\r\n" + "y".repeat(2000) + "\r\n.\r\n");
            assertThat(c.reply()).isEqualTo("554 5.6.0 Message has a line longer than 2000 octets");
        }
    }
}
