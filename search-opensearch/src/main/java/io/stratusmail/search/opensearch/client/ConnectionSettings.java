package io.stratusmail.search.opensearch.client;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how to reach OpenSearch over HTTP.
 *
 * @param baseUrl         {@code http://host:port} or {@code https://host:port}, optionally with a path prefix
 *                        ({@code http://proxy/opensearch}); no query, no fragment, no user info
 * @param connectTimeout  longest wait for a TCP (and TLS) connection; positive
 * @param responseTimeout longest wait for a response once a request is sent, also the socket read timeout;
 *                        positive
 * @param maxConnections  HTTP connections kept open to the node at most; requests beyond it wait for one
 */
public record ConnectionSettings(URI baseUrl, Duration connectTimeout, Duration responseTimeout, int maxConnections) {

    /** 5 s to connect. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** 30 s for a response: a refresh or a create-index under load takes seconds, not minutes. */
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    /** 32 connections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 32;

    public ConnectionSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("OpenSearch base URL must be http:// or https://: " + baseUrl);
        }
        if (baseUrl.getHost() == null || baseUrl.getUserInfo() != null || baseUrl.getQuery() != null
                || baseUrl.getFragment() != null) {
            throw new IllegalArgumentException("OpenSearch base URL must be scheme://host[:port][/prefix]: " + baseUrl);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()
                || responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("OpenSearch timeouts must be positive");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
    }

    /**
     * Settings with the default timeouts and pool size.
     *
     * @param baseUrl e.g. {@code http://127.0.0.1:9200}
     * @throws IllegalArgumentException when the URL is not an http(s) base URL
     */
    public static ConnectionSettings of(String baseUrl) {
        return new ConnectionSettings(
                URI.create(baseUrl), DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }

    /** The port, or the scheme's default port when the URL has none. */
    int port() {
        if (baseUrl.getPort() >= 0) {
            return baseUrl.getPort();
        }
        return baseUrl.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The path prefix without a trailing slash, or null when there is none. */
    String pathPrefix() {
        String path = baseUrl.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return null;
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
