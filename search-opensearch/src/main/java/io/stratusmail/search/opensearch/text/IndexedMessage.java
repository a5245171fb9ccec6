package io.stratusmail.search.opensearch.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * The searchable text of one message (RFC 3501 section 6.4.4 SEARCH keys SUBJECT, FROM, TO, CC, BCC, HEADER,
 * BODY, TEXT), extracted with mime4j. All text is decoded and in {@link SearchText} normal form.
 *
 * <p>Decoding: RFC 2047 encoded words in header fields; raw 8-bit header octets as UTF-8 when valid, else
 * ISO-8859-1; quoted-printable and base64 parts with their declared charset, falling back to UTF-8 then
 * ISO-8859-1 when the charset is missing, US-ASCII or unknown. Every {@code text/*} part is body text
 * ({@code text/html} with its tags stripped by {@link HtmlText}); other parts (images, applications,
 * attachments' binary content) are skipped. Parts of attached messages ({@code message/rfc822}) are walked
 * too, and their From, To, Cc, Date and Subject fields are part of the body text, as they are part of the
 * body octets RFC 3501 BODY searches.
 *
 * <p>Extraction never fails: malformed MIME yields what could be read, with {@link #truncated()} set.
 *
 * @param subject   the first Subject field, absent when the message has none
 * @param from      the From addresses, each {@code Display Name <local@domain>} or {@code local@domain};
 *                  when a field cannot be parsed as addresses (or holds non-ASCII text), its whole decoded
 *                  value is an entry too
 * @param to        the To addresses, as {@code from}
 * @param cc        the Cc addresses, as {@code from}
 * @param bcc       the Bcc addresses, as {@code from}
 * @param date      the first parseable Date field, with its own offset (RFC 3501 SENT* keys compare its date part);
 *                  absent when missing or unparseable
 * @param messageId the first Message-ID field, as written (angle brackets kept)
 * @param headers   the top-level header fields in order, each as {@code lower-case-name: decoded value}
 * @param body      the text of the text parts, in order, at most {@link ExtractionLimits#maxBodyOctets()}
 *                  decoded octets of them
 * @param truncated true when some text was not kept: a limit was reached or the MIME structure was broken
 * @param size      RFC822.SIZE: the number of octets of the message
 */
public record IndexedMessage(
        Optional<String> subject,
        List<String> from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        Optional<OffsetDateTime> date,
        Optional<String> messageId,
        List<String> headers,
        String body,
        boolean truncated,
        long size) {

    public IndexedMessage {
        Objects.requireNonNull(subject, "subject");
        from = List.copyOf(from);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(messageId, "messageId");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** Extracts with {@link ExtractionLimits#DEFAULT}. */
    public static IndexedMessage from(byte[] content) {
        return from(content, ExtractionLimits.DEFAULT);
    }

    /**
     * Extracts the searchable text of a message. CPU-bound (linear in the message size): call it off event
     * loops.
     *
     * @param content the message octets (RFC 5322, CRLF or bare LF line ends)
     * @param limits  what to keep at most
     */
    public static IndexedMessage from(byte[] content, ExtractionLimits limits) {
        TextCollector collector = new TextCollector(limits);
        MimeStreamParser parser = new MimeStreamParser(MimeConfig.PERMISSIVE);
        parser.setContentDecoding(true);
        parser.setRecurse();
        parser.setContentHandler(collector);
        try {
            parser.parse(new ByteArrayInputStream(content));
        } catch (MimeException | IOException | RuntimeException broken) {
            // Derived data: index what could be read rather than never indexing this message.
            collector.markTruncated();
        }
        return collector.result(content.length);
    }
}
