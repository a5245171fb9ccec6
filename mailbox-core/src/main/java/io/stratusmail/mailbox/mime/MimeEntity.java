package io.stratusmail.mailbox.mime;

import java.util.List;

/**
 * One node of a message's MIME tree, located by byte offsets into the message content: a header
 * {@code [start, bodyStart)} (including its empty line) and a body {@code [bodyStart, end)}.
 *
 * <p>A multipart has its body parts; a {@code message/rfc822} or {@code message/global} part whose body is not
 * transfer-encoded has its encapsulated message, an entity starting at the part's body. Everything else is a
 * leaf. {@link #opaque} marks a multipart or message left unparsed (encoded, or beyond the limits of
 * {@link MimeStructureParser}).
 */
final class MimeEntity implements PartNode<MimeEntity> {

    final MimeHeader header;
    /** The effective content type, defaults applied. */
    final ContentType contentType;
    /** End (exclusive) of the body. */
    final int end;
    /** The body parts of a multipart, in order (never empty for a parsed multipart); empty otherwise. */
    final List<MimeEntity> parts;
    /** The encapsulated message of a message part, or null. */
    final MimeEntity message;
    /** Multipart only: end of the preamble (start of the first delimiter's line end); -1 otherwise. */
    final int preambleEnd;
    /** Multipart only: start of the epilogue (after the close delimiter line), -1 when there is none. */
    final int epilogueStart;
    /** A multipart or message whose inside is not parsed. */
    final boolean opaque;

    MimeEntity(MimeHeader header, ContentType contentType, int end, List<MimeEntity> parts, MimeEntity message,
               int preambleEnd, int epilogueStart, boolean opaque) {
        this.header = header;
        this.contentType = contentType;
        this.end = end;
        this.parts = List.copyOf(parts);
        this.message = message;
        this.preambleEnd = preambleEnd;
        this.epilogueStart = epilogueStart;
        this.opaque = opaque;
    }

    int start() {
        return header.start;
    }

    int bodyStart() {
        return header.end;
    }

    @Override
    public List<MimeEntity> parts() {
        return parts;
    }

    @Override
    public MimeEntity message() {
        return message;
    }

    /**
     * The {@code Content-Transfer-Encoding} mechanism as written (comments and white space removed), or null
     * when absent or empty.
     */
    String transferEncoding(java.nio.ByteBuffer content) {
        byte[] v = header.value(content, MimeHeader.CONTENT_TRANSFER_ENCODING);
        if (v == null) {
            return null;
        }
        Mime4jInput input = Mime4jInput.of(v);
        String value = input.rawBody().getValue();
        value = value == null ? "" : value.trim();
        return value.isEmpty() ? null : input.text(value);
    }
}
