package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/**
 * {@code * SEARCH n ...} (RFC 3501 section 7.2.5): the MSNs (SEARCH) or UIDs (UID SEARCH) that matched,
 * ascending; just {@code * SEARCH} when none did.
 *
 * @param numbers the matching numbers, ascending; not copied, must not change afterwards
 */
public record SearchResponse(long[] numbers) implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* SEARCH");
        for (long n : numbers) {
            out.sp().number(n);
        }
        out.crlf();
    }
}
