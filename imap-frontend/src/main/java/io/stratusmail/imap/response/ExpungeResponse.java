package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/**
 * {@code * n EXPUNGE}: the message with MSN n is gone; every later MSN drops by one immediately
 * (RFC 3501 section 7.4.1).
 */
public record ExpungeResponse(long msn) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ").number(msn).raw(" EXPUNGE").crlf();
    }
}
