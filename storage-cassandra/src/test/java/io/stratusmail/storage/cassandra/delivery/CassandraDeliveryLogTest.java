package io.stratusmail.storage.cassandra.delivery;

import static io.stratusmail.storage.cassandra.CassandraFixture.join;

import com.datastax.oss.driver.api.core.CqlSession;
import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.testing.DeliveryLogContract;
import io.stratusmail.storage.cassandra.CassandraFixture;
import io.stratusmail.storage.cassandra.CassandraStoreConfig;
import io.stratusmail.storage.cassandra.schema.SchemaMigrator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The delivery log contract on the real Cassandra node, with two sessions standing for two LMTP nodes: a
 * record written through one is seen through the other, and the TTL forgets it after the window.
 */
class CassandraDeliveryLogTest extends DeliveryLogContract {

    private static final CassandraStoreConfig CONFIG = CassandraFixture.config("it_delivery_log");
    private static CqlSession sessionA;
    private static CqlSession sessionB;
    private static CassandraDeliveryLog nodeA;
    private static CassandraDeliveryLog nodeB;

    @BeforeAll
    static void start() {
        sessionA = CassandraFixture.openSession();
        sessionB = CassandraFixture.openSession();
        SchemaMigrator.migrate(sessionA, CONFIG);
        nodeA = join(CassandraDeliveryLog.prepare(sessionA, CONFIG));
        nodeB = join(CassandraDeliveryLog.prepare(sessionB, CONFIG));
    }

    @AfterAll
    static void stop() {
        sessionA.close();
        sessionB.close();
    }

    @Override
    protected DeliveryLog log() {
        return nodeA;
    }

    @Override
    protected DeliveryLog otherNode() {
        return nodeB;
    }
}
