package io.stratusmail.imap.response;

import io.stratusmail.imap.protocol.ImapWriter;
import io.stratusmail.imap.protocol.SequenceSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code * ESEARCH (TAG "tag") [UID] [MIN n] [MAX n] [ALL set] [COUNT n] [MODSEQ n]} (RFC 4731 section 3.1,
 * RFC 7162 section 3.1.5): the requested summary of a SEARCH RETURN. MIN, MAX and ALL are left out when nothing
 * matched; COUNT is then 0.
 *
 * @param tag     the command's tag
 * @param uid     whether the numbers are UIDs (UID SEARCH)
 * @param options the RETURN options asked for (upper case: MIN, MAX, ALL, COUNT)
 * @param numbers the matching MSNs or UIDs, ascending; not copied, must not change afterwards
 * @param modSeq  the highest MODSEQ of the matches when the search used MODSEQ, else 0
 */
public record ESearchResponse(String tag, boolean uid, Set<String> options, long[] numbers, long modSeq)
        implements ImapResponse {

    @Override
    public void write(ImapWriter out) {
        out.raw("* ESEARCH (TAG ").string(tag).raw(")");
        if (uid) {
            out.raw(" UID");
        }
        if (numbers.length > 0) {
            if (options.contains("MIN")) {
                out.raw(" MIN ").number(numbers[0]);
            }
            if (options.contains("MAX")) {
                out.raw(" MAX ").number(numbers[numbers.length - 1]);
            }
            if (options.contains("ALL")) {
                List<Long> all = new ArrayList<>(numbers.length);
                for (long n : numbers) {
                    all.add(n);
                }
                out.raw(" ALL ").raw(SequenceSet.format(all));
            }
        }
        if (options.contains("COUNT")) {
            out.raw(" COUNT ").number(numbers.length);
        }
        if (modSeq > 0 && numbers.length > 0) {
            out.raw(" MODSEQ ").number(modSeq);
        }
        out.crlf();
    }
}
