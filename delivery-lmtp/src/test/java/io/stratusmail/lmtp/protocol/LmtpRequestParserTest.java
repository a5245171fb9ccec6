package io.stratusmail.lmtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.lmtp.protocol.LmtpRequest.BodyType;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LmtpRequestParserTest {

    @Test
    void mailWithParameters() {
        assertThat(LmtpRequestParser.parse("mail from:<User@Example.org> size=42 body=8BITMIME"))
                .isEqualTo(new LmtpRequest.MailFrom(Optional.of(new MailAddress("User", "Example.org")),
                        OptionalLong.of(42), BodyType.EIGHT_BIT_MIME));
        assertThat(LmtpRequestParser.parse("MAIL FROM:<>"))
                .isEqualTo(new LmtpRequest.MailFrom(Optional.empty(), OptionalLong.empty(), BodyType.SEVEN_BIT));
    }

    @Test
    void quotedLocalPartMayHoldSpacesAndBrackets() {
        assertThat(LmtpRequestParser.parse("RCPT TO:<\"a >b\"@example.com>"))
                .isEqualTo(new LmtpRequest.RcptTo(new MailAddress("\"a >b\"", "example.com")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@example.com", "first.last+tag@sub.example.co.uk", "postmaster",
            "x@[192.0.2.1]", "x@[IPv6:2001:db8::1]", "@a.example,@b.example:u@c.example", "o'neil@example.com"})
    void validMailboxes(String text) {
        MailAddress address = MailAddress.parse(text);
        assertThat(text).endsWith(address.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@example.com", "user@", "a..b@example.com", ".a@example.com", "a.@example.com",
            "user@exa_mple.com", "user@-example.com", "user@example..com", "us er@example.com", "a@b@c",
            "\"unterminated@example.com", "\"q\"x@example.com", "@a.example:", "user@[bad literal]"})
    void invalidMailboxes(String text) {
        assertThatThrownBy(() -> MailAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localPartOver64OctetsIsRefused() {
        assertThat(MailAddress.parse("a".repeat(64) + "@example.com").localPart()).hasSize(64);
        assertThatThrownBy(() -> MailAddress.parse("a".repeat(65) + "@example.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
