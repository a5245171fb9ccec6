package io.stratusmail.storage.cassandra.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Opens a {@link CqlSession} for the store. The caller owns the session and closes it.
 */
public final class CqlSessions {

    private CqlSessions() {
    }

    /**
     * Connection settings.
     *
     * @param contactPoints   {@code host:port} entries, comma-separated (e.g. {@code 127.0.0.1:9042})
     * @param localDatacenter the datacenter whose replicas serve LOCAL_* consistency (e.g. {@code datacenter1})
     * @param requestTimeout  client-side limit of one request; a request that takes longer fails with
     *                        {@code StorageUnavailableException} in the store
     * @param username        user for PasswordAuthenticator, or null for none
     * @param password        its password, or null
     */
    public record Settings(String contactPoints, String localDatacenter, Duration requestTimeout,
                           String username, String password) {
        public Settings {
            Objects.requireNonNull(contactPoints, "contactPoints");
            Objects.requireNonNull(localDatacenter, "localDatacenter");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive");
            }
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("username and password go together");
            }
            parse(contactPoints);
        }

        /** Settings without authentication. */
        public Settings(String contactPoints, String localDatacenter, Duration requestTimeout) {
            this(contactPoints, localDatacenter, requestTimeout, null, null);
        }

        @Override
        public String toString() {
            return "Settings[contactPoints=" + contactPoints + ", localDatacenter=" + localDatacenter
                    + ", requestTimeout=" + requestTimeout + ", username=" + username + "]";
        }
    }

    /** Opens a session; completes once connected, fails when no contact point answers. */
    public static CompletionStage<CqlSession> openAsync(Settings settings) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, settings.requestTimeout())
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .addContactPoints(parse(settings.contactPoints()))
                .withLocalDatacenter(settings.localDatacenter())
                .withConfigLoader(config);
        if (settings.username() != null) {
            builder = builder.withAuthCredentials(settings.username(), settings.password());
        }
        return builder.buildAsync();
    }

    /** Opens a session and waits for it: for start-up code, never on an event loop. */
    public static CqlSession open(Settings settings) {
        return openAsync(settings).toCompletableFuture().join();
    }

    /** Parses {@code host:port[,host:port...]}; IPv6 hosts in brackets ({@code [::1]:9042}). */
    static List<InetSocketAddress> parse(String contactPoints) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : contactPoints.split(",")) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("contact point must be host:port: " + e);
            }
            String host = e.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("bad port in contact point " + e, ex);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port in contact point " + e);
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return out;
    }
}
