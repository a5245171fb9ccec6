package io.stratusmail.lmtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LmtpResponseTest {

    @Test
    void multiLineReplyRepeatsTheEnhancedStatusOnEveryLine() {
        assertThat(new LmtpResponse(250, "2.0.0", List.of("first", "second")).toWire())
                .isEqualTo("250-2.0.0 first\r\n250 2.0.0 second\r\n");
    }

    @Test
    void nonAsciiTextIsWrittenAsUtf8AddrXtext() {
        // RFC 6533 section 3: \x{HEXPOINT}, so a UTF-8 address echoed in a reply stays US-ASCII
        assertThat(LmtpResponse.of(550, "5.1.1", "<jörg@例.test>: user unknown").toWire())
                .isEqualTo("550 5.1.1 <j\\x{F6}rg@\\x{4F8B}.test>: user unknown\r\n");
        assertThat(LmtpResponse.of(550, "5.1.1", "<\uD83D\uDCE7@x.test>").lines()).containsExactly("<\\x{1F4E7}@x.test>");
    }

    @Test
    void controlCharactersCannotForgeAnotherReply() {
        for (String text : List.of("a\r\n250 OK", "a\nb", "a\u0000", "a\u007f", "a\u0085b")) {
            assertThatThrownBy(() -> LmtpResponse.of(550, "5.1.1", text)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(LmtpResponse.of(250, "2.0.0", "tab\tok").lines()).containsExactly("tab\tok");
    }
}
