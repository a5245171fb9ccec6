package io.stratusmail.server.node.hints;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of cross-node change hints and of the poll that backs them up.
 *
 * @param port             UDP port the node receives hints on, 1 to 65535; 0 disables the transport (the node
 *                         still notifies its own sessions through the local bus, e.g. {@code stratus dev})
 * @param address          the address peers send hints to (in Kubernetes the pod IP); required when
 *                         {@code port} is not 0
 * @param idlePollInterval how often a session in IDLE re-reads its mailbox anyway, so a lost hint only delays an
 *                         update (RFC 2177); at least 1 ms
 * @param heartbeat        how often the node refreshes its registration in Cassandra
 * @param ttl              how long a registration lives without a heartbeat; at least twice {@code heartbeat}
 * @param peerRefresh      how often the node re-reads the list of live peers
 */
public record HintSettings(int port, String address, Duration idlePollInterval, Duration heartbeat, Duration ttl,
                           Duration peerRefresh) {

    public static final Duration DEFAULT_IDLE_POLL_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(20);
    public static final Duration DEFAULT_PEER_REFRESH = Duration.ofSeconds(3);

    /** No cross-node transport, the default IDLE poll. */
    public static final HintSettings DISABLED = new HintSettings(0, null, DEFAULT_IDLE_POLL_INTERVAL,
            DEFAULT_HEARTBEAT, DEFAULT_TTL, DEFAULT_PEER_REFRESH);

    /** @throws IllegalArgumentException for a port out of range, a missing address or bad durations */
    public HintSettings {
        Objects.requireNonNull(idlePollInterval, "idlePollInterval");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(peerRefresh, "peerRefresh");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("hint port must be 0 (disabled) to 65535: " + port);
        }
        if (port != 0 && (address == null || address.isBlank())) {
            throw new IllegalArgumentException("a hint address (the address peers send hints to) is required "
                    + "with a hint port");
        }
        if (idlePollInterval.toMillis() < 1 || heartbeat.toMillis() < 100 || peerRefresh.toMillis() < 100) {
            throw new IllegalArgumentException("idle poll must be at least 1 ms, heartbeat and peer refresh 100 ms");
        }
        if (ttl.compareTo(heartbeat.multipliedBy(2)) < 0 || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("TTL must be at least twice the heartbeat and 1 s");
        }
    }

    /** Hints on {@code port} (0 disables), sent to {@code address}, the default timings. */
    public static HintSettings of(int port, String address) {
        return new HintSettings(port, address, DEFAULT_IDLE_POLL_INTERVAL, DEFAULT_HEARTBEAT, DEFAULT_TTL,
                DEFAULT_PEER_REFRESH);
    }

    /** Whether the cross-node transport runs. */
    public boolean enabled() {
        return port != 0;
    }

    /** These settings with another IDLE poll interval. */
    public HintSettings withIdlePollInterval(Duration interval) {
        return new HintSettings(port, address, interval, heartbeat, ttl, peerRefresh);
    }
}
