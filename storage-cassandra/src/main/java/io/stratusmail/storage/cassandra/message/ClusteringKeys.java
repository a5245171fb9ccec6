package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * How a mailbox's partition of {@code messages} shares its clustering key {@code uid} (a signed 64-bit
 * number) between three kinds of rows, so each kind is one contiguous, separately readable range and every
 * write stays a single-partition conditional batch:
 * <ul>
 *   <li>{@code 1 .. 2^32-1}: messages, keyed by their UID (SELECT reads exactly this range);</li>
 *   <li>{@code -2^63+1 .. -2^62-1}: the change log, one row per MODSEQ at key {@code -2^63 + MODSEQ}, so the
 *       changes after a MODSEQ are one ascending slice ({@link #logKey});</li>
 *   <li>{@code -2^62 .. -1}: MOVE markers, at a 62-bit hash of the source mailbox and UID
 *       ({@link #markerKey}); the row repeats both, so a hash collision only costs a missed de-duplication.</li>
 * </ul>
 */
final class ClusteringKeys {

    /** Largest UID (RFC 3501 section 2.3.1.1: unsigned 32-bit). */
    static final long MAX_UID = 0xFFFF_FFFFL;
    /** MODSEQs stay below this so change-log keys stay below the marker range (about 4.6 * 10^18 changes). */
    static final long MODSEQ_LIMIT = 1L << 62;
    /** First key after the change log; first key of the marker range. */
    static final long LOG_END = Long.MIN_VALUE + MODSEQ_LIMIT;

    private ClusteringKeys() {
    }

    /** The change-log key of a MODSEQ (1 to {@link #MODSEQ_LIMIT} - 1). */
    static long logKey(long modSeq) {
        return Long.MIN_VALUE + modSeq;
    }

    /** The MODSEQ of a change-log key. */
    static long modSeqOf(long logKey) {
        return logKey - Long.MIN_VALUE;
    }

    /** Whether a clustering key is a message's UID. */
    static boolean isUid(long key) {
        return key >= 1 && key <= MAX_UID;
    }

    /** The key of the MOVE marker of a source message, in {@code -2^62 .. -1}. */
    static long markerKey(MailboxId origin, long originUid) {
        ByteBuffer in = ByteBuffer.allocate(24);
        in.putLong(origin.value().getMostSignificantBits()).putLong(origin.value().getLeastSignificantBits())
                .putLong(originUid);
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(in.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
        long hash = ByteBuffer.wrap(digest).getLong() & (MODSEQ_LIMIT - 1);
        return LOG_END + hash;
    }
}
