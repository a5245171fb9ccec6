package io.stratusmail.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.stratusmail.storage.cassandra.CassandraStoreConfig.Replication;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command-line forms of replication and consistency (stratus serve/schema migrate options). */
class CassandraStoreConfigParseTest {

    @Test
    void replicationParsesBothStrategiesAndRoundTrips() {
        assertThat(Replication.parse("SimpleStrategy:1")).isEqualTo(Replication.simple(1));
        assertThat(Replication.parse(" simplestrategy : 3 ")).isEqualTo(Replication.simple(3));
        Replication nts = Replication.parse("NetworkTopologyStrategy:dc2=3, dc1=2");
        assertThat(nts).isEqualTo(Replication.networkTopology(Map.of("dc1", 2, "dc2", 3)));
        assertThat(nts.toOption()).isEqualTo("NetworkTopologyStrategy:dc1=2,dc2=3");
        assertThat(nts.maxFactor()).isEqualTo(3);
        assertThat(Replication.parse(nts.toOption())).isEqualTo(nts);
        assertThat(Replication.simple(2).toOption()).isEqualTo("SimpleStrategy:2");
    }

    @Test
    void badReplicationIsRefusedWithTheReason() {
        assertThatThrownBy(() -> Replication.parse("3")).hasMessageContaining("SimpleStrategy:N");
        assertThatThrownBy(() -> Replication.parse("LocalStrategy:1")).hasMessageContaining("unknown replication strategy");
        assertThatThrownBy(() -> Replication.parse("SimpleStrategy:x")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Replication.parse("SimpleStrategy:0")).hasMessageContaining("bad replication entry");
        assertThatThrownBy(() -> Replication.parse("NetworkTopologyStrategy:dc1")).hasMessageContaining("datacenter=factor");
        assertThatThrownBy(() -> Replication.parse("NetworkTopologyStrategy:dc1=3,dc1=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Replication.parse("NetworkTopologyStrategy:dc'1=3")).hasMessageContaining("bad replication entry");
    }

    @Test
    void consistencyLevelsParseByName() {
        assertThat(CassandraStoreConfig.consistencyLevel("local_quorum")).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(CassandraStoreConfig.consistencyLevel("SERIAL")).isEqualTo(DefaultConsistencyLevel.SERIAL);
        assertThatThrownBy(() -> CassandraStoreConfig.consistencyLevel("most"))
                .hasMessageContaining("unknown consistency level 'most'").hasMessageContaining("LOCAL_QUORUM");
    }
}
