package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import java.util.List;

/** {@code * ENABLED cap ...} (RFC 5161 section 3.2): the extensions ENABLE turned on, possibly none. */
public record EnabledResponse(List<String> capabilities) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ENABLED");
        for (String c : capabilities) {
            out.sp().raw(c);
        }
        out.crlf();
    }
}
