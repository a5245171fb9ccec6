package io.stratusmail.lmtp.delivery;

import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The trace fields prepended at final delivery (RFC 5321 section 4.4, RFC 5322 section 3.6.7), per
 * recipient:
 *
 * <pre>
 * Return-Path: &lt;sender&gt;
 * Delivered-To: recipient
 * Received: from client-name ([client-ip])
 *         by hostname with LMTP id ID;
 *         Mon, 2 Jun 2025 10:00:00 +0000
 * </pre>
 *
 * Lines end with CRLF and are folded with a tab before {@code by} and before the date. The {@code with}
 * keyword names the protocol as registered: {@code LMTP}, {@code LMTPS} over TLS (RFC 3848),
 * {@code UTF8LMTP} and {@code UTF8LMTPS} for SMTPUTF8 transactions (RFC 6531 section 3.7.3). The fields
 * are written in UTF-8: US-ASCII unless the transaction used SMTPUTF8 addresses, which RFC 6532 allows in
 * header fields. Every value was checked by the parser (no CR, LF or other control), so no field can inject
 * another.
 */
public final class TraceHeaders {

    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private TraceHeaders() {
    }

    /**
     * The trace fields for one recipient, as octets ending with CRLF: {@link #recipientFields} followed by
     * {@link #received}.
     */
    public static byte[] forRecipient(Envelope envelope, Username recipient, String hostname) {
        return prepend(recipientFields(envelope, recipient), received(envelope, hostname));
    }

    /**
     * The fields that differ per recipient or come first: {@code Return-Path} and {@code Delivered-To}, ending
     * with CRLF; the message store keeps them as the message's header prefix (at most a few hundred octets,
     * within {@link io.stratusmail.mailbox.message.MessageStore#MAX_HEADER_PREFIX}).
     */
    public static byte[] recipientFields(Envelope envelope, Username recipient) {
        String text = "Return-Path: <" + envelope.sender().orElse("") + ">\r\n"
                + "Delivered-To: " + recipient.value() + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code Received} field, the same for every recipient of the transaction, ending with CRLF. */
    public static byte[] received(Envelope envelope, String hostname) {
        String text = "Received: from " + envelope.clientName() + " ([" + envelope.clientIp() + "])\r\n"
                + "\tby " + hostname + " with " + protocol(envelope) + " id " + envelope.id() + ";\r\n"
                + "\t" + RFC5322_DATE.format(envelope.receivedAt()) + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code with} keyword of the {@code Received} field (RFC 3848, RFC 6531 section 3.7.3). */
    static String protocol(Envelope envelope) {
        return (envelope.smtputf8() ? "UTF8" : "") + "LMTP" + (envelope.tls() ? "S" : "");
    }

    /** {@code header} followed by {@code body}, in a new array. */
    public static byte[] prepend(byte[] header, byte[] body) {
        byte[] out = new byte[header.length + body.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(body, 0, out, header.length, body.length);
        return out;
    }
}
