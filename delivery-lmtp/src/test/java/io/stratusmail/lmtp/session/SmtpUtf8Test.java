package io.stratusmail.lmtp.session;

import static io.stratusmail.lmtp.testing.Wire.stuffed;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.lmtp.testing.LmtpClient;
import io.stratusmail.lmtp.testing.TestServer;
import io.stratusmail.lmtp.testing.Wire;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SMTPUTF8 (RFC 6531) in LMTP: UTF-8 addresses in MAIL and RCPT, 8-bit header fields stored as sent. */
class SmtpUtf8Test {

    private static final String DOERTE = "dörte@bücher.example";
    private static final byte[] MESSAGE = ("From: Jürgen <jürgen@bücher.example>\r\n"
            + "To: Dörte <" + DOERTE + ">\r\n"
            + "Subject: Grüße aus Köln — 東京\r\n"
            + "\r\n"
            + "Schöne Grüße.\r\n").getBytes(StandardCharsets.UTF_8);

    private TestServer server;

    @BeforeEach
    void start() {
        server = new TestServer();
        server.store.put(Username.of(DOERTE), "unused-hash");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void utf8AddressesWithSmtputf8AreDeliveredAndHeadersStoredUnchanged() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.commandUtf8("MAIL FROM:<jürgen@bücher.example> SMTPUTF8 BODY=8BITMIME"))
                    .isEqualTo("250 2.1.0 OK");
            assertThat(c.commandUtf8("RCPT TO:<Dörte@bücher.example>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("RCPT TO:<alice@example.com>")).isEqualTo("250 2.1.5 OK");
            assertThat(c.command("DATA")).startsWith("354 ");
            c.write(stuffed(MESSAGE));
            assertThat(c.replies(2)).allMatch(r -> r.matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved"));
        }
        byte[] stored = server.inbox(DOERTE).get(0);
        Wire.Stored split = Wire.split(stored);
        assertThat(split.body()).isEqualTo(MESSAGE);
        // trace fields in UTF-8 (RFC 6532), protocol UTF8LMTP (RFC 6531 section 3.7.3)
        String trace = new String(stored, 0, stored.length - MESSAGE.length, StandardCharsets.UTF_8);
        assertThat(trace).startsWith("Return-Path: <jürgen@bücher.example>\r\nDelivered-To: " + DOERTE + "\r\n")
                .contains(" with UTF8LMTP id ");
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).body()).isEqualTo(MESSAGE);
    }

    @Test
    void utf8AddressWithoutSmtputf8Gets553() {
        try (LmtpClient c = server.connect()) {
            assertThat(c.commandUtf8("MAIL FROM:<jürgen@bücher.example>"))
                    .isEqualTo("553 5.6.7 Non-ASCII sender address needs the SMTPUTF8 parameter (RFC 6531)");
            assertThat(c.command("MAIL FROM:<sender@example.org> BODY=8BITMIME")).isEqualTo("250 2.1.0 OK");
            assertThat(c.commandUtf8("RCPT TO:<" + DOERTE + ">"))
                    .isEqualTo("553 5.6.7 Non-ASCII recipient address needs the SMTPUTF8 parameter on MAIL (RFC 6531)");
            assertThat(c.command("DATA")).isEqualTo("503 5.5.1 No valid recipients");
        }
        assertThat(server.inbox(DOERTE)).isEmpty();
    }

    @Test
    void plainAsciiTransactionWithSmtputf8IsStillAnUtf8Transaction() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<sender@example.org> SMTPUTF8");
            c.command("RCPT TO:<alice@example.com>");
            c.write("BDAT 15 LAST\r\nSubject: hi\r\n\r\n");
            assertThat(c.reply()).matches("250 2\\.0\\.0 [0-9A-Z]{16} Saved");
        }
        assertThat(Wire.split(server.inbox("alice@example.com").get(0)).trace()).contains(" with UTF8LMTP id ");
    }

    @Test
    void unknownUtf8RecipientIsEchoedAsAsciiXtext() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<> SMTPUTF8");
            // RFC 6533 utf-8-addr-xtext keeps the reply US-ASCII
            assertThat(c.commandUtf8("RCPT TO:<jörg@bücher.example>"))
                    .isEqualTo("550 5.1.1 <j\\x{F6}rg@b\\x{FC}cher.example>: user unknown");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void malformedUtf8AndNonAsciiOutsideAddressesAreRefused() {
        try (LmtpClient c = server.connect()) {
            // 0xC3 0x28: a lead octet without its continuation
            c.write(new byte[] {'M', 'A', 'I', 'L', ' ', 'F', 'R', 'O', 'M', ':', '<', 'a', (byte) 0xC3, '(',
                    '@', 'x', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '>', ' ', 'S', 'M', 'T', 'P', 'U', 'T', 'F', '8',
                    '\r', '\n'});
            assertThat(c.reply()).isEqualTo("501 5.5.4 Command is not well-formed UTF-8");
            assertThat(c.commandUtf8("LHLO bücher.example"))
                    .isEqualTo("500 5.5.2 Command contains a control or non-ASCII character");
            assertThat(c.commandUtf8("VRFY dörte")).isEqualTo("500 5.5.2 Command contains a control or non-ASCII character");
            // a right-to-left override could make an address display as another
            assertThat(c.commandUtf8("MAIL FROM:<evil\u202Egro.elpmaxe@example.org> SMTPUTF8"))
                    .startsWith("501 5.1.7 Bad sender address syntax");
            assertThat(c.commandUtf8("MAIL FROM:<non\u00A0breaking@example.org> SMTPUTF8"))
                    .startsWith("501 5.1.7 Bad sender address syntax");
            assertThat(c.command("NOOP")).isEqualTo("250 2.0.0 OK");
        }
    }

    @Test
    void localPartLimitIsCountedInOctets() {
        try (LmtpClient c = server.connect()) {
            c.command("MAIL FROM:<> SMTPUTF8");
            // 32 two-octet characters are 64 octets: at the limit, so only the account is missing
            assertThat(c.commandUtf8("RCPT TO:<" + "ü".repeat(32) + "@example.com>")).startsWith("550 5.1.1 ");
            assertThat(c.commandUtf8("RCPT TO:<" + "ü".repeat(33) + "@example.com>"))
                    .isEqualTo("501 5.1.3 Bad recipient address syntax: local part must be 1 to 64 octets");
        }
    }

    @Test
    void lhloListsSmtputf8() {
        try (LmtpClient c = LmtpClient.greeted(server.address)) {
            assertThat(List.of(c.command("LHLO client.example").split("\n")))
                    .anyMatch(line -> line.substring(4).equals("SMTPUTF8"));
        }
    }
}
