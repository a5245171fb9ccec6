package io.stratusmail.mailbox.address;

import io.stratusmail.mailbox.testing.AddressContract;
import io.stratusmail.mailbox.testing.InMemoryMailStore;

/** The address and account contract on the in-memory fake, so protocol tests can trust it. */
class InMemoryAddressContractTest extends AddressContract {

    @Override
    protected Repositories repositories() {
        InMemoryMailStore store = new InMemoryMailStore();
        return new Repositories(store, store, store, store, store);
    }
}
