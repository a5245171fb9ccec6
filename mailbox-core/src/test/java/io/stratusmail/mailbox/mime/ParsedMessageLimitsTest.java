package io.stratusmail.mailbox.mime;

import static io.stratusmail.mailbox.mime.Invariants.section;
import static io.stratusmail.mailbox.mime.SampleMessages.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.mime.BodySection.Kind;
import io.stratusmail.mailbox.mime.BodyStructure.Basic;
import io.stratusmail.mailbox.mime.BodyStructure.Message;
import io.stratusmail.mailbox.mime.BodyStructure.Multipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile shapes: deep nesting, huge part counts, big messages. Bounded work, no exception, exact slices. */
class ParsedMessageLimitsTest {

    @Test
    void multipartsNestedBeyondTheLimitStayOpaque() {
        int levels = 1000;
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            m.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        m.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        ParsedMessage parsed = ParsedMessage.parse(ascii(m.toString()));

        int depth = 0;
        BodyStructure b = parsed.bodyStructure();
        while (b instanceof Multipart mp) {
            depth++;
            b = mp.parts().get(0);
        }
        assertThat(depth).isEqualTo(ParsedMessage.MAX_DEPTH);
        Basic opaque = (Basic) b;
        assertThat(opaque.type() + "/" + opaque.subtype()).isEqualTo("APPLICATION/OCTET-STREAM");
        byte[] body = parsed.section(section(Collections.nCopies(depth, 1), Kind.ALL));
        assertThat(body.length).isEqualTo(opaque.fields().size());
        assertThat(new String(body, StandardCharsets.US_ASCII)).startsWith("--b50\r\n").endsWith("deep\r\n");
        Invariants.check(ascii(m.toString()));
    }

    @Test
    void messagesNestedBeyondTheLimitStayOpaque() {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            m.append("Subject: level ").append(i).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        m.append("Subject: innermost\r\n\r\nbody\r\n");
        ParsedMessage parsed = ParsedMessage.parse(ascii(m.toString()));

        int depth = 0;
        BodyStructure b = parsed.bodyStructure();
        while (b instanceof Message message) {
            depth++;
            assertThat(message.envelope().subject()).isEqualTo("level " + depth);
            b = message.body();
        }
        assertThat(depth).isEqualTo(ParsedMessage.MAX_DEPTH);
        assertThat(((Basic) b).type()).isEqualTo("APPLICATION");
        List<Integer> path = new ArrayList<>(Collections.nCopies(10, 1));
        assertThat(new String(parsed.section(section(path, Kind.HEADER)), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: level 10\r\nContent-Type: message/rfc822\r\n\r\n");
        Invariants.check(ascii(m.toString()));
    }

    @Test
    void partsBeyondTheLimitAreNotSplit() {
        StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        int parts = 100_000;
        for (int i = 0; i < parts; i++) {
            m.append("--b\r\n\r\npart ").append(i).append("\r\n");
        }
        m.append("--b--\r\n");
        byte[] content = ascii(m.toString());

        long started = System.nanoTime();
        ParsedMessage parsed = ParsedMessage.parse(content);
        Multipart mp = (Multipart) parsed.bodyStructure();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        assertThat(mp.parts()).hasSize(ParsedMessage.MAX_PARTS - 1);
        assertThat(new String(parsed.section(section(List.of(7), Kind.ALL)), StandardCharsets.US_ASCII))
                .isEqualTo("part 6");
        assertThat(parsed.section(section(List.of(ParsedMessage.MAX_PARTS), Kind.ALL))).isEmpty();
        assertThat(parsed.section(BodySection.WHOLE)).isEqualTo(content);
    }

    @Test
    void aTenMegabyteMessageIsParsedQuicklyAndSlicedExactly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(11 << 20);
        out.writeBytes(ascii("From: a@example.com\r\nSubject: big\r\n"
                + "Content-Type: multipart/mixed; boundary=\"=_big\"\r\n\r\n"
                + "--=_big\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n"
                + "--=_big\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
        byte[] line = ascii("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n");
        int lines = (10 << 20) / line.length;
        for (int i = 0; i < lines; i++) {
            out.writeBytes(line);
        }
        out.writeBytes(ascii("--=_big--\r\n"));
        byte[] content = out.toByteArray();

        long started = System.nanoTime();
        ParsedMessage parsed = ParsedMessage.parse(content);
        BodyStructure structure = parsed.bodyStructure();
        byte[] attachment = parsed.section(section(List.of(2), Kind.ALL));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        Basic basic = (Basic) ((Multipart) structure).parts().get(1);
        assertThat(basic.fields().size()).isEqualTo((long) lines * line.length - 2);
        assertThat(attachment.length).isEqualTo(basic.fields().size());
        assertThat(parsed.envelope().subject()).isEqualTo("big");
        assertThat(parsed.section(section(List.of(), Kind.HEADER)).length + parsed.section(
                section(List.of(), Kind.TEXT)).length).isEqualTo(content.length);
    }

    @Test
    void aHugeHeaderWithoutLineEndsIsOneGarbageLine() {
        byte[] content = new byte[5 << 20];
        java.util.Arrays.fill(content, (byte) 'x');
        ParsedMessage parsed = ParsedMessage.parse(content);
        assertThat(parsed.section(section(List.of(), Kind.HEADER))).isEqualTo(content);
        assertThat(parsed.section(new BodySection(List.of(), Kind.HEADER_FIELDS, List.of("subject"))))
                .isEqualTo(ascii("\r\n"));
        assertThat(parsed.envelope()).isEqualTo(Envelope.EMPTY);
    }

    @Test
    void addressListsAreCapped() {
        StringBuilder to = new StringBuilder("To: list:");
        for (int i = 0; i < 30_000; i++) {
            to.append(i == 0 ? "" : ",").append("u").append(i).append("@example.com");
        }
        to.append(";\r\nCc: a@example.com\r\n\r\n");
        Envelope e = ParsedMessage.parse(ascii(to.toString())).envelope();
        assertThat(e.to()).hasSize(Envelope.MAX_ADDRESSES);
        assertThat(e.to().get(0)).isEqualTo(Address.groupStart("list"));
        assertThat(e.to().get(Envelope.MAX_ADDRESSES - 1)).isEqualTo(Address.GROUP_END);
        assertThat(e.cc()).containsExactly(new Address(null, null, "a", "example.com"));
    }
}
