package io.stratusmail.mailbox.mime;

import java.util.List;

/**
 * The ENVELOPE of a message (RFC 3501 section 7.4.2, RFC 9051 section 7.5.2), taken from its RFC 5322 header.
 *
 * <p>Strings are the raw header values, unfolded (line ends of folding removed) and trimmed, NOT decoded:
 * RFC 2047 encoded-words stay as written, clients decode them. Octets are read as UTF-8 when they are valid
 * UTF-8 and as ISO-8859-1 otherwise. {@code null} means the field is absent (NIL). When a field occurs more
 * than once, the first occurrence counts.
 *
 * <p>Address lists are never {@code null}; an empty list is sent as NIL. {@code sender} and {@code replyTo}
 * already hold {@code from} when their header is absent or has no address, as RFC 3501 requires. A list holds
 * at most {@value #MAX_ADDRESSES} entries (group markers included); further addresses are dropped, so that a
 * hostile header cannot make the ENVELOPE huge.
 *
 * @param date      the {@code Date} value, or {@code null}
 * @param subject   the {@code Subject} value, or {@code null}
 * @param from      the {@code From} addresses
 * @param sender    the {@code Sender} addresses, defaulted to {@code from}
 * @param replyTo   the {@code Reply-To} addresses, defaulted to {@code from}
 * @param to        the {@code To} addresses
 * @param cc        the {@code Cc} addresses
 * @param bcc       the {@code Bcc} addresses
 * @param inReplyTo the {@code In-Reply-To} value, or {@code null}
 * @param messageId the {@code Message-ID} value, or {@code null}
 */
public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                       List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                       String inReplyTo, String messageId) {

    /** Entries kept per address list. */
    public static final int MAX_ADDRESSES = 10_000;

    /** The ENVELOPE of a message without any of these header fields: every member NIL. */
    public static final Envelope EMPTY =
            new Envelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }
}
