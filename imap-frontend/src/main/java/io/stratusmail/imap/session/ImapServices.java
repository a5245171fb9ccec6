package io.stratusmail.imap.session;

import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.quota.Quotas;
import io.stratusmail.mailbox.user.Accounts;
import java.util.Objects;

/**
 * The mailbox-core services a session works with.
 *
 * @param quotas limits and usage for GETQUOTA/GETQUOTAROOT (RFC 9208); enforcement itself is in {@code messages}
 *               when that is a {@link io.stratusmail.mailbox.quota.QuotaEnforcingMessageStore}
 */
public record ImapServices(Accounts accounts, MailboxRepository mailboxes, MessageStore messages, Quotas quotas) {

    public ImapServices {
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(quotas, "quotas");
    }

    /** Services without quota limits ({@link Quotas#withoutLimits}). */
    public ImapServices(Accounts accounts, MailboxRepository mailboxes, MessageStore messages) {
        this(accounts, mailboxes, messages, Quotas.withoutLimits(mailboxes, messages));
    }
}
