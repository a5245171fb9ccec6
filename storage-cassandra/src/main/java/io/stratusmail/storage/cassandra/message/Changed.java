package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.message.MessageRecord;

/**
 * The committed effect of a write on one message.
 *
 * @param before  the message as read before the write
 * @param after   the message after it (equal to {@code before} when unchanged), null when it was removed
 * @param refused whether the write left the message as it was because its condition failed
 *                ({@link Change#REFUSE})
 * @param removed for a removed message, its row as read before the write (to release its blob reference);
 *                null otherwise
 */
record Changed(MessageRecord before, MessageRecord after, boolean refused, StoredMessage removed) {

    Changed(MessageRecord before, MessageRecord after) {
        this(before, after, false, null);
    }

    Changed(MessageRecord before, MessageRecord after, boolean refused) {
        this(before, after, refused, null);
    }
}
