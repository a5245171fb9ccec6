package io.stratusmail.imap.limits;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing per client IP address: the first {@code freeFailures} failed logins from an
 * address cost nothing; after that every further attempt waits {@code baseDelay}, doubled per further failure,
 * at most {@value #MAX_FACTOR} times {@code baseDelay}. A successful login clears the address's failures; so
 * does {@link #FORGET_AFTER} without a failure.
 *
 * <p>The delay is served by the connection's scheduler, never by blocking a thread. Memory: at most
 * {@value #MAX_TRACKED_ADDRESSES} addresses, the least recently seen one is forgotten first. Thread-safe.
 */
public final class LoginThrottle {

    /** Addresses remembered at most. */
    public static final int MAX_TRACKED_ADDRESSES = 65_536;
    /** Failures older than this (since the address's last failure) are forgotten. */
    public static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** The longest delay is this many times the base delay. */
    public static final int MAX_FACTOR = 16;

    private static final class Failures {
        int count;
        long lastNanos;
    }

    private final int freeFailures;
    private final Duration baseDelay;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<InetAddress, Failures> failures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
            return size() > MAX_TRACKED_ADDRESSES;
        }
    };

    /**
     * @param freeFailures failures per address answered without delay, at least 1
     * @param baseDelay    the first delay; zero disables delays
     */
    public LoginThrottle(int freeFailures, Duration baseDelay) {
        this(freeFailures, baseDelay, System::nanoTime);
    }

    LoginThrottle(int freeFailures, Duration baseDelay, LongSupplier nanoClock) {
        if (freeFailures < 1 || baseDelay.isNegative()) {
            throw new IllegalArgumentException("freeFailures must be positive and baseDelay not negative");
        }
        this.freeFailures = freeFailures;
        this.baseDelay = baseDelay;
        this.nanoClock = nanoClock;
    }

    /** How long a login attempt from {@code address} must wait before it is checked; zero for none. */
    public synchronized Duration delayBeforeAttempt(InetAddress address) {
        Failures f = current(address);
        if (f == null || f.count < freeFailures || baseDelay.isZero()) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count - freeFailures, Integer.numberOfTrailingZeros(MAX_FACTOR));
        return baseDelay.multipliedBy(1L << doublings);
    }

    /** Records a failed login from {@code address}. */
    public synchronized void failed(InetAddress address) {
        Failures f = current(address);
        if (f == null) {
            f = new Failures();
            failures.put(address, f);
        }
        f.count++;
        f.lastNanos = nanoClock.getAsLong();
    }

    /** Records a successful login: the address starts afresh. */
    public synchronized void succeeded(InetAddress address) {
        failures.remove(address);
    }

    /** Failures remembered for {@code address}. */
    public synchronized int failures(InetAddress address) {
        Failures f = current(address);
        return f == null ? 0 : f.count;
    }

    private Failures current(InetAddress address) {
        Failures f = failures.get(address);
        if (f != null && nanoClock.getAsLong() - f.lastNanos > FORGET_AFTER.toNanos()) {
            failures.remove(address);
            return null;
        }
        return f;
    }
}
