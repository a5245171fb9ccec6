package io.stratusmail.imap.session;

import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Accounts;
import java.util.Objects;

/** The mailbox-core services a session works with. */
public record ImapServices(Accounts accounts, MailboxRepository mailboxes, MessageStore messages) {

    public ImapServices {
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(mailboxes, "mailboxes");
        Objects.requireNonNull(messages, "messages");
    }
}
