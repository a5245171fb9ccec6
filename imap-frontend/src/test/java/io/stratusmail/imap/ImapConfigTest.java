package io.stratusmail.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings that cannot work are refused when the configuration is built, not when a client connects. */
class ImapConfigTest {

    @Test
    void defaultsAllowPlaintextAuthBecauseThereIsNoTls() {
        ImapConfig c = ImapConfig.defaults("imap.test");
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.allowPlaintextAuth()).isTrue();
        assertThat(c.idlePollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxConnectionsPerAddress()).isEqualTo(100);
        assertThat(c.loginFailuresBeforeDelay()).isEqualTo(3);
        assertThat(c.maxConnectionsPerUser()).isEqualTo(20);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesUnusableCombinations() throws Exception {
        ImapConfig c = ImapConfig.defaults("imap.test");
        assertThatThrownBy(() -> new ImapConfig(c.hostname(), c.maxLineLength(), c.maxLiteralSize(),
                c.maxCommandSize(), c.maxQueuedCommands(), c.idleTimeout(), c.workerThreads(), null, false,
                c.idlePollInterval(), c.maxConnectionsPerAddress(), c.loginFailuresBeforeDelay(),
                c.loginFailureDelay(), c.maxConnectionsPerUser())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plaintext authentication must be allowed");
        var client = SslContextBuilder.forClient().build();
        assertThatThrownBy(() -> c.withTls(client, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server context");
        assertThatThrownBy(() -> c.withMaxConnectionsPerAddress(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withMaxConnectionsPerUser(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withLoginFailureDelay(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withLoginFailureDelay(3, Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withIdlePollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(c.withTls(TestCertificate.get().serverContext(), false).tlsEnabled()).isTrue();
    }
}
