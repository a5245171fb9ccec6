package io.stratusmail.mailbox.mime;

import static io.stratusmail.mailbox.mime.Invariants.section;
import static io.stratusmail.mailbox.mime.SampleMessages.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.mime.BodySection.Kind;
import io.stratusmail.mailbox.mime.BodyStructure.Basic;
import io.stratusmail.mailbox.mime.BodyStructure.Disposition;
import io.stratusmail.mailbox.mime.BodyStructure.Extension;
import io.stratusmail.mailbox.mime.BodyStructure.Fields;
import io.stratusmail.mailbox.mime.BodyStructure.Message;
import io.stratusmail.mailbox.mime.BodyStructure.Multipart;
import io.stratusmail.mailbox.mime.BodyStructure.Parameter;
import io.stratusmail.mailbox.mime.BodyStructure.Text;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Concrete ENVELOPE, BODYSTRUCTURE and BODY[section] values, on corpus messages and RFC examples. */
class ParsedMessageTest {

    private static final Extension NO_EXTENSION = new Extension(null, null, List.of(), null);

    private static ParsedMessage corpus(String name) {
        return ParsedMessage.parse(CorpusMessages.get(name).content());
    }

    private static String text(ParsedMessage m, List<Integer> path, Kind kind) {
        return new String(m.section(section(path, kind)), StandardCharsets.ISO_8859_1);
    }

    private static Address mailbox(String name, String mailbox, String host) {
        return new Address(name, null, mailbox, host);
    }

    @Nested
    class MultipartMixedWithAttachment {
        // simple-attachment.msg: multipart/mixed, a text part and a base64 application/octet-stream attachment
        private final ParsedMessage m = corpus("simple-attachment.msg");

        @Test
        void envelope() {
            Envelope e = m.envelope();
            assertThat(e.date()).isEqualTo("Fri, 27 Apr 2007 16:08:23 +0200");
            assertThat(e.subject()).isEqualTo("Here is the attachment I was waiting for.");
            assertThat(e.from()).containsExactly(mailbox("Foo Bar", "bar", "example.com"));
            assertThat(e.sender()).isEqualTo(e.from());
            assertThat(e.replyTo()).isEqualTo(e.from());
            assertThat(e.to()).containsExactly(mailbox(null, "foo", "example.com"));
            assertThat(e.cc()).isEmpty();
            assertThat(e.messageId()).isNull();
        }

        @Test
        void bodyStructure() {
            assertThat(m.bodyStructure()).isEqualTo(new Multipart(List.of(
                    new Text("text", "plain", new Fields(List.of(new Parameter("charset", "ISO-8859-15")), null, null,
                            "7bit", 7), 1, NO_EXTENSION),
                    new Basic("application", "octet-stream", new Fields(List.of(new Parameter("name", "data.bin")),
                            null, null, "base64", 1404), new Extension(null, new Disposition("attachment",
                            List.of(new Parameter("filename", "data.bin"))), List.of(), null))),
                    "mixed", List.of(new Parameter("boundary", "------------090404080405080108000909")), null,
                    List.of(), null));
        }

        @Test
        void sections() {
            assertThat(text(m, List.of(1), Kind.ALL)).isEqualTo("Body.\r\n");
            assertThat(text(m, List.of(1), Kind.MIME)).isEqualTo(
                    "Content-Type: text/plain; charset=ISO-8859-15\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
            assertThat(text(m, List.of(2), Kind.MIME)).startsWith("Content-Type: application/octet-stream;\r\n name=");
            assertThat(text(m, List.of(2), Kind.ALL)).startsWith("lLzmyQjBC2gw/hiU").endsWith("EXA==");
            assertThat(text(m, List.of(), Kind.HEADER)).startsWith("Date: Fri, 27 Apr 2007").endsWith("\"\r\n\r\n");
            assertThat(text(m, List.of(), Kind.TEXT))
                    .startsWith("This is a multi-part message in MIME format.\r\n--");
            assertThat(m.section(section(List.of(3), Kind.ALL))).isEmpty();
            assertThat(m.section(section(List.of(1, 1), Kind.ALL))).isEmpty();
            assertThat(m.section(section(List.of(2), Kind.HEADER))).as("not a message/rfc822 part").isEmpty();
        }
    }

