package io.stratusmail.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Modified UTF-7 mailbox names (RFC 3501 section 5.1.3). */
class ModifiedUtf7Test {

    @Test
    void rfcExample() {
        assertThat(ModifiedUtf7.encode("~peter/mail/台北/日本語")).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).isEqualTo("~peter/mail/台北/日本語");
    }

    @Test
    void ampersandAndAsciiStandForThemselves() {
        assertThat(ModifiedUtf7.encode("Tom & Jerry")).isEqualTo("Tom &- Jerry");
        assertThat(ModifiedUtf7.decode("Tom &- Jerry")).isEqualTo("Tom & Jerry");
        assertThat(ModifiedUtf7.encode("INBOX/Sent Items")).isEqualTo("INBOX/Sent Items");
        assertThat(ModifiedUtf7.encode("")).isEmpty();
    }

    @Test
    void roundTripsAnyText() {
        for (String s : new String[] {"Entwürfe", "Корзина", "é&é", "😀 smile", "a\u00e9\u00e9\u00e9b", "日本語&台北"}) {
            String wire = ModifiedUtf7.encode(s);
            assertThat(wire).matches("[\\x20-\\x7e]*");
            assertThat(ModifiedUtf7.decode(wire)).isEqualTo(s);
        }
        assertThat(ModifiedUtf7.encode("Entwürfe")).isEqualTo("Entw&APw-rfe");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&U,BTFw",      // no terminating '-'
        "&U/BTFw-",     // '/' is not in the modified BASE64 alphabet
        "&AGE-",        // encodes 'a', which must stand for itself
        "&AP-",         // non-zero padding bits
        "&2D0-",        // a lone surrogate
        "Entwürfe",     // raw 8-bit
        "&Jjo",         // unterminated
        "&AAAA-"        // 3 octets: not whole UTF-16 units
    })
    void rejectsInvalidInput(String wire) {
        assertThatThrownBy(() -> ModifiedUtf7.decode(wire)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not modified UTF-7");
    }
}
