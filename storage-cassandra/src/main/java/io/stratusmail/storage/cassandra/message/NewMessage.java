package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.Flags;
import java.time.Instant;
import java.util.UUID;

/**
 * A message whose content is stored and referenced and which waits for its UID and MODSEQ.
 *
 * @param flags        initial flags
 * @param size         message length in octets (header prefix plus blob)
 * @param internalDate INTERNALDATE, millisecond precision
 * @param blobId       the stored content
 * @param refId        the reference written for this message in {@code blobs} (unique per message row)
 * @param headerPrefix octets before the blob's content, empty when none
 * @param origin       for a MOVE: the source mailbox, so the append also writes a MOVE marker; null otherwise
 * @param originUid    for a MOVE: the message's UID in {@code origin}; 0 otherwise
 */
record NewMessage(Flags flags, long size, Instant internalDate, UUID blobId, UUID refId, byte[] headerPrefix,
                  MailboxId origin, long originUid) {

    /** A message that is not the copy of a MOVE. */
    NewMessage(Flags flags, long size, Instant internalDate, UUID blobId, UUID refId, byte[] headerPrefix) {
        this(flags, size, internalDate, blobId, refId, headerPrefix, null, 0);
    }
}
