package io.stratusmail.imap.limits;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open connections per key and refuses one beyond the limit, so one client cannot take all of a
 * node's connections: per client IP address (refused with {@code * BYE} before the greeting) and per user
 * (refused with {@code NO [LIMIT]} at LOGIN/AUTHENTICATE). The count is per node. Memory: one entry per key
 * with an open connection. Thread-safe (every event loop of the server uses it).
 *
 * @param <K> what is counted: an {@link java.net.InetAddress} or a {@link io.stratusmail.mailbox.user.Username}
 */
public final class ConnectionLimiter<K> {

    private final int maxPerKey;
    private final ConcurrentHashMap<K, Integer> open = new ConcurrentHashMap<>();

    /** @param maxPerKey connections allowed at once per key, at least 1 */
    public ConnectionLimiter(int maxPerKey) {
        if (maxPerKey < 1) {
            throw new IllegalArgumentException("maxPerKey must be positive");
        }
        this.maxPerKey = maxPerKey;
    }

    /**
     * Counts a new connection of {@code key}.
     *
     * @return false when the key already has {@code maxPerKey} connections (nothing is counted then); a
     *         successful call must be paired with one {@link #release}
     */
    public boolean tryAcquire(K key) {
        boolean[] acquired = {false};
        open.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerKey) {
                return n;
            }
            acquired[0] = true;
            return current + 1;
        });
        return acquired[0];
    }

    /** A connection counted by {@link #tryAcquire} closed. */
    public void release(K key) {
        open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** The connections open for {@code key}. */
    public int openConnections(K key) {
        return open.getOrDefault(key, 0);
    }
}
