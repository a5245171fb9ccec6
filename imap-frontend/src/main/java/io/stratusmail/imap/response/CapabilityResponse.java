package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import java.util.List;

/** {@code * CAPABILITY IMAP4rev1 ...} (RFC 3501 section 7.2.1). */
public record CapabilityResponse(List<String> capabilities) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* CAPABILITY");
        for (String c : capabilities) {
            out.sp().raw(c);
        }
        out.crlf();
    }
}
