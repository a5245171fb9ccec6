package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.message.MessageRecord;

/**
 * The committed effect of a write on one message.
 *
 * @param before the message as read before the write
 * @param after  the message after it (equal to {@code before} when unchanged), null when it was removed
 */
record Changed(MessageRecord before, MessageRecord after) {
}
