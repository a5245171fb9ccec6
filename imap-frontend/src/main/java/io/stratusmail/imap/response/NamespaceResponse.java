package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.ModifiedUtf7;

/**
 * {@code * NAMESPACE (("prefix" "delimiter")) NIL NIL} (RFC 2342 section 5): one personal namespace, no other
 * users' and no shared namespaces.
 *
 * @param personalPrefix the prefix of the user's own mailboxes, UTF-8 (sent in modified UTF-7)
 * @param delimiter      the hierarchy delimiter
 */
public record NamespaceResponse(String personalPrefix, char delimiter) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* NAMESPACE ((").string(ModifiedUtf7.encode(personalPrefix)).sp()
                .string(String.valueOf(delimiter)).raw(")) NIL NIL").crlf();
    }
}
