package io.stratusmail.mailbox.event;

import io.stratusmail.mailbox.MailboxId;
import java.util.Objects;

/**
 * A hint that a mailbox changed (append, flag change, expunge; RFC 7162 section 3.1: each raises its
 * HIGHESTMODSEQ). Hints are derived and best-effort (architecture invariant 1): a receiver re-reads the mailbox
 * from the store, and a lost hint only delays an update until the next poll.
 *
 * @param mailbox the mailbox that changed
 * @param modSeq  its MODSEQ after the change (0 or more); {@link #UNKNOWN_MODSEQ} when the operation does not
 *                report it (expunge): the receiver must then re-check
 */
public record MailboxChange(MailboxId mailbox, long modSeq) {

    /** The MODSEQ of a change whose resulting MODSEQ is not known. */
    public static final long UNKNOWN_MODSEQ = 0;

    /** @throws IllegalArgumentException for a negative {@code modSeq} */
    public MailboxChange {
        Objects.requireNonNull(mailbox, "mailbox");
        if (modSeq < 0) {
            throw new IllegalArgumentException("modSeq must be 0 or more: " + modSeq);
        }
    }

    /**
     * Whether a reader whose view is synchronized up to {@code syncedModSeq} may have something to learn from
     * this hint: the MODSEQ is unknown or above it.
     */
    public boolean newerThan(long syncedModSeq) {
        return modSeq == UNKNOWN_MODSEQ || modSeq > syncedModSeq;
    }
}
