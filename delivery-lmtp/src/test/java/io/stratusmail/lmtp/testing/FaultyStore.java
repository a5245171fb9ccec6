package io.stratusmail.lmtp.testing;

import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.StorageUnavailableException;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.ForwardingMessageStore;
import io.stratusmail.mailbox.message.StoredContent;
import io.stratusmail.mailbox.testing.InMemoryMailStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A message store whose appends go wrong for chosen owners ({@link Fault}); everything else goes to the
 * in-memory store. Nothing is stored for a faulty owner, so a test can check that nothing became visible.
 */
public final class FaultyStore extends ForwardingMessageStore {

    /** How the appends of an owner go wrong. */
    public enum Fault {
        /** The stage fails with {@link StorageUnavailableException} (Cassandra: QUORUM not reached). */
        FAIL,
        /** The call throws (a driver bug); {@link #storeContent} throws as well when any owner has this fault. */
        THROW,
        /** The stage never completes (a store that stopped answering). */
        HANG,
        /**
         * The append commits, then the stage fails with {@link StorageUnavailableException} (Cassandra: the
         * connection closed before the Paxos answer arrived; the proposal was completed later).
         */
        LOSE_RESPONSE
    }

    private final Map<String, Fault> faults;

    /**
     * @param delegate where the other calls go
     * @param faults   the fault of each owner (user name as {@code Username#value()})
     */
    public FaultyStore(InMemoryMailStore delegate, Map<String, Fault> faults) {
        super(delegate);
        this.faults = new java.util.concurrent.ConcurrentHashMap<>(faults);
    }

    /** Removes every fault: the store works again (a retry after the outage). */
    public void heal() {
        faults.clear();
    }

    private <T> CompletionStage<T> fault(Mailbox mailbox) {
        Fault fault = faults.get(mailbox.owner().value());
        if (fault == null) {
            return null;
        }
        return switch (fault) {
            case FAIL -> CompletableFuture.failedFuture(new StorageUnavailableException("QUORUM not reached", null));
            case THROW -> throw new IllegalStateException("driver bug");
            case HANG -> new CompletableFuture<>();
            case LOSE_RESPONSE -> null;
        };
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, byte[] content, Flags flags, Instant date) {
        CompletionStage<AppendResult> fault = fault(mailbox);
        return fault != null ? fault : delegate.append(mailbox, content, flags, date);
    }

    @Override
    public CompletionStage<StoredContent> storeContent(byte[] content) {
        if (faults.containsValue(Fault.THROW)) {
            throw new IllegalStateException("driver bug");
        }
        return delegate.storeContent(content);
    }

    @Override
    public CompletionStage<AppendResult> append(Mailbox mailbox, StoredContent content, byte[] headerPrefix,
                                                Flags flags, Instant date) {
        if (faults.get(mailbox.owner().value()) == Fault.LOSE_RESPONSE) {
            return delegate.append(mailbox, content, headerPrefix, flags, date).thenCompose(committed ->
                    CompletableFuture.failedFuture(new StorageUnavailableException("connection closed", null)));
        }
        CompletionStage<AppendResult> fault = fault(mailbox);
        return fault != null ? fault : delegate.append(mailbox, content, headerPrefix, flags, date);
    }

}
