package io.stratusmail.mailbox.mime;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratusmail.mailbox.mime.BodySection.Kind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Properties every parse must have, whatever the input: sections are exact slices that fit together, and the
 * part numbers of BODYSTRUCTURE address sections of the sizes BODYSTRUCTURE announces.
 */
final class Invariants {

    private Invariants() {
    }

    static void check(byte[] content) {
        ParsedMessage m = ParsedMessage.parse(content);
        assertThat(m.section(BodySection.WHOLE)).isEqualTo(content);
        assertThat(concat(m.section(section(List.of(), Kind.HEADER)), m.section(section(List.of(), Kind.TEXT))))
                .isEqualTo(content);
        entity(content, m.root());
        headerFieldsPartitionHeader(m, List.of());
        assertThat(m.envelope()).isNotNull();
        structure(m, m.bodyStructure(), List.of(), true, new int[1]);
    }

    /** Offsets nest: each part (MIME header + body) is the exact slice of its range, in order, inside its parent. */
    private static void entity(byte[] content, MimeEntity e) {
        assertThat(e.start()).isBetween(0, e.bodyStart());
        assertThat(e.bodyStart()).isLessThanOrEqualTo(e.end);
        assertThat(e.end).isLessThanOrEqualTo(content.length);
        int previousEnd = e.bodyStart();
        for (MimeEntity part : e.parts) {
            assertThat(part.start()).isGreaterThanOrEqualTo(previousEnd);
            assertThat(part.end).isLessThanOrEqualTo(e.end);
            previousEnd = part.end;
            entity(content, part);
        }
        if (e.message != null) {
            assertThat(e.message.start()).isEqualTo(e.bodyStart());
            assertThat(e.message.end).isEqualTo(e.end);
            entity(content, e.message);
        }
    }

    /**
     * Walks BODYSTRUCTURE with IMAP part numbers: each single part's section has the announced size; MIME header
     * followed by body is a slice of the content, in document order; an encapsulated message's HEADER followed
     * by TEXT is its body.
     */
    private static void structure(ParsedMessage m, BodyStructure b, List<Integer> path, boolean isMessageBody,
                                  int[] cursor) {
        byte[] content = m.content();
        if (b instanceof BodyStructure.Multipart mp) {
            for (int i = 0; i < mp.parts().size(); i++) {
                structure(m, mp.parts().get(i), append(path, i + 1), false, cursor);
            }
            return;
        }
        List<Integer> partPath = isMessageBody ? append(path, 1) : path;
        byte[] body = m.section(section(partPath, Kind.ALL));
        byte[] mime = m.section(section(partPath, Kind.MIME));
        assertThat((long) body.length).isEqualTo(fields(b).size());
        int at = indexOf(content, concat(mime, body), cursor[0]);
        assertThat(at).as("MIME header and body of %s are a slice after offset %d", partPath, cursor[0])
                .isGreaterThanOrEqualTo(0);
        if (b instanceof BodyStructure.Text text) {
            assertThat(text.lines()).isEqualTo(BodyStructureBuilder.lines(body, 0, body.length));
        }
        if (b instanceof BodyStructure.Message message) {
            byte[] header = m.section(section(partPath, Kind.HEADER));
            byte[] text = m.section(section(partPath, Kind.TEXT));
            assertThat(concat(header, text)).isEqualTo(body);
            headerFieldsPartitionHeader(m, partPath);
            cursor[0] = at + mime.length;
            structure(m, message.body(), partPath, true, cursor);
        }
        cursor[0] = at + mime.length + body.length;
    }

    static BodyStructure.Fields fields(BodyStructure b) {
        if (b instanceof BodyStructure.Basic basic) {
            return basic.fields();
        }
        if (b instanceof BodyStructure.Text text) {
            return text.fields();
        }
        if (b instanceof BodyStructure.Message message) {
            return message.fields();
        }
        throw new IllegalArgumentException("not a single part: " + b);
    }

    /** HEADER.FIELDS (names) and HEADER.FIELDS.NOT (names) together hold every header line exactly once. */
    private static void headerFieldsPartitionHeader(ParsedMessage m, List<Integer> path) {
        List<String> names = List.of("subject", "FROM", "content-type", "X-Nonexistent");
        byte[] header = m.section(section(path, Kind.HEADER));
        byte[] in = m.section(new BodySection(path, Kind.HEADER_FIELDS, names));
        byte[] out = m.section(new BodySection(path, Kind.HEADER_FIELDS_NOT, names));
        assertThat(in).endsWith('\r', '\n');
        assertThat(out).endsWith('\r', '\n');
        if (header.length > 0 && header[header.length - 1] == '\n') {
            // Without the added empty lines (and line ends added to an unterminated last field), the two lists
            // are the header's lines minus its empty line.
            int fieldOctets = in.length - 2 + out.length - 2;
            int headerWithoutEmptyLine = header.length - emptyLineLength(header);
            assertThat(fieldOctets).isBetween(headerWithoutEmptyLine, headerWithoutEmptyLine + 2);
        }
    }

    private static int emptyLineLength(byte[] header) {
        int n = header.length;
        if (n >= 2 && header[n - 2] == '\r' && (n == 2 || header[n - 3] == '\n')) {
            return 2;
        }
        return n == 1 || header[n - 2] == '\n' ? 1 : 0;
    }

    static BodySection section(List<Integer> path, Kind kind) {
        return new BodySection(path, kind, List.of());
    }

    static List<Integer> append(List<Integer> path, int n) {
        List<Integer> p = new ArrayList<>(path);
        p.add(n);
        return p;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return needle.length == 0 && from <= haystack.length ? from : -1;
    }
}
