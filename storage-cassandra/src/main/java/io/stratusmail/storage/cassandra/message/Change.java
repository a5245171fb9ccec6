package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.message.Flags;

/** What a write does to one existing message: nothing, new flags, or removal (EXPUNGE). */
sealed interface Change {

    Change KEEP = new Keep();
    Change REMOVE = new Remove();

    static Change setFlags(Flags flags) {
        return new SetFlags(flags);
    }

    record Keep() implements Change {
    }

    record SetFlags(Flags flags) implements Change {
    }

    record Remove() implements Change {
    }
}
