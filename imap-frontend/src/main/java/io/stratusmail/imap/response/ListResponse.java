package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.ModifiedUtf7;
import java.util.List;

/**
 * {@code * LIST (attributes) "/" name} (RFC 3501 section 7.2.2).
 *
 * @param attributes name attributes, e.g. {@code \HasNoChildren}, {@code \Noselect}
 * @param delimiter  the hierarchy delimiter
 * @param name       the name in UTF-8; written in modified UTF-7 as an astring (the empty name as {@code ""})
 */
public record ListResponse(List<String> attributes, char delimiter, String name) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* LIST ").flagList(attributes).sp().string(String.valueOf(delimiter)).sp();
        out.astring(ModifiedUtf7.encode(name)).crlf();
    }
}
