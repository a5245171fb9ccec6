package io.stratusmail.search.opensearch;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.search.MessageIndexer;
import io.stratusmail.search.opensearch.client.AsyncCall;
import io.stratusmail.search.opensearch.client.OpenSearchErrors;
import io.stratusmail.search.opensearch.index.MessageDocument;
import io.stratusmail.search.opensearch.index.MessageIndexSettings;
import io.stratusmail.search.opensearch.text.IndexedMessage;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.core.IndexResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageIndexer} on OpenSearch: extracts a message's text ({@link IndexedMessage}) and writes it as
 * document {@code <mailboxId>:<uid>} through the index alias, routed by mailbox ID.
 *
 * <p>Never blocks the caller: extraction (CPU, linear in the message size) runs on the given executor and the
 * HTTP request is asynchronous. At most {@link IndexerSettings#maxInFlight()} messages are in progress; a call
 * beyond that fails at once. Indexing the same UID again replaces the document (idempotent, so a queue may
 * redeliver). Writes require the alias to exist ({@code require_alias}), so a deleted index is never
 * silently recreated with a dynamic mapping.
 *
 * <p>Failures complete the returned stage exceptionally and log one line (mailbox, UID, error type; never
 * message content). The index is derived data (architecture invariant 1): callers do not fail a delivery
 * on it.
 */
public final class OpenSearchMessageIndexer implements MessageIndexer {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchMessageIndexer.class);
    /** RFC 3501 section 2.3.1.1: a UID is a non-zero unsigned 32-bit value. */
    private static final long MAX_UID = 0xFFFF_FFFFL;

    private final OpenSearchAsyncClient client;
    private final MessageIndexSettings index;
    private final Executor extraction;
    private final IndexerSettings settings;
    private final Semaphore inFlight;

    /**
     * @param client     the non-blocking client
     * @param index      the index (its alias is written)
     * @param extraction runs text extraction; must not be an event loop nor run tasks on the submitting
     *                   thread (no caller-runs policy)
     * @param settings   in-flight bound and extraction limits
     */
    public OpenSearchMessageIndexer(
            OpenSearchAsyncClient client, MessageIndexSettings index, Executor extraction, IndexerSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.index = Objects.requireNonNull(index, "index");
        this.extraction = Objects.requireNonNull(extraction, "extraction");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.inFlight = new Semaphore(settings.maxInFlight());
    }

    /**
     * Indexes one message (RFC 3501 SEARCH reads it later).
     *
     * @param uid a UID, 1 to 4294967295
     * @throws IllegalArgumentException when the UID is out of range
     * @return completes when OpenSearch has acknowledged the document (visible to search after the next
     *         refresh); fails with {@link RejectedExecutionException} when too many messages are in flight,
     *         or with the client's exception (e.g. {@link IOException} when OpenSearch is unreachable)
     */
    @Override
    public CompletionStage<Void> index(Mailbox mailbox, long uid, byte[] content) {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(content, "content");
        if (uid < 1 || uid > MAX_UID) {
            throw new IllegalArgumentException("UID out of range: " + uid);
        }
        if (!inFlight.tryAcquire()) {
            RejectedExecutionException full =
                    new RejectedExecutionException("more than " + settings.maxInFlight() + " messages in flight");
            logFailure(mailbox, uid, full);
            return CompletableFuture.failedFuture(full);
        }
        CompletableFuture<Void> result;
        try {
            result = CompletableFuture
                    .supplyAsync(() -> MessageDocument.source(
                            mailbox, uid, IndexedMessage.from(content, settings.extraction())), extraction)
                    .thenCompose(source -> send(mailbox, uid, source))
                    .thenApply(response -> null);
        } catch (RejectedExecutionException executorFull) {
            result = CompletableFuture.failedFuture(executorFull);
        }
        return result.whenComplete((ignored, failure) -> {
            inFlight.release();
            if (failure != null) {
                logFailure(mailbox, uid, failure);
            }
        });
    }

    private CompletableFuture<IndexResponse> send(Mailbox mailbox, long uid, Map<String, Object> source) {
        return AsyncCall.run(() -> client.index(request -> request
                .index(index.alias())
                .id(MessageDocument.id(mailbox.id(), uid))
                .routing(mailbox.id().toString())
                .requireAlias(true)
                .document(source)));
    }

    private static void logFailure(Mailbox mailbox, long uid, Throwable failure) {
        LOG.warn("event=index_failed mailbox_id={} uid={} error={}",
                mailbox.id(), uid, OpenSearchErrors.describe(failure));
    }
}
