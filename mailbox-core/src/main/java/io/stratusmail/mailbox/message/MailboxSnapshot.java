package io.stratusmail.mailbox.message;

import java.util.List;

/**
 * What SELECT needs of a mailbox, read at one point in time.
 *
 * @param uidValidity   UIDVALIDITY of the mailbox
 * @param uidNext       RFC 3501 UIDNEXT: the UID the next appended message will get at least
 * @param highestModSeq RFC 7162 HIGHESTMODSEQ: the highest MODSEQ of any change so far
 *                      ({@link MessageStore#NEW_MAILBOX_MODSEQ} for a new mailbox)
 * @param messages      every message, ascending by UID
 */
public record MailboxSnapshot(long uidValidity, long uidNext, long highestModSeq, List<MessageRecord> messages) {
}
