package io.stratusmail.imap.limits;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the open connections per client IP address and refuses one beyond {@code maxPerAddress}, so one
 * client cannot take all of a node's connections. Memory: one entry per address with an open connection.
 * Thread-safe (every event loop of the server uses it).
 */
public final class ConnectionLimiter {

    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

    /** @param maxPerAddress connections allowed at once per address, at least 1 */
    public ConnectionLimiter(int maxPerAddress) {
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxPerAddress must be positive");
        }
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Counts a new connection from {@code address}.
     *
     * @return false when the address already has {@code maxPerAddress} connections (nothing is counted then);
     *         a successful call must be paired with one {@link #release}
     */
    public boolean tryAcquire(InetAddress address) {
        boolean[] acquired = {false};
        open.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerAddress) {
                return n;
            }
            acquired[0] = true;
            return current + 1;
        });
        return acquired[0];
    }

    /** A connection counted by {@link #tryAcquire} closed. */
    public void release(InetAddress address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** The connections open from {@code address}. */
    public int openConnections(InetAddress address) {
        return open.getOrDefault(address, 0);
    }
}