    @Nested
    class NestedMessageRfc822WithBareLineFeeds {
        // mp-msg-rfc822.msg: multipart/mixed of a text part and a forwarded message/rfc822; bare LF line ends
        private final ParsedMessage m = corpus("mp-msg-rfc822.msg");

        @Test
        void embeddedEnvelopeAndStructure() {
            Message forwarded = (Message) ((Multipart) m.bodyStructure()).parts().get(1);
            assertThat(forwarded.type() + "/" + forwarded.subtype()).isEqualTo("message/rfc822");
            assertThat(forwarded.extension().disposition()).isEqualTo(new Disposition("inline", List.of()));
            Envelope e = forwarded.envelope();
            assertThat(e.subject()).isEqualTo("Re: 34Mbit/s Netz");
            assertThat(e.date()).isEqualTo("Wed, 19 Jun 1996 18:12:02 +0200");
            assertThat(e.from()).containsExactly(mailbox(null, "deuschle", "mnh.telekom.de"));
            assertThat(e.to()).containsExactly(mailbox("Juergen Specht", "specht", "kulturbox.de"));
            assertThat(e.messageId()).isEqualTo("<199606191814.SAA30680@ULM02.mnh.telekom.de>");
            Text inner = (Text) forwarded.body();
            assertThat(inner.fields().encoding()).isEqualTo("quoted-printable");
            assertThat(inner.fields().parameters()).containsExactly(new Parameter("charset", "iso-8859-1"));
        }

        @Test
        void sectionsOfTheEmbeddedMessage() {
            String header = text(m, List.of(2), Kind.HEADER);
            assertThat(header).startsWith("X-POP3-Rcpt: specht@trachea\n").endsWith("X-Mozilla-Status: 0011\n\n");
            String body = text(m, List.of(2), Kind.TEXT);
            assertThat(body).startsWith("Hallo Herr Specht,\n");
            assertThat(text(m, List.of(2, 1), Kind.ALL)).as("part 1 of a single-part message is its body")
                    .isEqualTo(body);
            assertThat(text(m, List.of(2), Kind.ALL)).isEqualTo(header + body);
            assertThat(text(m, List.of(2), Kind.MIME))
                    .isEqualTo("Content-Type: message/rfc822\nContent-Transfer-Encoding: 7bit\n"
                            + "Content-Disposition: inline\n\n");
            assertThat(text(m, List.of(2), Kind.HEADER_FIELDS)).isEqualTo("\r\n");
            assertThat(new String(m.section(new BodySection(List.of(2), Kind.HEADER_FIELDS,
                    List.of("subject", "FROM"))), StandardCharsets.US_ASCII))
                    .isEqualTo("From: deuschle@mnh.telekom.de (Guenter Deuschle)\nSubject: Re: 34Mbit/s Netz\n\r\n");
            assertThat(m.section(section(List.of(2, 2), Kind.ALL))).isEmpty();
        }

        @Test
        void theOuterHeaderKeepsItsMboxFromLineAsGarbageNotAsAField() {
            assertThat(text(m, List.of(), Kind.HEADER)).startsWith("From specht@kulturbox.de  Thu Jun 20");
            assertThat(m.envelope().from()).containsExactly(mailbox("Juergen Specht", "specht", "kulturbox.de"));
        }
    }

    @Nested
    class MultipartAlternativeInsideMixed {
        // boundary-name-clash.msg: the inner boundary extends the outer one
        private final ParsedMessage m = corpus("boundary-name-clash.msg");

