package io.stratusmail.lmtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.lmtp.protocol.LmtpRequest.BodyType;
import java.nio.charset.StandardCharsets;
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
    void bdatChunkSizeAndLast() {
        assertThat(LmtpRequestParser.parse("BDAT 86")).isEqualTo(new LmtpRequest.Bdat(86, false));
        assertThat(LmtpRequestParser.parse("bdat 0 last")).isEqualTo(new LmtpRequest.Bdat(0, true));
        assertThat(LmtpRequestParser.parse("BDAT 007 LAST")).isEqualTo(new LmtpRequest.Bdat(7, true));
        assertThat(LmtpRequestParser.parse("BDAT 999999999999999999")).isEqualTo(new LmtpRequest.Bdat(999_999_999_999_999_999L, false));
        // beyond 18 digits the size is over any limit, but still a well-formed command
        assertThat(LmtpRequestParser.parse("BDAT 1" + "0".repeat(30))).isEqualTo(new LmtpRequest.Bdat(Long.MAX_VALUE, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BDAT", "BDAT ", "BDAT x", "BDAT -5", "BDAT +5", "BDAT 5 LAST extra", "BDAT 5 NOW", "BDAT 5  LAST",
            "BDAT  5"})
    void bdatWithoutAReadableChunkSizeIsUnrecoverable(String line) {
        assertThat(LmtpRequestParser.parse(line)).isInstanceOf(LmtpRequest.Unrecoverable.class);
    }

    @Test
    void starttlsTakesNoArgument() {
        assertThat(LmtpRequestParser.parse("starttls")).isEqualTo(new LmtpRequest.StartTls());
        assertThat(LmtpRequestParser.parse("STARTTLS x")).isInstanceOf(LmtpRequest.Rejected.class);
    }

    @Test
    void smtputf8ParameterAndUtf8Paths() {
        String line = new String("MAIL FROM:<jürgen@bücher.example> SMTPUTF8".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        assertThat(LmtpRequestParser.parse(line)).isEqualTo(new LmtpRequest.MailFrom(
                Optional.of(new MailAddress("jürgen", "bücher.example")), OptionalLong.empty(), BodyType.SEVEN_BIT, true));
        String rcpt = new String("RCPT TO:<\"dörte b\"@例え.テスト>".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1);
        assertThat(LmtpRequestParser.parse(rcpt))
                .isEqualTo(new LmtpRequest.RcptTo(new MailAddress("\"dörte b\"", "例え.テスト")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jürgen@example.com", "user@bücher.example", "\"ö ö\"@example.com", "δοκιμή@παράδειγμα.δοκιμή",
            "用户@例子.广告", "a@xn--bcher-kva.example"})
    void utf8MailboxesParseAndKnowTheyNeedSmtputf8(String text) {
        MailAddress address = MailAddress.parse(text);
        assertThat(address.toString()).isEqualTo(text);
        assertThat(address.isAscii()).isEqualTo(text.chars().allMatch(c -> c < 0x80));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0085b@example.com", "a\u00a0b@example.com", "a\u202eb@example.com", "a@b\u200b.example",
            "a@-ü.example", "a@ü\u3000.example"})
    void nonAsciiControlsSpacesAndFormatCharactersAreRefused(String text) {
        assertThatThrownBy(() -> MailAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void localPartOver64OctetsIsRefused() {
        assertThat(MailAddress.parse("a".repeat(64) + "@example.com").localPart()).hasSize(64);
        assertThatThrownBy(() -> MailAddress.parse("a".repeat(65) + "@example.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
