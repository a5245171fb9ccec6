package io.stratusmail.mailbox.mime;

import java.util.List;

/**
 * A {@code section} of {@code BODY[section]} (RFC 3501 section 6.4.5, RFC 9051 section 6.4.5), without the
 * {@code <partial>} range, which the FETCH layer applies to the extracted octets.
 *
 * @param part       the part path ({@code 1.2.3} is {@code [1, 2, 3]}); empty for the whole message
 * @param kind       what of that part
 * @param fieldNames the header field names of {@code HEADER.FIELDS} / {@code HEADER.FIELDS.NOT}, as
 *                   written by the client; empty otherwise
 */
public record BodySection(List<Integer> part, Kind kind, List<String> fieldNames) {

    public enum Kind {
        /** The whole part ({@code BODY[]}, {@code BODY[1.2]}). */
        ALL,
        HEADER,
        HEADER_FIELDS,
        HEADER_FIELDS_NOT,
        TEXT,
        /** The MIME header of a part ({@code BODY[1.MIME]}); only with a non-empty part path. */
        MIME
    }

    public BodySection {
        part = List.copyOf(part);
        fieldNames = List.copyOf(fieldNames);
        for (int p : part) {
            if (p < 1) {
                throw new IllegalArgumentException("part numbers start at 1");
            }
        }
        if (kind == Kind.MIME && part.isEmpty()) {
            throw new IllegalArgumentException("MIME needs a part number");
        }
    }

    /** {@code BODY[]}: the whole message. */
    public static final BodySection WHOLE = new BodySection(List.of(), Kind.ALL, List.of());
}
