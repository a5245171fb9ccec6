package io.stratusmail.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.mailbox.mime.Address;
import io.stratusmail.mailbox.mime.Envelope;
import io.stratusmail.mailbox.mime.ParsedMessage;
import io.stratusmail.mailbox.mime.SampleMessages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeEncoderTest {

    private static String encode(Envelope e) {
        ImapWriter out = new ImapWriter();
        EnvelopeEncoder.write(out, e);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static Envelope parse(String message) {
        return ParsedMessage.parse(message.getBytes(StandardCharsets.UTF_8)).envelope();
    }

    @Test
    void theExampleOfRfc3501() {
        // RFC 3501 section 7.4.2, FETCH response example (addresses of a list are not separated by a space)
        assertThat(encode(ParsedMessage.parse(SampleMessages.rfc3501EnvelopeExample()).envelope())).isEqualTo(
                "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \"IMAP4rev1 WG mtg summary and minutes\""
                        + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                        + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                        + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
                        + " ((NIL NIL \"imap\" \"cac.washington.edu\"))"
                        + " ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\"))"
                        + " NIL NIL \"<B27397-0100000@cac.washington.edu>\")");
    }

    @Test
    void aMessageWithoutHeaderFieldsIsAllNil() {
        assertThat(encode(Envelope.EMPTY)).isEqualTo("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
        assertThat(encode(parse("\r\nbody\r\n"))).isEqualTo("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
    }

    @Test
    void groupsAreStartAndEndMarkers() {
        assertThat(encode(parse("From: a@example.com\r\nTo: Friends: b@example.com, C <c@example.com>;\r\n"
                + "Cc: undisclosed-recipients:;\r\nIn-Reply-To: <x@example.com>\r\n\r\n")))
                .isEqualTo("(NIL NIL ((NIL NIL \"a\" \"example.com\")) ((NIL NIL \"a\" \"example.com\"))"
                        + " ((NIL NIL \"a\" \"example.com\"))"
                        + " ((NIL NIL \"Friends\" NIL)(NIL NIL \"b\" \"example.com\")(\"C\" NIL \"c\" \"example.com\")"
                        + "(NIL NIL NIL NIL))"
                        + " ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL \"<x@example.com>\" NIL)");
    }

    @Test
    void quotesAndBackslashesAreEscapedAndEncodedWordsSentAsWritten() {
        Envelope e = parse("Subject: say \"hi\" \\o/\r\nFrom: \"=?utf-8?q?J=C3=B6rg?=\" <j@example.com>\r\n\r\n");
        assertThat(encode(e)).startsWith("(NIL \"say \\\"hi\\\" \\\\o/\" ((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"j\" \"example.com\"))");
    }

    @Test
    void eightBitHeaderTextIsSentAsALiteral() {
        Envelope e = parse("Subject: Grüße\r\nFrom: Jörg <j@example.com>\r\n\r\n");
        // "Grüße" is 7 octets in UTF-8, "Jörg" 5
        assertThat(encode(e)).isEqualTo("(NIL {7}\r\nGrüße"
                + " (({5}\r\nJörg NIL \"j\" \"example.com\")) (({5}\r\nJörg NIL \"j\" \"example.com\"))"
                + " (({5}\r\nJörg NIL \"j\" \"example.com\")) NIL NIL NIL NIL NIL)");
    }

    @Test
    void recordsBuiltByHandAreWrittenFieldByField() {
        Envelope e = new Envelope("d", "s", List.of(new Address("n", "@route", "m", "h")), List.of(), List.of(),
                List.of(), List.of(), List.of(Address.groupStart("g"), Address.GROUP_END), "r", "i");
        assertThat(encode(e)).isEqualTo(
                "(\"d\" \"s\" ((\"n\" \"@route\" \"m\" \"h\")) NIL NIL NIL NIL ((NIL NIL \"g\" NIL)(NIL NIL NIL NIL)) \"r\" \"i\")");
    }
}
