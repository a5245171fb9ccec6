package io.stratusmail.mailbox.message;

import java.util.List;

/**
 * The outcome of a conditional STORE (RFC 7162 section 3.1.3, {@code UNCHANGEDSINCE}).
 *
 * @param updated  the records after the update of every message that exists and passed the test, ascending by
 *                 UID (a message whose flags the update left as they were keeps its MODSEQ)
 * @param modified the UIDs that exist but failed the test (their MODSEQ was above {@code UNCHANGEDSINCE}),
 *                 ascending: the set of the {@code MODIFIED} response code. Unknown UIDs are in neither list.
 */
public record FlagUpdateResult(List<MessageRecord> updated, List<Long> modified) {

    public FlagUpdateResult {
        updated = List.copyOf(updated);
        modified = List.copyOf(modified);
    }
}
