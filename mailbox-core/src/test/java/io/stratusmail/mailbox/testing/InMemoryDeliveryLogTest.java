package io.stratusmail.mailbox.testing;

import io.stratusmail.mailbox.message.DeliveryLog;

class InMemoryDeliveryLogTest extends DeliveryLogContract {

    private final InMemoryDeliveryLog log = new InMemoryDeliveryLog();

    @Override
    protected DeliveryLog log() {
        return log;
    }
}
