package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.message.MessageRecord;
import java.util.UUID;

/**
 * One row of {@code messages}: the message's metadata and the blob that holds its content.
 *
 * @param record metadata as the IMAP layer sees it
 * @param blobId content in {@code blob_chunks}
 */
record StoredMessage(MessageRecord record, UUID blobId) {
}