        @Test
        void structureAndParts() {
            Multipart mixed = (Multipart) m.bodyStructure();
            assertThat(mixed.subtype()).isEqualTo("mixed");
            Multipart alternative = (Multipart) mixed.parts().get(0);
            assertThat(alternative.subtype()).isEqualTo("alternative");
            assertThat(alternative.parts()).extracting(p -> ((Text) p).subtype()).containsExactly("plain", "html");
            Basic pdf = (Basic) mixed.parts().get(1);
            assertThat(pdf.extension().disposition().type()).isEqualTo("Attachment");
            assertThat(text(m, List.of(1, 1), Kind.ALL))
                    .isEqualTo("Please see attachment for report Daily_Stats-2022-05-12-0700");
            assertThat(text(m, List.of(1, 2), Kind.ALL)).startsWith("<!DOCTYPE HTML").endsWith("</html>");
            assertThat(text(m, List.of(2), Kind.ALL)).isEqualTo("JVBERi0xLj4Kc3RhcnR4cmVmCjUzNjEwCiUlRU9GCg==\r\n");
            assertThat(text(m, List.of(1), Kind.MIME)).startsWith("Content-Type: multipart/alternative;");
        }
    }

    @Test
    void partsOfADigestDefaultToMessageRfc822() {
        Multipart digest = (Multipart) corpus("multi-digest.msg").bodyStructure();
        assertThat(digest.subtype()).isEqualTo("digest");
        assertThat(digest.parameters()).containsExactly(new Parameter("boundary", "simple boundary"));
        Message first = (Message) digest.parts().get(0);
        assertThat(first.type() + "/" + first.subtype()).isEqualTo("MESSAGE/RFC822");
        assertThat(first.envelope().subject()).isEqualTo("embedded message 1");
    }

    @Test
    void encodedWordsAreLeftEncoded() {
        // intl.msg is the example of RFC 2047 section 8
        Envelope e = corpus("intl.msg").envelope();
        assertThat(e.from()).containsExactly(mailbox("=?US-ASCII?Q?Keith_Moore?=", "moore", "cs.utk.edu"));
        assertThat(e.to()).containsExactly(mailbox("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=", "keld", "dkuug.dk"));
        assertThat(e.cc()).containsExactly(mailbox("=?ISO-8859-1?Q?Andr=E9_?= Pirard", "PIRARD", "vm1.ulg.ac.be"));
        assertThat(e.bcc()).containsExactly(mailbox("=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?=", "paf", "nada.kth.se"));
        assertThat(e.subject()).isEqualTo("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?="
                + " =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?= =?US-ASCII?Q?.._so,_cool!?=");
    }

    @Test
    void encodedWordsInQuotedParametersAreLeftEncoded() {
        ParsedMessage m = ParsedMessage.parse(ascii("Content-Type: application/pdf;\r\n"
                + " name=\"=?UTF-8?B?w6TDtsO8LnBkZg==?=\"\r\n"
                + "Content-Disposition: attachment; filename*=UTF-8''%C3%A4.pdf\r\n\r\nJVBE\r\n"));
        Basic pdf = (Basic) m.bodyStructure();
        assertThat(pdf.fields().parameters()).containsExactly(new Parameter("name", "=?UTF-8?B?w6TDtsO8LnBkZg==?="));
        assertThat(pdf.extension().disposition().parameters())
                .containsExactly(new Parameter("filename*", "UTF-8''%C3%A4.pdf"));
    }

    @Test
    void missingContentTypeIsTextPlainUsAscii() {
        // basic-plain.msg has no MIME header fields at all
        ParsedMessage m = corpus("basic-plain.msg");
        assertThat(m.bodyStructure()).isEqualTo(new Text("TEXT", "PLAIN",
                new Fields(List.of(new Parameter("CHARSET", "US-ASCII")), null, null, "7BIT", 80), 2, NO_EXTENSION));
        assertThat(m.envelope().cc()).as("a mailbox without domain gets an empty host, NIL means group")
                .containsExactly(mailbox(null, "recipient1", "example.com"),
                        mailbox(null, "recipient2", "example.com"), mailbox(null, "localrecipient", ""));
        assertThat(text(m, List.of(1), Kind.ALL)).as("BODY[1] of a non-multipart message is its text")
                .isEqualTo(text(m, List.of(), Kind.TEXT));
        assertThat(text(m, List.of(1), Kind.MIME)).isEqualTo(text(m, List.of(), Kind.HEADER));
        assertThat(m.section(section(List.of(2), Kind.ALL))).isEmpty();
    }

