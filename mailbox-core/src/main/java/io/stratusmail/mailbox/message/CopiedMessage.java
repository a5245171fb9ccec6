package io.stratusmail.mailbox.message;

/**
 * One message copied or moved by {@link MessageStore#copy} or {@link MessageStore#move}: one pair of the
 * RFC 4315 section 3 COPYUID response code.
 *
 * @param sourceUid UID of the message in the source mailbox
 * @param copy      the new message in the destination mailbox (its UID, MODSEQ, flags, size, INTERNALDATE)
 */
public record CopiedMessage(long sourceUid, MessageRecord copy) {
}
