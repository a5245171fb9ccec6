package io.stratusmail.mailbox.mime;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The header of one MIME entity (a message or a body part): where it lies in the content and where the first
 * occurrence of each field that ENVELOPE and BODYSTRUCTURE need lies. Other fields are not kept, so a header
 * with a million fields costs no more memory than one with ten.
 */
final class MimeHeader {

    static final String CONTENT_TYPE = "content-type";
    static final String CONTENT_TRANSFER_ENCODING = "content-transfer-encoding";
    static final String CONTENT_ID = "content-id";
    static final String CONTENT_DESCRIPTION = "content-description";
    static final String CONTENT_DISPOSITION = "content-disposition";
    static final String CONTENT_LANGUAGE = "content-language";
    static final String CONTENT_LOCATION = "content-location";
    static final String CONTENT_MD5 = "content-md5";
    static final String DATE = "date";
    static final String SUBJECT = "subject";
    static final String FROM = "from";
    static final String SENDER = "sender";
    static final String REPLY_TO = "reply-to";
    static final String TO = "to";
    static final String CC = "cc";
    static final String BCC = "bcc";
    static final String IN_REPLY_TO = "in-reply-to";
    static final String MESSAGE_ID = "message-id";

    private static final List<String> KEPT = List.of(CONTENT_TYPE, CONTENT_TRANSFER_ENCODING, CONTENT_ID,
            CONTENT_DESCRIPTION, CONTENT_DISPOSITION, CONTENT_LANGUAGE, CONTENT_LOCATION, CONTENT_MD5, DATE,
            SUBJECT, FROM, SENDER, REPLY_TO, TO, CC, BCC, IN_REPLY_TO, MESSAGE_ID);
    private static final int LONGEST_KEPT = KEPT.stream().mapToInt(String::length).max().orElseThrow();

    /** First octet of the header. */
    final int start;
    /** End (exclusive) of the header, after its empty line: the first octet of the body. */
    final int end;
    /** Per {@link #KEPT} name: value start and end of its first occurrence, or -1. */
    private final int[] valueStart;
    private final int[] valueEnd;

    private MimeHeader(int start, int end, int[] valueStart, int[] valueEnd) {
        this.start = start;
        this.end = end;
        this.valueStart = valueStart;
        this.valueEnd = valueEnd;
    }

    /** Scans the header starting at {@code start}; it cannot extend beyond {@code limit}. */
    static MimeHeader scan(ByteBuffer content, int start, int limit) {
        int[] vs = new int[KEPT.size()];
        int[] ve = new int[KEPT.size()];
        Arrays.fill(vs, -1);
        HeaderScanner s = new HeaderScanner(content, start, limit);
        while (s.next()) {
            if (s.nameEnd < 0 || s.nameEnd - s.fieldStart > LONGEST_KEPT) {
                continue;
            }
            int i = KEPT.indexOf(s.lowerCaseName());
            if (i >= 0 && vs[i] < 0) {
                vs[i] = s.valueStart;
                ve[i] = s.fieldEnd;
            }
        }
        return new MimeHeader(start, s.headerEnd(), vs, ve);
    }

    /** The unfolded, trimmed value octets of the first field {@code name}, or null when absent. */
    byte[] value(ByteBuffer content, String name) {
        int i = KEPT.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("field not kept: " + name);
        }
        return valueStart[i] < 0 ? null : HeaderText.unfold(content, valueStart[i], valueEnd[i]);
    }

    /** {@link #value} as text (UTF-8 when valid, else ISO-8859-1), or null when absent. */
    String text(ByteBuffer content, String name) {
        byte[] v = value(content, name);
        return v == null ? null : HeaderText.decode(v);
    }
}
