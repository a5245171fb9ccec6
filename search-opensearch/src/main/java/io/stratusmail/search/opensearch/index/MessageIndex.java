package io.stratusmail.search.opensearch.index;

import io.stratusmail.search.opensearch.client.AsyncCall;
import io.stratusmail.search.opensearch.client.OpenSearchErrors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.indices.OpenSearchIndicesAsyncClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message index's life cycle: creation at start-up and refresh.
 *
 * <p>Several nodes start at once: creation is idempotent and race-safe. When the alias exists, nothing is
 * touched (it may point at a newer index after a reindex). Otherwise the index is created with the alias in
 * one request, and a {@code resource_already_exists_exception} (another node won the race) counts as success.
 */
public final class MessageIndex {

    private static final Logger LOG = LoggerFactory.getLogger(MessageIndex.class);
    private static final String ALREADY_EXISTS = "resource_already_exists_exception";

    private final OpenSearchIndicesAsyncClient indices;
    private final MessageIndexSettings settings;

    /**
     * @param client   the non-blocking client
     * @param settings index name, alias, shards and replicas
     */
    public MessageIndex(OpenSearchAsyncClient client, MessageIndexSettings settings) {
        this.indices = client.indices();
        this.settings = settings;
    }

    /** The names and shape of the index. */
    public MessageIndexSettings settings() {
        return settings;
    }

    /**
     * Makes sure the alias exists, creating the index behind it when needed.
     *
     * @return completes when the alias exists; fails with the client's exception when OpenSearch is
     *         unreachable or refuses the index (e.g. a mapping it does not support)
     */
    public CompletionStage<Void> ensureExists() {
        return AsyncCall.run(() -> indices.existsAlias(r -> r.name(settings.alias())))
                .thenCompose(exists -> exists.value() ? CompletableFuture.completedFuture(null) : create());
    }

    private CompletionStage<Void> create() {
        return AsyncCall.run(() -> indices.create(MessageIndexMapping.createIndexRequest(settings)))
                .handle((response, failure) -> {
                    if (failure == null) {
                        LOG.info("event=index_created index={} alias={} shards_acknowledged={}",
                                settings.indexName(), settings.alias(), response.shardsAcknowledged());
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (OpenSearchErrors.isType(failure, ALREADY_EXISTS)) {
                        return addAliasIfMissing();
                    }
                    return CompletableFuture.<Void>failedFuture(OpenSearchErrors.unwrap(failure));
                })
                .thenCompose(next -> next);
    }

    /** The index exists (another node created it, or an operator did): give it the alias unless it has one. */
    private CompletionStage<Void> addAliasIfMissing() {
        return AsyncCall.run(() -> indices.existsAlias(r -> r.name(settings.alias())))
                .thenCompose(exists -> exists.value()
                        ? CompletableFuture.completedFuture(null)
                        : AsyncCall.run(() -> indices.putAlias(r -> r.index(settings.indexName()).name(settings.alias())))
                                .thenApply(ignored -> null));
    }

    /**
     * Makes every indexed document visible to search now instead of within the refresh interval (1 s).
     * For tests and admin tools; costly if called per document.
     */
    public CompletionStage<Void> refresh() {
        return AsyncCall.run(() -> indices.refresh(r -> r.index(settings.alias()))).thenApply(ignored -> null);
    }

}
