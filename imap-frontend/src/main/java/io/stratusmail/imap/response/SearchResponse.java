package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;

/**
 * {@code * SEARCH n ... [(MODSEQ m)]} (RFC 3501 section 7.2.5, RFC 7162 section 3.1.5): the MSNs (SEARCH) or UIDs
 * (UID SEARCH) that matched, ascending; just {@code * SEARCH} when none did. When the search used the MODSEQ key
 * and something matched, the highest MODSEQ of the matches follows.
 *
 * @param numbers the matching numbers, ascending; not copied, must not change afterwards
 * @param modSeq  the highest MODSEQ of the matching messages, or 0 to leave it out
 */
public record SearchResponse(long[] numbers, long modSeq) implements ImapResponse {

    /** A plain {@code * SEARCH} without MODSEQ. */
    public SearchResponse(long[] numbers) {
        this(numbers, 0);
    }

    @Override
    public void write(ImapWriter out) {
        out.raw("* SEARCH");
        for (long n : numbers) {
            out.sp().number(n);
        }
        if (modSeq > 0 && numbers.length > 0) {
            out.raw(" (MODSEQ ").number(modSeq).raw(")");
        }
        out.crlf();
    }
}