    @Test
    void invalidContentTypeFallsBackToTheDefault() {
        for (String type : List.of("text", "/plain", "text/", "te xt/plain", "multipart/mixed", "multipart/mixed; boundary=\"\"")) {
            ParsedMessage m = ParsedMessage.parse(ascii("Content-Type: " + type + "\r\n\r\nbody\r\n"));
            assertThat(m.bodyStructure()).as(type).isEqualTo(new Text("TEXT", "PLAIN",
                    new Fields(List.of(new Parameter("CHARSET", "US-ASCII")), null, null, "7BIT", 6), 1, NO_EXTENSION));
        }
    }

    @Test
    void withoutHeaderBodySeparatorTheWholeMessageIsHeader() {
        ParsedMessage m = corpus("malformedHeader-noheader.msg");
        byte[] content = CorpusMessages.get("malformedHeader-noheader.msg").content();
        assertThat(m.section(section(List.of(), Kind.HEADER))).isEqualTo(content);
        assertThat(m.section(section(List.of(), Kind.TEXT))).isEmpty();
        assertThat(m.envelope()).isEqualTo(Envelope.EMPTY);
        assertThat(((Text) m.bodyStructure()).fields().size()).isZero();
    }

    @Test
    void obsoleteHeaderSyntax() {
        // obsolete.msg: space before the colon, folding over a white-space-only line, an 8-bit field name
        ParsedMessage m = corpus("obsolete.msg");
        assertThat(m.envelope().subject())
                .isEqualTo("The obsolete syntax allow spaces before the colon        and also empty lines in folding.");
        assertThat(m.envelope().date()).isEqualTo("Malformed Date.");
        String dateOnly = new String(m.section(new BodySection(List.of(), Kind.HEADER_FIELDS, List.of("DATE"))),
                StandardCharsets.ISO_8859_1);
        assertThat(dateOnly).isEqualTo("Date    :     Malformed Date.\r\n\r\n");
    }

    @Test
    void rfc3501BodyStructureExample() {
        ParsedMessage m = ParsedMessage.parse(SampleMessages.rfc3501BodyStructureExample());
        Multipart mixed = (Multipart) m.bodyStructure();
        assertThat(mixed.subtype()).isEqualTo("MIXED");
        assertThat(mixed.parts()).containsExactly(
                new Text("TEXT", "PLAIN", new Fields(List.of(new Parameter("CHARSET", "US-ASCII")), null, null,
                        "7BIT", 1152), 23, NO_EXTENSION),
                new Text("TEXT", "PLAIN", new Fields(List.of(new Parameter("CHARSET", "US-ASCII"),
                        new Parameter("NAME", "cc.diff")), "<960723163407.20117h@cac.washington.edu>",
                        "Compiler diff", "BASE64", 4554), 73, NO_EXTENSION));
    }

    @Test
    void rfc3501EnvelopeExample() {
        Envelope e = ParsedMessage.parse(SampleMessages.rfc3501EnvelopeExample()).envelope();
        Address terry = mailbox("Terry Gray", "gray", "cac.washington.edu");
        assertThat(e).isEqualTo(new Envelope("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)",
                "IMAP4rev1 WG mtg summary and minutes", List.of(terry), List.of(terry), List.of(terry),
                List.of(mailbox(null, "imap", "cac.washington.edu")),
                List.of(mailbox(null, "minutes", "CNRI.Reston.VA.US"), mailbox("John Klensin", "KLENSIN", "MIT.EDU")),
                List.of(), null, "<B27397-0100000@cac.washington.edu>"));
    }

