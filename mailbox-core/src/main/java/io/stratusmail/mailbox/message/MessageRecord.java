package io.stratusmail.mailbox.message;

import java.time.Instant;

/**
 * The stored metadata of one message in one mailbox.
 *
 * @param uid          RFC 3501 section 2.3.1.1 UID, 1 to 2^32-1, strictly ascending in visibility order
 * @param modSeq       RFC 7162 MODSEQ of the message's last change, positive, below 2^63
 * @param flags        current flags
 * @param size         RFC822.SIZE in octets, exactly the stored content's length
 * @param internalDate INTERNALDATE, millisecond precision (the wire shows seconds)
 */
public record MessageRecord(long uid, long modSeq, Flags flags, long size, Instant internalDate) {
}
