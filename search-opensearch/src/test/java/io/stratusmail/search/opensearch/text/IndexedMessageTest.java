package io.stratusmail.search.opensearch.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IndexedMessageTest {

    @Test
    void quotedPrintableIso885915BodyAndEncodedWordSenderAreDecoded() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("mimetools-testmsgs/german-qp.msg"));

        assertThat(message.subject()).contains("Testnachricht");
        assertThat(message.from()).containsExactly("Jörn Reder <joern@zyn.de>");
        assertThat(message.to()).containsExactly("joern@zyn.de");
        assertThat(message.body())
                .contains("das ist eine Testnachricht mit 8 Bit Sönderzäichen, und obendrein noch quoted-printable")
                .contains("Grüße, Jörn")
                .doesNotContain("=F6")
                .doesNotContain("\n");
        assertThat(message.date()).contains(OffsetDateTime.parse("2005-12-21T22:02:44+01:00"));
        assertThat(message.truncated()).isFalse();
    }

    @Test
    void encodedWordsOfSeveralCharsetsInSubjectAndAddressFields() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("mimetools-testmsgs/intl.msg"));

        // Adjacent encoded words join without the whitespace between them (RFC 2047 section 6.2).
        assertThat(message.subject()).contains("If you can read this you understand the example... so, cool!");
        assertThat(message.from()).containsExactly("Keith Moore <moore@cs.utk.edu>");
        assertThat(message.to()).containsExactly("Keld Jørn Simonsen <keld@dkuug.dk>");
        assertThat(message.cc()).containsExactly("André Pirard <PIRARD@vm1.ulg.ac.be>");
        assertThat(message.bcc()).containsExactly("Patrik Fältström <paf@nada.kth.se>");
        assertThat(message.headers()).contains("to: Keld Jørn Simonsen <keld@dkuug.dk>");
        assertThat(message.body()).isEqualTo("How's this?");
    }

    @Test
    void obsoleteDateWithTwoDigitYearAndZoneNameKeepsItsOwnOffset() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("mimetools-testmsgs/simple.msg"));

        assertThat(message.date()).contains(OffsetDateTime.parse("1995-12-20T19:59:00-06:00"));
        assertThat(message.cc()).containsExactly(
                "johnson@killians.gsfc.nasa.gov", "harvel@killians.gsfc.nasa.gov", "eryq");
        assertThat(message.subject()).contains("Request for Leave");
        assertThat(message.body()).startsWith("I will be taking vacation from Friday, 12/22/95, through 12/26/95.");
    }

    @Test
    void htmlPartIsTextWithoutTagsAndImagePartIsSkipped() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("mimetools-testmsgs/lennie.msg"));

        assertThat(message.body())
                .contains("This is the message body. A picture should also be displayed.")
                .contains("This is Page 3 of my rolling web page demo.")
                .doesNotContainIgnoringCase("<body>")
                .doesNotContain("REFRESH")
                .doesNotContain("R0lGODdhPAA8"); // the GIF's base64
        assertThat(message.messageId()).contains("<33D89532.29EA@atl.mindspring.com>");
        assertThat(message.from()).containsExactly("Lennie Jarratt <lbj_ccsi@mindspring.com>");
    }

    @Test
    void attachmentBinaryContentIsNotBodyText() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("testmsgs/simple-attachment.msg"));

        assertThat(message.body()).isEqualTo("Body.");
        assertThat(message.from()).containsExactly("Foo Bar <bar@example.com>");
        assertThat(message.subject()).contains("Here is the attachment I was waiting for.");
    }

    @Test
    void messageWithoutAnyTextPartHasAnEmptyBody() {
        byte[] content = Corpus.message("mimetools-testmsgs/bluedot-simple.msg");
        IndexedMessage message = IndexedMessage.from(content);

        assertThat(message.body()).isEmpty();
        assertThat(message.subject()).isEmpty();
        assertThat(message.size()).isEqualTo(content.length);
        assertThat(message.headers()).contains("content-id: my-graphic");
    }

    @Test
    void attachedMessagesAreWalkedAndTheirHeaderFieldsArePartOfTheBody() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("mimetools-testmsgs/re-fwd.msg"));

        assertThat(message.subject()).contains("Re: Fwd: hello world");
        assertThat(message.from()).containsExactly("user2");
        assertThat(message.body())
                .contains("subject: Fwd: hello world")
                .contains("from: user0")
                .contains("This is the original message. Let's see if we can embed it!");
    }

    @Test
    void base64TextPartIsDecoded() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("testmsgs/base64-encoded-text.msg"));

        assertThat(message.body()).contains("This is a multi-part message in MIME format.").contains("Text body");
    }

    @Test
    void base64EncodedAttachedMessageIsDecodedAndWalked() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("testmsgs/base64encoded-rfc822message.msg"));

        assertThat(message.body()).isEqualTo("Text body");
    }

    @Test
    void quotedPrintableEuroSignOfIso885915() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("testmsgs/qp-body.msg"));

        assertThat(message.body()).isEqualTo("7bit content with euro € symbol");
    }

    @Test
    void multipartAlternativeIndexesBothAlternatives() {
        IndexedMessage message = IndexedMessage.from(Corpus.message("mimetools-testmsgs/ticket-60931.msg"));

        assertThat(message.body()).isEqualTo("HELLO HELLO");
    }

    @Test
    void unknownCharsetFallsBackToUtf8WhenValidAndIso88591Otherwise() {
        byte[] utf8 = ("Subject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
                + "Grüße aus Köln\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = ("Subject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
                + "Grüße aus Köln\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] undeclared8bit = ("Subject: x\r\n\r\nGrüße aus Köln\r\n").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(IndexedMessage.from(utf8).body()).isEqualTo("Grüße aus Köln");
        assertThat(IndexedMessage.from(latin1).body()).isEqualTo("Grüße aus Köln");
        assertThat(IndexedMessage.from(undeclared8bit).body()).isEqualTo("Grüße aus Köln");
    }

    @Test
    void rawUtf8AndLatin1HeaderFieldsAreDecoded() {
        byte[] utf8 = "From: Jürgen Müller <jm@example.de>\r\nSubject: Grüße\r\n\r\nx\r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "From: Jürgen Müller <jm@example.de>\r\nSubject: Grüße\r\n\r\nx\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        for (byte[] content : List.of(utf8, latin1)) {
            IndexedMessage message = IndexedMessage.from(content);
            assertThat(message.subject()).contains("Grüße");
            assertThat(message.from()).contains("Jürgen Müller <jm@example.de>");
        }
    }

    @Test
    void foldedHeaderFieldsAreUnfolded() {
        byte[] content = ("Subject: a subject\r\n  that was folded\r\n\ttwice\r\n"
                + "To: one@example.org,\r\n two@example.org\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);

        IndexedMessage message = IndexedMessage.from(content);

        assertThat(message.subject()).contains("a subject that was folded twice");
        assertThat(message.to()).containsExactly("one@example.org", "two@example.org");
    }

    @Test
    void unparseableDateAndAddressesAreKeptAsText() {
        byte[] content = ("From: not an address at all ;;\r\nDate: the day after tomorrow\r\n"
                + "Date: Thu, 11 Apr 1996 01:10:30 -0500\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);

        IndexedMessage message = IndexedMessage.from(content);

        assertThat(message.date()).contains(OffsetDateTime.parse("1996-04-11T01:10:30-05:00")); // first parseable
        assertThat(message.from()).isNotEmpty().allSatisfy(a -> assertThat(a).isNotBlank());
        assertThat(String.join(" ", message.from())).contains("not an address at all");
    }

    @Test
    void dateOutsideFourDigitYearsOrWithoutSenseIsAbsent() {
        for (String date : List.of("Thu, 1 Jan 99999 00:00:00 +0000", "31 Feb 2020 10:00:00 +0000",
                "1 Jan 2020 25:61:00 +0000", "1 Jan 2020 10:00:00 +9999", "yesterday")) {
            byte[] content = ("Date: " + date + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII);

            assertThat(IndexedMessage.from(content).date()).as(date).isEmpty();
        }
    }

    @Test
    void bodyIsCutAtTheOctetLimitAndMarkedTruncated() {
        StringBuilder text = new StringBuilder("FIRSTWORD ");
        while (text.length() < 3 * 1024 * 1024) {
            text.append("filler text of a very long message ");
        }
        text.append("LASTWORD");
        byte[] content = ("Subject: huge\r\n\r\n" + text).getBytes(StandardCharsets.US_ASCII);

        IndexedMessage message = IndexedMessage.from(content);

        assertThat(message.truncated()).isTrue();
        assertThat(message.body()).startsWith("FIRSTWORD").doesNotContain("LASTWORD");
        assertThat(message.body().length()).isLessThanOrEqualTo(ExtractionLimits.DEFAULT.maxBodyOctets());
        assertThat(message.size()).isEqualTo(content.length);
    }

    @Test
    void cutInsideAMultiOctetUtf8CharacterDoesNotTurnThePartIntoLatin1() {
        byte[] content = ("Subject: x\r\n\r\n" + "ü".repeat(10)).getBytes(StandardCharsets.UTF_8);
        int headerOctets = "Subject: x\r\n\r\n".length();
        assertThat(content.length - headerOctets).isEqualTo(20);

        IndexedMessage message = IndexedMessage.from(content, new ExtractionLimits(7, 10, 100, 10));

        assertThat(message.body()).isEqualTo("üüü");
        assertThat(message.truncated()).isTrue();
    }

    @Test
    void headerLimitsBoundFieldsAndAddresses() {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            content.append("X-Field-").append(i).append(": value ").append(i).append("\r\n");
        }
        content.append("Subject: ").append("s".repeat(500)).append("\r\n");
        content.append("To: ");
        for (int i = 0; i < 50; i++) {
            content.append(i == 0 ? "" : ", ").append("user").append(i).append("@example.org");
        }
        content.append("\r\n\r\nbody\r\n");

        IndexedMessage message = IndexedMessage.from(
                content.toString().getBytes(StandardCharsets.US_ASCII), new ExtractionLimits(1024, 10, 100, 5));

        assertThat(message.headers()).hasSize(10);
        assertThat(message.subject()).hasValueSatisfying(s -> assertThat(s).hasSize(100));
        assertThat(message.to()).containsExactly(
                "user0@example.org", "user1@example.org", "user2@example.org", "user3@example.org",
                "user4@example.org");
        assertThat(message.truncated()).isTrue();
    }

    @Test
    void emptyInputAndBinaryGarbageYieldAnEmptyDocument() {
        IndexedMessage empty = IndexedMessage.from(new byte[0]);
        assertThat(empty.body()).isEmpty();
        assertThat(empty.subject()).isEmpty();

        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        IndexedMessage noise = IndexedMessage.from(garbage);
        assertThat(noise.size()).isEqualTo(garbage.length);
        assertThat(noise.body().length()).isLessThanOrEqualTo(garbage.length);
    }

    static List<String> corpus() {
        return Corpus.allMessages();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void everyCorpusMessageIsExtractedWithinLimits(String path) {
        byte[] content = Corpus.message(path);

        IndexedMessage message = IndexedMessage.from(content);

        assertThat(message.size()).isEqualTo(content.length);
        assertThat(message.body()).doesNotContain("\r", "\n", "\t", "  ");
        assertThat(message.body().length()).isLessThanOrEqualTo(ExtractionLimits.DEFAULT.maxBodyOctets() + 4096);
        assertThat(message.headers()).allSatisfy(h -> assertThat(h).contains(":").hasSizeLessThanOrEqualTo(8_192));
    }
}
