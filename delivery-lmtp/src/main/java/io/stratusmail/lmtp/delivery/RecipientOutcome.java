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
     * Not stored: the store failed or timed out (temporary, the client should retry). Nothing of the
     * message is visible for this recipient.
     */
    record Failed(Username recipient, Throwable cause) implements RecipientOutcome {
    }
}
