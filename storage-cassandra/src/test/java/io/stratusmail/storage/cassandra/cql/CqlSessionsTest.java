package io.stratusmail.storage.cassandra.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CqlSessionsTest {

    @Test
    void contactPointsAreParsedIncludingBracketedIpv6() {
        assertThat(CqlSessions.parse("127.0.0.1:9042, cassandra-1.svc:19042,[::1]:9043")).containsExactly(
                InetSocketAddress.createUnresolved("127.0.0.1", 9042),
                InetSocketAddress.createUnresolved("cassandra-1.svc", 19042),
                InetSocketAddress.createUnresolved("::1", 9043));
    }

    @Test
    void malformedContactPointsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CqlSessions.parse("127.0.0.1")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> CqlSessions.parse("127.0.0.1:")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> CqlSessions.parse("host:ninety")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> CqlSessions.parse("host:70000")).hasMessageContaining("bad port");
    }

    @Test
    void settingsRefuseAZeroTimeoutAndAUserWithoutPassword() {
        assertThatThrownBy(() -> new CqlSessions.Settings("h:1", "dc1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CqlSessions.Settings("h:1", "dc1", Duration.ofSeconds(1), "user", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new CqlSessions.Settings("h:1", "dc1", Duration.ofSeconds(1), "user", "secret").toString())
                .doesNotContain("secret");
    }
}