    @Test
    void groupSyntaxBecomesStartAndEndMarkers() {
        // RFC 5322 appendix A.1.3
        Envelope e = ParsedMessage.parse(ascii("From: Pete <pete@silly.example>\r\n"
                + "To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;\r\n"
                + "Cc: Undisclosed recipients:;\r\n\r\nbody\r\n")).envelope();
        assertThat(e.to()).containsExactly(Address.groupStart("A Group"), mailbox("Ed Jones", "c", "a.test"),
                mailbox(null, "joe", "where.test"), mailbox("John", "jdoe", "one.test"), Address.GROUP_END);
        assertThat(e.cc()).containsExactly(Address.groupStart("Undisclosed recipients"), Address.GROUP_END);
        assertThat(e.to().get(0).isGroupStart()).isTrue();
        assertThat(e.to().get(4).isGroupEnd()).isTrue();
    }

    @Test
    void addressesWithCommentsRoutesAndQuotedNames() {
        // RFC 5322 appendix A.5 and A.6.1 (obsolete route)
        Envelope e = ParsedMessage.parse(ascii("From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\r\n"
                + "To: <@r1.example,@r2.example:user@host.example>\r\n"
                + "Cc: \"Joe Q. \\\"Public\\\"\" <john.q.public@example.com>\r\n"
                + "Sender: \r\n\r\n")).envelope();
        assertThat(e.from()).containsExactly(mailbox("Pete", "pete", "silly.test"));
        assertThat(e.to()).containsExactly(new Address(null, "@r1.example,@r2.example", "user", "host.example"));
        assertThat(e.cc()).containsExactly(mailbox("Joe Q. \"Public\"", "john.q.public", "example.com"));
        assertThat(e.sender()).as("present but empty Sender defaults to From").isEqualTo(e.from());
    }

    @Test
    void rawEightBitHeadersAreReadAsUtf8OrElseLatin1() {
        byte[] utf8 = "Subject: Grüße\r\nFrom: Jörg <j@exämple.de>\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        Envelope e = ParsedMessage.parse(utf8).envelope();
        assertThat(e.subject()).isEqualTo("Grüße");
        assertThat(e.from()).containsExactly(mailbox("Jörg", "j", "exämple.de"));

        byte[] latin1 = "Subject: Grüße\r\nFrom: Jörg <j@example.de>\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Envelope l = ParsedMessage.parse(latin1).envelope();
        assertThat(l.subject()).isEqualTo("Grüße");
        assertThat(l.from()).containsExactly(mailbox("Jörg", "j", "example.de"));
    }

    @Test
    void headerFieldsKeepFoldedLinesInOriginalOrderAndMatchCaseInsensitively() {
        ParsedMessage m = ParsedMessage.parse(ascii("Received: from a\r\n\tby b\r\nSUBJECT: folded\r\n subject\r\n"
                + "X-Other: 1\r\nsubject: second\r\nFrom: f@example.com\r\n\r\nbody\r\n"));
        assertThat(new String(m.section(new BodySection(List.of(), Kind.HEADER_FIELDS, List.of("From", "Subject"))),
                StandardCharsets.US_ASCII))
                .isEqualTo("SUBJECT: folded\r\n subject\r\nsubject: second\r\nFrom: f@example.com\r\n\r\n");
        assertThat(new String(m.section(new BodySection(List.of(), Kind.HEADER_FIELDS_NOT, List.of("from", "subject"))),
                StandardCharsets.US_ASCII)).isEqualTo("Received: from a\r\n\tby b\r\nX-Other: 1\r\n\r\n");
        assertThat(m.envelope().subject()).as("first occurrence, unfolded").isEqualTo("folded subject");
    }

    @Test
    void multipartMessageInsideMessageRfc822() {
        ParsedMessage m = ParsedMessage.parse(ascii("Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
                + "--outer\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                + "--outer\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: inner\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
                + "--inner\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--inner--\r\n"
                + "\r\n--outer--\r\n"));
        assertThat(text(m, List.of(2, 1), Kind.ALL)).isEqualTo("plain");
        assertThat(text(m, List.of(2, 2), Kind.ALL)).isEqualTo("<p>html</p>");
        assertThat(text(m, List.of(2, 2), Kind.MIME)).isEqualTo("Content-Type: text/html\r\n\r\n");
        assertThat(text(m, List.of(2), Kind.HEADER))
                .isEqualTo("Subject: inner\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n");
        assertThat(text(m, List.of(2), Kind.TEXT)).startsWith("--inner\r\n").endsWith("--inner--\r\n");
        assertThat(m.section(section(List.of(2, 3), Kind.ALL))).isEmpty();
        Message inner = (Message) ((Multipart) m.bodyStructure()).parts().get(1);
        assertThat(inner.envelope().subject()).isEqualTo("inner");
        assertThat(((Multipart) inner.body()).subtype()).isEqualTo("alternative");
    }

