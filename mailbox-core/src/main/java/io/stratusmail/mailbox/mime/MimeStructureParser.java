package io.stratusmail.mailbox.mime;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message into its {@link MimeEntity} tree by byte offsets (RFC 2045, RFC 2046 section 5.1.1),
 * reading the octets in place.
 *
 * <p>Why not mime4j's stream parser for this: its events carry no positions, it drops the line ends of fields
 * and delimiters, and FETCH needs every part as an exact slice of the stored octets. The structural grammar is
 * small (header to the first empty line, delimiter lines); the field grammars (parameters, addresses) are
 * parsed with mime4j.
 *
 * <p>Rules: a delimiter is a line starting with {@code "--" boundary} followed by {@code "--"} (the close
 * delimiter), white space or the line end; the rest of the line is ignored (RFC 2046: "it is sufficient that
 * the boundary appear in its entirety following the CRLF"), yet a line where the boundary is followed by other
 * characters is not a delimiter, so an inner boundary that extends an outer one does not end the outer part. The
 * line end before a delimiter belongs to the delimiter, not to the part before it. A missing close delimiter
 * ends the last part at the end of the enclosing body; a multipart without any delimiter gets one empty part.
 * Line ends may be CRLF or bare LF. Nested multiparts only look inside the range of their enclosing part, so
 * colliding boundaries cannot make a part escape its parent.
 *
 * <p>Limits (hostile input): nesting deeper than {@link ParsedMessage#MAX_DEPTH} and entities beyond
 * {@link ParsedMessage#MAX_PARTS} are not split (the multipart or message stays an opaque leaf; once the
 * count is reached, the remaining delimiters of a multipart are ignored). Work is linear in the content size
 * per nesting level.
 */
final class MimeStructureParser {

    private final ByteBuffer b;
    private int entities;

    private MimeStructureParser(ByteBuffer content) {
        this.b = content;
    }

    /** The tree of the message {@code content}. */
    static MimeEntity parse(ByteBuffer content) {
        return new MimeStructureParser(content).entity(0, content.limit(), 0, ContentType.TEXT_PLAIN);
    }

    /** A leaf covering the whole content, header scanned only: the fallback when parsing failed. */
    static MimeEntity flat(ByteBuffer content) {
        MimeHeader header = MimeHeader.scan(content, 0, content.limit());
        return new MimeEntity(header, ContentType.TEXT_PLAIN, content.limit(), List.of(), null, -1, -1, false);
    }

    private MimeEntity entity(int start, int end, int depth, ContentType fallback) {
        entities++;
        MimeHeader header = MimeHeader.scan(b, start, end);
        ContentType type = ContentType.parse(header.value(b, MimeHeader.CONTENT_TYPE), fallback);
        boolean withinLimits = depth < ParsedMessage.MAX_DEPTH && entities < ParsedMessage.MAX_PARTS;
        if (type.isMultipart()) {
            if (!withinLimits) {
                return new MimeEntity(header, type, end, List.of(), null, -1, -1, true);
            }
            return multipart(header, type, end, depth);
        }
        if (type.isMessage()) {
            MimeEntity probe = new MimeEntity(header, type, end, List.of(), null, -1, -1, true);
            if (!withinLimits || !isIdentity(probe.transferEncoding(b))) {
                return probe;
            }
            MimeEntity message = entity(header.end, end, depth + 1, ContentType.TEXT_PLAIN);
            return new MimeEntity(header, type, end, List.of(), message, -1, -1, false);
        }
        return new MimeEntity(header, type, end, List.of(), null, -1, -1, false);
    }

    /** RFC 2045 section 6.4: only the identity encodings leave an encapsulated message readable in place. */
    private static boolean isIdentity(String encoding) {
        return encoding == null || encoding.equalsIgnoreCase("7bit") || encoding.equalsIgnoreCase("8bit")
                || encoding.equalsIgnoreCase("binary");
    }

    private MimeEntity multipart(MimeHeader header, ContentType type, int end, int depth) {
        byte[] boundary = type.boundary();
        ContentType partDefault = type.isDigest() ? ContentType.MESSAGE_RFC822 : ContentType.TEXT_PLAIN;
        List<MimeEntity> parts = new ArrayList<>();
        int bodyStart = header.end;
        int preambleEnd = -1;
        int epilogueStart = -1;
        int partStart = -1;
        int line = bodyStart;
        while (line < end) {
            int next = delimiterLineEnd(line, end, boundary);
            if (next < 0) {
                line = lineEnd(line, end);
                continue;
            }
            int delimiterStart = line;
            if (line > bodyStart && b.get(line - 1) == '\n') {
                delimiterStart--;
                if (delimiterStart > bodyStart && b.get(delimiterStart - 1) == '\r') {
                    delimiterStart--;
                }
            }
            if (partStart < 0) {
                preambleEnd = delimiterStart;
            } else {
                parts.add(entity(partStart, Math.max(partStart, delimiterStart), depth + 1, partDefault));
            }
            boolean close = isClose(line, end, boundary);
            if (close || entities >= ParsedMessage.MAX_PARTS) {
                epilogueStart = close ? next : line;
                partStart = -1;
                break;
            }
            partStart = next;
            line = next;
        }
        if (partStart >= 0) {
            parts.add(entity(partStart, end, depth + 1, partDefault));
        }
        if (preambleEnd < 0) {
            preambleEnd = end;
        }
        if (parts.isEmpty()) {
            entities++;
            MimeHeader none = MimeHeader.scan(b, end, end);
            parts.add(new MimeEntity(none, ContentType.TEXT_PLAIN, end, List.of(), null, -1, -1, false));
        }
        return new MimeEntity(header, type, end, parts, null, preambleEnd, epilogueStart, false);
    }

    /**
     * When the line at {@code line} is a delimiter or close delimiter of {@code boundary}, the first octet after
     * its line end; otherwise -1.
     */
    private int delimiterLineEnd(int line, int end, byte[] boundary) {
        int after = line + 2 + boundary.length;
        if (after > end || b.get(line) != '-' || b.get(line + 1) != '-') {
            return -1;
        }
        for (int i = 0; i < boundary.length; i++) {
            if (b.get(line + 2 + i) != boundary[i]) {
                return -1;
            }
        }
        boolean close = after + 1 < end && b.get(after) == '-' && b.get(after + 1) == '-';
        if (close || after == end || isLineSpace(b.get(after))) {
            return lineEnd(after, end);
        }
        return -1;
    }

    private static boolean isLineSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private boolean isClose(int line, int end, byte[] boundary) {
        int after = line + 2 + boundary.length;
        return after + 1 < end && b.get(after) == '-' && b.get(after + 1) == '-';
    }

    private int lineEnd(int from, int end) {
        for (int i = from; i < end; i++) {
            if (b.get(i) == '\n') {
                return i + 1;
            }
        }
        return end;
    }
}
