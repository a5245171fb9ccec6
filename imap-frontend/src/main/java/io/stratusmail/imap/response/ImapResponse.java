package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/**
 * A typed server response (RFC 3501 section 7). Commands produce these; only
 * {@link io.stratusmail.imap.protocol.ImapResponseEncoder} turns them into octets, through {@link #write}.
 */
public interface ImapResponse {

    /** Writes the complete response, including the final CRLF. */
    void write(ImapWriter out);
}
