package io.stratusmail.mailbox.testing;

import io.stratusmail.mailbox.message.DeliveryLog;
import io.stratusmail.mailbox.user.Username;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link DeliveryLog} in memory for unit tests: one expiry instant per user and digest, read with the given
 * clock. Expired records are dropped when met. Thread-safe; every stage is already complete.
 */
public final class InMemoryDeliveryLog implements DeliveryLog {

    private final Clock clock;
    private final Map<String, Instant> expiries = new HashMap<>();
    private final Map<String, Delivery> deliveries = new HashMap<>();

    /** A log on the system clock. */
    public InMemoryDeliveryLog() {
        this(Clock.systemUTC());
    }

    public InMemoryDeliveryLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized CompletionStage<java.util.Optional<Delivery>> find(Username recipient, byte[] digest) {
        try {
            DeliveryLog.check(digest, null);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        String key = key(recipient, digest);
        Instant expiry = expiries.get(key);
        if (expiry != null && !clock.instant().isBefore(expiry)) {
            expiries.remove(key);
            deliveries.remove(key);
            expiry = null;
        }
        return CompletableFuture.completedFuture(expiry == null ? java.util.Optional.empty()
                : java.util.Optional.of(deliveries.get(key)));
    }

    @Override
    public synchronized CompletionStage<Void> record(Username recipient, byte[] digest, Delivery delivery,
                                                     Duration window) {
        java.util.Objects.requireNonNull(delivery, "delivery");
        try {
            DeliveryLog.check(digest, window);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        expiries.put(key(recipient, digest), clock.instant().plus(window));
        deliveries.put(key(recipient, digest), delivery);
        return CompletableFuture.completedFuture(null);
    }

    /** Records currently kept, expired ones included until met. */
    public synchronized int size() {
        return expiries.size();
    }

    private static String key(Username recipient, byte[] digest) {
        return recipient.value() + " " + HexFormat.of().formatHex(digest);
    }
}
