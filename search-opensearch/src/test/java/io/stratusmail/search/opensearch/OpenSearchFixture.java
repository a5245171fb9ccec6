package io.stratusmail.search.opensearch;

import io.stratusmail.localcluster.TestCluster;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.user.Username;
import io.stratusmail.search.opensearch.client.ConnectionSettings;
import io.stratusmail.search.opensearch.client.OpenSearchConnection;
import io.stratusmail.search.opensearch.index.MessageIndex;
import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the shared test OpenSearch node ({@link TestCluster#opensearch()}) and an index of its own
 * (unique names, 1 shard, 0 replicas), deleted on {@link #close()}.
 */
public final class OpenSearchFixture implements AutoCloseable {

    private final OpenSearchConnection connection;
    private final MessageIndexSettings settings;
    private final MessageIndex index;

    private OpenSearchFixture(OpenSearchConnection connection, MessageIndexSettings settings) {
        this.connection = connection;
        this.settings = settings;
        this.index = new MessageIndex(connection.async(), settings);
    }

    /** Connects to the shared node and creates a fresh index. */
    public static OpenSearchFixture start() {
        OpenSearchFixture fixture = new OpenSearchFixture(
                OpenSearchConnection.open(ConnectionSettings.of(baseUrl())), uniqueSettings());
        await(fixture.index.ensureExists());
        return fixture;
    }

    /** The shared node's base URL. */
    public static String baseUrl() {
        return TestCluster.opensearch().toString();
    }

    /** Index settings with names no other test uses. */
    public static MessageIndexSettings uniqueSettings() {
        String name = "test-messages-" + UUID.randomUUID().toString().substring(0, 8);
        return new MessageIndexSettings(name + "-v1", name, 1, 0);
    }

    /** A mailbox of its own (random ID) for one test. */
    public static Mailbox newMailbox(String user) {
        return new Mailbox(MailboxId.random(), Username.of(user), MailboxName.INBOX, 1);
    }

    /** Waits for a stage, at most 60 s. */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("stage failed or timed out: " + e, e);
        }
    }

    public OpenSearchConnection connection() {
        return connection;
    }

    public MessageIndexSettings settings() {
        return settings;
    }

    public MessageIndex index() {
        return index;
    }

    /** Deletes the fixture's index and closes the connection. */
    @Override
    public void close() {
        try {
            deleteIndices(connection, settings);
        } finally {
            connection.close();
        }
    }

    /** Deletes the concrete index of the settings (its alias goes with it), if it exists. */
    public static void deleteIndices(OpenSearchConnection connection, MessageIndexSettings settings) {
        try {
            connection.blocking().indices().delete(d -> d
                    .index(settings.indexName())
                    .ignoreUnavailable(true)
                    .allowNoIndices(true));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
