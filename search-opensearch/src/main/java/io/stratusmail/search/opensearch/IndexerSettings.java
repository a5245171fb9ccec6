package io.stratusmail.search.opensearch;

import io.stratusmail.search.opensearch.text.ExtractionLimits;
import java.util.Objects;

/**
 * Bounds of {@link OpenSearchMessageIndexer}.
 *
 * @param maxInFlight messages being extracted or sent at once, at most (at least 1); an
 *                    {@code index} call beyond it fails at once with
 *                    {@link java.util.concurrent.RejectedExecutionException}: the durable queue feeding the
 *                    indexer retries, instead of this process buffering without bound
 * @param extraction  what is kept of each message
 */
public record IndexerSettings(int maxInFlight, ExtractionLimits extraction) {

    /** 64 messages in flight, {@link ExtractionLimits#DEFAULT}. */
    public static final IndexerSettings DEFAULT = new IndexerSettings(64, ExtractionLimits.DEFAULT);

    public IndexerSettings {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        Objects.requireNonNull(extraction, "extraction");
    }
}
