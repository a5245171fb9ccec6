package io.stratusmail.mailbox;

import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Registry of mailboxes per user. Every method completes once the change is durable.
 */
public interface MailboxRepository {

    /**
     * Creates a mailbox with a fresh, never reused UIDVALIDITY.
     * Fails with {@link MailboxExistsException} when the name is taken.
     */
    CompletionStage<Mailbox> create(Username owner, MailboxName name);

    /** Looks a mailbox up by name. */
    CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name);

    /** All mailboxes of the user, sorted by name. */
    CompletionStage<List<Mailbox>> list(Username owner);

    /** Returns the user's INBOX, creating it when missing (safe when several nodes race). */
    CompletionStage<Mailbox> ensureInbox(Username owner);
}
