package io.stratusmail.mailbox.mime;

import static io.stratusmail.mailbox.mime.Invariants.append;
import static io.stratusmail.mailbox.mime.Invariants.concat;
import static io.stratusmail.mailbox.mime.SampleMessages.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.mailbox.mime.BodySection.Kind;
import io.stratusmail.mailbox.mime.CorpusMessages.Sample;
import io.stratusmail.mailbox.mime.MessageSummary.Range;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The precomputed summary answers FETCH exactly as parsing the content does: ENVELOPE, BODYSTRUCTURE, size and
 * every BODY[section] read through its range, also after a round trip through the stored form and after a
 * trace-header prefix; the stored form stays small for hostile messages and rejects anything malformed.
 */
class MessageSummaryTest {

    private static final byte[] TRACE = ascii("Delivered-To: <alice@example.com>\r\n");
    private static final List<String> FIELD_NAMES = List.of("Subject", "from", "CONTENT-TYPE", "X-None");

    static Stream<Sample> corpus() {
        return CorpusMessages.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusMessagesSurviveTheStoredFormAndAnswerEverySection(Sample sample) {
        assertSummaryMatchesParsing(sample.content());
        assertPrefixedMatchesParsing(sample.content());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void damagedCorpusMessagesToo(Sample sample) {
        Random random = new Random(sample.name().hashCode() * 31L);
        for (int i = 0; i < 8; i++) {
            byte[] mutant = sample.content();
            for (int j = 0, n = 1 + random.nextInt(4); j < n; j++) {
                mutant = ParsedMessageFuzzTest.mutate(mutant, random);
            }
            assertSummaryMatchesParsing(mutant);
        }
    }

    @Test
    void rfcExamplesAndDegenerateMessages() {
        for (byte[] content : List.of(SampleMessages.rfc3501EnvelopeExample(),
                SampleMessages.rfc3501BodyStructureExample(), new byte[0], ascii("\r\n"), ascii("\r\n\r\nbody"),
                ascii("Subject: no body"), ascii("Subject: bare LF\n\nbody\n"), ascii(" folded first line\r\n\r\nx"),
                new byte[] {(byte) 0xff, 0, '\r', '\n', '\r', '\n', (byte) 0xe9})) {
            assertSummaryMatchesParsing(content);
            assertPrefixedMatchesParsing(content);
        }
    }

    @Test
    void headerFieldsAreSelectedFromTheHeaderRangeAlone() {
        byte[] content = SampleMessages.rfc3501EnvelopeExample();
        MessageSummary summary = MessageSummary.of(content).prefixed(TRACE.length);
        byte[] stored = concat(TRACE, content);
        BodySection subject = new BodySection(List.of(), Kind.HEADER_FIELDS, List.of("SUBJECT"));

        Range range = summary.range(subject).orElseThrow();

        assertThat(range.from()).isZero();
        assertThat(range.to()).isEqualTo(Invariants.indexOf(stored, ascii("\r\n\r\n"), 0) + 4);
        assertThat(new String(MessageSummary.section(subject, slice(stored, range)), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: IMAP4rev1 WG mtg summary and minutes\r\n\r\n");
        assertThat(summary.size()).isEqualTo(stored.length);
        assertThat(summary.range(BodySection.WHOLE)).contains(new Range(0, stored.length));
    }

    @Test
    void aSectionThatDoesNotExistHasNoRange() {
        MessageSummary summary = MessageSummary.of(SampleMessages.rfc3501BodyStructureExample());
        assertThat(summary.range(new BodySection(List.of(3), Kind.ALL, List.of()))).isEmpty();
        assertThat(summary.range(new BodySection(List.of(1), Kind.HEADER, List.of()))).isEmpty();
        assertThat(summary.range(new BodySection(List.of(1, 1), Kind.ALL, List.of()))).isEmpty();
    }

    @Test
    void theStoredFormIsSmallBesideTheMessage() {
        long contentOctets = 0;
        long summaryOctets = 0;
        int largest = 0;
        for (Sample sample : CorpusMessages.all()) {
            int encoded = MessageSummary.of(sample.content()).encode().length;
            contentOctets += sample.content().length;
            summaryOctets += encoded;
            largest = Math.max(largest, encoded);
        }
        int messages = CorpusMessages.all().size();
        System.out.printf("summary: corpus_messages=%d content_bytes=%d summary_bytes=%d mean=%d largest=%d%n",
                messages, contentOctets, summaryOctets, summaryOctets / messages, largest);
        assertThat(summaryOctets).isLessThan(contentOctets / 4);
        assertThat(summaryOctets / messages).isLessThan(1024);
    }

    @Test
    void tenThousandPartsStayBoundedInTheStoredForm() {
        StringBuilder m = new StringBuilder("Subject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < 20_000; i++) {
            m.append("--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\npart ").append(i).append("\r\n");
        }
        m.append("--b--\r\n");
        byte[] content = ascii(m.toString());

        MessageSummary summary = MessageSummary.of(content);
        byte[] encoded = summary.encode();

        int parts = summary.entityCount();
        assertThat(parts).isEqualTo(ParsedMessage.MAX_PARTS);
        double perPart = (double) encoded.length / parts;
        System.out.printf("summary: entities=%d encoded_bytes=%d bytes_per_part=%.1f content_bytes=%d%n",
                parts, encoded.length, perPart, content.length);
        assertThat(perPart).isLessThan(24);
        assertThat(MessageSummary.decode(encoded)).isEqualTo(summary);
        assertSummaryMatchesParsing(Arrays.copyOf(content, 4000));
    }

    @Test
    void deepNestingSurvivesTheStoredForm() {
        StringBuilder multiparts = new StringBuilder();
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            multiparts.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i)
                    .append("\r\n");
            messages.append("Subject: level ").append(i).append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }
        multiparts.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        messages.append("Subject: bottom\r\n\r\ndeep\r\n");
        for (String m : List.of(multiparts.toString(), messages.toString())) {
            byte[] content = ascii(m);
            MessageSummary summary = MessageSummary.of(content);
            assertThat(MessageSummary.decode(summary.encode())).isEqualTo(summary);
            assertSummaryMatchesParsing(content);
            assertPrefixedMatchesParsing(content);
        }
    }

    @Test
    void malformedStoredFormsAreRejected() {
        byte[] valid = MessageSummary.of(SampleMessages.rfc3501BodyStructureExample()).encode();
        assertThat(valid[0]).isEqualTo((byte) 1);

        assertThatThrownBy(() -> MessageSummary.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        byte[] otherVersion = valid.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> MessageSummary.decode(otherVersion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
        for (int length = 1; length < valid.length; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            assertThatThrownBy(() -> MessageSummary.decode(truncated)).as("truncated to %d", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> MessageSummary.decode(Arrays.copyOf(valid, valid.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        // A huge count must be refused before anything is allocated.
        assertThatThrownBy(() -> MessageSummary.decode(new byte[] {1, 5, 0, 0, (byte) 0xff, (byte) 0xff,
                (byte) 0xff, (byte) 0xff, 0x7f})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageSummary.decode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void randomDamageToTheStoredFormIsRejectedOrDecodesConsistently() {
        byte[] valid = MessageSummary.of(SampleMessages.rfc3501BodyStructureExample()).encode();
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] damaged = valid.clone();
            for (int j = 0, n = 1 + random.nextInt(3); j < n; j++) {
                damaged[1 + random.nextInt(damaged.length - 1)] = (byte) random.nextInt(256);
            }
            try {
                MessageSummary decoded = MessageSummary.decode(damaged);
                // Accepted damage (a changed string or number) still yields a self-consistent summary.
                assertThat(MessageSummary.decode(decoded.encode())).isEqualTo(decoded);
                assertThat(decoded.range(BodySection.WHOLE)).contains(new Range(0, decoded.size()));
            } catch (IllegalArgumentException expected) {
                // rejected: fine
            }
        }
    }

    @Test
    void prefixedRejectsANegativeLengthAndZeroIsTheSameSummary() {
        MessageSummary summary = MessageSummary.of(SampleMessages.rfc3501EnvelopeExample());
        assertThat(summary.prefixed(0)).isSameAs(summary);
        assertThatThrownBy(() -> summary.prefixed(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSummaryOfAMappedFileEqualsTheSummaryOfItsOctets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        for (Sample sample : CorpusMessages.all().subList(0, Math.min(40, CorpusMessages.all().size()))) {
            java.nio.file.Path file = dir.resolve("m");
            java.nio.file.Files.write(file, sample.content());
            try (java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(file)) {
                java.nio.ByteBuffer mapped = in.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, in.size());
                assertThat(MessageSummary.of(mapped)).as(sample.name()).isEqualTo(MessageSummary.of(sample.content()));
                assertThat(mapped.position()).isZero();
            }
        }
    }

    @Test
    void aSummaryOfABufferCoversItsPositionToItsLimitOnly() {
        byte[] content = SampleMessages.rfc3501BodyStructureExample();
        byte[] padded = concat(concat(ascii("garbage before"), content), ascii("garbage after"));
        java.nio.ByteBuffer window = java.nio.ByteBuffer.wrap(padded, 14, content.length);
        assertThat(MessageSummary.of(window)).isEqualTo(MessageSummary.of(content));
        assertThat(window.position()).isEqualTo(14);
        assertThat(window.remaining()).isEqualTo(content.length);
    }

    /** The summary, and its decoded stored form, equal what ParsedMessage gives for every section. */
    private static void assertSummaryMatchesParsing(byte[] content) {
        ParsedMessage parsed = ParsedMessage.parse(content);
        MessageSummary summary = MessageSummary.of(content);
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(content.length).put(content).flip();
        assertThat(MessageSummary.of(direct)).isEqualTo(summary);
        MessageSummary decoded = MessageSummary.decode(summary.encode());
        assertThat(decoded).isEqualTo(summary);
        assertThat(decoded.size()).isEqualTo(content.length);
        assertThat(decoded.envelope()).isEqualTo(parsed.envelope());
        assertThat(decoded.bodyStructure()).isEqualTo(parsed.bodyStructure());
        assertSectionsMatch(decoded, parsed, content);
    }

    /** prefixed(n) equals the summary of the prefixed octets, and reads the same sections from them. */
    private static void assertPrefixedMatchesParsing(byte[] content) {
        byte[] stored = concat(TRACE, content);
        MessageSummary prefixed = MessageSummary.of(content).prefixed(TRACE.length);
        ParsedMessage parsed = ParsedMessage.parse(stored);
        assertThat(prefixed.size()).isEqualTo(stored.length);
        assertThat(prefixed.bodyStructure()).isEqualTo(parsed.bodyStructure());
        assertSectionsMatch(prefixed, parsed, stored);
        if (content.length == 0 || (content[0] != ' ' && content[0] != '\t')) {
            // (a first line that is a folded continuation would join the trace field: another ENVELOPE)
            assertThat(prefixed).isEqualTo(MessageSummary.of(stored));
        }
        assertThat(MessageSummary.decode(prefixed.encode())).isEqualTo(prefixed);
    }

    private static void assertSectionsMatch(MessageSummary summary, ParsedMessage parsed, byte[] content) {
        for (List<Integer> path : paths(parsed.bodyStructure())) {
            for (Kind kind : Kind.values()) {
                if (kind == Kind.MIME && path.isEmpty()) {
                    continue;
                }
                List<String> names = kind == Kind.HEADER_FIELDS || kind == Kind.HEADER_FIELDS_NOT
                        ? FIELD_NAMES : List.of();
                BodySection section = new BodySection(path, kind, names);
                Optional<Range> range = summary.range(section);
                byte[] actual = range.map(r -> MessageSummary.section(section, slice(content, r)))
                        .orElse(new byte[0]);
                assertThat(actual).as("BODY[%s %s]", path, kind).isEqualTo(parsed.section(section));
            }
        }
    }

    /** Every part path of the structure, plus a non-existent sibling and child of each. */
    private static Set<List<Integer>> paths(BodyStructure root) {
        Set<List<Integer>> paths = new LinkedHashSet<>();
        paths.add(List.of());
        collect(root, List.of(), true, paths);
        for (List<Integer> p : new ArrayList<>(paths)) {
            paths.add(append(p, 1));
            paths.add(append(p, 2));
            paths.add(append(p, 999));
        }
        return paths;
    }

    private static void collect(BodyStructure b, List<Integer> path, boolean isMessageBody,
                                Set<List<Integer>> paths) {
        if (b instanceof BodyStructure.Multipart mp) {
            for (int i = 0; i < mp.parts().size(); i++) {
                List<Integer> child = append(path, i + 1);
                paths.add(child);
                collect(mp.parts().get(i), child, false, paths);
            }
            return;
        }
        List<Integer> partPath = isMessageBody ? append(path, 1) : path;
        paths.add(partPath);
        if (b instanceof BodyStructure.Message message) {
            collect(message.body(), partPath, true, paths);
        }
    }

    private static byte[] slice(byte[] content, Range range) {
        return Arrays.copyOfRange(content, (int) range.from(), (int) range.to());
    }
}
