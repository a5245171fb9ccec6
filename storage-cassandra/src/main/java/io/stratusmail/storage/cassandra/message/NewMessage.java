package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.Flags;
import java.time.Instant;
import java.util.UUID;

/**
 * A message whose content is stored and which waits for its UID and MODSEQ.
 *
 * @param flags        initial flags
 * @param size         content length in octets
 * @param internalDate INTERNALDATE, millisecond precision
 * @param blobId       the stored content
 * @param origin       for a MOVE: the source mailbox, so the append also writes a MOVE marker; null otherwise
 * @param originUid    for a MOVE: the message's UID in {@code origin}; 0 otherwise
 */
record NewMessage(Flags flags, long size, Instant internalDate, UUID blobId, MailboxId origin, long originUid) {

    /** A message that is not the copy of a MOVE. */
    NewMessage(Flags flags, long size, Instant internalDate, UUID blobId) {
        this(flags, size, internalDate, blobId, null, 0);
    }
}
