package io.stratusmail.storage.cassandra.message;

/**
 * The static columns of a mailbox's partition in {@code messages}: UIDNEXT and HIGHESTMODSEQ.
 *
 * @param nextUid       RFC 3501 UIDNEXT: the UID the next append gets, 1 to 2^32
 * @param highestModSeq RFC 7162 HIGHESTMODSEQ, 0 before the first change
 * @param stored        false when the partition has no statics yet (a new mailbox): a conditional write then
 *                      expects nulls
 */
record PartitionState(long nextUid, long highestModSeq, boolean stored) {

    /** A mailbox nothing was ever written to. */
    static final PartitionState INITIAL = new PartitionState(1, 0, false);

    static PartitionState of(Long nextUid, Long highestModSeq) {
        if (nextUid == null || highestModSeq == null) {
            return INITIAL;
        }
        return new PartitionState(nextUid, highestModSeq, true);
    }

    /** The values a conditional write compares with, null for a partition without statics. */
    Long expectedNextUid() {
        return stored ? nextUid : null;
    }

    Long expectedHighestModSeq() {
        return stored ? highestModSeq : null;
    }
}
