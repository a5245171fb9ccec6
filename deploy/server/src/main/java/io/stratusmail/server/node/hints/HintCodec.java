package io.stratusmail.server.node.hints;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.event.MailboxChange;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;

/**
 * The hint datagram, version 1: exactly {@value #LENGTH} octets, big-endian: the magic {@code "SH"} (2), the
 * version {@code 1} (1), the mailbox id as a UUID (16: most then least significant bits), the MODSEQ after the
 * change (8, 0 or more; 0 = unknown). Anything else (other length, magic, version, a negative MODSEQ) is not a
 * hint and is dropped by the receiver.
 */
public final class HintCodec {

    /** Octets of every hint datagram. */
    public static final int LENGTH = 27;
    static final byte MAGIC_0 = 'S';
    static final byte MAGIC_1 = 'H';
    static final byte VERSION = 1;

    private HintCodec() {
    }

    /** The datagram payload of {@code change}, {@value #LENGTH} octets. */
    public static byte[] encode(MailboxChange change) {
        UUID id = change.mailbox().value();
        return ByteBuffer.allocate(LENGTH).put(MAGIC_0).put(MAGIC_1).put(VERSION)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .putLong(change.modSeq()).array();
    }

    /**
     * The change a datagram payload carries.
     *
     * @param payload the datagram's octets from its position to its limit (not consumed)
     * @return empty when the payload is not a valid version-1 hint
     */
    public static Optional<MailboxChange> decode(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate();
        if (b.remaining() != LENGTH || b.get() != MAGIC_0 || b.get() != MAGIC_1 || b.get() != VERSION) {
            return Optional.empty();
        }
        UUID id = new UUID(b.getLong(), b.getLong());
        long modSeq = b.getLong();
        if (modSeq < 0) {
            return Optional.empty();
        }
        return Optional.of(new MailboxChange(new MailboxId(id), modSeq));
    }
}
