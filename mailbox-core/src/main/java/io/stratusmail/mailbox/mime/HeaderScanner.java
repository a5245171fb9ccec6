package io.stratusmail.mailbox.mime;

import java.nio.ByteBuffer;

/**
 * Walks the fields of an RFC 5322 / MIME header in place, by byte offsets, without copying.
 *
 * <p>The header runs from its start to the first empty line (CRLF or bare LF), which belongs to the header,
 * or to the limit when there is no empty line. A field is a line with a name of printable US-ASCII characters
 * followed, possibly after spaces, by a colon, plus every following line that starts with a space or tab
 * (folding, RFC 5322 section 2.2.3). A line that is neither (an mbox {@code From } line, garbage) is reported
 * as a field without a name ({@link #nameEnd} is -1) so that no octet of the header is lost.
 *
 * <p>Usage: {@code while (s.next()) { ... s.fieldStart ... }} then {@link #headerEnd()}.
 */
final class HeaderScanner {

    private final ByteBuffer b;
    private final int limit;
    private int pos;
    private int headerEnd = -1;

    /** First octet of the current field. */
    int fieldStart;
    /** End (exclusive) of the current field, after its last line end. */
    int fieldEnd;
    /** End (exclusive) of the current field's name, or -1 when the line is not a well-formed field. */
    int nameEnd;
    /** First octet after the colon, or -1 when the line is not a well-formed field. */
    int valueStart;

    HeaderScanner(byte[] content, int start, int limit) {
        this(ByteBuffer.wrap(content), start, limit);
    }

    /** Over octets {@code [0, limit())} of {@code content} by absolute index (a heap or a mapped buffer). */
    HeaderScanner(ByteBuffer content, int start, int limit) {
        this.b = content;
        this.pos = start;
        this.limit = limit;
    }

    /** Advances to the next field; false at the empty line that ends the header or at the limit. */
    boolean next() {
        if (headerEnd >= 0) {
            return false;
        }
        if (pos >= limit) {
            headerEnd = limit;
            return false;
        }
        if (b.get(pos) == '\n' || (b.get(pos) == '\r' && pos + 1 < limit && b.get(pos + 1) == '\n')) {
            headerEnd = lineEnd(pos);
            return false;
        }
        fieldStart = pos;
        int end = lineEnd(pos);
        while (end < limit && (b.get(end) == ' ' || b.get(end) == '\t')) {
            end = lineEnd(end);
        }
        fieldEnd = end;
        int p = pos;
        while (p < end && b.get(p) > ' ' && b.get(p) < 0x7f && b.get(p) != ':') {
            p++;
        }
        int name = p;
        while (p < end && (b.get(p) == ' ' || b.get(p) == '\t')) {
            p++;
        }
        if (name > pos && p < end && b.get(p) == ':') {
            nameEnd = name;
            valueStart = p + 1;
        } else {
            nameEnd = -1;
            valueStart = -1;
        }
        pos = end;
        return true;
    }

    /** End (exclusive) of the header including its empty line; call after {@link #next()} returned false. */
    int headerEnd() {
        while (next()) {
            // skip the remaining fields
        }
        return headerEnd;
    }

    /** The current field's name in lower case, or null when the line is not a well-formed field. */
    String lowerCaseName() {
        if (nameEnd < 0) {
            return null;
        }
        char[] name = new char[nameEnd - fieldStart];
        for (int i = 0; i < name.length; i++) {
            int c = b.get(fieldStart + i);
            name[i] = (char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return new String(name);
    }

    private int lineEnd(int from) {
        for (int i = from; i < limit; i++) {
            if (b.get(i) == '\n') {
                return i + 1;
            }
        }
        return limit;
    }
}
