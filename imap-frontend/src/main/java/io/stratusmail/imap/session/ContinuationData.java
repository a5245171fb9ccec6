package io.stratusmail.imap.session;

import io.netty.util.AttributeKey;

/**
 * The client's answer to a continuation request of a command in progress (e.g. a SASL response line
 * during AUTHENTICATE, RFC 3501 section 6.2.2), or the reason it could not be read.
 *
 * @param line  the line's octets without CRLF, or null when {@code error} is set
 * @param error why the line was refused (too long), or null
 */
public record ContinuationData(byte[] line, String error) {

    /**
     * Set on the channel while the session waits for a continuation line: the command decoder then hands
     * the next line over as {@link ContinuationData} instead of parsing it as a command.
     */
    public static final AttributeKey<Boolean> EXPECTED = AttributeKey.valueOf("imap.continuation.expected");
}
