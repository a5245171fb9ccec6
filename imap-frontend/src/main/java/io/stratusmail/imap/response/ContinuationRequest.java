package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/**
 * A command continuation request (RFC 3501 section 7.5): {@code + text}, e.g. before a synchronizing
 * literal, or {@code + base64} during AUTHENTICATE (empty for an empty SASL challenge).
 *
 * @param text the text or BASE64 challenge, 7-bit, no CR/LF
 */
public record ContinuationRequest(String text) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("+ ").raw(text).crlf();
    }
}
