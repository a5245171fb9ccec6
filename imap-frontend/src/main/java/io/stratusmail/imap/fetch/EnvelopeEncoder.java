package io.stratusmail.imap.fetch;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.mailbox.mime.Address;
import io.stratusmail.mailbox.mime.Envelope;
import java.util.List;

/**
 * Writes the {@code envelope} of a FETCH response (RFC 3501 section 7.4.2 and section 9 {@code envelope}, RFC
 * 9051 section 7.5.2):
 * {@code "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP env-cc SP env-bcc
 * SP env-in-reply-to SP env-message-id ")"}.
 *
 * <p>Absent strings are NIL, empty address lists are NIL, and an address list is {@code "(" 1*address ")"} with
 * no space between addresses. Strings go through {@link ImapWriter#nstring(String)}, which quotes 7-bit text and
 * sends anything else (8-bit header text, CR, LF, very long values) as a literal.
 */
public final class EnvelopeEncoder {

    private EnvelopeEncoder() {
    }

    /** Appends the parenthesized ENVELOPE of {@code e} to {@code out}. */
    public static void write(ImapWriter out, Envelope e) {
        out.raw('(');
        out.nstring(e.date()).sp();
        out.nstring(e.subject()).sp();
        addresses(out, e.from());
        out.sp();
        addresses(out, e.sender());
        out.sp();
        addresses(out, e.replyTo());
        out.sp();
        addresses(out, e.to());
        out.sp();
        addresses(out, e.cc());
        out.sp();
        addresses(out, e.bcc());
        out.sp();
        out.nstring(e.inReplyTo()).sp();
        out.nstring(e.messageId());
        out.raw(')');
    }

    private static void addresses(ImapWriter out, List<Address> addresses) {
        if (addresses.isEmpty()) {
            out.raw("NIL");
            return;
        }
        out.raw('(');
        for (Address a : addresses) {
            out.raw('(');
            out.nstring(a.name()).sp();
            out.nstring(a.adl()).sp();
            out.nstring(a.mailbox()).sp();
            out.nstring(a.host());
            out.raw(')');
        }
        out.raw(')');
    }
}
