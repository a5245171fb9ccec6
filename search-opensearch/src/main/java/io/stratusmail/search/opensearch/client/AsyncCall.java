package io.stratusmail.search.opensearch.client;

import java.util.concurrent.CompletableFuture;

/**
 * A call of {@link org.opensearch.client.opensearch.OpenSearchAsyncClient}. Those methods declare
 * {@link java.io.IOException} and can throw while building the request; {@link #run(AsyncCall)} turns such a
 * throw into a failed future, so callers handle failures in one place.
 *
 * @param <T> the response type
 */
@FunctionalInterface
public interface AsyncCall<T> {

    /** Starts the request. */
    CompletableFuture<T> start() throws Exception;

    /**
     * Starts a call.
     *
     * @return the call's future, or a future failed with what the call threw
     */
    static <T> CompletableFuture<T> run(AsyncCall<T> call) {
        try {
            return call.start();
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