    @Test
    void aMultipartWithoutDelimitersHasOneEmptyPart() {
        ParsedMessage m = ParsedMessage.parse(ascii("Content-Type: multipart/mixed; boundary=b\r\n\r\nno parts\r\n"));
        Multipart mp = (Multipart) m.bodyStructure();
        assertThat(mp.parts()).containsExactly(new Text("TEXT", "PLAIN",
                new Fields(List.of(new Parameter("CHARSET", "US-ASCII")), null, null, "7BIT", 0), 0, NO_EXTENSION));
        assertThat(m.section(section(List.of(1), Kind.ALL))).isEmpty();
        assertThat(text(m, List.of(), Kind.TEXT)).isEqualTo("no parts\r\n");
    }

    @Test
    void extensionDataOfSinglePartsAndMultiparts() {
        ParsedMessage m = ParsedMessage.parse(ascii("Content-Type: multipart/related; boundary=b; type=\"text/html\"\r\n"
                + "Content-Language: en\r\nContent-Location: http://example.com/\r\n"
                + "Content-Disposition: inline\r\n\r\n"
                + "--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n"
                + "Content-Language: en, fr\r\nContent-Location: index.html\r\n"
                + "Content-Disposition: inline; filename=\"index.html\"\r\n\r\n<p>\r\n--b--\r\n"));
        Multipart related = (Multipart) m.bodyStructure();
        assertThat(related.parameters()).containsExactly(new Parameter("boundary", "b"), new Parameter("type", "text/html"));
        assertThat(related.disposition()).isEqualTo(new Disposition("inline", List.of()));
        assertThat(related.language()).containsExactly("en");
        assertThat(related.location()).isEqualTo("http://example.com/");
        Text html = (Text) related.parts().get(0);
        assertThat(html.extension()).isEqualTo(new Extension("Q2hlY2sgSW50ZWdyaXR5IQ==",
                new Disposition("inline", List.of(new Parameter("filename", "index.html"))), List.of("en", "fr"),
                "index.html"));
    }

    @Test
    void aMessageRfc822EncodedInBase64IsAnOpaqueAttachment() {
        ParsedMessage m = ParsedMessage.parse(ascii("Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "U3ViamVjdDogeA0KDQp5DQo=\r\n--b--\r\n"));
        Basic part = (Basic) ((Multipart) m.bodyStructure()).parts().get(0);
        assertThat(part.type() + "/" + part.subtype()).isEqualTo("APPLICATION/OCTET-STREAM");
        assertThat(text(m, List.of(1), Kind.ALL)).isEqualTo("U3ViamVjdDogeA0KDQp5DQo=");
        assertThat(m.section(section(List.of(1), Kind.HEADER))).isEmpty();
    }

    @Test
    void localPartsThatAreNotDotAtomsStayQuotedSoClientsCanJoinMailboxAndHost() {
        // From the SpamAssassin corpus: a Cc whose quoted local part holds a control character.
        ParsedMessage m = ParsedMessage.parse(("To: fork@spamassassin.taint.org\r\nCc: \"\u0006\"@argote.ch, "
                + "\"john doe\"@example.org, \"a\\\"b\"@example.org\r\n\r\nbody\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(m.envelope().cc()).containsExactly(
                mailbox(null, "\"\u0006\"", "argote.ch"),
                mailbox(null, "\"john doe\"", "example.org"),
                mailbox(null, "\"a\\\"b\"", "example.org"));
        assertThat(m.envelope().to()).containsExactly(mailbox(null, "fork", "spamassassin.taint.org"));
    }
}
