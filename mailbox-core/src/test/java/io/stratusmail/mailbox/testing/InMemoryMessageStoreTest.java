package io.stratusmail.mailbox.testing;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.user.Username;
import java.util.UUID;

/** The message store contract on the in-memory fake, so protocol unit tests rely on the same behaviour. */
class InMemoryMessageStoreTest extends MessageStoreContract {

    private final InMemoryMailStore store = new InMemoryMailStore();

    @Override
    protected MessageStore store() {
        return store;
    }

    @Override
    protected Mailbox newMailbox() {
        return join(store.create(new Username("u" + UUID.randomUUID().toString().substring(0, 8) + "@example.org"),
                MailboxName.INBOX));
    }
}
