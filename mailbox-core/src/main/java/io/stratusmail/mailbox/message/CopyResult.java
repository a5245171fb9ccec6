package io.stratusmail.mailbox.message;

import java.util.List;

/**
 * The outcome of a committed COPY or MOVE (RFC 4315 section 3 COPYUID, RFC 6851 section 4.3).
 *
 * @param uidValidity UIDVALIDITY of the destination mailbox
 * @param copies      one entry per message copied (or moved), ascending by source UID; the destination UIDs
 *                    ascend in the same order. Empty when none of the given UIDs existed.
 */
public record CopyResult(long uidValidity, List<CopiedMessage> copies) {

    public CopyResult {
        copies = List.copyOf(copies);
    }

    /** The source UIDs, ascending (the COPYUID source set). */
    public List<Long> sourceUids() {
        return copies.stream().map(CopiedMessage::sourceUid).toList();
    }

    /** The destination UIDs, in the order of {@link #sourceUids()} (the COPYUID destination set). */
    public List<Long> destinationUids() {
        return copies.stream().map(c -> c.copy().uid()).toList();
    }
}
