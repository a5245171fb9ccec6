package io.stratusmail.localcluster;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoints of the engines a {@link LocalCluster} started.
 *
 * @param cassandra  the CQL endpoint, empty when Cassandra was not started
 * @param openSearch the OpenSearch base URL without a trailing slash (e.g. {@code http://127.0.0.1:9200}),
 *                   empty when OpenSearch was not started
 */
public record Endpoints(Optional<CassandraEndpoint> cassandra, Optional<URI> openSearch) {

    public Endpoints {
        Objects.requireNonNull(cassandra, "cassandra");
        Objects.requireNonNull(openSearch, "openSearch");
    }
}
