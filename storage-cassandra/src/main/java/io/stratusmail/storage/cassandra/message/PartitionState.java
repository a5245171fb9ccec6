package io.stratusmail.storage.cassandra.message;

import com.datastax.oss.driver.api.core.cql.Row;
import io.stratusmail.mailbox.message.MessageStore;

/**
 * The static columns of a mailbox's partition in {@code messages}: UIDNEXT, HIGHESTMODSEQ, the counters and
 * the {@code \Recent} floor.
 *
 * @param nextUid       RFC 3501 UIDNEXT: the UID the next append gets, 1 to 2^32
 * @param highestModSeq RFC 7162 HIGHESTMODSEQ; {@link MessageStore#NEW_MAILBOX_MODSEQ} for a partition without
 *                      statics (a new mailbox), so its first change gets MODSEQ 2. Mailboxes whose first change
 *                      was written before that rule have MODSEQ 1 on it: their values are read as stored, so no
 *                      client ever sees a MODSEQ go backwards
 * @param stored        false when the partition has no UIDNEXT yet (a new mailbox): a conditional write then
 *                      expects nulls
 * @param counters      MESSAGES, UNSEEN and SIZE; null when the partition was written before schema version 3
 *                      kept them (they are counted once, see {@code MailboxWriters#recount})
 * @param recentFloor   the lowest UID whose {@code \Recent} no session has claimed yet, null when never set;
 *                      only fresh from a serial read (the writers' cached states do not track it)
 */
record PartitionState(long nextUid, long highestModSeq, boolean stored, Counters counters, Long recentFloor) {

    /** A mailbox nothing was ever appended to. */
    static final PartitionState INITIAL = new PartitionState(1, MessageStore.NEW_MAILBOX_MODSEQ, false, Counters.ZERO,
            null);

    /**
     * The state in a row that selected the statics; INITIAL when the partition has no UIDNEXT. Counters and
     * the floor are read when the row has those columns.
     */
    static PartitionState of(Row row) {
        Long nextUid = row.get("next_uid", Long.class);
        Long highest = row.get("highest_modseq", Long.class);
        Long recentFloor = row.getColumnDefinitions().contains("recent_floor") ? row.get("recent_floor", Long.class)
                : null;
        if (nextUid == null || highest == null) {
            return new PartitionState(1, MessageStore.NEW_MAILBOX_MODSEQ, false, Counters.ZERO, recentFloor);
        }
        Counters counters = null;
        if (row.getColumnDefinitions().contains("message_count")) {
            Long messages = row.get("message_count", Long.class);
            Long unseen = row.get("unseen_count", Long.class);
            Long size = row.get("total_size", Long.class);
            if (messages != null && unseen != null && size != null) {
                counters = new Counters(messages, unseen, size);
            }
        }
        return new PartitionState(nextUid, highest, true, counters, recentFloor);
    }

    /** The same partition after a write that leaves UIDNEXT as it is. */
    PartitionState withHighest(long highest, Counters newCounters) {
        return new PartitionState(nextUid, highest, true, newCounters, recentFloor);
    }

    /** Whether a write may be planned from this state (false: the counters must be counted first). */
    boolean countersKnown() {
        return counters != null;
    }

    /** The values a conditional write compares with, null for a partition without statics. */
    Long expectedNextUid() {
        return stored ? nextUid : null;
    }

    Long expectedHighestModSeq() {
        return stored ? highestModSeq : null;
    }

    Long expectedMessages() {
        return stored ? counters.messages() : null;
    }

    Long expectedUnseen() {
        return stored ? counters.unseen() : null;
    }

    Long expectedSize() {
        return stored ? counters.size() : null;
    }
}
