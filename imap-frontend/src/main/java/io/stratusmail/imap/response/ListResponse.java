package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.ModifiedUtf7;
import java.util.List;

/**
 * {@code * LIST (attributes) "/" name [("CHILDINFO" (options))]} (RFC 3501 section 7.2.2, RFC 5258 section 3.5
 * CHILDINFO) or {@code * LSUB (attributes) "/" name} (RFC 3501 section 7.2.3).
 *
 * @param kind       {@code LIST} or {@code LSUB}
 * @param attributes name attributes, e.g. {@code \HasNoChildren}, {@code \Noselect}, {@code \Sent}
 * @param delimiter  the hierarchy delimiter
 * @param name       the name in UTF-8; written in modified UTF-7 as an astring (the empty name as {@code ""})
 * @param childInfo  the selection options some inferior name meets (RFC 5258 RECURSIVEMATCH), e.g.
 *                   {@code SUBSCRIBED}; empty for none, and then no extended data is written
 */
public record ListResponse(String kind, List<String> attributes, char delimiter, String name, List<String> childInfo)
        implements ImapResponse {

    public ListResponse {
        attributes = List.copyOf(attributes);
        childInfo = List.copyOf(childInfo);
    }

    /** A plain {@code * LIST} response without extended data. */
    public ListResponse(List<String> attributes, char delimiter, String name) {
        this("LIST", attributes, delimiter, name, List.of());
    }

    @Override
    public void write(ImapWriter out) {
        out.raw("* ").raw(kind).sp().flagList(attributes).sp().string(String.valueOf(delimiter)).sp();
        out.astring(ModifiedUtf7.encode(name));
        if (!childInfo.isEmpty()) {
            out.raw(" (\"CHILDINFO\" (");
            for (int i = 0; i < childInfo.size(); i++) {
                if (i > 0) {
                    out.sp();
                }
                out.string(childInfo.get(i));
            }
            out.raw("))");
        }
        out.crlf();
    }
}
