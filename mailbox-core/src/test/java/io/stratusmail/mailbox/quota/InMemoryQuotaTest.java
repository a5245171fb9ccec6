package io.stratusmail.mailbox.quota;

import io.stratusmail.mailbox.MailboxRepository;
import io.stratusmail.mailbox.message.MessageStore;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import io.stratusmail.mailbox.user.UserRepository;

/** The quota contract on the in-memory fakes, so protocol unit tests rely on the same behaviour. */
class InMemoryQuotaTest extends QuotaContract {

    private final InMemoryMailStore store = new InMemoryMailStore();
    private final InMemoryQuotaRepository quotas = new InMemoryQuotaRepository(store);

    @Override
    protected UserRepository users() {
        return store;
    }

    @Override
    protected MailboxRepository mailboxes() {
        return store;
    }

    @Override
    protected MessageStore store() {
        return store;
    }

    @Override
    protected QuotaRepository quotaRepository() {
        return quotas;
    }
}
