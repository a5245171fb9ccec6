package io.stratusmail.imap.session;

import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.event.MailboxEvents;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.user.Accounts;
import java.util.Objects;

/**
 * The mailbox-core services a session works with.
 *
 * @param quotas limits and usage for GETQUOTA/GETQUOTAROOT (RFC 9208); enforcement itself is in {@code messages}
 *               when that is a {@link io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore}
 * @param events change hints of the node: a session subscribes to its selected mailbox; they arrive when
 *               {@code messages} (or a peer's store) is a {@link io.stratusmail.mailbox.event.NotifyingMessageStore}
 *               publishing on this bus, else sessions rely on their poll alone
 */
public record ImapServices(Accounts accounts, MailboxRepository mailboxes, MessageStore messages, Quotas quotas,
                           MailboxEvents events) {

    public ImapServices {
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(events, "events");
    }

    /** Services with a bus of their own that nothing publishes on (sessions learn of changes by polling). */
    public ImapServices(Accounts accounts, MailboxRepository mailboxes, MessageStore messages, Quotas quotas) {
        this(accounts, mailboxes, messages, quotas, new MailboxEvents());
    }

    /** Services without quota limits ({@link Quotas#withoutLimits}). */
    public ImapServices(Accounts accounts, MailboxRepository mailboxes, MessageStore messages) {
        this(accounts, mailboxes, messages, Quotas.withoutLimits(mailboxes, messages));
    }
}
