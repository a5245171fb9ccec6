package io.stratusmail.lmtp.delivery;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.user.Username;

/** What became of the message for one recipient. */
public sealed interface RecipientOutcome {

    Username recipient();

    /**
     * Committed to the recipient's INBOX.
     *
     * @param uid  the UID the message got
     * @param size its stored size in octets, trace fields included
     */
    record Delivered(Username recipient, Mailbox mailbox, long uid, long size) implements RecipientOutcome {
    }

    /**
     * Not stored again: the recipient received the same message (same SHA-256 of the octets the client sent)
     * within the duplicate window, so this is taken for a retry after a lost reply and acknowledged like a
     * delivery (RFC 5321 section 4.5.4.1 retries).
     */
    record Duplicate(Username recipient) implements RecipientOutcome {
    }

    /**
     * Not stored: the store failed or timed out (temporary, the client should retry). Nothing of the
     * message is visible for this recipient.
     */
    record Failed(Username recipient, Throwable cause) implements RecipientOutcome {
    }
}
