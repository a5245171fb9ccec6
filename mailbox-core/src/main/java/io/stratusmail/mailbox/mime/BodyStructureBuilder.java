package io.stratusmail.mailbox.mime;

import io.stratusmail.mailbox.mime.BodyStructure.Disposition;
import io.stratusmail.mailbox.mime.BodyStructure.Extension;
import io.stratusmail.mailbox.mime.BodyStructure.Fields;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.stream.RawBody;

/** Builds the {@link BodyStructure} of a {@link MimeEntity} tree; see {@link BodyStructure} for the rules. */
final class BodyStructureBuilder {

    private static final String OPAQUE_TYPE = "APPLICATION";
    private static final String OPAQUE_SUBTYPE = "OCTET-STREAM";

    private BodyStructureBuilder() {
    }

    static BodyStructure build(ByteBuffer content, MimeEntity entity) {
        MimeHeader h = entity.header;
        ContentType type = entity.contentType;
        if (entity.isMultipart()) {
            List<BodyStructure> parts = new ArrayList<>(entity.parts.size());
            for (MimeEntity part : entity.parts) {
                parts.add(build(content, part));
            }
            return new BodyStructure.Multipart(parts, type.subtype(), type.parameters(), disposition(content, h),
                    language(content, h), h.text(content, MimeHeader.CONTENT_LOCATION));
        }
        String encoding = entity.transferEncoding(content);
        Fields fields = new Fields(type.parameters(), h.text(content, MimeHeader.CONTENT_ID),
                h.text(content, MimeHeader.CONTENT_DESCRIPTION), encoding == null ? "7BIT" : encoding,
                entity.end - entity.bodyStart());
        Extension extension = new Extension(h.text(content, MimeHeader.CONTENT_MD5), disposition(content, h),
                language(content, h), h.text(content, MimeHeader.CONTENT_LOCATION));
        if (entity.message != null) {
            return new BodyStructure.Message(type.type(), type.subtype(), fields,
                    EnvelopeParser.parse(content, entity.message.header), build(content, entity.message),
                    lines(content, entity.bodyStart(), entity.end), extension);
        }
        if (entity.opaque) {
            return new BodyStructure.Basic(OPAQUE_TYPE, OPAQUE_SUBTYPE, fields, extension);
        }
        if (type.isText()) {
            return new BodyStructure.Text(type.type(), type.subtype(), fields,
                    lines(content, entity.bodyStart(), entity.end), extension);
        }
        return new BodyStructure.Basic(type.type(), type.subtype(), fields, extension);
    }

    /** Text lines in {@code [from, to)}: line ends (LF), plus one for a last line without a line end. */
    static long lines(byte[] content, int from, int to) {
        return lines(ByteBuffer.wrap(content), from, to);
    }

    static long lines(ByteBuffer content, int from, int to) {
        long lines = 0;
        for (int i = from; i < to; i++) {
            if (content.get(i) == '\n') {
                lines++;
            }
        }
        if (to > from && content.get(to - 1) != '\n') {
            lines++;
        }
        return lines;
    }

    private static Disposition disposition(ByteBuffer content, MimeHeader h) {
        byte[] v = h.value(content, MimeHeader.CONTENT_DISPOSITION);
        if (v == null) {
            return null;
        }
        Mime4jInput input = Mime4jInput.of(v);
        RawBody body = input.rawBody();
        String type = body.getValue() == null ? "" : body.getValue().trim();
        if (type.isEmpty()) {
            return null;
        }
        return new Disposition(input.text(type), input.parameters(body));
    }

    /** RFC 3282: a comma-separated list of language tags. */
    private static List<String> language(ByteBuffer content, MimeHeader h) {
        String v = h.text(content, MimeHeader.CONTENT_LANGUAGE);
        if (v == null) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (String tag : v.split("[,\\s]+")) {
            if (!tag.isEmpty()) {
                tags.add(tag);
            }
        }
        return tags;
    }
}
