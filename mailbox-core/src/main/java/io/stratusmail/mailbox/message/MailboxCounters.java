package io.stratusmail.mailbox.message;

/**
 * The per-mailbox numbers STATUS reports (RFC 3501 section 6.3.10, RFC 9051 section 6.3.11, RFC 8438 SIZE,
 * RFC 7162 section 3.1.2.1 HIGHESTMODSEQ), kept exact by every change, so reading them never reads the
 * messages.
 *
 * @param messages      MESSAGES: number of messages
 * @param unseen        UNSEEN: number of messages without {@code \Seen}
 * @param size          SIZE: sum of the messages' RFC822.SIZE, in octets
 * @param uidNext       UIDNEXT: the UID the next appended message will get at least (1 to 2^32)
 * @param highestModSeq HIGHESTMODSEQ: the MODSEQ of the latest change, {@link MessageStore#NEW_MAILBOX_MODSEQ}
 *                      before the first one
 */
public record MailboxCounters(long messages, long unseen, long size, long uidNext, long highestModSeq) {

    /** A mailbox nothing was ever appended to. */
    public static final MailboxCounters EMPTY = new MailboxCounters(0, 0, 0, 1, MessageStore.NEW_MAILBOX_MODSEQ);

    public MailboxCounters {
        if (messages < 0 || unseen < 0 || unseen > messages || size < 0 || uidNext < 1 || highestModSeq < 0) {
            throw new IllegalArgumentException("inconsistent counters: messages=" + messages + " unseen=" + unseen
                    + " size=" + size + " uidNext=" + uidNext + " highestModSeq=" + highestModSeq);
        }
    }
}
