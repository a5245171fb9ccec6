package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import java.util.Map;

/**
 * {@code * ID ("name" "Stratus" "version" "1.0")} (RFC 2971 section 3.2): the server's identification, or
 * {@code * ID NIL} when empty.
 *
 * @param fields field names to values, in the order written; at most 30 (RFC 2971 section 3.3)
 */
public record IdResponse(Map<String, String> fields) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ID ");
        if (fields.isEmpty()) {
            out.raw("NIL").crlf();
            return;
        }
        out.raw('(');
        boolean first = true;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!first) {
                out.sp();
            }
            out.string(f.getKey()).sp().nstring(f.getValue());
            first = false;
        }
        out.raw(')').crlf();
    }
}
