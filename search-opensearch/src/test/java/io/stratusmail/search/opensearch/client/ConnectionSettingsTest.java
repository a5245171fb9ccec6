package io.stratusmail.search.opensearch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

    @Test
    void acceptsHttpAndHttpsBaseUrlsWithOptionalPrefix() {
        assertThat(ConnectionSettings.of("http://127.0.0.1:9200").port()).isEqualTo(9200);
        assertThat(ConnectionSettings.of("https://search.internal").port()).isEqualTo(443);
        assertThat(ConnectionSettings.of("http://127.0.0.1:9200/").pathPrefix()).isNull();
        assertThat(ConnectionSettings.of("http://proxy:80/opensearch/").pathPrefix()).isEqualTo("/opensearch");
    }

    @Test
    void refusesWhatIsNotAnHttpBaseUrl() {
        for (String url : new String[] {"ftp://127.0.0.1:9200", "127.0.0.1:9200", "http://user:pw@127.0.0.1:9200",
                "http://127.0.0.1:9200/?pretty", "http:///nohost"}) {
            assertThatThrownBy(() -> ConnectionSettings.of(url)).as(url).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesNonPositiveTimeoutsAndEmptyPools() {
        URI url = URI.create("http://127.0.0.1:9200");
        assertThatThrownBy(() -> new ConnectionSettings(url, Duration.ZERO, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionSettings(url, Duration.ofSeconds(1), Duration.ofSeconds(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConnectionSettings(url, Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void indexNamesMustBeValidOpenSearchNames() {
        assertThat(MessageIndexSettings.DEFAULT.alias()).isEqualTo("stratus-messages");
        assertThatThrownBy(() -> new MessageIndexSettings("Messages-v1", "messages", 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageIndexSettings("_messages", "messages", 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageIndexSettings("messages", "messages", 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageIndexSettings("messages-v1", "messages", 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
