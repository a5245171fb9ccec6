package io.stratusmail.imap.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.mailbox.mime.BodyStructure;
import io.stratusmail.mailbox.mime.ParsedMessage;
import io.stratusmail.mailbox.mime.SampleMessages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyStructureEncoderTest {

    private static String encode(BodyStructure b, boolean extensionData) {
        ImapWriter out = new ImapWriter();
        BodyStructureEncoder.write(out, b, extensionData);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static BodyStructure parse(String message) {
        return ParsedMessage.parse(message.getBytes(StandardCharsets.UTF_8)).bodyStructure();
    }

    @Test
    void bodyOfTheExampleOfRfc3501() {
        // RFC 3501 section 7.4.2, BODY example (parts of a multipart are not separated by a space)
        BodyStructure b = ParsedMessage.parse(SampleMessages.rfc3501BodyStructureExample()).bodyStructure();
        assertThat(encode(b, false)).isEqualTo(
                "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)"
                        + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\")"
                        + " \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73)"
                        + " \"MIXED\")");
    }

    @Test
    void bodyStructureAddsExtensionData() {
        BodyStructure b = ParsedMessage.parse(SampleMessages.rfc3501BodyStructureExample()).bodyStructure();
        assertThat(encode(b, true)).isEqualTo(
                "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23 NIL NIL NIL NIL)"
                        + "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\")"
                        + " \"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73"
                        + " NIL NIL NIL NIL)"
                        + " \"MIXED\" (\"BOUNDARY\" \"=_rfc3501\") NIL NIL NIL)");
    }

    @Test
    void aMessageWithoutContentTypeIsTextPlainUsAscii() {
        BodyStructure b = parse("Subject: x\r\n\r\nline one\r\nline two\r\n");
        assertThat(encode(b, false)).isEqualTo("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 20 2)");
        assertThat(encode(b, true))
                .isEqualTo("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 20 2 NIL NIL NIL NIL)");
    }

    @Test
    void anAttachmentWithDispositionLanguageAndLocation() {
        BodyStructure b = parse("Content-Type: multipart/mixed; boundary=b\r\nContent-Language: en\r\n\r\n"
                + "--b\r\nContent-Type: image/png; name=\"a b.png\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"a b.png\"; size=3\r\n"
                + "Content-Language: de, fr\r\nContent-Location: http://example.com/a.png\r\n"
                + "Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n\r\nAAAA\r\n--b--\r\n");
        assertThat(encode(b, true)).isEqualTo(
                "((\"image\" \"png\" (\"name\" \"a b.png\") NIL NIL \"base64\" 4 \"Q2hlY2sgSW50ZWdyaXR5IQ==\""
                        + " (\"attachment\" (\"filename\" \"a b.png\" \"size\" \"3\")) (\"de\" \"fr\")"
                        + " \"http://example.com/a.png\")"
                        + " \"mixed\" (\"boundary\" \"b\") NIL (\"en\") NIL)");
        assertThat(encode(b, false)).isEqualTo("((\"image\" \"png\" (\"name\" \"a b.png\") NIL NIL \"base64\" 4) \"mixed\")");
    }

    @Test
    void anEncapsulatedMessageCarriesItsEnvelopeBodyAndLines() {
        BodyStructure b = parse("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: inner\r\nFrom: x@example.com\r\n\r\nhello\r\n"
                + "--b--\r\n");
        assertThat(encode(b, false)).isEqualTo(
                "((\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" 44"
                        + " (NIL \"inner\" ((NIL NIL \"x\" \"example.com\")) ((NIL NIL \"x\" \"example.com\"))"
                        + " ((NIL NIL \"x\" \"example.com\")) NIL NIL NIL NIL NIL)"
                        + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 5 1) 4) \"mixed\")");
        assertThat(encode(b, true)).contains(
                "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 5 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL)");
    }

    @Test
    void eightBitParameterValuesAreSentAsLiterals() {
        BodyStructure b = parse("Content-Type: application/pdf; name=\"Grüße.pdf\"\r\n\r\n%PDF\r\n");
        assertThat(encode(b, false))
                .isEqualTo("(\"application\" \"pdf\" (\"name\" {11}\r\nGrüße.pdf) NIL NIL \"7BIT\" 6)");
    }
}
