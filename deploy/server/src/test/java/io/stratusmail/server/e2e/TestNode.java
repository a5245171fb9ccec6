package io.stratusmail.server.e2e;

import io.stratusmail.localcluster.CassandraEndpoint;
import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.server.node.NodeConfig;
import io.stratusmail.server.node.StratusNode;
import java.util.EnumSet;
import java.util.UUID;

/**
 * One Stratus node for the test JVM, on the build's shared Cassandra and OpenSearch
 * ({@link TestCluster}), in a keyspace of its own, IMAP and LMTP on free loopback ports.
 */
final class TestNode {

    private static StratusNode node;
    private static String keyspace;

    private TestNode() {
    }

    static synchronized StratusNode shared() {
        if (node == null) {
            keyspace = "stratus_e2e_" + UUID.randomUUID().toString().substring(0, 8);
            node = StratusNode.start(config(keyspace, EnumSet.allOf(NodeConfig.Service.class)));
            Runtime.getRuntime().addShutdownHook(new Thread(node::close, "test-node-stop"));
        }
        return node;
    }

    /** The shared node's keyspace (for a second node on the same data). */
    static synchronized String keyspace() {
        shared();
        return keyspace;
    }

    static NodeConfig config(String keyspace, java.util.Set<NodeConfig.Service> services) {
        CassandraEndpoint c = TestCluster.cassandra();
        return new NodeConfig(c.host() + ":" + c.port(), c.localDatacenter(), keyspace, 1,
                TestCluster.opensearch().toString(),
                services, "127.0.0.1", 0, "127.0.0.1", 0, "stratus-test");
    }

    /** A fresh account with password {@code secret-<local part>}. */
    static Username newUser(String prefix) {
        Username user = Username.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");
        try {
            shared().accounts().createOrUpdate(user, password(user)).toCompletableFuture().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return user;
    }

    static char[] password(Username user) {
        return ("secret-" + user.value().substring(0, user.value().indexOf('@'))).toCharArray();
    }
}
