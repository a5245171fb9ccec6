package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.message.MessageRecord;
import java.util.UUID;

/**
 * One row of {@code messages}: the message's metadata and the blob that holds its content.
 *
 * @param record       metadata as the IMAP layer sees it; its size includes the header prefix
 * @param blobId       content in {@code blob_chunks}
 * @param refId        the reference this message holds in {@code blobs}; null for a row written before schema
 *                     version 6 (its blob is its own and has no metadata)
 * @param headerPrefix octets before the blob's content (per-recipient trace headers), empty when none
 */
record StoredMessage(MessageRecord record, UUID blobId, UUID refId, byte[] headerPrefix) {

    /** Length of the blob's content in octets. */
    long blobSize() {
        return record.size() - headerPrefix.length;
    }
}
