package io.stratusmail.mailbox.search;

import io.stratusmail.mailbox.Mailbox;
import java.util.concurrent.CompletionStage;

/**
 * Feeds the text index (derived data, architecture invariant 1): called after a message is committed.
 * A failure here never fails the delivery; the index can be rebuilt from the store.
 */
public interface MessageIndexer {

    /**
     * Indexes one stored message: subject, addresses and body text.
     *
     * @param mailbox the mailbox the message is in
     * @param uid     its UID
     * @param content the message octets
     */
    CompletionStage<Void> index(Mailbox mailbox, long uid, byte[] content);

    /** An indexer that does nothing, for deployments without a search engine. */
    MessageIndexer NONE = (mailbox, uid, content) -> java.util.concurrent.CompletableFuture.completedFuture(null);
}
