package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.ModifiedUtf7;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code * STATUS name (item value ...)} (RFC 3501 section 7.2.4), the answer to STATUS and to
 * {@code LIST ... RETURN (STATUS (...))} (RFC 5819).
 *
 * @param name   the mailbox name in UTF-8; written in modified UTF-7 as an astring
 * @param values item name (e.g. {@code MESSAGES}) to its value (a non-negative number), in response order
 */
public record MailboxStatusResponse(String name, Map<String, Long> values) implements ImapResponse {

    public MailboxStatusResponse {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public void write(ImapWriter out) {
        out.raw("* STATUS ").astring(ModifiedUtf7.encode(name)).raw(" (");
        boolean first = true;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            if (!first) {
                out.sp();
            }
            out.raw(e.getKey()).sp().number(e.getValue());
            first = false;
        }
        out.raw(')').crlf();
    }
}
