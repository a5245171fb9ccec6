package io.stratusmail.storage.cassandra.node;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One running Stratus node as registered in the table {@code nodes} (migration V9).
 *
 * @param id        the node's identity, new at every start
 * @param address   the IP address (or host name) peers send hints to, e.g. the Kubernetes pod IP
 * @param hintPort  the UDP port of its hint receiver, 1 to 65535
 * @param services  the protocol services it runs, for operators (e.g. {@code imap,lmtp})
 * @param startedAt when the node started (millisecond precision)
 */
public record NodeEntry(UUID id, String address, int hintPort, String services, Instant startedAt) {

    /** Longest accepted address, in characters. */
    public static final int MAX_ADDRESS_LENGTH = 255;

    /** @throws IllegalArgumentException for an empty or too long address or a port outside 1..65535 */
    public NodeEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(startedAt, "startedAt");
        if (address.isBlank() || address.length() > MAX_ADDRESS_LENGTH) {
            throw new IllegalArgumentException("address must be 1 to " + MAX_ADDRESS_LENGTH + " characters");
        }
        if (hintPort < 1 || hintPort > 65_535) {
            throw new IllegalArgumentException("hint port must be 1 to 65535: " + hintPort);
        }
    }
}
