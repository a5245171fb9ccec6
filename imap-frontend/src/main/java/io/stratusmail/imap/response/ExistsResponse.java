package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/** {@code * n EXISTS}: the number of messages in the mailbox (RFC 3501 section 7.3.1). */
public record ExistsResponse(long count) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ").number(count).raw(" EXISTS").crlf();
    }
}
