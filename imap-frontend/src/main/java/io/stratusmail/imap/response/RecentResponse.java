package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/** {@code * n RECENT}: the number of messages with {@code \Recent} (RFC 3501 section 7.3.2). */
public record RecentResponse(long count) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ").number(count).raw(" RECENT").crlf();
    }
}
