package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import java.util.Collection;

/** {@code * FLAGS (...)}: the flags defined in the mailbox (RFC 3501 section 7.2.6). */
public record FlagsResponse(Collection<String> flags) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* FLAGS ").flagList(flags).crlf();
    }
}
