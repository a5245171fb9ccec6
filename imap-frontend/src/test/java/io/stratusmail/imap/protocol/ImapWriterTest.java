package io.stratusmail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Quoted versus literal for strings in responses (RFC 3501 section 4.3). */
class ImapWriterTest {

    private static String written(String s) {
        return new String(new ImapWriter().string(s).toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void printableAsciiIsQuotedWithSpecialsEscaped() {
        assertThat(written("Re: \"hi\" \\o/")).isEqualTo("\"Re: \\\"hi\\\" \\\\o/\"");
    }

    @Test
    void controlCharactersGoAsLiteralsBecauseClientsRejectThemQuoted() {
        // a real Cc header of the SpamAssassin corpus holds a 0x06 octet
        assertThat(written("\u0006")).isEqualTo("{1}\r\n\u0006");
        assertThat(written("a\tb")).isEqualTo("{3}\r\na\tb");
        assertThat(written("del\u007f")).isEqualTo("{4}\r\ndel\u007f");
    }

    @Test
    void eightBitAndLineBreaksGoAsLiterals() {
        assertThat(written("Zürich")).isEqualTo("{7}\r\nZürich");
        assertThat(written("a\r\nb")).isEqualTo("{4}\r\na\r\nb");
    }

    @Test
    void nilForNullAndAtomsBare() {
        assertThat(new String(new ImapWriter().nstring((String) null).sp().astring("INBOX").toByteArray(),
                StandardCharsets.US_ASCII)).isEqualTo("NIL INBOX");
    }
}
