package io.stratusmail.mailbox.message;

import java.util.List;

/**
 * What changed in a mailbox after a MODSEQ (RFC 7162 section 3.1.4.1 CHANGEDSINCE, section 3.2.5 QRESYNC,
 * section 3.2.10 VANISHED): for NOOP/IDLE updates and for resynchronisation.
 *
 * @param uidNext          UIDNEXT when the changes were read
 * @param highestModSeq    HIGHESTMODSEQ the answer is complete up to: the next call passes this value
 * @param changed          every message that exists and has a MODSEQ above the given one (appended or with
 *                         changed flags), ascending by UID, with its current record (which may carry a MODSEQ
 *                         above {@code highestModSeq} when it changed again while it was read; the next call
 *                         reports it again)
 * @param vanished         UIDs expunged after the given MODSEQ, ascending (may include UIDs appended and expunged
 *                         in that interval, which a client ignores, RFC 7162 section 3.2.10)
 * @param vanishedComplete true when {@code vanished} lists every such UID; false when the expunge log no longer
 *                         reaches back to the given MODSEQ (older than the store's retention, or written before
 *                         the log existed): the caller then compares the UIDs it knows with the mailbox's current
 *                         UIDs (a snapshot) to find the expunged ones, as RFC 7162 section 3.2.5.2 allows
 */
public record MailboxChanges(long uidNext, long highestModSeq, List<MessageRecord> changed, List<Long> vanished,
                             boolean vanishedComplete) {

    public MailboxChanges {
        changed = List.copyOf(changed);
        vanished = List.copyOf(vanished);
    }
}
