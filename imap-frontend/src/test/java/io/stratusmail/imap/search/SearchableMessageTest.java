package io.stratusmail.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decoding for SEARCH: RFC 2047 headers, folded lines, transfer encodings, charsets, hostile input. */
class SearchableMessageTest {

    private static SearchableMessage parse(String message) {
        return SearchableMessage.parse(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void encodedWordsAndFoldedFieldsAreDecoded() {
        SearchableMessage m = parse("Subject: =?UTF-8?B?w4lsw6hhbmU=?= and\r\n =?ISO-8859-1?Q?J=F6rg?=\r\n"
                + "From: =?utf-8?q?Ren=C3=A9e?= <renee@example.org>\r\n\r\nbody\r\n");
        assertThat(m.headerContains("subject", "\u00e9l\u00e8ane and j\u00f6rg")).isTrue();
        assertThat(m.headerContains("FROM", "ren\u00e9e <renee@")).isTrue();
        assertThat(m.headerContains("From", "")).isTrue();
        assertThat(m.headerContains("To", "")).isFalse();
        assertThat(m.textContains("subject: \u00c9L\u00c8ANE")).isTrue();
        assertThat(m.bodyContains("body")).isTrue();
        assertThat(m.bodyContains("renee")).isFalse();
    }

    @Test
    void rawUtf8HeadersAreRead() {
        SearchableMessage m = SearchableMessage.parse(
                "Subject: \u65e5\u672c\u8a9e\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(m.headerContains("Subject", "\u672c")).isTrue();
    }

    @Test
    void quotedPrintableBase64AndCharsetsAreDecoded() {
        String msg = "Content-Type: multipart/alternative; boundary=XX\r\n\r\n"
                + "--XX\r\nContent-Type: text/plain; charset=windows-1252\r\nContent-Transfer-Encoding: "
                + "quoted-printable\r\n\r\n=93smart quotes=94 and a soft=\r\n break\r\n"
                + "--XX\r\nContent-Type: text/html; charset=koi8-r\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getEncoder().encodeToString("<p>\u041f\u0440\u0438\u0432\u0435\u0442</p>"
                        .getBytes(Charset.forName("KOI8-R"))) + "\r\n"
                + "--XX\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\nunknown charset text\r\n"
                + "--XX--\r\n";
        SearchableMessage m = parse(msg);
        assertThat(m.bodyContains("\u201csmart quotes\u201d")).isTrue();
        assertThat(m.bodyContains("soft break")).isTrue();
        assertThat(m.bodyContains("\u043f\u0440\u0438\u0432\u0435\u0442")).isTrue();
        assertThat(m.bodyContains("UNKNOWN CHARSET")).isTrue();
        assertThat(m.bodyContains("=93")).isFalse();
    }

    @Test
    void sentDateIsTheDateAsWritten() {
        assertThat(parse("Date: Mon, 7 Feb 1994 23:30:00 -0800\r\n\r\n").sentDate()).isEqualTo(
                LocalDate.of(1994, 2, 7));
        assertThat(parse("Date: 07 Feb 94 10:00 GMT\r\n\r\n").sentDate()).isEqualTo(LocalDate.of(1994, 2, 7));
        assertThat(parse("Date: 1 January 2001 10:00 +0000\r\n\r\n").sentDate()).isEqualTo(LocalDate.of(2001, 1, 1));
        assertThat(parse("Date: yesterday\r\n\r\n").sentDate()).isNull();
        assertThat(parse("Date: 31 Feb 2024 10:00 +0000\r\n\r\n").sentDate()).isNull();
        assertThat(parse("Subject: no date\r\n\r\n").sentDate()).isNull();
    }

    @Test
    void anyOctetsGiveAResult() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[random.nextInt(2000)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 40) {
                System.arraycopy("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n".getBytes(
                        StandardCharsets.US_ASCII), 0, junk, 0, 40);
            }
            SearchableMessage m = SearchableMessage.parse(junk);
            m.textContains("x");
            m.headerContains("Subject", "");
        }
        assertThat(SearchableMessage.parse(new byte[0]).textContains("")).isTrue();
    }
}
