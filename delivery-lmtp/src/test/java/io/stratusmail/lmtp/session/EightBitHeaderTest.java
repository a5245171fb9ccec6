package io.stratusmail.lmtp.session;

import static io.stratusmail.lmtp.testing.Wire.bytes;
import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * 8-bit octets in the header section need {@code BODY=8BITMIME} (RFC 6152) or {@code SMTPUTF8} (RFC 6531) on
 * MAIL: without either, every recipient gets {@code 554 5.6.0} and nothing is stored.
 */
class EightBitHeaderTest {

    private static final String REFUSED = "554 5.6.0 Message header has 8-bit octets but MAIL declared neither"
            + " BODY=8BITMIME nor SMTPUTF8 (RFC 6152, RFC 6531)";
    /** "Subject: café" in UTF-8, sent as raw octets. */
    private static final byte[] EIGHT_BIT_SUBJECT =
            bytes("From: a@example.org\r\nSubject: caf\u00c3\u00a9\r\n\r\nplain body\r\n");
    private static final byte[] EIGHT_BIT_BODY =
            bytes("From: a@example.org\r\nSubject: plain\r\n\r\ncaf\u00c3\u00a9\r\n");

    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> data(String mail, byte[] message) {
        try (LmtpClient c = server.connect()) {
            assertThat(c.command(mail)).isEqualTo("250 2.1.0 OK");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<bob@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(message));
            List<String> replies = c.replies(2);
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
            return replies;
        }
    }

    @Test
    void eightBitHeaderWithoutDeclarationIsRefusedForEveryRecipient() {
        assertThat(data("MAIL FROM:<sender@example.org>", EIGHT_BIT_SUBJECT)).containsExactly(REFUSED, REFUSED);
        assertThat(server.inbox("alice@example.com")).isEmpty();
        assertThat(server.inbox("bob@example.com")).isEmpty();
    }

    @Test
    void eightBitHeaderWithBody8bitmimeOrSmtputf8IsStored() {
        assertThat(data("MAIL FROM:<sender@example.org> BODY=8BITMIME", EIGHT_BIT_SUBJECT))
                .allSatisfy(r -> assertThat(r).startsWith("250 2.0.0 "));
        assertThat(data("MAIL FROM:<sender@example.org> SMTPUTF8", EIGHT_BIT_SUBJECT))
                .allSatisfy(r -> assertThat(r).startsWith("250 2.0.0 "));
        assertThat(server.inbox("alice@example.com")).hasSize(2);
    }

    @Test
    void eightBitOctetsOnlyInTheBodyAreAccepted() {
        assertThat(data("MAIL FROM:<sender@example.org>", EIGHT_BIT_BODY))
                .allSatisfy(r -> assertThat(r).startsWith("250 2.0.0 "));
        assertThat(server.inbox("bob@example.com")).hasSize(1);
    }

    @Test
    void eightBitHeaderInBdatChunksWithoutDeclarationIsRefused() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org>");
            c.command("RCPT TO:<alice@example.com>");
            byte[] first = bytes("From: a@example.org\r\nSubj");
            byte[] rest = bytes("ect: caf\u00c3\u00a9\r\n\r\nbody\r\n");
            c.write(bytes("BDAT " + first.length + "\r\n"));
            c.write(first);
            assertThat(c.reply()).isEqualTo("250 2.0.0 " + first.length + " octets received");
            c.write(bytes("BDAT " + rest.length + " LAST\r\n"));
            c.write(rest);
            assertThat(c.reply()).isEqualTo(REFUSED);
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
        assertThat(server.inbox("alice@example.com")).isEmpty();
    }
}
