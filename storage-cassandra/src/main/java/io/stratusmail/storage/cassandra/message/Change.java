package io.stratusmail.storage.cassandra.message;

import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.message.Flags;

/**
 * What a write does to one existing message: nothing, new flags, removal (EXPUNGE), removal by a MOVE (logged
 * with the copy that received the message), or nothing because a condition failed (RFC 7162 UNCHANGEDSINCE:
 * the message is reported as MODIFIED).
 */
sealed interface Change {

    Change KEEP = new Keep();
    Change REMOVE = new Remove();
    Change REFUSE = new Refuse();

    static Change setFlags(Flags flags) {
        return new SetFlags(flags);
    }

    static Change moveOut(MailboxId target, long copyUid) {
        return new MoveOut(target, copyUid);
    }

    record Keep() implements Change {
    }

    record SetFlags(Flags flags) implements Change {
    }

    record Remove() implements Change {
    }

    /** Removal of a message a MOVE copied to UID {@code copyUid} of mailbox {@code target}. */
    record MoveOut(MailboxId target, long copyUid) implements Change {
    }

    record Refuse() implements Change {
    }
}
