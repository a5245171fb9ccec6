package io.stratusmail.storage.cassandra.message;

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
 */
record NewMessage(Flags flags, long size, Instant internalDate, UUID blobId) {
}
