package io.stratusmail.search.opensearch.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * One HTTP connection pool to an OpenSearch node (Apache HttpClient 5, non-blocking I/O) and the
 * opensearch-java clients that share it. Thread-safe; open one per process and {@link #close()} it at shutdown.
 *
 * <p>{@link #async()} is the client for request paths (it never blocks the calling thread: its futures complete
 * on the HTTP client's I/O threads). {@link #blocking()} is for start-up and admin tasks only.
 */
public final class OpenSearchConnection implements AutoCloseable {

    private final ApacheHttpClient5Transport transport;
    private final OpenSearchAsyncClient async;
    private final OpenSearchClient blocking;

    private OpenSearchConnection(ApacheHttpClient5Transport transport) {
        this.transport = transport;
        this.async = new OpenSearchAsyncClient(transport);
        this.blocking = new OpenSearchClient(transport);
    }

    /**
     * Builds the pool and the clients. Does not contact the node: an unreachable node shows up as failed
     * requests, not here.
     *
     * @param settings where to connect, with which timeouts
     */
    public static OpenSearchConnection open(ConnectionSettings settings) {
        HttpHost host = new HttpHost(
                settings.baseUrl().getScheme().toLowerCase(Locale.ROOT), settings.baseUrl().getHost(), settings.port());
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .setRequestConfigCallback(request -> request
                        .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        // Waiting for a free pooled connection is bounded too (back-pressure, not a queue forever).
                        .setConnectionRequestTimeout(Timeout.of(settings.responseTimeout())));
        if (settings.pathPrefix() != null) {
            builder.setPathPrefix(settings.pathPrefix());
        }
        // Our own pool (bounded size); it carries the connect and socket timeouts.
        builder.setHttpClientConfigCallback(client -> client.setConnectionManager(
                PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(settings.maxConnections())
                        .setMaxConnPerRoute(settings.maxConnections())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                                .build())
                        .build()));
        return new OpenSearchConnection(builder.build());
    }

    /** The non-blocking client, for request paths. */
    public OpenSearchAsyncClient async() {
        return async;
    }

    /** The blocking client, for start-up and administration; never on an event loop. */
    public OpenSearchClient blocking() {
        return blocking;
    }

    /** Closes the pool; requests still in flight fail. */
    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the OpenSearch connection pool", e);
        }
    }
}
