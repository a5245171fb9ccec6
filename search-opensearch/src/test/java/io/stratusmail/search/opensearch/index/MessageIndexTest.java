package io.stratusmail.search.opensearch.index;

import static io.stratusmail.search.opensearch.OpenSearchFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratusmail.search.opensearch.OpenSearchFixture;
import io.stratusmail.search.opensearch.client.ConnectionSettings;
import io.stratusmail.search.opensearch.client.OpenSearchConnection;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Creation of the message index at start-up, on a real OpenSearch node. */
class MessageIndexTest {

    private static OpenSearchConnection connection;
    private final List<MessageIndexSettings> created = new ArrayList<>();

    @BeforeAll
    static void connect() {
        connection = OpenSearchConnection.open(ConnectionSettings.of(OpenSearchFixture.baseUrl()));
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @org.junit.jupiter.api.AfterEach
    void deleteCreated() {
        created.forEach(settings -> OpenSearchFixture.deleteIndices(connection, settings));
    }

    private MessageIndexSettings fresh() {
        MessageIndexSettings settings = OpenSearchFixture.uniqueSettings();
        created.add(settings);
        return settings;
    }

    private Set<String> indicesBehind(String alias) throws IOException {
        return connection.blocking().indices().getAlias(a -> a.name(alias)).result().keySet();
    }

    @Test
    void creatingTwiceIsIdempotent() throws IOException {
        MessageIndexSettings settings = fresh();
        MessageIndex index = new MessageIndex(connection.async(), settings);

        await(index.ensureExists());
        await(index.ensureExists());

        assertThat(indicesBehind(settings.alias())).containsExactly(settings.indexName());
    }

    @Test
    void nodesStartingTogetherAllSucceedAndCreateOneIndex() throws Exception {
        MessageIndexSettings settings = fresh();
        int nodes = 4;
        ExecutorService starters = Executors.newFixedThreadPool(nodes);
        List<OpenSearchConnection> connections = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                OpenSearchConnection own = OpenSearchConnection.open(ConnectionSettings.of(OpenSearchFixture.baseUrl()));
                connections.add(own);
                starts.add(CompletableFuture.supplyAsync(() -> {
                    awaitLatch(go);
                    return new MessageIndex(own.async(), settings).ensureExists();
                }, starters).thenCompose(stage -> stage));
            }
            go.countDown();
            await(CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)));
        } finally {
            starters.shutdownNow();
            connections.forEach(OpenSearchConnection::close);
        }

        assertThat(indicesBehind(settings.alias())).containsExactly(settings.indexName());
    }

    @Test
    void anExistingAliasIsLeftWhereItPoints() throws IOException {
        MessageIndexSettings v1 = fresh();
        await(new MessageIndex(connection.async(), v1).ensureExists());
        MessageIndexSettings v2 = new MessageIndexSettings(v1.alias() + "-v2", v1.alias(), 1, 0);
        created.add(v2);

        await(new MessageIndex(connection.async(), v2).ensureExists());

        assertThat(indicesBehind(v1.alias())).containsExactly(v1.indexName());
        assertThat(connection.blocking().indices().exists(e -> e.index(v2.indexName())).value()).isFalse();
    }

    @Test
    void anIndexCreatedWithoutTheAliasGetsIt() throws IOException {
        MessageIndexSettings settings = fresh();
        connection.blocking().indices().create(MessageIndexMapping.createIndexRequest(
                new MessageIndexSettings(settings.indexName(), settings.alias() + "-other", 1, 0)));

        await(new MessageIndex(connection.async(), settings).ensureExists());

        assertThat(indicesBehind(settings.alias())).containsExactly(settings.indexName());
    }

    @Test
    void unreachableOpenSearchFailsInsteadOfHanging() {
        ConnectionSettings nowhere = new ConnectionSettings(
                URI.create("http://127.0.0.1:1"), Duration.ofSeconds(2), Duration.ofSeconds(2), 2);
        try (OpenSearchConnection down = OpenSearchConnection.open(nowhere)) {
            CompletableFuture<Void> start = new MessageIndex(down.async(), OpenSearchFixture.uniqueSettings())
                    .ensureExists().toCompletableFuture();

            assertThatThrownBy(() -> start.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
