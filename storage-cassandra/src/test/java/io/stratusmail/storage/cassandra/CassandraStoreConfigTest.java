package io.stratusmail.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CassandraStoreConfigTest {

    @Test
    void defaultsAreLocalQuorumAndLocalSerial() {
        CassandraStoreConfig config = CassandraStoreConfig.defaults("stratus");

        assertThat(config.consistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(config.serialConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_SERIAL);
        assertThat(config.table("messages")).isEqualTo("stratus.messages");
    }

    @Test
    void keyspaceNameThatCouldInjectCqlIsRefused() {
        assertThatThrownBy(() -> CassandraStoreConfig.defaults("stratus; DROP KEYSPACE system"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraStoreConfig.defaults("1abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraStoreConfig.defaults("x".repeat(49)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void consistencyLevelsMustMatchTheirRole() {
        CassandraStoreConfig config = CassandraStoreConfig.defaults("stratus");

        assertThatThrownBy(() -> config.withConsistency(DefaultConsistencyLevel.SERIAL, DefaultConsistencyLevel.SERIAL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withConsistency(DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.QUORUM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withWriteLimits(0, 16, 1024)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void replicationRendersAsCqlMap() {
        assertThat(CassandraStoreConfig.Replication.simple(3).toCql())
                .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");
        assertThat(CassandraStoreConfig.Replication.networkTopology(Map.of("dc2", 3, "dc1", 2)).toCql())
                .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 3}");
        assertThatThrownBy(() -> CassandraStoreConfig.Replication.networkTopology(Map.of("dc'1", 3)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
