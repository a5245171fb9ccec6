package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageRecord;

/**
 * The counters kept as statics of a mailbox's partition: MESSAGES, UNSEEN (no {@code \Seen}) and SIZE in
 * octets (RFC 3501 section 6.3.10, RFC 8438). Every write moves them in the same conditional batch as the
 * rows it changes, so they are exact.
 */
record Counters(long messages, long unseen, long size) {

    static final Counters ZERO = new Counters(0, 0, 0);

    /** The contribution of one message. */
    static Counters of(Flags flags, long size) {
        return new Counters(1, flags.contains(Flags.SEEN) ? 0 : 1, size);
    }

    static Counters of(MessageRecord record) {
        return of(record.flags(), record.size());
    }

    Counters plus(Counters other) {
        return new Counters(messages + other.messages, unseen + other.unseen, size + other.size);
    }

    Counters minus(Counters other) {
        return new Counters(messages - other.messages, unseen - other.unseen, size - other.size);
    }
}
